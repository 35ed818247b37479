//! Delimited text files (CSV, TSV, semicolon- or pipe-separated), read with the `csv` crate.
//!
//! Detection (each can be forced with [`ReadOptions`]): a UTF-8 byte-order mark is removed; a
//! file starting with a UTF-16 byte-order mark (Excel's "Unicode text", usually tab-separated) is
//! decoded from UTF-16 (little- or big-endian, as the mark says), and an unpaired surrogate in it
//! is an error naming the line and column; other text that is not valid UTF-8 is decoded as
//! Windows-1252 (the usual encoding of spreadsheet exports on Windows); the delimiter is the one of tab, semicolon, comma and pipe that occurs
//! most often on the header line, outside quotes (tab wins for `.tsv` / `.tab` files); decimal
//! marks and thousands separators are decided per column (see [`super::numbers`]). Blank lines
//! are skipped. Positions in messages are the 1-based line numbers of the file.
//!
//! Cells go straight from the csv crate's reused byte record into each column's one buffer
//! ([`super::table::Column`]); valid UTF-8 input is never copied as a whole.

use std::borrow::Cow;

use super::limits::{size_text, Limits};
use super::numbers;
use super::options::{Decimal, Delimiter, Encoding, ReadOptions, Thousands};
use super::table::{
    check_unique_headers, count_missing_codes, Column, Detected, KindCache, NumberCache, Table,
    ThousandsColumn, ValueCache,
};
use crate::error::{column_letter, Error, ErrorKind, Location, Result};

/// Windows-1252 characters for bytes 0x80–0x9F (others map to the same code point as Latin-1).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

fn decode_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[(b - 0x80) as usize],
            _ => b as char,
        })
        .collect()
}

/// The byte order of a UTF-16 file, or None: from the byte-order mark (FF FE little-endian,
/// FE FF big-endian) when the encoding is auto, or as forced.
fn utf16_order(bytes: &[u8], encoding: Encoding) -> Option<bool> {
    match encoding {
        Encoding::Auto if bytes.starts_with(&[0xFF, 0xFE]) => Some(false),
        Encoding::Auto if bytes.starts_with(&[0xFE, 0xFF]) => Some(true),
        Encoding::Utf16Le => Some(false),
        Encoding::Utf16Be => Some(true),
        _ => None,
    }
}

/// The text of a UTF-16 file (big-endian if `big_endian`), its encoding's name and whether a
/// byte-order mark was removed.
///
/// # Errors
/// `Format` for an unpaired surrogate (naming its line and column, like a byte that is not
/// UTF-8) or a file cut inside a character (an odd number of bytes).
fn decode_utf16(
    bytes: &[u8],
    big_endian: bool,
    delimiter: Delimiter,
    file_name: &str,
) -> Result<(String, &'static str, bool)> {
    let (mark, name) = if big_endian {
        ([0xFE, 0xFF], "UTF-16BE")
    } else {
        ([0xFF, 0xFE], "UTF-16LE")
    };
    let (body, bom) = match bytes.strip_prefix(&mark) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let units = body.chunks_exact(2).map(|p| {
        if big_endian {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    let mut text = String::with_capacity(body.len() / 2 + body.len() / 16);
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(e) => {
                return Err(Error::new(
                    ErrorKind::Format,
                    format!(
                        "the file is {name} but holds a lone surrogate code {:04X}, which is not a character",
                        e.unpaired_surrogate()
                    ),
                )
                .with_hint("the file is damaged at this place (often a character cut in two); correct the cell in a text editor or spreadsheet program, or save the file again as UTF-8 CSV")
                .at(place_in_text(&text, delimiter, file_name)));
            }
        }
    }
    if body.len() % 2 == 1 {
        return Err(Error::new(
            ErrorKind::Format,
            format!("the file is {name} but ends in the middle of a character (its length is odd)"),
        )
        .with_hint("the file seems cut short; save it again from the program that wrote it, or as UTF-8 CSV")
        .at(place_in_text(&text, delimiter, file_name)));
    }
    Ok((text, name, bom))
}

/// The text of the file, the encoding's name, and whether a BOM was removed.
fn decode<'a>(
    bytes: &'a [u8],
    encoding: Encoding,
    delimiter: Delimiter,
    file_name: &str,
) -> Result<(Cow<'a, str>, &'static str, bool)> {
    let (bytes, bom) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    match encoding {
        Encoding::Windows1252 => Ok((Cow::Owned(decode_1252(bytes)), "Windows-1252", bom)),
        // UTF-16 is decoded before (`decode_utf16`); without its byte-order mark, auto reads
        // the bytes as UTF-8 or Windows-1252.
        Encoding::Auto | Encoding::Utf16Le | Encoding::Utf16Be => {
            match std::str::from_utf8(bytes) {
                Ok(s) => Ok((Cow::Borrowed(s), "UTF-8", bom)),
                Err(_) => Ok((Cow::Owned(decode_1252(bytes)), "Windows-1252", bom)),
            }
        }
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(s) => Ok((Cow::Borrowed(s), "UTF-8", bom)),
            Err(e) => Err(utf8_error(bytes, &e, delimiter, file_name, bom)),
        },
    }
}

