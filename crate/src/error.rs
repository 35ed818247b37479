//! The one error type of the core.
//!
//! Every failure that a user can cause carries the place it happened: the file (and sheet), the
//! 1-based data row as a spreadsheet program shows it (the header is row 1, so the first data row
//! is row 2), the column name and its spreadsheet letter, and the offending value. Messages say
//! what failed, then why, with the hint apart (`Error::hint`).

use std::fmt;

use serde::Serialize;

/// Where in the input a problem was found. All positions are 1-based, as a spreadsheet shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// File name as the user chose it (no directory).
    pub file: Option<String>,
    /// Line/row number in the file, 1-based, counting the header row as 1.
    pub row: Option<usize>,
    /// Column header.
    pub column: Option<String>,
    /// Column letter(s) as in a spreadsheet: A, B, …, Z, AA, …
    pub column_letter: Option<String>,
    /// The cell's text.
    pub value: Option<String>,
}

impl Location {
    pub fn file(file: &str) -> Self {
        Location {
            file: Some(file.to_string()),
            ..Location::default()
        }
    }
}

/// The kinds of error, stable names for tests and the page (serialised in kebab-case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file is not readable text of the expected format.
    Format,
    /// The file has no header or no data rows.
    Empty,
    /// A header is blank or repeated.
    Header,
    /// A named column is not in the file.
    MissingColumn,
    /// A cell could not be read as the type its role needs.
    Value,
    /// The analysis settings are contradictory or incomplete.
    Settings,
    /// The data do not allow the analysis (e.g. no rows left).
    Data,
    /// A size limit was exceeded.
    Limit,
    /// Reading a file from disk failed (CLI only).
    Io,
}

/// What an [`Error`] holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorData {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
    pub location: Location,
}

/// An error with its kind, location and message (boxed, so `Result`s stay small; the fields
/// are reached through `Deref`: `e.kind`, `e.location.row`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Error(Box<ErrorData>);

impl std::ops::Deref for Error {
    type Target = ErrorData;
    fn deref(&self) -> &ErrorData {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorData {
        &mut self.0
    }
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(ErrorData {
            kind,
            message: message.into(),
            hint: None,
            location: Location::default(),
        }))
    }

    pub fn settings(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Settings, message)
    }

    pub fn data(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Data, message)
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    #[must_use]
    pub fn at(mut self, location: Location) -> Self {
        self.location = location;
        self
    }

    #[must_use]
    pub fn in_file(mut self, file: &str) -> Self {
        if self.location.file.is_none() && !file.is_empty() {
            self.location.file = Some(file.to_string());
        }
        self
    }
}

/// Spreadsheet letters for a 0-based column index: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = &self.location;
        let mut place = Vec::new();
        if let Some(file) = &loc.file {
            place.push(file.clone());
        }
        if let Some(row) = loc.row {
            place.push(format!("row {row}"));
        }
        if let Some(col) = &loc.column {
            match &loc.column_letter {
                Some(letter) => place.push(format!("column \"{col}\" ({letter})")),
                None => place.push(format!("column \"{col}\"")),
            }
        }
        if !place.is_empty() {
            write!(f, "{}: ", place.join(", "))?;
        }
        write!(f, "{}", self.message)?;
        if let Some(v) = &loc.value {
            write!(f, " (found \"{}\")", shown_value(v))?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\nhint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Characters of a value a message quotes; a longer value (a cell that swallowed the rest of
/// the file after an unclosed quote, say) is cut with "…".
const SHOWN_VALUE_CHARS: usize = 60;

/// A value as a message quotes it: line breaks and tabs written as `\n`, `\r`, `\t` (so the
/// message stays on one line), and at most [`SHOWN_VALUE_CHARS`] characters.
fn shown_value(v: &str) -> String {
    let mut out = String::new();
    for (i, ch) in v.chars().enumerate() {
        if i == SHOWN_VALUE_CHARS {
            out.push('…');
            break;
        }
        match ch {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_or_multi_line_value_is_quoted_short_and_on_one_line() {
        assert_eq!(shown_value("abc"), "abc");
        assert_eq!(shown_value("8,0\n12,1\r\n"), "8,0\\n12,1\\r\\n");
        let long = "x".repeat(10_000);
        let shown = shown_value(&long);
        assert_eq!(shown.chars().count(), SHOWN_VALUE_CHARS + 1);
        assert!(shown.ends_with('…'));
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn display_names_place_value_and_hint() {
        let e = Error::new(ErrorKind::Value, "time is not a number")
            .at(Location {
                file: Some("study.csv".into()),
                row: Some(7),
                column: Some("pfs_months".into()),
                column_letter: Some("J".into()),
                value: Some("abc".into()),
            })
            .with_hint("enter durations as numbers");
        assert_eq!(
            e.to_string(),
            "study.csv, row 7, column \"pfs_months\" (J): time is not a number (found \"abc\")\nhint: enter durations as numbers"
        );
    }
}
