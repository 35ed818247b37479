//! What the user may force when a file is read: delimiter, encoding, decimal mark, thousands
//! separator and sheet. Every choice defaults to `auto` (the reader's own detection); the JSON
//! shape is the `input` object of a settings file:
//!
//! ```json
//! {"sheet": "Sheet2", "delimiter": "auto", "encoding": "auto", "decimal": "auto", "thousands": "auto"}
//! ```
//!
//! with `delimiter` one of `auto`, `,`, `;`, `tab`, `|`; `encoding` one of `auto`, `utf-8`,
//! `windows-1252`, `utf-16le`, `utf-16be`; `decimal` one of `auto`, `point`, `comma`; `thousands` one of `auto`, `none`,
//! `comma`, `point`, `space`, `apostrophe`.

use serde::{Deserialize, Serialize};

use super::limits::Limits;

/// The delimiter of a text file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delimiter {
    /// The most frequent of tab, `;`, `,` and `|` on the header line, outside quotes.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = ",", alias = "comma")]
    Comma,
    #[serde(rename = ";", alias = "semicolon")]
    Semicolon,
    #[serde(rename = "tab", alias = "\t")]
    Tab,
    #[serde(rename = "|", alias = "pipe")]
    Pipe,
}

impl Delimiter {
    /// The byte, or None for auto.
    pub fn byte(self) -> Option<u8> {
        match self {
            Delimiter::Auto => None,
            Delimiter::Comma => Some(b','),
            Delimiter::Semicolon => Some(b';'),
            Delimiter::Tab => Some(b'\t'),
            Delimiter::Pipe => Some(b'|'),
        }
    }
}

/// The character encoding of a text file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    /// UTF-16 when the file starts with a UTF-16 byte-order mark (what Excel's "Unicode text"
    /// writes), else UTF-8 when the bytes are valid UTF-8, else Windows-1252.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "utf-8", alias = "utf8", alias = "UTF-8")]
    Utf8,
    /// Windows-1252; Latin-1 (ISO 8859-1) files read the same except for bytes 0x80–0x9F,
    /// which are control characters in Latin-1 and never used in tables.
    #[serde(
        rename = "windows-1252",
        alias = "cp1252",
        alias = "latin-1",
        alias = "latin1",
        alias = "iso-8859-1"
    )]
    Windows1252,
    /// UTF-16, little-endian (Excel's "Unicode text" on Windows); a byte-order mark is removed.
    #[serde(rename = "utf-16le", alias = "utf16le", alias = "UTF-16LE")]
    Utf16Le,
    /// UTF-16, big-endian; a byte-order mark is removed.
    #[serde(rename = "utf-16be", alias = "utf16be", alias = "UTF-16BE")]
    Utf16Be,
}

/// The decimal mark of numbers in a text file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decimal {
    /// Per column (see [`super::numbers`]).
    #[default]
    Auto,
    Point,
    Comma,
}

/// The thousands separator of numbers in a text file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Thousands {
    /// Per column, only when every number of the column is grouped in 3s (see
    /// [`super::numbers`]).
    #[default]
    Auto,
    None,
    Comma,
    Point,
    /// A space, a no-break space (U+00A0) or a narrow no-break space (U+202F).
    Space,
    Apostrophe,
}

/// Every reading choice; `ReadOptions::default()` detects everything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadOptions {
    /// The sheet of a workbook; `None` = the first sheet holding a table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub delimiter: Delimiter,
    pub encoding: Encoding,
    pub decimal: Decimal,
    pub thousands: Thousands,
    /// The size limits (not part of settings files: tests set small ones).
    #[serde(skip)]
    pub limits: Limits,
}

impl ReadOptions {
    /// Whether every choice is `auto` (settings files then leave `input` out).
    pub fn is_auto(&self) -> bool {
        self.sheet.is_none()
            && self.delimiter == Delimiter::Auto
            && self.encoding == Encoding::Auto
            && self.decimal == Decimal::Auto
            && self.thousands == Thousands::Auto
    }

    /// The options with a sheet chosen.
    #[must_use]
    pub fn with_sheet(mut self, sheet: Option<&str>) -> Self {
        self.sheet = sheet.map(str::to_string);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape() {
        let o: ReadOptions = serde_json::from_str(
            r#"{"sheet":"Sheet2","delimiter":"tab","encoding":"windows-1252","decimal":"comma","thousands":"space"}"#,
        )
        .expect("parses");
        assert_eq!(o.sheet.as_deref(), Some("Sheet2"));
        assert_eq!(o.delimiter, Delimiter::Tab);
        assert_eq!(o.encoding, Encoding::Windows1252);
        assert_eq!(o.decimal, Decimal::Comma);
        assert_eq!(o.thousands, Thousands::Space);
        let o: ReadOptions = serde_json::from_str(r#"{"delimiter":";"}"#).expect("parses");
        assert_eq!(o.delimiter, Delimiter::Semicolon);
        assert_eq!(o.thousands, Thousands::Auto);
        assert_eq!(
            serde_json::to_string(&ReadOptions::default()).expect("serialises"),
            r#"{"delimiter":"auto","encoding":"auto","decimal":"auto","thousands":"auto"}"#
        );
        assert!(serde_json::from_str::<ReadOptions>(r#"{"delimiter":"x"}"#).is_err());
        let o: ReadOptions = serde_json::from_str(r#"{"encoding":"utf-16le"}"#).expect("parses");
        assert_eq!(o.encoding, Encoding::Utf16Le);
        let o: ReadOptions = serde_json::from_str(r#"{"encoding":"utf-16be"}"#).expect("parses");
        assert_eq!(o.encoding, Encoding::Utf16Be);
        assert_eq!(
            serde_json::to_string(&Encoding::Utf16Le).expect("serialises"),
            r#""utf-16le""#
        );
    }
}