/// The error for a file forced to UTF-8 that is not: names the line, the column and the bytes.
fn utf8_error(
    bytes: &[u8],
    e: &std::str::Utf8Error,
    delimiter: Delimiter,
    file_name: &str,
    bom: bool,
) -> Error {
    let at = e.valid_up_to();
    let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
    let shown: Vec<String> = bytes[at..bytes.len().min(at + e.error_len().unwrap_or(1).max(2))]
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let _ = bom;
    Error::new(
        ErrorKind::Format,
        format!(
            "the file is not UTF-8: the bytes {} cannot be read as UTF-8",
            shown.join(" ")
        ),
    )
    .with_hint(
        "the file seems to be in Windows-1252 (Latin-1), as Excel on Windows saves CSV; choose the encoding windows-1252 (or auto)",
    )
    .at(place_in_text(valid, delimiter, file_name))
}

/// The place just after `valid`, the text read before a character that cannot be decoded: its
/// line, its column's letter (delimiters outside quotes before it on its line) and the column's
/// header when the place is below the header line.
fn place_in_text(valid: &str, delimiter: Delimiter, file_name: &str) -> Location {
    let line = 1 + valid.bytes().filter(|&b| b == b'\n').count();
    let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
    let delim = delimiter
        .byte()
        .unwrap_or_else(|| detect_delimiter(valid, file_name));
    let mut column = 0;
    let mut in_quotes = false;
    for &b in &valid.as_bytes()[line_start..] {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == delim && !in_quotes {
            column += 1;
        }
    }
    let header = valid
        .lines()
        .find(|l| !l.trim().is_empty())
        .and_then(|l| l.split(delim as char).nth(column))
        .map(|h| h.trim().trim_matches('"').to_string())
        .filter(|h| !h.is_empty() && line > 1);
    Location {
        row: Some(line),
        column: header,
        column_letter: Some(column_letter(column)),
        ..Location::file(file_name)
    }
}

