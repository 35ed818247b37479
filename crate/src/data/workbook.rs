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
    ValueCache,
};
use crate::error::{column_letter, Error, ErrorKind, Location, Result};

pub use super::is_workbook;

/// Refuses a zip container whose parts declare more than `limits.unzipped_bytes` in all, or a
/// part larger than 1 MiB that claims a compression ratio above `limits.zip_ratio`; then checks
/// the same limits on the sizes the parts really inflate to (see [`check_inflated`]).
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
            let part = entry.name().unwrap_or_default();
            let sizes = (packed, size, None);
            return Err(compressed_too_far(&part, sizes, limits, file_name));
        }
    }
    if total > limits.unzipped_bytes {
        return Err(unzips_too_far(total, "", limits, file_name));
    }
    check_inflated(archive, file_name, limits)
}

/// The message for a workbook part compressed more than `limits.zip_ratio` times. `sizes` is
/// (compressed, unzipped, declared): `declared` is `None` when the unzipped size is the one its
/// header declares ("claims to unzip from … to …"), else the header's size, and the unzipped
/// size is what inflating has reached so far ("unzips from … to more than …", and the lie when
/// the header declared less).
fn compressed_too_far(
    part: &str,
    (packed, size, declared): (u64, u64, Option<u64>),
    limits: &Limits,
    file_name: &str,
) -> Error {
    let (packed_text, size_text_) = (size_text(packed), size_text(size));
    let how = match declared {
        None => format!("claims to unzip from {packed_text} to {size_text_}"),
        Some(_) => format!("unzips from {packed_text} to more than {size_text_}"),
    };
    let lie = match declared {
        Some(d) if d < size => format!(", though its header declares {}", size_text(d)),
        _ => String::new(),
    };
    Error::new(
        ErrorKind::Limit,
        format!(
            "the workbook part \"{part}\" {how} (over {}× smaller){lie}; survcalc refuses compression above {}×, the mark of a zip bomb",
            size / packed.max(1),
            limits.zip_ratio
        ),
    )
    .with_hint("if the workbook is genuine, save it again from a spreadsheet program, or save the sheet as CSV")
    .at(Location::file(file_name))
}

fn unzips_too_far(total: u64, more: &str, limits: &Limits, file_name: &str) -> Error {
    Error::new(
        ErrorKind::Limit,
        format!(
            "the workbook unzips to {more}{}; survcalc reads workbooks of at most {} unzipped",
            size_text(total),
            size_text(limits.unzipped_bytes)
        ),
    )
    .with_hint("save the sheet holding the data as CSV, or split the workbook")
    .at(Location::file(file_name))
}

/// The second half of [`check_zip`]: the sizes the zip headers declare may lie (a crafted
/// bomb declares a small size and inflates far larger, and the zip crate, like calamine on top
/// of it, reads a part to its end whatever its header says). So every part is inflated here, in
/// 64 KiB steps whose output is dropped, and counted: reading stops, with the same errors as
/// for declared sizes, as soon as the parts together pass `limits.unzipped_bytes` or a part
/// passes both 1 MiB and `limits.zip_ratio` times its compressed size. Parts the zip crate
/// cannot open or inflate are left to calamine, which reads them with the same crate and fails
/// at the same place (never past what was counted here).
fn check_inflated(
    mut archive: zip::ZipArchive<Cursor<&[u8]>>,
    file_name: &str,
    limits: &Limits,
) -> Result<()> {
    use std::io::Read;
    let mut buf = vec![0u8; 64 * 1024];
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(i) else {
            continue;
        };
        let (declared, packed) = (entry.size(), entry.compressed_size());
        let ratio_cap = (1024 * 1024u64).max(packed.saturating_mul(limits.zip_ratio));
        let mut size: u64 = 0;
        loop {
            let n = match entry.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n as u64,
                // The zip crate stops a part at the size its header declares (zip 9.8:
                // `Crc32Reader`'s size limit, "File is larger than its declared uncompressed
                // size"); a part that goes on is a crafted bomb. Other read errors (a bad
                // checksum, a broken deflate stream) are left to calamine.
                Err(e) if e.to_string().contains("declared") => {
                    return Err(Error::new(
                        ErrorKind::Limit,
                        format!(
                            "the workbook part \"{}\" unzips to more than the {} its header declares, the mark of a crafted zip bomb",
                            entry.name().unwrap_or_default(),
                            size_text(declared)
                        ),
                    )
                    .with_hint("if the workbook is genuine, save it again from a spreadsheet program, or save the sheet as CSV")
                    .at(Location::file(file_name)));
                }
                Err(_) => break,
            };
            size += n;
            total = total.saturating_add(n);
            if size > ratio_cap {
                let part = entry.name().unwrap_or_default();
                let sizes = (packed, size, Some(declared));
                return Err(compressed_too_far(&part, sizes, limits, file_name));
            }
            if total > limits.unzipped_bytes {
                return Err(unzips_too_far(total, "more than ", limits, file_name));
            }
        }
    }
    Ok(())
}

