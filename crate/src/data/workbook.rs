//! Spreadsheet workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods), read with the `calamine` crate.
//!
//! The first sheet holding a table (a header and a data row) is read unless one is named. The
//! header is the first row at least half as full as the fullest of the first 20 rows (so a title
//! line above the table is skipped); each following non-empty row is a data row. Cells become text as a CSV export would write them:
//! numbers in full precision, dates as ISO `YYYY-MM-DD` (with the time when it is not
//! midnight), booleans `TRUE`/`FALSE`, error cells as their code (`#DIV/0!`, `#N/A`, …).
//! Positions in messages are the sheet's own row numbers and column letters.
//!
//! Before calamine unzips anything, the zip directory of an .xlsx / .ods is checked: the sizes
//! its parts declare must add up to at most [`super::limits::MAX_UNZIPPED_BYTES`], and no large
//! part may claim a compression ratio above [`super::limits::MAX_ZIP_RATIO`] (zip bombs). The
//! reading choices of delimited text (delimiter, encoding, decimal mark, thousands) do not apply:
//! a workbook's numbers are stored as numbers.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use super::limits::{size_text, Limits};
use super::options::ReadOptions;
use super::table::{
    check_unique_headers, count_missing_codes, Column, Detected, KindCache, NumberCache, Table,
};
use crate::error::{column_letter, Error, ErrorKind, Location, Result};

pub use super::is_workbook;

/// Refuses a zip container whose parts declare more than `limits.unzipped_bytes` in all, or a
/// part larger than 1 MiB that claims a compression ratio above `limits.zip_ratio`.
///
/// # Errors
/// `Limit`, naming the part; `Format` when the zip directory cannot be read.
pub fn check_zip(bytes: &[u8], file_name: &str, limits: &Limits) -> Result<()> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        Error::new(
            ErrorKind::Format,
            format!("the workbook could not be read ({e})"),
        )
        .with_hint("the file may be damaged or not a spreadsheet; open it in a spreadsheet program and save it again as .xlsx or CSV")
        .at(Location::file(file_name))
    })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_data(i) else {
            continue;
        };
        let (size, packed) = (entry.size(), entry.compressed_size());
        total = total.saturating_add(size);
        if size > 1024 * 1024 && size / packed.max(1) > limits.zip_ratio {
            return Err(Error::new(
                ErrorKind::Limit,
                format!(
                    "the workbook part \"{}\" claims to unzip from {} to {} (over {}× smaller); survcalc refuses compression above {}×, the mark of a zip bomb",
                    entry.name().unwrap_or_default(),
                    size_text(packed),
                    size_text(size),
                    size / packed.max(1),
                    limits.zip_ratio
                ),
            )
            .with_hint("if the workbook is genuine, save it again from a spreadsheet program, or save the sheet as CSV")
            .at(Location::file(file_name)));
        }
    }
    if total > limits.unzipped_bytes {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "the workbook unzips to {}; survcalc reads workbooks of at most {} unzipped",
                size_text(total),
                size_text(limits.unzipped_bytes)
            ),
        )
        .with_hint("save the sheet holding the data as CSV, or split the workbook")
        .at(Location::file(file_name)));
    }
    Ok(())
}

fn open(bytes: &[u8], file_name: &str) -> Result<calamine::Sheets<Cursor<Vec<u8>>>> {
    let padded = whole_sectors(bytes);
    if padded.starts_with(&OLE_SIGNATURE) && !ole_chains_sound(&padded) {
        return Err(Error::new(
            ErrorKind::Format,
            "the workbook is damaged: its table of contents (OLE sector chains) loops or points outside the file",
        )
        .with_hint("open it in the spreadsheet program and save it again (as .xlsx or CSV), then open that")
        .at(Location::file(file_name)));
    }
    open_workbook_auto_from_rs(Cursor::new(padded)).map_err(|e| {
        if is_encrypted_ooxml(bytes) {
            return Error::new(ErrorKind::Format, "the workbook is password-protected (encrypted)")
                .with_hint("open it in the spreadsheet program, remove the password (or save a copy without one, or a CSV) and open that")
                .at(Location::file(file_name));
        }
        let text = e.to_string();
        let hint = if text.to_lowercase().contains("password") || text.contains("Encrypt") {
            "the workbook seems to be password-protected; save an unprotected copy (or a CSV) and open that"
        } else {
            "the file may be damaged or not a spreadsheet; open it in a spreadsheet program and save it again as .xlsx or CSV"
        };
        Error::new(ErrorKind::Format, format!("the workbook could not be read ({text})"))
            .with_hint(hint)
            .at(Location::file(file_name))
    })
}

