//! Delimited text files (CSV, TSV, semicolon-separated), read with the `csv` crate.
//!
//! Detection: a UTF-8 byte-order mark is removed; text that is not valid UTF-8 is decoded as
//! Windows-1252 (the usual encoding of spreadsheet exports on Windows); the delimiter is the
//! one of tab, semicolon and comma that occurs most often on the header line, outside quotes
//! (tab wins for `.tsv` / `.tab` files). Blank lines are skipped. Positions in messages are the
//! 1-based line numbers of the file.

use super::limits::{MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS};
use super::table::{check_unique_headers, Detected, Table};
use crate::error::{column_letter, Error, ErrorKind, Location, Result};

/// Windows-1252 characters for bytes 0x80–0x9F (others map to the same code point as Latin-1).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

fn decode(bytes: &[u8]) -> (String, &'static str, bool) {
    let (bytes, bom) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8", bom),
        Err(_) => {
            let s = bytes
                .iter()
                .map(|&b| match b {
                    0x80..=0x9F => CP1252_HIGH[(b - 0x80) as usize],
                    _ => b as char,
                })
                .collect();
            (s, "Windows-1252", bom)
        }
    }
}

fn detect_delimiter(text: &str, file_name: &str) -> u8 {
    let lower = file_name.to_ascii_lowercase();
    let first_line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let mut counts = [0usize; 3]; // tab, semicolon, comma
    let mut in_quotes = false;
    for ch in first_line.chars() {
        match ch {
            '"' => in_quotes = !in_quotes,
            '\t' if !in_quotes => counts[0] += 1,
            ';' if !in_quotes => counts[1] += 1,
            ',' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    if (lower.ends_with(".tsv") || lower.ends_with(".tab")) && counts[0] > 0 {
        return b'\t';
    }
    let best = (0..3).max_by_key(|&i| (counts[i], i)).unwrap_or(2);
    if counts[best] == 0 {
        return b',';
    }
    [b'\t', b';', b','][best]
}

fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    head.contains(&0)
        || head.starts_with(b"PK\x03\x04")
        || head.starts_with(b"\x89PNG")
        || head.starts_with(b"%PDF")
        || head.starts_with(&[0xFF, 0xD8, 0xFF])
        || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// Reads a delimited text file into a [`Table`].
///
/// # Errors
/// `Format` for binary or unreadable content, `Empty` without a header or data rows, `Header`
/// for duplicate header names, `Format` for a row with more cells than the header, `Limit` past
/// the size limits. Every error names the file and, where it applies, the line.
pub fn read_delimited(bytes: &[u8], file_name: &str) -> Result<Table> {
    let file_loc = || Location::file(file_name);
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "the file is {} MB; the largest file survcalc reads is {} MB",
                bytes.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .at(file_loc()));
    }
    if looks_binary(bytes) {
        let hint = if bytes.starts_with(b"PK\x03\x04")
            || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
        {
            "this looks like a spreadsheet workbook or other archive; save it as CSV (File › Save As › CSV) and open that"
        } else {
            "open a CSV or TSV text file (one header row, one row per observation)"
        };
        return Err(
            Error::new(ErrorKind::Format, "the file is not a text table")
                .with_hint(hint)
                .at(file_loc()),
        );
    }
    let (text, encoding, bom) = decode(bytes);
    let delimiter = detect_delimiter(&text, file_name);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = loop {
        match records.next() {
            None => return Err(Error::new(ErrorKind::Empty, "the file is empty")
                .with_hint(
                    "the first line must hold the column names, one row per observation below it",
                )
                .at(file_loc())),
            Some(Err(e)) => {
                let line = e.position().map(|p| p.line() as usize);
                return Err(csv_error(&e, line, file_name));
            }
            Some(Ok(r)) => {
                if r.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                break r;
            }
        }
    };
    // csv's own line numbers skip blank lines (rust-csv #208), and a record's byte position is
    // the end of the previous record, before any blank lines; so skip line breaks from there and
    // count the newlines before the record's first character.
    let bytes_text = text.as_bytes();
    let mut counted_to = 0usize;
    let mut line_no = 1usize;
    let mut line_of = |byte: usize| -> usize {
        let mut end = byte.min(bytes_text.len());
        while end < bytes_text.len() && matches!(bytes_text[end], b'\r' | b'\n') {
            end += 1;
        }
        if end > counted_to {
            line_no += bytes_text[counted_to..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted_to = end;
        }
        line_no
    };
    let header_line = header.position().map_or(1, |p| line_of(p.byte() as usize));
    let mut headers: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    if headers.len() > MAX_COLUMNS {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "the file has {} columns; survcalc reads at most {MAX_COLUMNS}",
                headers.len()
            ),
        )
        .at(file_loc()));
    }
    // Trailing unnamed columns (a trailing delimiter in every line) are dropped later if empty.
    let mut columns: Vec<Vec<String>> = vec![Vec::new(); headers.len()];
    let mut row_lines = Vec::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| line_of(p.byte() as usize));
                return Err(csv_error(&e, line, file_name));
            }
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = rec.position().map_or(0, |p| line_of(p.byte() as usize));
        if rec.len() > headers.len() {
            let extra_nonempty = rec.iter().skip(headers.len()).any(|c| !c.trim().is_empty());
            if extra_nonempty {
                return Err(Error::new(
                    ErrorKind::Format,
                    format!("this row has {} cells but the header has {} names", rec.len(), headers.len()),
                )
                .with_hint("check for an unquoted delimiter inside a cell, or a missing column name in the header")
                .at(Location { row: Some(line), ..file_loc() }));
            }
        }
        if row_lines.len() >= MAX_ROWS {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("the file has more than {MAX_ROWS} rows"),
            )
            .at(file_loc()));
        }
        for (c, col) in columns.iter_mut().enumerate() {
            col.push(rec.get(c).unwrap_or("").to_string());
        }
        row_lines.push(line);
    }
    // Drop unnamed columns that are entirely empty; name other unnamed ones by their letter.
    let mut keep = Vec::new();
    for (c, h) in headers.iter_mut().enumerate() {
        if h.is_empty() {
            if columns[c].iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            *h = format!("column {}", column_letter(c));
        }
        keep.push(c);
    }
    let headers: Vec<String> = keep.iter().map(|&c| headers[c].clone()).collect();
    let mut all_columns = columns;
    let columns: Vec<Vec<String>> = keep
        .iter()
        .map(|&c| std::mem::take(&mut all_columns[c]))
        .collect();
    check_unique_headers(
        &headers,
        &keep,
        Location {
            row: Some(header_line),
            ..file_loc()
        },
    )?;
    if headers.is_empty() {
        return Err(
            Error::new(ErrorKind::Empty, "the header row has no column names").at(file_loc()),
        );
    }
    if row_lines.is_empty() {
        return Err(
            Error::new(ErrorKind::Empty, "the file has a header but no data rows")
                .with_hint("add one row per observation below the header")
                .at(file_loc()),
        );
    }
    let mut columns = columns;
    let decimal_comma_columns = if delimiter == b',' {
        Vec::new()
    } else {
        convert_decimal_commas(&headers, &mut columns)
    };
    let format = match delimiter {
        b'\t' => "TSV",
        b';' => "CSV (semicolon)",
        _ => "CSV",
    };
    Ok(Table {
        file_name: file_name.to_string(),
        headers,
        columns,
        row_lines,
        source_columns: keep.clone(),
        detected: Detected {
            format: format.to_string(),
            delimiter: Some(match delimiter {
                b'\t' => "tab".to_string(),
                d => (d as char).to_string(),
            }),
            encoding: encoding.to_string(),
            bom,
            sheet: None,
            sheets: Vec::new(),
            decimal_comma_columns,
        },
    })
}