fn open(
    bytes: &[u8],
    file_name: &str,
    limits: &Limits,
) -> Result<calamine::Sheets<Cursor<Vec<u8>>>> {
    let padded = whole_sectors(bytes);
    if padded.starts_with(&OLE_SIGNATURE) && !ole_chains_sound(&padded) {
        return Err(Error::new(
            ErrorKind::Format,
            "the workbook is damaged: its table of contents (OLE sector chains) loops or points outside the file",
        )
        .with_hint("open it in the spreadsheet program and save it again (as .xlsx or CSV), then open that")
        .at(Location::file(file_name)));
    }
    if padded.starts_with(&OLE_SIGNATURE) {
        check_xls_areas(&padded, file_name, limits)?;
    } else if bytes.starts_with(b"PK\x03\x04") {
        check_ods_areas(bytes, file_name, limits)?;
    }
    // calamine tries .xls, then .xlsx, then .xlsb: input that does not open as .xlsx is checked
    // before calamine's .xlsb reader sees it. Any zip (an .ods, a broken .xlsx: the .xlsb reader
    // reads the shared strings and styles before it looks for xl/workbook.bin), and any other
    // input too, since the zip reader also finds a zip at the end of other bytes.
    if bytes.starts_with(b"PK\x03\x04") {
        let xlsx = guarded(file_name, || {
            Ok(calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(
                Cursor::new(padded.clone()),
            ))
        })?;
        if let Ok(x) = xlsx {
            return Ok(calamine::Sheets::Xlsx(x));
        }
    }
    check_xlsb(&padded, file_name)?;
    let sheets = guarded(file_name, || {
        Ok(open_workbook_auto_from_rs(Cursor::new(padded)))
    })?;
    sheets.map_err(|e| {
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

/// Runs `f`, a call into calamine, turning a panic into a `Format` error naming `label` (the
/// file, or the file and sheet). The last line of defence on native builds (the CLI) only: in
/// WebAssembly a panic aborts (the page's worker stops), so the checks made before calamine
/// sees a file ([`ole_chains_sound`], [`check_xls_areas`], [`check_xlsb`], …) must refuse
/// everything it would crash on.
fn guarded<T>(label: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Error::new(
            ErrorKind::Format,
            "the workbook could not be read (the spreadsheet reader failed on it)",
        )
        .with_hint("the file may be damaged; open it in a spreadsheet program and save it again as .xlsx or CSV")
        .at(Location::file(label)))
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

/// The stream `name` (ASCII, any case, as calamine looks it up) of an OLE compound file whose
/// chains [`ole_chains_sound`] found sound, read as calamine's `cfb.rs` reads it; None when the
/// file has no such stream or cannot be read that far.
fn ole_stream(bytes: &[u8], names: &[&str]) -> Option<Vec<u8>> {
    const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
    const RESERVED: u32 = 0xFFFF_FFFA;
    const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;
    let u32_at = |b: &[u8], o: usize| {
        b.get(o..o + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let size: usize = match bytes.get(30..32)? {
        [9, 0] => 512,
        [12, 0] => 4096,
        _ => return None,
    };
    let sector = |id: u32| bytes.get((id as usize + 1) * size..(id as usize + 2) * size);
    let words =
        |b: &[u8]| -> Vec<u32> { (0..b.len() / 4).filter_map(|i| u32_at(b, 4 * i)).collect() };
    // Every walk below is bounded by the number of sectors (the chains are sound).
    let hops = bytes.len() / size + 1;
    let mut difat = words(bytes.get(76..512)?);
    let mut id = u32_at(bytes, 68)?;
    for _ in 0..hops {
        if id >= RESERVED {
            break;
        }
        difat.extend(words(sector(id)?));
        id = difat.pop()?;
    }
    let mut fat = Vec::new();
    for &id in difat.iter().filter(|&&id| id < DIFAT_SECTOR) {
        fat.extend(words(sector(id)?));
    }
    let chain = |start: u32, table: &[u32], read: &dyn Fn(u32) -> Option<Vec<u8>>, len: usize| {
        let mut out = Vec::new();
        let mut id = start;
        for _ in 0..=table.len() {
            if id == END_OF_CHAIN || out.len() >= len {
                break;
            }
            out.extend(read(id)?);
            id = *table.get(id as usize)?;
        }
        out.truncate(len);
        Some(out)
    };
    let big = |id: u32| sector(id).map(<[u8]>::to_vec);
    let directory = chain(u32_at(bytes, 48)?, &fat, &big, usize::MAX)?;
    let entries: Vec<(String, u32, usize)> = directory
        .chunks_exact(128)
        .map(|e| {
            let name_len = usize::from(u16::from_le_bytes([e[64], e[65]])).min(64);
            let units: Vec<u16> = e[..name_len]
                .chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .take_while(|&u| u != 0)
                .collect();
            let start = u32_at(e, 116).unwrap_or(END_OF_CHAIN);
            let len = u32_at(e, 120).unwrap_or(0) as usize;
            (String::from_utf16_lossy(&units), start, len)
        })
        .collect();
    let &(_, root_start, root_len) = entries.first()?;
    let (_, start, len) = names.iter().find_map(|n| {
        entries
            .iter()
            .find(|e| e.0.as_bytes().eq_ignore_ascii_case(n.as_bytes()))
    })?;
    if *len >= 4096 {
        return chain(*start, &fat, &big, *len);
    }
    let mini_fat = words(&chain(u32_at(bytes, 60)?, &fat, &big, usize::MAX)?);
    let mini_stream = chain(root_start, &fat, &big, root_len)?;
    let mini = |id: u32| {
        mini_stream
            .get(id as usize * 64..(id as usize + 1) * 64)
            .map(<[u8]>::to_vec)
    };
    chain(*start, &mini_fat, &mini, *len)
}

/// Refuses an .xls workbook that calamine 0.38 could not hold, or would crash on, before it is
/// opened: calamine parses every sheet when it opens the file and allocates each sheet's grid
/// (rows × columns from the first to the last cell, 32 bytes a cell) and, first, as many cells
/// as the sheet's DIMENSIONS record declares. A BIFF cell record's row and column are 16-bit,
/// so a hostile sheet can span 65,536 × 65,536 cells (137 GB). The Workbook stream's records are
/// scanned here as calamine's `xls.rs` reads them: each sheet's declared dimensions and the
/// area of its cells must stay within [`Limits::sheet_cells`], and so must the sheets together.
/// Records calamine would index past their end (a sheet offset beyond the stream, a BoundSheet
/// or MergeCells record too short for what it declares, a MulRk running backwards) are refused
/// as damage, since calamine panics on them.
///
/// # Errors
/// `Limit` for a sheet or workbook too large (naming the sheet by number, and the cell), `Format`
/// for the damage above.
fn check_xls_areas(bytes: &[u8], file_name: &str, limits: &Limits) -> Result<()> {
    match ole_stream(bytes, &["Workbook", "Book"]) {
        Some(stream) => check_biff_areas(&stream, file_name, limits),
        None => Ok(()), // calamine reports the missing stream
    }
}

/// The BIFF records of an .xls Workbook stream, scanned for [`check_xls_areas`].
fn check_biff_areas(stream: &[u8], file_name: &str, limits: &Limits) -> Result<()> {
    let damaged = |what: &str| {
        Error::new(
            ErrorKind::Format,
            format!("the workbook is damaged: {what}"),
        )
        .with_hint("open it in the spreadsheet program and save it again (as .xlsx or CSV), then open that")
        .at(Location::file(file_name))
    };
    let u16_at = |b: &[u8], o: usize| {
        b.get(o..o + 2)
            .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u32_at = |b: &[u8], o: usize| {
        b.get(o..o + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    // The records from `at`: (type, data), stopping where calamine's iterator would fail.
    let records = |at: usize| {
        let mut rest = &stream[at.min(stream.len())..];
        std::iter::from_fn(move || {
            let t = u16_at(rest, 0);
            let len = usize::from(u16_at(rest, 2));
            let data = rest.get(4..4 + len)?;
            rest = &rest[4 + len..];
            Some((t, data))
        })
    };
    let mut sheets = Vec::new();
    for (t, data) in records(0) {
        match t {
            0x0085 if data.len() < 6 => {
                return Err(damaged("a sheet's entry (BoundSheet8) is cut short"))
            }
            0x0085 => sheets.push(u32_at(data, 0) as usize),
            0x000A => break,
            _ => {}
        }
    }
    let mut total: u64 = 0;
    for (i, &pos) in sheets.iter().enumerate() {
        if pos > stream.len() {
            return Err(damaged(
                "a sheet's entry points past the end of the workbook stream",
            ));
        }
        let label = format!("{file_name} [sheet {}]", i + 1);
        let mut area = Area::new(limits);
        let (mut seen_bof, mut depth) = (false, 0usize);
        for (t, d) in records(pos) {
            if depth > 0 {
                match t {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let cell_min = match t {
                0x0203 => 14,
                0x0204 | 0x00D6 => 6,
                0x0205 => 8,
                0x027E | 0x00FD => 10,
                0x0006 => 20,
                _ => 0,
            };
            if cell_min > 0 {
                if d.len() < cell_min {
                    break; // calamine stops with an error here
                }
                area.add(u32::from(u16_at(d, 0)), u32::from(u16_at(d, 2)), &label)?;
                continue;
            }
            match t {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => {
                    // DIMENSIONS: calamine reserves rows × columns cells from it.
                    let (rf, rl, mut cf, cl) = match d.len() {
                        10 => (
                            u64::from(u16_at(d, 0)),
                            u64::from(u16_at(d, 2)),
                            u64::from(u16_at(d, 4)),
                            u64::from(u16_at(d, 6)),
                        ),
                        14 | 16 => (
                            u64::from(u32_at(d, 0)),
                            u64::from(u32_at(d, 4)),
                            u64::from(u16_at(d, 8)),
                            u64::from(u16_at(d, 10)),
                        ),
                        _ => break,
                    };
                    if cf > 0xFF || cl < cf {
                        cf = 0;
                    }
                    if rl >= 1 && cl >= 1 {
                        let (rows, cols) = (rl.saturating_sub(rf), cl - cf);
                        if rl - 1 < rf || rows * cols > limits.sheet_cells as u64 {
                            return Err(area_too_large(
                                rl.abs_diff(rf),
                                cols,
                                limits.sheet_cells as u64,
                                &label,
                            )
                            .with_hint("the sheet declares (DIMENSIONS) an area far larger than a table; open the workbook in a spreadsheet program, delete stray cells far from the table, and save it again (or save the sheet as CSV)"));
                        }
                    }
                }
                0x00BD => {
                    // MulRk: a row's run of cells from one column to another.
                    if d.len() < 6 {
                        break;
                    }
                    let (row, first, last) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, d.len() - 2));
                    if last < first {
                        return Err(damaged("a run of cells (MulRk) ends before it starts"));
                    }
                    area.add(u32::from(row), u32::from(first), &label)?;
                    area.add(u32::from(row), u32::from(last), &label)?;
                }
                0x00E5 if 2 + 8 * usize::from(u16_at(d, 0)) > d.len() => {
                    return Err(damaged("a list of merged cells (MergeCells) is cut short"));
                }
                _ => {}
            }
        }
        if let Some((r0, r1, c0, c1)) = area.bounds {
            total += (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
        }
        if total > limits.sheet_cells as u64 {
            return Err(sheets_too_large(total, limits, file_name));
        }
    }
    Ok(())
}

/// The error for a workbook whose sheets' used areas add up to `total` cells, over the limit
/// (calamine parses every sheet of an .xls or .ods when it opens the file).
fn sheets_too_large(total: u64, limits: &Limits, file_name: &str) -> Error {
    Error::new(
        ErrorKind::Limit,
        format!(
            "the workbook's sheets together span {total} cells; survcalc reads .xls and .ods workbooks of at most {} cells in all (every sheet is read when the file is opened)",
            limits.sheet_cells
        ),
    )
    .with_hint("copy the sheet holding the data to a new workbook, or save it as CSV")
    .at(Location::file(file_name))
}

/// Refuses an .ods workbook that calamine 0.38 could not hold, before it is opened: calamine
/// parses every table of `content.xml` when it opens the file, expanding repeated rows and
/// columns (`table:number-rows-repeated`, `table:number-columns-repeated`, up to 1,048,576 rows
/// and 16,384 columns) into cells, first row by row (a cell and its formula, 56 bytes) and then
/// into each table's grid (32 bytes a cell). A few hundred bytes of XML can so ask for billions
/// of cells. The XML is scanned here as calamine reads it (quick-xml, the same parser): a cell
/// with a value, a text or a formula counts, empty ones only between counted ones; each table's
/// expanded cells and its used area (rows between its first and last counted cell, repeats
/// included, × columns) must stay within [`Limits::sheet_cells`], and so must the tables
/// together. The part is read through the zip crate, which stops at its declared size (already
/// checked by [`check_zip`]).
///
/// # Errors
/// `Limit`, naming the table and, for an area, the row where it passed the limit.
fn check_ods_areas(bytes: &[u8], file_name: &str, limits: &Limits) -> Result<()> {
    use quick_xml::events::Event;
    const MAX_ROWS: u64 = 1_048_576;
    const MAX_COLUMNS: u64 = 16_384;
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // calamine reports it
    };
    let Ok(part) = archive.by_name("content.xml") else {
        return Ok(());
    };
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let config = reader.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    config.expand_empty_elements = true;
    let limit = limits.sheet_cells as u64;
    let number = |e: &quick_xml::events::BytesStart<'_>, key: &str| -> Option<u64> {
        match e.try_get_attribute(key) {
            Ok(Some(a)) => a.value.trim().parse().ok(),
            Ok(None) => Some(1),
            Err(_) => None,
        }
    };
    // One table: its label, cells expanded so far, rows so far (repeats included), the
    // counted cells' columns, the rows of the first and last row holding one.
    struct Table {
        label: String,
        cells: u64,
        rows: u64,
        columns: Option<(u64, u64)>,
        first: Option<u64>,
        last_end: u64,
    }
    let mut table: Option<Table> = None;
    // The row being read: its repeats, its cells so far, the empty cells pending, whether it
    // holds a counted cell.
    let mut row: Option<(u64, u64, u64, bool)> = None;
    let mut total: u64 = 0;
    let mut tables = 0usize;
    let mut buf = Vec::new();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break, // calamine reports a broken file
            Ok(e) => e,
        };
        match event {
            Event::Start(e) if e.name().as_ref() == "table:table" && table.is_none() => {
                tables += 1;
                let name = match e.try_get_attribute("table:name") {
                    Ok(Some(a)) => a.value.to_string(),
                    _ => String::new(),
                };
                table = Some(Table {
                    label: format!(
                        "{file_name} [{}]",
                        if name.is_empty() {
                            format!("table {tables}")
                        } else {
                            name
                        }
                    ),
                    cells: 0,
                    rows: 0,
                    columns: None,
                    first: None,
                    last_end: 0,
                });
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" && row.is_none() => {
                let (Some(t), Some(repeats)) =
                    (&mut table, number(&e, "table:number-rows-repeated"))
                else {
                    continue;
                };
                row = Some((repeats.min(MAX_ROWS.saturating_sub(t.rows)), 0, 0, false));
            }
            Event::Start(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                let (Some(t), Some((_, cols, pending, counted))) = (&mut table, &mut row) else {
                    continue;
                };
                let Some(repeats) = number(&e, "table:number-columns-repeated") else {
                    continue;
                };
                let filled = e.attributes().flatten().any(|a| {
                    matches!(
                        a.key.as_ref(),
                        "office:value"
                            | "office:string-value"
                            | "office:date-value"
                            | "office:time-value"
                            | "office:boolean-value"
                            | "table:formula"
                    ) || (a.key.as_ref() == "office:value-type" && a.value == "string")
                });
                let room = MAX_COLUMNS.saturating_sub(*cols);
                let padding = (*pending).min(room);
                *cols += padding;
                t.cells += padding;
                *pending = 0;
                let repeats = repeats.min(MAX_COLUMNS.saturating_sub(*cols));
                if filled {
                    let (c0, c1) = t.columns.unwrap_or((*cols, *cols));
                    t.columns = Some((c0.min(*cols), c1.max(*cols + repeats.saturating_sub(1))));
                    *cols += repeats;
                    t.cells += repeats;
                    *counted |= repeats > 0;
                } else {
                    *pending = repeats;
                }
                if t.cells > limit {
                    return Err(area_too_large(t.rows + 1, *cols, limit, &t.label).with_hint(
                        "the sheet repeats cells far beyond a table; delete the rows and columns around the table (or copy it to a new sheet) and save again, or save the sheet as CSV",
                    ).at(Location { row: Some(t.rows as usize + 1), ..Location::file(&t.label) }));
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                let (Some(t), Some((repeats, _, _, counted))) = (&mut table, row.take()) else {
                    continue;
                };
                if counted {
                    t.first.get_or_insert(t.rows);
                    t.last_end = t.rows + repeats;
                }
                t.rows += repeats;
                if let (Some(first), Some((c0, c1))) = (t.first, t.columns) {
                    let (rows, cols) = (t.last_end - first, c1 - c0 + 1);
                    if rows * cols > limit {
                        return Err(area_too_large(rows, cols, limit, &t.label).at(Location {
                            row: Some(t.last_end as usize),
                            ..Location::file(&t.label)
                        }));
                    }
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                if let Some(t) = table.take() {
                    if let (Some(first), Some((c0, c1))) = (t.first, t.columns) {
                        total += (t.last_end - first) * (c1 - c0 + 1);
                    }
                    if total > limit {
                        return Err(sheets_too_large(total, limits, file_name));
                    }
                }
                row = None;
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
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

/// The hint of every damaged-.xlsb error.
const XLSB_HINT: &str = "open the workbook in Excel and save it again as .xlsx (or save the sheet as CSV), then open that";

/// A damaged-.xlsb error at `at`.
fn xlsb_damaged(what: &str, at: Location) -> Error {
    Error::new(
        ErrorKind::Format,
        format!("the workbook is damaged: {what}"),
    )
    .with_hint(XLSB_HINT)
    .at(at)
}

/// The BIFF12 records of one .xlsb part, read as calamine 0.38's `RecordIter` reads them: a
/// record type of one or two bytes (7 bits each, the high bit saying another byte follows), a
/// size of up to four such bytes, then the data, which is read here into `data`.
struct Records<R> {
    r: R,
    data: Vec<u8>,
}

impl<R: std::io::Read> Records<R> {
    /// The next byte of the part (None at its end, or when it cannot be inflated).
    fn byte(&mut self) -> Option<u8> {
        let mut b = [0u8];
        self.r.read_exact(&mut b).ok()?;
        Some(b[0])
    }

    /// The next record type (None at the end of the part).
    fn read_type(&mut self) -> Option<u16> {
        let b = self.byte()?;
        if b & 0x80 == 0 {
            return Some(u16::from(b));
        }
        Some(u16::from(b & 0x7F) + (u16::from(self.byte()? & 0x7F) << 7))
    }

    /// The next record's size and data, into `data`; false when the part ends first. The data
    /// is read as it comes (calamine first reserves the size it reads, up to 256 MiB; a record
    /// longer than its part is refused here as damage before calamine sees it).
    fn body(&mut self) -> bool {
        let Some(mut b) = self.byte() else {
            return false;
        };
        let mut len = u64::from(b & 0x7F);
        for i in 1..4 {
            if b & 0x80 == 0 {
                break;
            }
            let Some(next) = self.byte() else {
                return false;
            };
            b = next;
            len += u64::from(b & 0x7F) << (7 * i);
        }
        self.data.clear();
        use std::io::Read;
        matches!((&mut self.r).take(len).read_to_end(&mut self.data), Ok(n) if n as u64 == len)
    }

    /// The next record's type, its data in `data` (None when the part ends first).
    fn next(&mut self) -> Option<u16> {
        let t = self.read_type()?;
        self.body().then_some(t)
    }

    /// calamine's `next_skip_blocks`: the records up to the next of type `wanted` (whose data is
    /// left in `data`), skipping whole blocks that start with a type of `blocks` and end with
    /// its partner type.
    fn next_of(&mut self, wanted: u16, blocks: &[(u16, u16)]) -> Option<()> {
        loop {
            let t = self.next()?;
            if t == wanted {
                return Some(());
            }
            if let Some(&(_, end)) = blocks.iter().find(|b| b.0 == t) {
                while self.read_type()? != end {
                    self.body().then_some(())?;
                }
                self.body().then_some(())?;
            }
        }
    }
}

/// The little-endian 32-bit number at `o` in `b` (0 when `b` is too short).
fn u32_le(b: &[u8], o: usize) -> u32 {
    b.get(o..o + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The little-endian 16-bit number at `o` in `b` (0 when `b` is too short).
fn u16_le(b: &[u8], o: usize) -> u16 {
    b.get(o..o + 2)
        .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
}

/// An XLWideString at the start of `b` (a 32-bit count of UTF-16 units, then the units) and
/// the bytes it takes; None when `b` is too short for it.
fn wide_string(b: &[u8]) -> Option<(String, usize)> {
    let n = u64::from(u32_le(b, 0));
    if b.len() < 4 || (b.len() as u64) < 4 + 2 * n {
        return None;
    }
    let end = 4 + 2 * n as usize;
    let units: Vec<u16> = b[4..end]
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    Some((String::from_utf16_lossy(&units), end))
}

/// A part of an .xlsb's zip, being inflated.
type PartReader<'z, 'a> = std::io::BufReader<zip::read::ZipFile<'z, Cursor<&'a [u8]>>>;

/// The zip of an .xlsb, with its parts found as calamine finds them (names compared without
/// case, `\` read as `/`).
struct XlsbZip<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    names: std::collections::HashMap<String, String>,
}

impl<'a> XlsbZip<'a> {
    /// The zip's directory; None when calamine could not read it either.
    fn new(bytes: &'a [u8]) -> Option<XlsbZip<'a>> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let names = archive
            .file_names()
            .map(|n| n.map(|n| (n.replace('\\', "/").to_ascii_lowercase(), n.to_string())))
            .collect::<zip::result::ZipResult<_>>()
            .ok()?;
        Some(XlsbZip { archive, names })
    }

    /// The records of the part at `path`; None when calamine would not find it either.
    fn records(&mut self, path: &str) -> Option<Records<PartReader<'_, 'a>>> {
        let name = self
            .names
            .get(&path.to_ascii_lowercase())
            .cloned()
            .unwrap_or_else(|| path.to_string());
        let part = self.archive.by_name(&name).ok()?;
        Some(Records {
            r: std::io::BufReader::new(part),
            data: Vec::new(),
        })
    }
}

/// Refuses an .xlsb workbook that calamine 0.38 would crash on, before it is opened. calamine
/// reads a BIFF12 record's data at fixed offsets without checking its size (a short record
/// panics, or silently yields the bytes of an earlier, longer one), looks up a cell's shared
/// string by index unchecked, and a sheet's relationship id in a map unchecked; a defined name's
/// formula is parsed at open with unchecked offsets too. So the parts calamine reads are walked
/// here as calamine walks them (`xlsb/mod.rs` and `cells_reader.rs`): the shared strings, the
/// styles (scanned byte by byte, as calamine does, for the number formats and cell formats), the
/// workbook (sheet entries, external sheets, defined names), then each sheet's dimension record
/// and cells. Any record shorter than what calamine reads from it, a record running past the end
/// of its part, a shared-string index at or past the count, an unknown relationship id, or a
/// part ending before calamine stops reading it is refused.
///
/// # Errors
/// `Format`, naming the file and, for a cell, the sheet, row and column.
fn check_xlsb(bytes: &[u8], file_name: &str) -> Result<()> {
    let Some(mut zip) = XlsbZip::new(bytes) else {
        return Ok(()); // calamine reports it
    };
    let file = || Location::file(file_name);
    let strings = xlsb_shared_strings(&mut zip).map_err(|what| xlsb_damaged(what, file()))?;
    xlsb_styles(&mut zip).map_err(|what| xlsb_damaged(what, file()))?;
    let relationships = xlsb_relationships(&mut zip).map_err(|what| xlsb_damaged(&what, file()))?;
    let sheets =
        xlsb_workbook(&mut zip, &relationships).map_err(|what| xlsb_damaged(&what, file()))?;
    for (name, path) in sheets {
        let label = format!("{file_name} [{name}]");
        if let Some(records) = zip.records(&path) {
            xlsb_sheet(records, strings, &label)?;
        }
    }
    Ok(())
}

/// The number of shared strings calamine will hold (xl/sharedStrings.bin: BrtBeginSst's count,
/// then as many BrtSSTItem records); 0 without the part.
fn xlsb_shared_strings(zip: &mut XlsbZip<'_>) -> std::result::Result<usize, &'static str> {
    let Some(mut r) = zip.records("xl/sharedStrings.bin") else {
        return Ok(0);
    };
    const CUT: &str = "its list of shared strings (xl/sharedStrings.bin) is cut short";
    r.next_of(0x009F, &[]).ok_or(CUT)?;
    if r.data.len() < 8 {
        return Err(CUT);
    }
    let count = u32_le(&r.data, 4) as usize;
    for _ in 0..count {
        r.next_of(0x0013, &[(0x0023, 0x0024)]).ok_or(CUT)?;
        if r.data.is_empty() || wide_string(&r.data[1..]).is_none() {
            return Err("a shared string (xl/sharedStrings.bin) is cut short");
        }
    }
    Ok(count)
}

/// xl/styles.bin, scanned as calamine scans it: record types read one after another without
/// their data (so byte by byte) until BrtBeginFmts (its count of BrtFmt records follows) or
/// BrtBeginCellXFs (its count of BrtXF records follows, and the scan ends).
fn xlsb_styles(zip: &mut XlsbZip<'_>) -> std::result::Result<(), &'static str> {
    let Some(mut r) = zip.records("xl/styles.bin") else {
        return Ok(());
    };
    const CUT: &str = "its styles (xl/styles.bin) are cut short";
    loop {
        let (list, item, item_min) = match r.read_type().ok_or(CUT)? {
            0x0267 => (false, 0x002C, 2),
            0x0269 => (true, 0x002F, 4),
            _ => continue,
        };
        if !r.body() || r.data.len() < 4 {
            return Err(CUT);
        }
        for _ in 0..u32_le(&r.data, 0) {
            r.next_of(item, &[]).ok_or(CUT)?;
            if r.data.len() < item_min {
                return Err("a number format or cell format (xl/styles.bin) is cut short");
            }
        }
        if list {
            return Ok(());
        }
    }
}

/// The relationship ids of xl/_rels/workbook.bin.rels with their targets, read as calamine
/// reads them: each `Relationship` element's raw `Id` and unescaped `Target` (both needed).
fn xlsb_relationships(
    zip: &mut XlsbZip<'_>,
) -> std::result::Result<std::collections::HashMap<String, String>, String> {
    use quick_xml::events::Event;
    let mut map = std::collections::HashMap::new();
    let Ok(part) = zip.archive.by_name("xl/_rels/workbook.bin.rels") else {
        return Ok(map);
    };
    let broken = |e: &dyn std::fmt::Display| {
        format!("its list of sheets' parts (xl/_rels/workbook.bin.rels) cannot be read ({e})")
    };
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name().as_ref() == "Relationship" => {
                let (mut id, mut target) = (None, None);
                let mut found = 0;
                for attr in raw_attributes(e.attributes_raw()) {
                    let (key, value) = attr.ok_or_else(|| broken(&"a malformed attribute"))?;
                    match key {
                        "Id" => id = Some(value),
                        "Target" => target = Some(value),
                        _ => continue,
                    }
                    found += 1;
                    if found == 2 {
                        break;
                    }
                }
                if let (Some(id), Some(target)) = (id, target) {
                    let target = quick_xml::escape::unescape(target).map_err(|e| broken(&e))?;
                    map.insert(id.to_string(), target.into_owned());
                }
            }
            Ok(Event::Eof) => return Ok(map),
            Err(e) => return Err(broken(&e)),
            _ => {}
        }
        buf.clear();
    }
}

/// An element's attributes as calamine 0.38 splits them (`attrs.rs`, written anew here): after
/// blanks, a key up to `=` (blanks after it dropped), blanks, then a value in single or double
/// quotes; None for a malformed one (calamine then fails).
fn raw_attributes(raw: &str) -> impl Iterator<Item = Option<(&str, &str)>> {
    let mut rest = raw;
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed {
            return None;
        }
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if rest.is_empty() {
            return None;
        }
        let attr = (|| {
            let eq = rest.find('=')?;
            let key = rest[..eq].trim_end_matches(|c: char| c.is_ascii_whitespace());
            let after = rest[eq + 1..].trim_start_matches(|c: char| c.is_ascii_whitespace());
            let quote = after.chars().next().filter(|&q| q == '"' || q == '\'')?;
            let body = &after[1..];
            let end = body.find(quote).unwrap_or(body.len());
            rest = body.get(end + 1..).unwrap_or("");
            Some((key, &body[..end]))
        })();
        failed = attr.is_none();
        Some(attr)
    })
}

/// xl/workbook.bin as calamine reads it when the file is opened: the sheets' entries
/// (BrtBundleSh) up to BrtEndBundleShs, then the external sheets (BrtExternSheet) and defined
/// names (BrtName, whose formulas calamine parses) up to the first record that follows them.
/// Gives each sheet's name and part.
fn xlsb_workbook(
    zip: &mut XlsbZip<'_>,
    relationships: &std::collections::HashMap<String, String>,
) -> std::result::Result<Vec<(String, String)>, String> {
    let Some(mut r) = zip.records("xl/workbook.bin") else {
        return Ok(Vec::new()); // calamine reports the missing part
    };
    let cut = |what: &str| format!("{what} (xl/workbook.bin) is cut short");
    let mut sheets = Vec::new();
    loop {
        let t = r.read_type().ok_or_else(|| cut("its list of sheets"))?;
        if !r.body() {
            return Err(cut("its list of sheets"));
        }
        let d = &r.data;
        match t {
            0x0099 if d.is_empty() => return Err(cut("its properties record")),
            0x009C => {
                if d.len() < 12 {
                    return Err(cut("a sheet's entry"));
                }
                let rel_len = u32_le(d, 8);
                if rel_len == u32::MAX {
                    continue;
                }
                let end = 12 + 2 * u64::from(rel_len);
                if end > d.len() as u64 {
                    return Err(cut("a sheet's entry"));
                }
                let end = end as usize;
                let units: Vec<u16> = d[12..end]
                    .chunks_exact(2)
                    .map(|p| u16::from_le_bytes([p[0], p[1]]))
                    .collect();
                // calamine decodes it with encoding_rs, which would read a byte-order mark as
                // one: only plain UTF-16 is taken.
                let id = String::from_utf16(&units)
                    .ok()
                    .filter(|s| !s.starts_with('\u{FEFF}') && !s.starts_with('\u{FFFE}'))
                    .filter(|_| !d[12..end].starts_with(&[0xEF, 0xBB, 0xBF]));
                let Some(target) = id.as_ref().and_then(|id| relationships.get(id)) else {
                    return Err(format!(
                        "a sheet's entry names a part (relationship \"{}\") that xl/_rels/workbook.bin.rels does not list",
                        id.unwrap_or_default()
                    ));
                };
                let path = format!("xl/{target}");
                let kind_known = matches!(
                    path.split('/').nth(1),
                    Some("worksheets" | "chartsheets" | "dialogsheets")
                );
                let name = wide_string(&d[end..]).map(|(n, _)| n);
                match (u32_le(d, 0) <= 2 && kind_known, name) {
                    (true, Some(name)) => sheets.push((name, path)),
                    _ => return Err(cut("a sheet's entry")),
                }
            }
            0x0090 => break,
            _ => {}
        }
    }
    let mut extern_sheets: u64 = 0;
    loop {
        let t = r
            .read_type()
            .ok_or_else(|| cut("its list of defined names"))?;
        match t {
            0x009D | 0x0225 | 0x018D | 0x0180 | 0x009A | 0x0252 | 0x0229 | 0x009B | 0x0084 => {
                return Ok(sheets);
            }
            _ => {}
        }
        if !r.body() {
            return Err(cut("its list of defined names"));
        }
        let d = &r.data;
        match t {
            0x016A => {
                // BrtExternSheet: a count, then 12 bytes for each.
                extern_sheets = u64::from(u32_le(d, 0));
                if d.len() < 4 || (d.len() as u64) < 4 + 12 * extern_sheets {
                    return Err(cut("its list of external sheets"));
                }
            }
            0x0027 => {
                // BrtName: flags and a key (9 bytes), the name, 4 bytes, then the formula's size
                // and tokens.
                let Some((_, name_len)) = d.get(9..).and_then(wide_string) else {
                    return Err(cut("a defined name"));
                };
                let start = 13 + name_len;
                let size = d.get(9 + name_len..start).map(|b| u32_le(b, 0) as usize);
                let formula = size.and_then(|n| d.get(start..start.checked_add(n)?));
                let Some(formula) = formula else {
                    return Err(cut("a defined name"));
                };
                xlsb_formula_sound(formula, extern_sheets, 0)
                    .map_err(|what| format!("a defined name's formula {what} (xl/workbook.bin)"))?;
            }
            _ => {}
        }
    }
}

/// Whether calamine 0.38's formula parser (`parse_formula`) can walk the tokens of a defined
/// name's formula without a panic: each token's operands must be present, sheet references
/// must name one of `extern_sheets`, function numbers must be in its table (it checks one kind
/// only, and one past the end), row numbers below 2³² − 1 (it adds 1 unchecked), name numbers
/// from 1 (it subtracts 1), nested formulas (PtgMemFunc, parsed recursively) at most 32 deep. A
/// token it does not know ends the walk (calamine stops there with an error).
fn xlsb_formula_sound(
    mut rgce: &[u8],
    extern_sheets: u64,
    depth: usize,
) -> std::result::Result<(), &'static str> {
    const FUNCTIONS: u16 = 485; // calamine's FTAB_LEN
    const CUT: &str = "is cut short";
    if depth > 32 {
        return Err("nests too deeply");
    }
    let sheet = |b: &[u8]| {
        if u64::from(u16_le(b, 0)) < extern_sheets {
            Ok(())
        } else {
            Err("refers to a sheet the workbook does not list")
        }
    };
    let row = |b: &[u8], o: usize| {
        if u32_le(b, o) == u32::MAX {
            Err("refers to a row past the last")
        } else {
            Ok(())
        }
    };
    while let Some((&ptg, rest)) = rgce.split_first() {
        rgce = rest;
        let need = |n: usize| if rgce.len() < n { Err(CUT) } else { Ok(n) };
        let skip = match ptg {
            0x3A | 0x5A | 0x7A | 0x3C | 0x5C | 0x7C => {
                let n = need(8)?;
                sheet(rgce)?;
                if ptg & 0x0F == 0x0A {
                    row(rgce, 2)?;
                }
                n
            }
            0x3B | 0x5B | 0x7B | 0x3D | 0x5D | 0x7D => {
                let n = need(14)?;
                sheet(rgce)?;
                if ptg & 0x0F == 0x0B {
                    row(rgce, 2)?;
                    row(rgce, 6)?;
                }
                n
            }
            0x01 => need(4)?,
            0x03..=0x16 => 0,
            0x17 => need(2 + 2 * usize::from(u16_le(rgce, 0)))?,
            0x18 => match rgce.first() {
                Some(0x19) => need(13)?,
                Some(0x1D) => need(5)?,
                Some(_) => return Ok(()),
                None => return Err(CUT),
            },
            0x19 => match rgce.first() {
                Some(0x01 | 0x02 | 0x08 | 0x10 | 0x20 | 0x21 | 0x40 | 0x41 | 0x80) => need(3)?,
                Some(0x04) => need(11)?,
                Some(_) => return Ok(()),
                None => return Err(CUT),
            },
            0x1C | 0x1D => need(1)?,
            0x1E => need(2)?,
            0x1F => need(8)?,
            0x20 | 0x40 | 0x60 => need(14)?,
            0x21 | 0x41 | 0x61 => {
                let n = need(2)?;
                if u16_le(rgce, 0) >= FUNCTIONS {
                    return Err("calls an unknown function");
                }
                n
            }
            0x22 | 0x42 | 0x62 => {
                let n = need(3)?;
                if u16_le(rgce, 1) >= FUNCTIONS {
                    return Err("calls an unknown function");
                }
                n
            }
            0x23 | 0x43 | 0x63 => {
                let n = need(4)?;
                if u32_le(rgce, 0) == 0 {
                    return Err("refers to defined name number 0");
                }
                n
            }
            0x24 | 0x44 | 0x64 => {
                let n = need(6)?;
                row(rgce, 0)?;
                n
            }
            0x25 | 0x45 | 0x65 => {
                let n = need(12)?;
                row(rgce, 0)?;
                row(rgce, 4)?;
                n
            }
            0x2A | 0x4A | 0x6A | 0x39 | 0x59 | 0x79 => need(6)?,
            0x2B | 0x4B | 0x6B => need(12)?,
            0x29 | 0x49 | 0x69 => {
                let inner = usize::from(u16_le(rgce, 0));
                let n = need(2 + inner)?;
                xlsb_formula_sound(&rgce[2..n], extern_sheets, depth + 1)?;
                n
            }
            _ => return Ok(()),
        };
        rgce = &rgce[skip..];
    }
    Ok(())
}

/// One sheet's part, read as calamine's cells reader reads it: the records up to the dimension
/// record BrtWsDim (16 bytes read), up to BrtBeginSheetData (skipping the blocks calamine
/// skips), then row headers and cells until BrtEndSheetData (or a row number past 1,048,576,
/// where calamine stops). Each cell record must hold what calamine reads from it (its column
/// and style, and its value), and a shared-string cell an index below `strings`.
///
/// # Errors
/// `Format`, naming the sheet (`label`) and, for a cell, its row and column.
fn xlsb_sheet(mut r: Records<impl std::io::Read>, strings: usize, label: &str) -> Result<()> {
    let sheet = || Location::file(label);
    let cut = |what: &str| xlsb_damaged(&format!("{what} is cut short"), sheet());
    r.next_of(0x0094, &[])
        .ok_or_else(|| cut("the sheet (no dimension record)"))?;
    if r.data.len() < 16 {
        return Err(cut("the sheet's dimension record (BrtWsDim)"));
    }
    r.next_of(
        0x0091,
        &[(0x0085, 0x0086), (0x0025, 0x0026), (0x0186, 0x0187)],
    )
    .ok_or_else(|| cut("the sheet (no cell data)"))?;
    let mut row: u32 = 0;
    loop {
        let t = r.next().ok_or_else(|| cut("the sheet's cell data"))?;
        let d = &r.data;
        let need = match t {
            0x0000 => {
                if d.len() < 4 {
                    return Err(xlsb_damaged(
                        "a row header (BrtRowHdr) is cut short",
                        Location {
                            row: Some(row as usize + 2),
                            ..sheet()
                        },
                    ));
                }
                row = u32_le(d, 0);
                if row > 0x0010_0000 {
                    return Ok(()); // calamine stops reading the sheet here
                }
                continue;
            }
            0x0092 => return Ok(()),
            0x0002 | 0x0007 => 12,
            0x0003 | 0x0004 | 0x000A => 9,
            0x0005 | 0x0009 => 16,
            0x0006 | 0x0008 => {
                wide_string(d.get(8..).unwrap_or_default()).map_or(usize::MAX, |s| 8 + s.1)
            }
            _ => continue,
        };
        let at = || Location {
            row: Some(row as usize + 1),
            column_letter: (d.len() >= 4).then(|| column_letter(u32_le(d, 0) as usize)),
            ..sheet()
        };
        let cell = || {
            if d.len() >= 4 {
                format!(
                    "cell {}{}",
                    column_letter(u32_le(d, 0) as usize),
                    u64::from(row) + 1
                )
            } else {
                format!("a cell in row {}", u64::from(row) + 1)
            }
        };
        if d.len() < need {
            return Err(xlsb_damaged(
                &format!("{}'s record is cut short", cell()),
                at(),
            ));
        }
        if t == 0x0007 && u32_le(d, 8) as usize >= strings {
            return Err(xlsb_damaged(
                &format!(
                    "{} names shared string {} but the workbook has {strings}",
                    cell(),
                    u32_le(d, 8)
                ),
                at(),
            ));
        }
    }
}

/// The sheet names of a workbook, in order.
///
/// # Errors
/// `Format` when the bytes are not a readable workbook.
pub fn sheet_names(bytes: &[u8], file_name: &str) -> Result<Vec<String>> {
    Ok(open(bytes, file_name, &Limits::default())?.sheet_names())
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

/// The bounds of the cells seen so far in one sheet, refused as soon as their area passes
/// [`Limits::sheet_cells`] (calamine holds a sheet as a dense grid of 32-byte cells).
struct Area {
    bounds: Option<(u32, u32, u32, u32)>,
    limit: u64,
}

impl Area {
    fn new(limits: &Limits) -> Area {
        Area {
            bounds: None,
            limit: limits.sheet_cells as u64,
        }
    }

    /// Adds the 0-based cell (`r`, `c`); the error names it (`label` is the file and sheet).
    fn add(&mut self, r: u32, c: u32, label: &str) -> Result<()> {
        let (r0, r1, c0, c1) = self.bounds.unwrap_or((r, r, c, c));
        let b = (r0.min(r), r1.max(r), c0.min(c), c1.max(c));
        self.bounds = Some(b);
        let (rows, cols) = (u64::from(b.1 - b.0) + 1, u64::from(b.3 - b.2) + 1);
        if rows * cols > self.limit {
            return Err(area_too_large(rows, cols, self.limit, label).at(Location {
                row: Some(r as usize + 1),
                column_letter: Some(column_letter(c as usize)),
                ..Location::file(label)
            }));
        }
        Ok(())
    }
}

/// The error for a sheet whose used area is `rows` × `cols` cells, over `limit`.
fn area_too_large(rows: u64, cols: u64, limit: u64, label: &str) -> Error {
    Error::new(
        ErrorKind::Limit,
        format!(
            "the sheet's used area spans {rows} rows × {cols} columns ({} cells); survcalc reads sheets of at most {limit} cells",
            rows * cols,
        ),
    )
    .with_hint("delete stray cells far from the table (Ctrl+End shows the last used cell), copy the table to a new sheet, or save it as CSV")
    .at(Location::file(label))
}

/// Reads a sheet into calamine's dense range. For .xlsx and .xlsb the cells are first read one
/// by one (as calamine itself does) so that a sheet whose used area is absurd — two cells at A1
/// and XFD1048576 make a grid of 17 billion cells — is refused before the grid is allocated.
/// calamine holds a grid cell in 32 bytes, hence the tighter [`Limits::sheet_cells`]. An .xls
/// or .ods workbook is parsed whole when opened, so its sheets are checked before (see
/// [`check_xls_areas`] and [`check_ods_areas`]).
fn sheet_range(
    wb: &mut calamine::Sheets<Cursor<Vec<u8>>>,
    name: &str,
    limits: &Limits,
    label: &str,
) -> Result<calamine::Range<Data>> {
    guarded(label, || sheet_range_unguarded(wb, name, limits, label))
}

/// [`sheet_range`] without its guard against panics.
fn sheet_range_unguarded(
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
    let mut area = Area::new(limits);
    let mut cells = Vec::new();
    let mut keep = |cell: calamine::Cell<calamine::DataRef<'_>>| -> Result<()> {
        if matches!(cell.get_value(), calamine::DataRef::Empty) {
            return Ok(());
        }
        let (r, c) = cell.get_position();
        area.add(r, c, label)?;
        cells.push(calamine::Cell::new(
            (r, c),
            Data::from(cell.get_value().clone()),
        ));
        Ok(())
    };
    match wb {
        calamine::Sheets::Xlsx(xlsx) => {
            let mut reader = xlsx
                .worksheet_cells_reader(name)
                .map_err(|e| unreadable(&e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
                keep(cell)?;
            }
        }
        calamine::Sheets::Xlsb(xlsb) => {
            let mut reader = xlsb
                .worksheet_cells_reader(name)
                .map_err(|e| unreadable(&e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
                keep(cell)?;
            }
        }
        _ => return wb.worksheet_range(name).map_err(|e| unreadable(&e)),
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
    } else if zip::ZipArchive::new(Cursor::new(bytes)).is_ok() {
        // A zip after other bytes (an .xls header, say): calamine falls back to its zip
        // readers on the whole input, and the zip reader finds an archive at the end of
        // anything, so the same limits apply.
        check_zip(bytes, file_name, limits)?;
    }
    let sheet = options.sheet.as_deref();
    let mut wb = open(bytes, file_name, limits)?;
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
        values: ValueCache::default(),
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

    /// The zip limits hold for a workbook behind other bytes (here an OLE signature, so the
    /// file is taken for an .xls and calamine falls back to its zip readers).
    #[test]
    fn zip_limits_hold_behind_other_bytes() {
        let mut bytes = OLE_SIGNATURE.to_vec();
        bytes.extend(workbook(3, 3));
        let e = with(&bytes, |l| l.unzipped_bytes = 1000).expect_err("unzipped");
        assert_eq!(e.kind, ErrorKind::Limit, "{}", e.message);
        assert!(e.message.contains("unzips to"), "{}", e.message);
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

    /// A BIFF record.
    fn record(t: u16, data: &[u8]) -> Vec<u8> {
        let mut r = t.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    /// A Workbook stream of one sheet holding `sheet` records (between its BOF and EOF).
    fn biff(sheet: &[Vec<u8>]) -> Vec<u8> {
        let bof = record(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0]);
        let eof = record(0x000A, &[]);
        let bound = |pos: u32| {
            let mut d = pos.to_le_bytes().to_vec();
            d.extend([0, 0, 1, 0, b'S']);
            record(0x0085, &d)
        };
        let globals = bof.len() + bound(0).len() + eof.len();
        let mut s = [bof.clone(), bound(globals as u32), eof.clone(), bof].concat();
        for r in sheet {
            s.extend(r);
        }
        s.extend(eof);
        s
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0u8; 2]);
        d.extend(1.0f64.to_le_bytes());
        record(0x0203, &d)
    }

    #[test]
    fn xls_sheets_past_the_area_limit_are_refused_before_calamine() {
        let limits = Limits::default();
        let ok = biff(&[number(0, 0), number(65_535, 255)]);
        check_biff_areas(&ok, "w.xls", &limits).expect("65536 × 256 fits");
        // Two cells 65,536 rows and columns apart: 4.3 billion cells.
        let far = biff(&[number(0, 0), number(65_535, 65_535)]);
        let e = check_biff_areas(&far, "w.xls", &limits).expect_err("far cells");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(e.location.row, Some(65_536));
        assert_eq!(
            e.location.column_letter.as_deref(),
            Some(column_letter(65_535).as_str())
        );
        assert!(
            e.message.contains("65536 rows × 65536 columns"),
            "{}",
            e.message
        );
        assert_eq!(e.location.file.as_deref(), Some("w.xls [sheet 1]"));
        // A DIMENSIONS record declaring 4 billion rows (calamine reserves them all).
        let mut d = 0u32.to_le_bytes().to_vec();
        d.extend(u32::MAX.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(10u16.to_le_bytes());
        d.extend([0, 0]);
        let e = check_biff_areas(&biff(&[record(0x0200, &d), number(0, 0)]), "w.xls", &limits)
            .expect_err("dimensions");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert!(e.hint.as_deref().unwrap_or("").contains("DIMENSIONS"));
        // Rows running backwards (calamine subtracts them unchecked).
        let mut d = 10u32.to_le_bytes().to_vec();
        d.extend(5u32.to_le_bytes());
        d.extend([0, 0, 1, 0, 0, 0]);
        assert!(check_biff_areas(&biff(&[record(0x0200, &d)]), "w.xls", &limits).is_err());
        // A MulRk row run across 65,536 columns stays within one row: allowed.
        let mut d = 0u16.to_le_bytes().to_vec();
        d.extend(0u16.to_le_bytes());
        d.extend([0u8; 6]);
        d.extend(0u16.to_le_bytes());
        check_biff_areas(&biff(&[record(0x00BD, &d)]), "w.xls", &limits).expect("one cell");
        // Damage calamine would panic on.
        let mut d = 5u16.to_le_bytes().to_vec();
        d.extend(3u16.to_le_bytes());
        d.extend([0u8; 6]);
        d.extend(2u16.to_le_bytes());
        let e =
            check_biff_areas(&biff(&[record(0x00BD, &d)]), "w.xls", &limits).expect_err("mulrk");
        assert_eq!(e.kind, ErrorKind::Format);
        let e = check_biff_areas(&biff(&[record(0x00E5, &[9, 0, 1, 2])]), "w.xls", &limits)
            .expect_err("merge cells");
        assert_eq!(e.kind, ErrorKind::Format);
        let mut bad = biff(&[]);
        let at = bad.len() - 4 - 4 - 12 - 4; // the BoundSheet's offset field
        let _ = at;
        bad[4 + 8 + 4..4 + 8 + 8].copy_from_slice(&u32::MAX.to_le_bytes());
        let e = check_biff_areas(&bad, "w.xls", &limits).expect_err("offset past the end");
        assert_eq!(e.kind, ErrorKind::Format);
        // Several sheets together: the total is bounded too (small limit here).
        let small = Limits {
            sheet_cells: 100,
            ..Limits::default()
        };
        let nine = biff(&[number(0, 0), number(8, 8)]);
        check_biff_areas(&nine, "w.xls", &small).expect("81 cells");
        let e = check_biff_areas(&biff(&[number(0, 0), number(10, 10)]), "w.xls", &small)
            .expect_err("121 cells");
        assert_eq!(e.kind, ErrorKind::Limit);
    }

    /// An .ods file (stored zip) whose content.xml holds `tables`.
    fn ods(tables: &str) -> Vec<u8> {
        use std::io::Write;
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
        );
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in [
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", content.as_str()),
            (
                "META-INF/manifest.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
            ),
        ] {
            w.start_file(name, deflated).expect("zip");
            w.write_all(text.as_bytes()).expect("zip");
        }
        w.finish().expect("zip").into_inner()
    }

    const ODS_TABLE: &str = r#"<table:table table:name="Data"><table:table-row><table:table-cell office:value-type="string"><text:p>time</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>status</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="float" office:value="5"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#;

    #[test]
    fn ods_repeats_past_the_area_limit_are_refused_before_calamine() {
        // A normal sheet, with LibreOffice's trailing repeat of empty rows, reads.
        let t = read_workbook(&ods(ODS_TABLE), "w.ods", None).expect("reads");
        assert_eq!((t.headers.len(), t.n_rows()), (2, 1));
        // A row of 100 filled cells repeated a million times: 100 million cells.
        let huge = r#"<table:table table:name="Big"><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="100"/></table:table-row></table:table>"#;
        let e =
            read_workbook(&ods(&format!("{ODS_TABLE}{huge}")), "w.ods", None).expect_err("area");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(e.location.file.as_deref(), Some("w.ods [Big]"));
        assert!(
            e.message.contains("1000001 rows × 100 columns"),
            "{}",
            e.message
        );
        // Many rows of 16,384 repeated cells each (expanded row by row, repeats or not).
        let wide_row = r#"<table:table-row><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row>"#;
        let wide = format!(
            r#"<table:table table:name="Wide">{}</table:table>"#,
            wide_row.repeat(8)
        );
        let mut o = ReadOptions::default();
        o.limits.sheet_cells = 100_000;
        let e = read_workbook_with(&ods(&wide), "w.ods", &o).expect_err("cells");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(e.location.row, Some(7));
        // Tables together.
        o.limits.sheet_cells = 5;
        let e = read_workbook_with(&ods(&format!("{ODS_TABLE}{ODS_TABLE}")), "w.ods", &o)
            .expect_err("together");
        assert!(e.message.contains("together"), "{}", e.message);
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