/// The bytes handed to calamine: an OLE file (.xls) is padded with zeros to whole 4 KiB sectors
/// after its 512-byte header. calamine 0.38 panics on a file cut inside a sector of its
/// allocation tables (`assert_eq!(len % 4, 0)` on the short last sector, `cfb.rs` through
/// `utils::to_u32`; found by the `workbook` fuzz target), which in wasm is a trap. With whole
/// sectors every table reads complete; streams keep the lengths the directory declares, so a
/// valid file reads the same.
fn whole_sectors(bytes: &[u8]) -> Vec<u8> {
    let mut v = bytes.to_vec();
    if bytes.starts_with(&OLE_SIGNATURE) && v.len() > 512 {
        let sectors = (v.len() - 512).div_ceil(4096);
        v.resize(512 + sectors * 4096, 0);
    }
    v
}

const OLE_SIGNATURE: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];

/// Whether the sector chains of an OLE compound file that calamine 0.38 follows are sound, read
/// as calamine reads them (`cfb.rs`: sector n at byte (n + 1) · size; the FAT from the header's
/// and the DIFAT's sector lists). Found by the `workbook` fuzz target: calamine follows a chain
/// until it ends, so a chain that loops allocates until memory runs out (a 4 KB file took 4 GB);
/// it indexes the FAT with the next sector number unchecked, and slices past its buffer when a
/// chain names a sector beyond the end of the file (both panics). So each chain walked here (the
/// DIFAT, the directory, the mini FAT, the mini stream and every stream) must visit a sector at
/// most once and name only sectors that are in the file and in its FAT (mini sectors: in the
/// mini stream and the mini FAT). The 64-bit stream sizes of version 4 must fit 32 bits
/// (calamine unwraps them into a `usize`, which is 32 bits in wasm).
fn ole_chains_sound(bytes: &[u8]) -> bool {
    const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
    const RESERVED: u32 = 0xFFFF_FFFA;
    const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;
    let u16_at = |o: usize| {
        bytes
            .get(o..o + 2)
            .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u32_at = |b: &[u8], o: usize| {
        b.get(o..o + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let size: usize = match u16_at(30) {
        9 => 512,
        12 => 4096,
        _ => return true, // calamine refuses it
    };
    if bytes.len() < size {
        return true; // calamine cannot read the header
    }
    // Whole sectors after the header (a shorter last one is padded by `whole_sectors`).
    let in_file = (bytes.len() - size).div_ceil(size);
    let sector = |id: u32| {
        let start = (id as usize + 1) * size;
        &bytes[start.min(bytes.len())..(start + size).min(bytes.len())]
    };
    let words = |b: &[u8]| -> Vec<u32> { (0..b.len() / 4).map(|i| u32_at(b, 4 * i)).collect() };
    // A chain must end without visiting a sector twice or naming one beyond `count` or `table`.
    let chain_sound = |start: u32, table: &[u32], count: usize| -> bool {
        let mut seen = vec![false; table.len().min(count)];
        let mut id = start;
        while id != END_OF_CHAIN {
            match seen.get_mut(id as usize) {
                Some(visited) if !*visited => {
                    *visited = true;
                    id = table[id as usize];
                }
                _ => return false,
            }
        }
        true
    };
    // The DIFAT: 109 entries in the header, then a chain whose last entry links the next sector.
    let mut difat = words(&bytes[76..512]);
    let mut id = u32_at(bytes, 68);
    let mut hops = 0;
    while id < RESERVED {
        hops += 1;
        if hops > in_file || id as usize >= in_file {
            return false;
        }
        difat.extend(words(sector(id)));
        match difat.pop() {
            Some(next) => id = next,
            None => return false,
        }
    }
    let mut fat = Vec::new();
    for &id in difat.iter().filter(|&&id| id < DIFAT_SECTOR) {
        if id as usize >= in_file {
            return false;
        }
        fat.extend(words(sector(id)));
    }
    let dir_start = u32_at(bytes, 48);
    if !chain_sound(dir_start, &fat, in_file) {
        return false;
    }
    // The directory's entries: (object type, start, size); the first is the root.
    let mut entries = Vec::new();
    let mut id = dir_start;
    while id != END_OF_CHAIN {
        for e in sector(id).chunks_exact(128) {
            let len = if size == 512 {
                u64::from(u32_at(e, 120))
            } else {
                u64::from(u32_at(e, 120)) | (u64::from(u32_at(e, 124)) << 32)
            };
            if len > u64::from(u32::MAX) {
                return false;
            }
            entries.push((e[66], u32_at(e, 116), len as usize));
        }
        id = fat[id as usize]; // sound: checked above
    }
    let Some(&(_, root_start, root_len)) = entries.first() else {
        return true; // calamine reports an empty directory
    };
    let mini_fat_start = u32_at(bytes, 60);
    let mini_fat_sectors = u32_at(bytes, 64) as usize;
    let mut mini_fat = Vec::new();
    let mut mini_count = 0;
    if mini_fat_sectors > 0 {
        if mini_fat_sectors > in_file
            || !chain_sound(mini_fat_start, &fat, in_file)
            || !chain_sound(root_start, &fat, in_file)
        {
            return false;
        }
        let mut id = mini_fat_start;
        while id != END_OF_CHAIN && mini_fat.len() < mini_fat_sectors * size / 4 {
            mini_fat.extend(words(sector(id)));
            id = fat[id as usize];
        }
        // The mini stream holds the root's chain, up to the root's size, in 64-byte sectors.
        let mut root_bytes = 0;
        let mut id = root_start;
        while id != END_OF_CHAIN && root_bytes < root_len {
            root_bytes += sector(id).len();
            id = fat[id as usize];
        }
        mini_count = root_bytes.min(root_len) / 64;
    }
    entries.iter().skip(1).all(|&(kind, start, len)| {
        kind != 2
            || len == 0
            || if len < 4096 {
                chain_sound(start, &mini_fat, mini_count)
            } else {
                chain_sound(start, &fat, in_file)
            }
    })
}

/// Whether the bytes are a password-protected Office Open XML workbook: Excel then writes not a
/// zip but an OLE compound file holding an `EncryptedPackage` stream (MS-OFFCRYPTO §2.3.4.4),
/// which calamine reports only as an unknown format. Directory entry names are UTF-16LE.
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.starts_with(&OLE_SIGNATURE) && bytes.windows(name.len()).any(|w| w == name)
}

/// The sheet names of a workbook, in order.
///
/// # Errors
/// `Format` when the bytes are not a readable workbook.
pub fn sheet_names(bytes: &[u8], file_name: &str) -> Result<Vec<String>> {
    Ok(open(bytes, file_name)?.sheet_names())
}

fn civil(y: u16, m: u8, d: u8, hh: u8, mm: u8, ss: u8) -> String {
    if hh == 0 && mm == 0 && ss == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
    }
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
                civil(y, m, d, hh, mm, ss)
            } else {
                format!("{}", dt.as_f64())
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// Reads a sheet into calamine's dense range. For .xlsx the cells are first read one by one
/// (as calamine itself does) so that a sheet whose used area is absurd — two cells at A1 and
/// XFD1048576 make a grid of 17 billion cells — is refused before the grid is allocated.
/// calamine holds a grid cell in 32 bytes, hence the tighter [`Limits::sheet_cells`].
fn sheet_range(
    wb: &mut calamine::Sheets<Cursor<Vec<u8>>>,
    name: &str,
    limits: &Limits,
    label: &str,
) -> Result<calamine::Range<Data>> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::new(
            ErrorKind::Format,
            format!("the sheet could not be read ({e})"),
        )
        .at(Location::file(label))
    };
    let calamine::Sheets::Xlsx(xlsx) = wb else {
        return wb.worksheet_range(name).map_err(|e| unreadable(&e));
    };
    let mut reader = xlsx
        .worksheet_cells_reader(name)
        .map_err(|e| unreadable(&e))?;
    let mut cells = Vec::new();
    let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0u32, u32::MAX, 0u32);
    while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
        if matches!(cell.get_value(), calamine::DataRef::Empty) {
            continue;
        }
        let (r, c) = cell.get_position();
        (r0, r1, c0, c1) = (r0.min(r), r1.max(r), c0.min(c), c1.max(c));
        let (rows, cols) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
        if rows * cols > limits.sheet_cells as u64 {
            return Err(Error::new(
                ErrorKind::Limit,
                format!(
                    "the sheet's used area spans {rows} rows × {cols} columns ({} cells); survcalc reads sheets of at most {} cells",
                    rows * cols,
                    limits.sheet_cells
                ),
            )
            .with_hint("delete stray cells far from the table (Ctrl+End shows the last used cell), copy the table to a new sheet, or save it as CSV")
            .at(Location {
                row: Some(r as usize + 1),
                column_letter: Some(column_letter(c as usize)),
                ..Location::file(label)
            }));
        }
        cells.push(calamine::Cell::new(
            (r, c),
            Data::from(cell.get_value().clone()),
        ));
    }
    Ok(calamine::Range::from_sparse(cells))
}