/// A number written with a decimal comma, optionally with '.' or space thousands separators:
/// `3,5`, `-0,25`, `1.234,5`, `1 234,5`.
fn decimal_comma_number(cell: &str) -> Option<String> {
    let t = cell.trim();
    let (int_part, frac) = t.split_once(',')?;
    if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (sign, digits) = match int_part.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", int_part.strip_prefix('+').unwrap_or(int_part)),
    };
    let groups: Vec<&str> = digits.split(['.', ' ', '\u{a0}']).collect();
    let ok = !groups.is_empty()
        && groups
            .iter()
            .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        && (groups.len() == 1
            || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)));
    ok.then(|| format!("{sign}{}.{frac}", groups.concat()))
}

/// In files not separated by commas, converts the columns whose numbers use a decimal comma
/// (and no cell uses a decimal point) to decimal points. Returns the converted column names.
fn convert_decimal_commas(headers: &[String], columns: &mut [Vec<String>]) -> Vec<String> {
    let mut converted = Vec::new();
    for (h, col) in headers.iter().zip(columns.iter_mut()) {
        let mut commas = 0;
        let mut points = 0;
        for cell in col.iter() {
            let t = cell.trim();
            if decimal_comma_number(t).is_some() {
                commas += 1;
            } else if t.contains('.') && crate::data::value::parse_number(t).is_some() {
                points += 1;
            }
        }
        if commas > 0 && points == 0 {
            for cell in col.iter_mut() {
                if let Some(n) = decimal_comma_number(cell) {
                    *cell = n;
                }
            }
            converted.push(h.clone());
        }
    }
    converted
}