fn detect_delimiter(text: &str, file_name: &str) -> u8 {
    let lower = file_name.to_ascii_lowercase();
    let first_line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let mut counts = [0usize; 4]; // pipe, tab, semicolon, comma (ties go to the later)
    let mut in_quotes = false;
    for ch in first_line.chars() {
        match ch {
            '"' => in_quotes = !in_quotes,
            '|' if !in_quotes => counts[0] += 1,
            '\t' if !in_quotes => counts[1] += 1,
            ';' if !in_quotes => counts[2] += 1,
            ',' if !in_quotes => counts[3] += 1,
            _ => {}
        }
    }
    if (lower.ends_with(".tsv") || lower.ends_with(".tab")) && counts[1] > 0 {
        return b'\t';
    }
    let best = (0..4).max_by_key(|&i| (counts[i], i)).unwrap_or(3);
    if counts[best] == 0 {
        return b',';
    }
    [b'|', b'\t', b';', b','][best]
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

/// Reads a delimited text file into a [`Table`], detecting everything.
///
/// # Errors
/// See [`read_delimited_with`].
pub fn read_delimited(bytes: &[u8], file_name: &str) -> Result<Table> {
    read_delimited_with(bytes, file_name, &ReadOptions::default())
}

/// The error for a file past a size limit.
pub(crate) fn file_too_large(bytes: usize, limits: &Limits, file_name: &str) -> Error {
    Error::new(
        ErrorKind::Limit,
        format!(
            "the file is {}; the largest file survcalc reads is {}",
            size_text(bytes as u64),
            size_text(limits.file_bytes as u64)
        ),
    )
    .with_hint("split the file, or remove the columns and rows the analysis does not need")
    .at(Location::file(file_name))
}

/// Reads a delimited text file into a [`Table`] with the user's reading choices.
///
/// # Errors
/// `Format` for binary or unreadable content (or bytes that are not UTF-8 when UTF-8 is
/// forced: the message names the line, column and bytes), `Empty` without a header or data
/// rows, `Header` for duplicate header names, `Format` for a row with more cells than the
/// header, `Limit` past the size limits (file, columns, rows, cells, cell and line length).
/// Every error names the file and, where it applies, the line.
pub fn read_delimited_with(bytes: &[u8], file_name: &str, options: &ReadOptions) -> Result<Table> {
    let limits = &options.limits;
    let file_loc = || Location::file(file_name);
    if bytes.len() > limits.file_bytes {
        return Err(file_too_large(bytes.len(), limits, file_name));
    }
    let utf16 = utf16_order(bytes, options.encoding);
    if utf16.is_none() && looks_binary(bytes) {
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
    let (text, encoding, bom) = match utf16 {
        Some(big_endian) => {
            let (text, name, bom) = decode_utf16(bytes, big_endian, options.delimiter, file_name)?;
            (Cow::Owned(text), name, bom)
        }
        None => decode(bytes, options.encoding, options.delimiter, file_name)?,
    };
    let delimiter = options
        .delimiter
        .byte()
        .unwrap_or_else(|| detect_delimiter(&text, file_name));
    let bytes_text = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes_text);
    // csv's own line numbers skip blank lines (rust-csv #208), and a record's byte position is
    // the end of the previous record, before any blank lines; so skip line breaks from there and
    // count the newlines before the record's first character.
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
    let blank = |r: &csv::ByteRecord| r.iter().all(|c| c.iter().all(u8::is_ascii_whitespace));
    let mut rec = csv::ByteRecord::new();
    let header_line = loop {
        match reader.read_byte_record(&mut rec) {
            Ok(false) => return Err(Error::new(ErrorKind::Empty, "the file is empty")
                .with_hint(
                    "the first line must hold the column names, one row per observation below it",
                )
                .at(file_loc())),
            Err(e) => {
                let line = e.position().map(|p| line_of(p.byte() as usize));
                return Err(csv_error(&e, line, file_name));
            }
            Ok(true) => {
                if blank(&rec) {
                    continue;
                }
                break rec.position().map_or(1, |p| line_of(p.byte() as usize));
            }
        }
    };
    check_line(&rec, limits, header_line, file_name)?;
    let mut headers: Vec<String> = rec
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    if headers.len() > limits.columns {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "the file has {} columns; survcalc reads at most {}",
                headers.len(),
                limits.columns
            ),
        )
        .with_hint("remove the columns the analysis does not need, or split the file")
        .at(Location {
            row: Some(header_line),
            ..file_loc()
        }));
    }
    // Room for every line's cell offsets; each column's text buffer grows to the size its
    // share of the file read so far predicts for the whole file (see `push_estimated`).
    let lines_estimate = memchr_count(bytes_text) + 1;
    let mut columns: Vec<Column> = (0..headers.len())
        .map(|_| Column::with_capacity(lines_estimate, 0))
        .collect();
    let total = bytes_text.len().max(1) as f64;
    let mut row_lines = Vec::with_capacity(lines_estimate);
    loop {
        match reader.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| line_of(p.byte() as usize));
                return Err(csv_error(&e, line, file_name));
            }
        }
        if blank(&rec) {
            continue;
        }
        let line = rec.position().map_or(0, |p| line_of(p.byte() as usize));
        if rec.len() > headers.len() {
            let extra_nonempty = rec
                .iter()
                .skip(headers.len())
                .any(|c| !c.iter().all(u8::is_ascii_whitespace));
            if extra_nonempty {
                return Err(Error::new(
                    ErrorKind::Format,
                    format!("this row has {} cells but the header has {} names", rec.len(), headers.len()),
                )
                .with_hint("check for an unquoted delimiter inside a cell, or a missing column name in the header")
                .at(Location { row: Some(line), ..file_loc() }));
            }
        }
        if row_lines.len() >= limits.rows {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("the file has more than {} rows", limits.rows),
            )
            .with_hint("split the file, or keep only the rows the analysis needs")
            .at(Location {
                row: Some(line),
                ..file_loc()
            }));
        }
        if (row_lines.len() + 1) * headers.len() > limits.cells {
            return Err(Error::new(
                ErrorKind::Limit,
                format!(
                    "the file has more than {} cells ({} columns × {} rows so far)",
                    limits.cells,
                    headers.len(),
                    row_lines.len() + 1
                ),
            )
            .with_hint("remove the columns the analysis does not need, or split the file")
            .at(Location {
                row: Some(line),
                ..file_loc()
            }));
        }
        check_line(&rec, limits, line, file_name)?;
        // The fraction of the file read, with a floor so the first rows do not over-reserve.
        let read = (rec.position().map_or(0, |p| p.byte()) as f64 / total).max(0.01);
        let estimate = |needed: usize| (needed as f64 / read * 1.02) as usize + 64;
        for (c, col) in columns.iter_mut().enumerate() {
            let field = rec.get(c).unwrap_or(b"");
            // The text is valid UTF-8 and the csv crate splits it at ASCII bytes only.
            match std::str::from_utf8(field) {
                Ok(cell) => col.push_estimated(cell, estimate),
                Err(_) => col.push(&String::from_utf8_lossy(field)),
            }
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
    let mut columns: Vec<Column> = keep
        .iter()
        .map(|&c| std::mem::take(&mut columns[c]))
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
    let (decimal_comma_columns, thousands) =
        convert_numbers(&headers, &mut columns, delimiter == b',', options);
    let format = match delimiter {
        b'\t' => "TSV",
        b';' => "CSV (semicolon)",
        b'|' => "CSV (pipe)",
        _ => "CSV",
    };
    let missing_codes = count_missing_codes(&columns);
    Ok(Table {
        file_name: file_name.to_string(),
        headers,
        columns,
        row_lines,
        source_columns: keep,
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
            thousands,
            missing_codes,
            options: options.clone(),
        },
        kinds: KindCache::default(),
        numbers: NumberCache::default(),
        values: ValueCache::default(),
    })
}

