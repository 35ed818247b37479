//! A table of text cells with the positions needed for messages.

use serde::Serialize;

use super::value::{is_missing, parse_number};
use crate::error::{column_letter, Error, ErrorKind, Location, Result};

/// The user's table: header names and columns of cell texts.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file name as the user chose it.
    pub file_name: String,
    pub headers: Vec<String>,
    /// `columns[c][r]`: column c, data row r (0-based).
    pub columns: Vec<Vec<String>>,
    /// The 1-based line of the file where each data row starts (the header is line 1 unless
    /// blank lines precede it).
    pub row_lines: Vec<usize>,
    /// The 0-based column of the source file each column came from (for column letters).
    pub source_columns: Vec<usize>,
    /// What the reader detected (delimiter, encoding, …), for the page to show.
    pub detected: Detected,
}

/// What the reader detected about the file.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Detected {
    pub format: String,
    pub delimiter: Option<String>,
    pub encoding: String,
    pub bom: bool,
    /// The sheet read, for workbooks.
    pub sheet: Option<String>,
    /// Every sheet of a workbook.
    pub sheets: Vec<String>,
    /// Columns whose decimal commas were read as decimal points.
    pub decimal_comma_columns: Vec<String>,
}

/// What the page shows about a column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnInfo {
    pub name: String,
    pub letter: String,
    /// "number" if every non-missing cell is a number, "empty" if all are missing, else "text".
    pub kind: &'static str,
    /// Up to 50 distinct non-missing values in order of first appearance.
    pub distinct: Vec<String>,
    pub distinct_truncated: bool,
    pub missing: usize,
}

const MAX_DISTINCT_SHOWN: usize = 50;

/// Checks that no two columns share a header name (in linear time: files may have thousands of
/// columns). `source_columns` gives each header's 0-based source column, for the letters in the
/// message; `at` is the header row's location.
///
/// # Errors
/// `Header`, naming both columns.
pub fn check_unique_headers(
    headers: &[String],
    source_columns: &[usize],
    at: Location,
) -> Result<()> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if let Some(&j) = seen.get(h.as_str()) {
            return Err(Error::new(
                ErrorKind::Header,
                format!(
                    "the column name \"{h}\" appears twice (columns {} and {})",
                    column_letter(source_columns[j]),
                    column_letter(source_columns[i])
                ),
            )
            .with_hint("rename one of them so every column has its own name")
            .at(at));
        }
        seen.insert(h, i);
    }
    Ok(())
}

impl Table {
    pub fn n_rows(&self) -> usize {
        self.row_lines.len()
    }

    /// The index of a column by exact header name.
    ///
    /// # Errors
    /// `MissingColumn`, listing the available headers.
    pub fn column_index(&self, name: &str) -> Result<usize> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            let shown: Vec<String> = self
                .headers
                .iter()
                .take(30)
                .map(|h| format!("\"{h}\""))
                .collect();
            Error::new(
                ErrorKind::MissingColumn,
                format!("there is no column named \"{name}\""),
            )
            .with_hint(format!(
                "the columns are {}{}",
                shown.join(", "),
                if self.headers.len() > 30 { ", …" } else { "" }
            ))
            .at(Location::file(&self.file_name))
        })
    }

    /// The location of a cell, for messages.
    pub fn location(&self, row: usize, col: usize) -> Location {
        Location {
            file: Some(self.file_name.clone()),
            row: self.row_lines.get(row).copied(),
            column: self.headers.get(col).cloned(),
            column_letter: Some(column_letter(
                self.source_columns.get(col).copied().unwrap_or(col),
            )),
            value: self.columns.get(col).and_then(|c| c.get(row)).cloned(),
        }
    }

    /// The table restricted to rows `keep` (positions keep their original row numbers).
    pub fn select_rows(&self, keep: &[usize]) -> Table {
        Table {
            file_name: self.file_name.clone(),
            headers: self.headers.clone(),
            columns: self
                .columns
                .iter()
                .map(|c| keep.iter().map(|&r| c[r].clone()).collect())
                .collect(),
            row_lines: keep.iter().map(|&r| self.row_lines[r]).collect(),
            source_columns: self.source_columns.clone(),
            detected: self.detected.clone(),
        }
    }

    pub fn cell(&self, row: usize, col: usize) -> &str {
        &self.columns[col][row]
    }

    /// Summary of every column for the page.
    pub fn column_info(&self) -> Vec<ColumnInfo> {
        self.headers
            .iter()
            .enumerate()
            .map(|(c, name)| {
                let cells = &self.columns[c];
                let mut missing = 0;
                let mut numeric = true;
                let mut distinct: Vec<String> = Vec::new();
                let mut truncated = false;
                let mut seen = std::collections::HashSet::new();
                for cell in cells {
                    if is_missing(cell) {
                        missing += 1;
                        continue;
                    }
                    if numeric && parse_number(cell).is_none() {
                        numeric = false;
                    }
                    let t = cell.trim();
                    if !seen.contains(t) {
                        if distinct.len() < MAX_DISTINCT_SHOWN {
                            seen.insert(t.to_string());
                            distinct.push(t.to_string());
                        } else {
                            truncated = true;
                        }
                    }
                }
                let kind = if missing == cells.len() {
                    "empty"
                } else if numeric {
                    "number"
                } else {
                    "text"
                };
                ColumnInfo {
                    name: name.clone(),
                    letter: column_letter(self.source_columns.get(c).copied().unwrap_or(c)),
                    kind,
                    distinct,
                    distinct_truncated: truncated,
                    missing,
                }
            })
            .collect()
    }
}
