//! Spreadsheet workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods), read with the `calamine` crate.
//!
//! The first sheet holding a table (a header and a data row) is read unless one is named. The
//! header is the first row at least half as full as the fullest of the first 20 rows (so a title
//! line above the table is skipped); each following non-empty row is a data row. Cells become text as a CSV export would write them:
//! numbers in full precision, dates as ISO `YYYY-MM-DD` (with the time when it is not
//! midnight), booleans `TRUE`/`FALSE`, error cells as their code (`#DIV/0!`, `#N/A`, …).
//! Positions in messages are the sheet's own row numbers and column letters.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use super::limits::{MAX_COLUMNS, MAX_ROWS};
use super::table::{check_unique_headers, Detected, Table};
use crate::error::{column_letter, Error, ErrorKind, Location, Result};

/// Whether the bytes look like a workbook (zip container or legacy OLE file).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

fn open(bytes: &[u8], file_name: &str) -> Result<calamine::Sheets<Cursor<Vec<u8>>>> {
    open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| {
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

/// Reads one sheet (the first if `sheet` is None) into a [`Table`].
///
/// # Errors
/// `Format` for an unreadable or protected workbook, `MissingColumn` for an unknown sheet,
/// `Empty` for an empty sheet, `Header` for duplicate column names, `Limit` past the limits.
pub fn read_workbook(bytes: &[u8], file_name: &str, sheet: Option<&str>) -> Result<Table> {
    let mut wb = open(bytes, file_name)?;
    let names = wb.sheet_names();
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
            // The first sheet with at least two non-empty rows (a header and data).
            let mut chosen = None;
            for n in &names {
                if let Ok(r) = wb.worksheet_range(n) {
                    let rows = r
                        .rows()
                        .filter(|row| row.iter().any(|c| !cell_text(c).trim().is_empty()))
                        .take(2)
                        .count();
                    if rows >= 2 {
                        chosen = Some(n.clone());
                        break;
                    }
                }
            }
            chosen.or_else(|| names.first().cloned()).ok_or_else(|| {
                Error::new(ErrorKind::Empty, "the workbook has no sheets")
                    .at(Location::file(file_name))
            })?
        }
    };
    let label = format!("{file_name} [{sheet_name}]");
    let range = wb.worksheet_range(&sheet_name).map_err(|e| {
        Error::new(
            ErrorKind::Format,
            format!("the sheet could not be read ({e})"),
        )
        .at(Location::file(&label))
    })?;
    let (row0, col0) = range
        .start()
        .map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let width = range.width();
    if width > MAX_COLUMNS {
        return Err(Error::new(
            ErrorKind::Limit,
            format!("the sheet has {width} columns; survcalc reads at most {MAX_COLUMNS}"),
        )
        .at(Location::file(&label)));
    }
    let filled = |r: &[Data]| r.iter().filter(|c| !cell_text(c).trim().is_empty()).count();
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
    let mut columns: Vec<Vec<String>> = vec![Vec::new(); width];
    let mut row_lines = Vec::new();
    for (i, r) in rows {
        if row_lines.len() >= MAX_ROWS {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("the sheet has more than {MAX_ROWS} rows"),
            )
            .at(Location::file(&label)));
        }
        for (c, col) in columns.iter_mut().enumerate() {
            col.push(r.get(c).map(cell_text).unwrap_or_default());
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
        },
    })
}