fn memchr_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// Checks a record against the cell and line length limits.
fn check_line(rec: &csv::ByteRecord, limits: &Limits, line: usize, file_name: &str) -> Result<()> {
    if let Some((c, field)) = rec
        .iter()
        .enumerate()
        .find(|(_, f)| f.len() > limits.cell_bytes)
    {
        return Err(limits
            .cell_too_long(field.len())
            .with_hint("this is usually a quote (\") opened in a cell and never closed, which makes the rest of the file one cell; close it, or remove the long text")
        .at(Location {
            row: Some(line),
            column_letter: Some(column_letter(c)),
            ..Location::file(file_name)
        }));
    }
    let len = rec.as_slice().len();
    if len > limits.line_bytes {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "the row holds {}; survcalc reads rows of at most {}",
                size_text(len as u64),
                size_text(limits.line_bytes as u64)
            ),
        )
        .with_hint("remove the columns the analysis does not need, or look for an unmatched quote (\") above this row")
        .at(Location {
            row: Some(line),
            ..Location::file(file_name)
        }));
    }
    Ok(())
}

/// Reads each column's numbers with its decimal mark and thousands separator (see
/// [`super::numbers`]); returns the columns read with decimal commas and those whose thousands
/// separators were removed.
fn convert_numbers(
    headers: &[String],
    columns: &mut [Column],
    comma_file: bool,
    options: &ReadOptions,
) -> (Vec<String>, Vec<ThousandsColumn>) {
    let candidates = numbers::candidates(comma_file, options.decimal, options.thousands);
    let forced = options.decimal != Decimal::Auto || options.thousands != Thousands::Auto;
    let mut decimal_comma = Vec::new();
    let mut thousands = Vec::new();
    for (h, col) in headers.iter().zip(columns.iter_mut()) {
        let choice = numbers::choose(col.iter(), &candidates, forced);
        if !(choice.decimal_comma_used || choice.thousands_used) {
            continue;
        }
        *col = col.map_cells(|cell| numbers::convert(cell, choice.reading));
        if choice.decimal_comma_used {
            decimal_comma.push(h.clone());
        }
        if choice.thousands_used {
            if let Some(sep) = choice.reading.thousands_name() {
                thousands.push(ThousandsColumn {
                    column: h.clone(),
                    separator: sep.to_string(),
                });
            }
        }
    }
    (decimal_comma, thousands)
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
        assert_eq!(&t.columns[0][0], "José");
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

    fn with(bytes: &[u8], o: ReadOptions) -> Result<Table> {
        read_delimited_with(bytes, "x.csv", &o)
    }

    #[test]
    fn forced_delimiter_on_another_file_gives_one_column() {
        let o = ReadOptions {
            delimiter: Delimiter::Semicolon,
            ..ReadOptions::default()
        };
        let t = with(b"a,b\n1,2\n", o).expect("reads");
        assert_eq!(t.headers, vec!["a,b"]);
        // A semicolon file's "1,2" is a number with a decimal comma.
        assert_eq!(t.columns[0], vec!["1.2"]);
        assert_eq!(t.detected.delimiter.as_deref(), Some(";"));
        assert_eq!(t.detected.options.delimiter, Delimiter::Semicolon);
        // Pipe: detected, and forced.
        let t = read_delimited(b"a|b\n1|2\n", "p.txt").expect("reads");
        assert_eq!(t.detected.delimiter.as_deref(), Some("|"));
        assert_eq!(t.headers, vec!["a", "b"]);
    }

    #[test]
    fn forced_utf8_on_a_1252_file_names_the_place() {
        let o = ReadOptions {
            encoding: Encoding::Utf8,
            ..ReadOptions::default()
        };
        let e = with(b"id;name\n1;Jo\n2;Jos\xe9\n", o).expect_err("not UTF-8");
        assert_eq!(e.kind, ErrorKind::Format);
        assert_eq!(e.location.row, Some(3));
        assert_eq!(e.location.column.as_deref(), Some("name"));
        assert_eq!(e.location.column_letter.as_deref(), Some("B"));
        assert!(e.message.contains("E9 0A"), "{}", e.message);
        assert!(e.hint.as_deref().unwrap_or("").contains("windows-1252"));
        // Forced Windows-1252 on valid UTF-8 reads it byte by byte.
        let o = ReadOptions {
            encoding: Encoding::Windows1252,
            ..ReadOptions::default()
        };
        let t = with("n\né\n".as_bytes(), o).expect("reads");
        assert_eq!(&t.columns[0][0], "Ã©");
        assert_eq!(t.detected.encoding, "Windows-1252");
    }

    #[test]
    fn thousands_and_decimals_reported() {
        let t = read_delimited(
            "id;amount;dose\n1;1.234,5;1,5\n2;12;2\n3;1 234;NA\n".as_bytes(),
            "eu.csv",
        )
        .expect("reads");
        // "1.234,5" and "1 234" use different separators: no reading fits, left as written.
        assert_eq!(t.columns[1], vec!["1.234,5", "12", "1 234"]);
        assert_eq!(t.columns[2], vec!["1.5", "2", "NA"]);
        assert_eq!(t.detected.decimal_comma_columns, vec!["dose"]);
        let t = read_delimited(b"id,amount\n1,\"1,234.5\"\n2,17\n3,\n", "us.csv").expect("reads");
        assert_eq!(t.columns[1], vec!["1234.5", "17", ""]);
        assert_eq!(
            t.detected.thousands,
            vec![ThousandsColumn {
                column: "amount".into(),
                separator: ",".into()
            }]
        );
        assert_eq!(t.detected.missing_codes.len(), 1);
        assert_eq!(t.detected.missing_codes[0].code, "");
        assert_eq!(t.detected.missing_codes[0].count, 1);
        // Forced decimal comma in a comma file (quoted cells).
        let o = ReadOptions {
            decimal: Decimal::Comma,
            ..ReadOptions::default()
        };
        let t = with(b"x\n\"1,5\"\n2\n", o).expect("reads");
        assert_eq!(t.columns[0], vec!["1.5", "2"]);
    }

    fn small(f: impl FnOnce(&mut Limits)) -> ReadOptions {
        let mut o = ReadOptions::default();
        f(&mut o.limits);
        o
    }

    #[test]
    fn limits_give_messages() {
        let csv = b"a,b,c\n1,2,3\n4,5,6\n7,8,9\n";
        let e = with(csv, small(|l| l.file_bytes = 10)).expect_err("file");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert!(
            e.to_string()
                .contains("the largest file survcalc reads is 10 bytes"),
            "{e}"
        );
        assert!(e.hint.as_deref().unwrap_or("").contains("split the file"));
        let e = with(csv, small(|l| l.columns = 2)).expect_err("columns");
        assert_eq!((e.kind, e.location.row), (ErrorKind::Limit, Some(1)));
        assert!(e.message.contains("3 columns"), "{}", e.message);
        let e = with(csv, small(|l| l.rows = 2)).expect_err("rows");
        assert_eq!((e.kind, e.location.row), (ErrorKind::Limit, Some(4)));
        let e = with(csv, small(|l| l.cells = 7)).expect_err("cells");
        assert_eq!((e.kind, e.location.row), (ErrorKind::Limit, Some(4)));
        let e = with(b"a,b\n1,\"long text\n2,3\n", small(|l| l.cell_bytes = 8)).expect_err("cell");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(e.location.row, Some(2));
        assert_eq!(e.location.column_letter.as_deref(), Some("B"));
        assert!(e.hint.as_deref().unwrap_or("").contains("quote"));
        let e = with(csv, small(|l| l.line_bytes = 2)).expect_err("line");
        assert_eq!((e.kind, e.location.row), (ErrorKind::Limit, Some(1)));
    }

    #[test]
    fn a_one_megabyte_line_reads() {
        let mut csv = String::new();
        let n = 10_000;
        csv.push_str(
            &(0..n)
                .map(|i| format!("c{i}"))
                .collect::<Vec<_>>()
                .join(","),
        );
        csv.push('\n');
        let cell = "x".repeat(100);
        csv.push_str(&vec![cell.as_str(); n].join(","));
        csv.push('\n');
        assert!(csv.len() > 1_000_000);
        let t = read_delimited(csv.as_bytes(), "wide.csv").expect("reads");
        assert_eq!(t.headers.len(), n);
        assert_eq!(t.cell(0, n - 1), cell);
    }
}