/// Whether a cell holds something (as [`cell_text`] would give a non-blank text), without
/// formatting it.
fn is_filled(cell: &Data) -> bool {
    match cell {
        Data::Empty => false,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => !s.trim().is_empty(),
        _ => true,
    }
}

/// Reads one sheet (the first if `sheet` is None) into a [`Table`].
///
/// # Errors
/// See [`read_workbook_with`].
pub fn read_workbook(bytes: &[u8], file_name: &str, sheet: Option<&str>) -> Result<Table> {
    read_workbook_with(bytes, file_name, &ReadOptions::default().with_sheet(sheet))
}

/// Reads the sheet `options.sheet` (the first holding a table if None) into a [`Table`].
///
/// # Errors
/// `Format` for an unreadable or protected workbook, `MissingColumn` for an unknown sheet,
/// `Empty` for an empty sheet, `Header` for duplicate column names, `Limit` past the limits
/// (file size, unzipped size and compression ratio, columns, rows, cells, cell length).
pub fn read_workbook_with(bytes: &[u8], file_name: &str, options: &ReadOptions) -> Result<Table> {
    let limits = &options.limits;
    if bytes.len() > limits.file_bytes {
        return Err(super::delimited::file_too_large(
            bytes.len(),
            limits,
            file_name,
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        check_zip(bytes, file_name, limits)?;
    }
    let sheet = options.sheet.as_deref();
    let mut wb = open(bytes, file_name)?;
    let names = wb.sheet_names();
    let mut pre_read = None;
    let sheet_name = match sheet {
        Some(s) => {
            if !names.iter().any(|n| n == s) {
                return Err(Error::new(
                    ErrorKind::MissingColumn,
                    format!("the workbook has no sheet named \"{s}\""),
                )
                .with_hint(format!("the sheets are {}", names.join(", ")))
                .at(Location::file(file_name)));
            }
            s.to_string()
        }
        None => {
            // The first sheet with at least two non-empty rows (a header and data); its range
            // is kept, so the sheet is not parsed twice.
            let mut chosen = None;
            for n in &names {
                if let Ok(r) = sheet_range(&mut wb, n, limits, file_name) {
                    let rows = r
                        .rows()
                        .filter(|row| row.iter().any(is_filled))
                        .take(2)
                        .count();
                    if rows >= 2 {
                        chosen = Some((n.clone(), r));
                        break;
                    }
                }
            }
            match chosen {
                Some((n, r)) => {
                    pre_read = Some(r);
                    n
                }
                None => names.first().cloned().ok_or_else(|| {
                    Error::new(ErrorKind::Empty, "the workbook has no sheets")
                        .at(Location::file(file_name))
                })?,
            }
        }
    };
    let label = format!("{file_name} [{sheet_name}]");
    let range = match pre_read {
        Some(r) => r,
        None => sheet_range(&mut wb, &sheet_name, limits, &label)?,
    };
    let (row0, col0) = range
        .start()
        .map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let width = range.width();
    if width > limits.columns {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "the sheet has {width} columns; survcalc reads at most {}",
                limits.columns
            ),
        )
        .with_hint(
            "remove the columns the analysis does not need, or copy the needed ones to a new sheet",
        )
        .at(Location::file(&label)));
    }
    let filled = |r: &[Data]| r.iter().filter(|c| is_filled(c)).count();
    // The header is the first row with at least half as many filled cells as the fullest of the
    // first 20 non-empty rows, so a title line above the table is skipped.
    let widest = range
        .rows()
        .map(filled)
        .filter(|&n| n > 0)
        .take(20)
        .max()
        .unwrap_or(0);
    let header_start = range
        .rows()
        .position(|r| filled(r) > 0 && 2 * filled(r) >= widest)
        .unwrap_or(0);
    let mut rows = range
        .rows()
        .enumerate()
        .skip(header_start)
        .filter(|(_, r)| filled(r) > 0);
    let Some((header_idx, header)) = rows.next() else {
        return Err(Error::new(ErrorKind::Empty, "the sheet is empty")
            .with_hint(
                "choose the sheet that holds the data, with the column names in its first row",
            )
            .at(Location::file(&label)));
    };
    let raw_headers: Vec<String> = header
        .iter()
        .map(|c| cell_text(c).trim().to_string())
        .collect();
    let height = range.height();
    let mut columns: Vec<Column> = (0..width)
        .map(|_| Column::with_capacity(height, 0))
        .collect();
    let mut row_lines = Vec::with_capacity(height);
    for (i, r) in rows {
        let at = || Location {
            row: Some(row0 + i + 1),
            ..Location::file(&label)
        };
        if row_lines.len() >= limits.rows {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("the sheet has more than {} rows", limits.rows),
            )
            .with_hint(
                "split the data over several files, or keep only the rows the analysis needs",
            )
            .at(at()));
        }
        if (row_lines.len() + 1) * width > limits.cells {
            return Err(Error::new(
                ErrorKind::Limit,
                format!(
                    "the sheet has more than {} cells ({width} columns × {} rows so far)",
                    limits.cells,
                    row_lines.len() + 1
                ),
            )
            .with_hint("remove the columns the analysis does not need, or split the data")
            .at(at()));
        }
        for (c, col) in columns.iter_mut().enumerate() {
            match r.get(c) {
                Some(Data::String(s)) => {
                    if s.len() > limits.cell_bytes {
                        return Err(limits
                            .cell_too_long(s.len())
                            .with_hint("shorten or remove the long text")
                            .at(Location {
                                column_letter: Some(column_letter(col0 + c)),
                                ..at()
                            }));
                    }
                    col.push(s);
                }
                Some(Data::Empty) | None => col.push(""),
                Some(cell) => col.push(&cell_text(cell)),
            }
        }
        row_lines.push(row0 + i + 1);
    }
    let _ = header_idx;
    let mut headers = Vec::new();
    let mut kept_columns = Vec::new();
    let mut source_columns = Vec::new();
    for (c, h) in raw_headers.into_iter().enumerate() {
        let col = std::mem::take(&mut columns[c]);
        if h.is_empty() {
            if col.iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            headers.push(format!("column {}", column_letter(col0 + c)));
        } else {
            headers.push(h);
        }
        kept_columns.push(col);
        source_columns.push(col0 + c);
    }
    check_unique_headers(
        &headers,
        &source_columns,
        Location {
            row: Some(row0 + header_idx + 1),
            ..Location::file(&label)
        },
    )?;
    if row_lines.is_empty() {
        return Err(
            Error::new(ErrorKind::Empty, "the sheet has a header but no data rows")
                .at(Location::file(&label)),
        );
    }
    let missing_codes = count_missing_codes(&kept_columns);
    let lower = file_name.to_ascii_lowercase();
    let format = if lower.ends_with(".ods") {
        "OpenDocument spreadsheet"
    } else if lower.ends_with(".xls") {
        "Excel 97–2003 workbook"
    } else {
        "Excel workbook"
    };
    Ok(Table {
        file_name: label,
        headers,
        columns: kept_columns,
        row_lines,
        source_columns,
        detected: Detected {
            format: format.to_string(),
            delimiter: None,
            encoding: "workbook".to_string(),
            bom: false,
            sheet: Some(sheet_name),
            sheets: names,
            decimal_comma_columns: Vec::new(),
            thousands: Vec::new(),
            missing_codes,
            options: options.clone(),
        },
        kinds: KindCache::default(),
        numbers: NumberCache::default(),
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn workbook(rows: u32, cols: u16) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for c in 0..cols {
            ws.write_string(0, c, format!("c{c}")).expect("write");
            for r in 1..=rows {
                ws.write_number(r, c, 1.0).expect("write");
            }
        }
        wb.save_to_buffer().expect("saves")
    }

    fn with(bytes: &[u8], f: impl FnOnce(&mut Limits)) -> Result<Table> {
        let mut o = ReadOptions::default();
        f(&mut o.limits);
        read_workbook_with(bytes, "w.xlsx", &o)
    }

    #[test]
    fn limits_give_messages() {
        let small = workbook(3, 3);
        let t = with(&small, |_| {}).expect("reads");
        assert_eq!(t.n_rows(), 3);
        let e = with(&small, |l| l.file_bytes = 100).expect_err("file");
        assert_eq!(e.kind, ErrorKind::Limit);
        let e = with(&small, |l| l.unzipped_bytes = 1000).expect_err("unzipped");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert!(e.message.contains("unzips to"), "{}", e.message);
        let e = with(&small, |l| l.columns = 2).expect_err("columns");
        assert!(e.message.contains("3 columns"), "{}", e.message);
        let e = with(&small, |l| l.rows = 2).expect_err("rows");
        assert_eq!((e.kind, e.location.row), (ErrorKind::Limit, Some(4)));
        let e = with(&small, |l| l.cells = 8).expect_err("cells");
        assert_eq!((e.kind, e.location.row), (ErrorKind::Limit, Some(4)));
        // A part over 1 MiB compressed more than 2× is refused at ratio 2 (the real limit is 100).
        let big = workbook(40_000, 4);
        let e = with(&big, |l| l.zip_ratio = 2).expect_err("ratio");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert!(e.message.contains("zip bomb"), "{}", e.message);
        assert!(
            e.message.contains("xl/worksheets/sheet1.xml"),
            "{}",
            e.message
        );
        assert_eq!(with(&big, |_| {}).expect("reads").n_rows(), 40_000);
    }

    #[test]
    fn a_stray_far_cell_is_refused_before_the_grid_is_allocated() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "time").expect("write");
        ws.write_number(1, 0, 5.0).expect("write");
        ws.write_number(1_048_575, 16_383, 1.0).expect("write");
        let bytes = wb.save_to_buffer().expect("saves");
        let e = with(&bytes, |_| {}).expect_err("huge area");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(e.location.row, Some(1_048_576));
        assert_eq!(e.location.column_letter.as_deref(), Some("XFD"));
        assert!(
            e.message.contains("1048576 rows × 16384 columns"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_long_text_cell_is_refused() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "note").expect("write");
        ws.write_string(1, 0, "x".repeat(300)).expect("write");
        let bytes = wb.save_to_buffer().expect("saves");
        let e = with(&bytes, |l| l.cell_bytes = 100).expect_err("cell");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(e.location.row, Some(2));
        assert_eq!(e.location.column_letter.as_deref(), Some("A"));
    }
}