fn csv_error(e: &csv::Error, line: Option<usize>, file_name: &str) -> Error {
    Error::new(
        ErrorKind::Format,
        format!("the file could not be read as delimited text ({e})"),
    )
    .at(Location {
        row: line,
        ..Location::file(file_name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_csv_with_bom_and_blank_lines() {
        let t = read_delimited(b"\xEF\xBB\xBFa,b\n1,2\n\n3,4\n", "x.csv").expect("reads");
        assert_eq!(t.headers, vec!["a", "b"]);
        assert_eq!(t.columns[1], vec!["2", "4"]);
        assert_eq!(t.row_lines, vec![2, 4]);
        assert!(t.detected.bom);
    }

    #[test]
    fn detects_tab_and_semicolon() {
        let t = read_delimited(b"a\tb\n1\t2\n", "x.txt").expect("reads");
        assert_eq!(t.detected.delimiter.as_deref(), Some("tab"));
        let t = read_delimited(b"a;b;c\n1,5;2;x,y\n-0,25;1.234,5;z\n", "x.csv").expect("reads");
        assert_eq!(t.columns[0], vec!["1.5", "-0.25"]);
        assert_eq!(t.columns[1], vec!["2", "1234.5"]);
        assert_eq!(t.columns[2], vec!["x,y", "z"]);
        assert_eq!(t.detected.decimal_comma_columns, vec!["a", "b"]);
        // A column that also has decimal points is left alone.
        let t = read_delimited(b"a;b\n1,5;1\n2.5;2\n", "x.csv").expect("reads");
        assert_eq!(t.columns[0], vec!["1,5", "2.5"]);
    }

    #[test]
    fn latin1_fallback() {
        let t = read_delimited(b"name,v\nJos\xe9,1\n", "x.csv").expect("reads");
        assert_eq!(t.columns[0][0], "José");
        assert_eq!(t.detected.encoding, "Windows-1252");
    }

    #[test]
    fn errors_name_the_place() {
        let e = read_delimited(b"", "e.csv").expect_err("empty");
        assert_eq!(e.kind, ErrorKind::Empty);
        let e = read_delimited(b"a,b\n", "h.csv").expect_err("header only");
        assert_eq!(e.kind, ErrorKind::Empty);
        let e = read_delimited(b"a,a\n1,2\n", "d.csv").expect_err("dup");
        assert_eq!(e.kind, ErrorKind::Header);
        let e = read_delimited(b"a,b\n1,2\n1,2,3\n", "r.csv").expect_err("ragged");
        assert_eq!(e.location.row, Some(3));
        let e = read_delimited(b"\x89PNG\r\n\x1a\n\0\0", "p.csv").expect_err("binary");
        assert_eq!(e.kind, ErrorKind::Format);
    }

    #[test]
    fn trailing_delimiter_column_dropped() {
        let t = read_delimited(b"a,b,\n1,2,\n", "x.csv").expect("reads");
        assert_eq!(t.headers, vec!["a", "b"]);
    }
}
