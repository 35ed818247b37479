//! A table of text cells with the positions needed for messages.
//!
//! Cells are stored column by column, each column's texts back to back in one `String`, each
//! cell followed by a NUL byte, with the start of every 16th cell (`u32`): one allocation per
//! column instead of one per cell, and about 1.25 bytes of overhead per cell instead of 28
//! (a `String`) or 4 (an offset per cell). That is what makes reading a million-row file fast
//! and keeps its memory near the file's size (see `benches/read.rs`). Going through the cells
//! in order is a scan; reaching one cell directly skips at most 15 others.

use serde::Serialize;

use super::options::ReadOptions;
use super::value::{is_missing, parse_number};
use crate::error::{column_letter, Error, ErrorKind, Location, Result};

/// Cells per entry of [`Column`]'s start index.
const BLOCK: usize = 16;

/// One column's cell texts, stored contiguously.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Column {
    /// Every cell followed by a NUL byte (a NUL inside a cell is stored as U+FFFD).
    text: String,
    /// `starts[b]` is the byte offset in `text` where cell `b * BLOCK` starts.
    starts: Vec<u32>,
    len: usize,
}

fn nul_from(text: &[u8], from: usize) -> usize {
    text[from..]
        .iter()
        .position(|&b| b == 0)
        .map_or(text.len(), |i| from + i)
}

impl Column {
    pub fn new() -> Self {
        Column::default()
    }

    /// An empty column with room for `cells` cells of `bytes` bytes in all.
    pub fn with_capacity(cells: usize, bytes: usize) -> Self {
        Column {
            text: String::with_capacity(bytes + cells),
            starts: Vec::with_capacity(cells / BLOCK + 1),
            len: 0,
        }
    }

    /// Appends a cell.
    ///
    /// # Panics
    /// When the column's text passes 4 GiB, which the readers' limits rule out (files of at
    /// most [`super::limits::MAX_FILE_BYTES`], workbooks of at most
    /// [`super::limits::MAX_UNZIPPED_BYTES`] unzipped).
    pub fn push(&mut self, cell: &str) {
        if self.len.is_multiple_of(BLOCK) {
            let start = u32::try_from(self.text.len())
                .expect("a column's text stays under 4 GiB (the readers' size limits)");
            self.starts.push(start);
        }
        if cell.as_bytes().contains(&0) {
            self.text.push_str(&cell.replace('\0', "\u{FFFD}"));
        } else {
            self.text.push_str(cell);
        }
        self.text.push('\0');
        self.len += 1;
    }

    /// Appends a cell, first growing the text buffer (when full) to `estimate(needed)` bytes
    /// instead of doubling it: a reader that knows how much of the file it has read can
    /// size each column's buffer closely and keep memory near the file's size.
    pub fn push_estimated(&mut self, cell: &str, estimate: impl FnOnce(usize) -> usize) {
        let needed = self.text.len() + cell.len() + 1;
        if needed > self.text.capacity() {
            // At least 1.25× growth, so a column whose cells lengthen along the file is not
            // copied again and again (the copies stay a geometric series).
            let target = estimate(needed).max(needed + needed / 4);
            self.text.reserve_exact(target - self.text.len());
        }
        self.push(cell);
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes of the cells' texts.
    pub fn text_len(&self) -> usize {
        self.text.len() - self.len
    }

    /// Cell `row`, or None past the end.
    pub fn get(&self, row: usize) -> Option<&str> {
        if row >= self.len {
            return None;
        }
        let bytes = self.text.as_bytes();
        let mut start = *self.starts.get(row / BLOCK)? as usize;
        for _ in 0..row % BLOCK {
            start = nul_from(bytes, start) + 1;
        }
        self.text.get(start..nul_from(bytes, start))
    }

    /// The cells in order.
    pub fn iter(&self) -> Cells<'_> {
        Cells {
            column: self,
            at: 0,
            front: 0,
            back: self.len,
        }
    }

    /// The column with the cells for which `f` returns a new text replaced.
    #[must_use]
    pub fn map_cells(&self, mut f: impl FnMut(&str) -> Option<String>) -> Column {
        let mut out = Column::with_capacity(self.len(), self.text.len());
        for cell in self {
            match f(cell) {
                Some(new) => out.push(&new),
                None => out.push(cell),
            }
        }
        out
    }

    /// The column restricted to rows `keep`.
    #[must_use]
    pub fn select(&self, keep: &[usize]) -> Column {
        let mut out = Column::with_capacity(keep.len(), 0);
        // Rows in increasing order (the usual case) are taken in one scan.
        if keep.windows(2).all(|w| w[0] < w[1]) {
            let mut wanted = keep.iter().peekable();
            for (r, cell) in self.iter().enumerate() {
                match wanted.peek() {
                    Some(&&k) if k == r => {
                        out.push(cell);
                        wanted.next();
                    }
                    Some(_) => {}
                    None => break,
                }
            }
            return out;
        }
        for &r in keep {
            out.push(self.get(r).unwrap_or(""));
        }
        out
    }
}

impl std::ops::Index<usize> for Column {
    type Output = str;
    fn index(&self, row: usize) -> &str {
        self.get(row)
            .unwrap_or_else(|| panic!("row {row} is past the end of a column of {}", self.len()))
    }
}

/// Iterator over a column's cells.
#[derive(Debug, Clone)]
pub struct Cells<'a> {
    column: &'a Column,
    /// Byte offset of cell `front`.
    at: usize,
    front: usize,
    back: usize,
}

impl<'a> Iterator for Cells<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        if self.front >= self.back {
            return None;
        }
        let text = &self.column.text;
        let end = nul_from(text.as_bytes(), self.at);
        let cell = text.get(self.at..end);
        self.at = end + 1;
        self.front += 1;
        cell
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl ExactSizeIterator for Cells<'_> {}

impl DoubleEndedIterator for Cells<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.column.get(self.back)
    }
}

impl<'a> IntoIterator for &'a Column {
    type Item = &'a str;
    type IntoIter = Cells<'a>;
    fn into_iter(self) -> Cells<'a> {
        self.iter()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Column {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut c = Column::new();
        for s in iter {
            c.push(s.as_ref());
        }
        c
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for Column {
    fn eq(&self, other: &Vec<S>) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

/// The user's table: header names and columns of cell texts.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file name as the user chose it.
    pub file_name: String,
    pub headers: Vec<String>,
    /// `columns[c]`: column c; `columns[c][r]` is data row r (0-based).
    pub columns: Vec<Column>,
    /// The 1-based line of the file where each data row starts (the header is line 1 unless
    /// blank lines precede it).
    pub row_lines: Vec<usize>,
    /// The 0-based column of the source file each column came from (for column letters).
    pub source_columns: Vec<usize>,
    /// What the reader detected (delimiter, encoding, …), for the page to show.
    pub detected: Detected,
    /// Each column's type and missing count, computed once on first use.
    pub kinds: KindCache,
    /// Numeric columns, parsed once on first use (see [`Table::numbers`]).
    pub numbers: NumberCache,
    /// Columns read as values (groups, event codes), coded once on first use (see
    /// [`Table::value_codes`]).
    pub values: ValueCache,
}

/// A column's distinct values and each row's value, as analyses that group or classify rows
/// read it (factors, the event column).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ValueCodes {
    /// The distinct non-missing values, trimmed, in order of first appearance.
    pub values: Vec<String>,
    /// Each row's index in `values`, or [`ValueCodes::MISSING`] for a missing cell.
    pub codes: Vec<u32>,
}

impl ValueCodes {
    /// The code of a missing cell.
    pub const MISSING: u32 = u32::MAX;
}

/// [`ValueCodes`] of the columns analyses read as values, made on first use and kept, so a
/// change of settings does not scan the same text again. Two caches always compare equal: they
/// are derived from the cells.
#[derive(Debug, Clone, Default)]
pub struct ValueCache(std::sync::OnceLock<Vec<std::sync::OnceLock<ValueCodes>>>);

impl PartialEq for ValueCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The numbers of the columns analyses read as numbers, parsed on first use and kept, so that a
/// change of settings does not parse the same cells again. Two caches always compare equal:
/// they are derived from the cells.
#[derive(Debug, Clone, Default)]
pub struct NumberCache(std::sync::OnceLock<Vec<std::sync::OnceLock<Vec<f64>>>>);

impl PartialEq for NumberCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Column types computed once, on first use (by the column summaries or the preview). Two caches
/// always compare equal: they are derived from the cells.
#[derive(Debug, Clone, Default)]
pub struct KindCache(std::sync::OnceLock<Vec<(ColumnKind, usize)>>);

impl PartialEq for KindCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
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
    /// Columns whose thousands separators were removed, with the separator.
    pub thousands: Vec<ThousandsColumn>,
    /// The missing-value codes that occur in the table (trimmed, as written), with counts, in
    /// order of first appearance; `""` counts empty cells.
    pub missing_codes: Vec<MissingCount>,
    /// The choices in force: `auto` where the reader detected, else what the user forced.
    pub options: ReadOptions,
}

/// A column read with a thousands separator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThousandsColumn {
    pub column: String,
    /// `,` `.` `'` or `space`.
    pub separator: String,
}

/// How often a missing-value code occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingCount {
    pub code: String,
    pub count: usize,
}

/// Counts the missing-value codes of the columns (see [`Detected::missing_codes`]).
pub fn count_missing_codes(columns: &[Column]) -> Vec<MissingCount> {
    let mut out: Vec<MissingCount> = Vec::new();
    for col in columns {
        for cell in col {
            if !is_missing(cell) {
                continue;
            }
            let code = cell.trim();
            match out.iter_mut().find(|m| m.code == code) {
                Some(m) => m.count += 1,
                None => out.push(MissingCount {
                    code: code.to_string(),
                    count: 1,
                }),
            }
        }
    }
    out
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

/// The type of a column's values, as the preview shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    /// Every non-missing cell is a whole number.
    Integer,
    /// Every non-missing cell is a number, some with a fraction.
    Number,
    /// Every non-missing cell is a calendar date (ISO, or day/month with one order for all).
    Date,
    /// Anything else.
    Text,
    /// Every cell is missing.
    Empty,
}

/// A column of the preview.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreviewColumn {
    pub name: String,
    pub letter: String,
    pub kind: ColumnKind,
    /// Cells that are missing-value codes (see [`super::value::MISSING_CODES`]).
    pub missing: usize,
}

/// A row of the preview: its line in the file and its cells as shown (missing cells empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreviewRow {
    pub line: usize,
    pub cells: Vec<String>,
}

/// The first rows of the table with each column's type, for the page to show before analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preview {
    pub columns: Vec<PreviewColumn>,
    pub rows: Vec<PreviewRow>,
    /// Data rows in the whole table.
    pub n_rows: usize,
}

/// One pass over a column: each cell's value in order of first appearance. A few values (the
/// usual groups, arms, event codes) are found by comparing with each, more through a hash map.
fn code_values(column: &Column) -> ValueCodes {
    const LINEAR: usize = 16;
    let mut values: Vec<String> = Vec::new();
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut codes: Vec<u32> = Vec::with_capacity(column.len());
    for cell in column {
        if is_missing(cell) {
            codes.push(ValueCodes::MISSING);
            continue;
        }
        let t = cell.trim();
        let found = if values.len() <= LINEAR {
            values.iter().position(|l| l == t).map(|k| k as u32)
        } else {
            seen.get(t).copied()
        };
        let id = match found {
            Some(k) => k,
            None => {
                // At most the readers' row limit of values, far below u32::MAX.
                let id = u32::try_from(values.len()).unwrap_or(ValueCodes::MISSING - 1);
                values.push(t.to_string());
                if values.len() == LINEAR + 1 {
                    seen.extend(values.iter().cloned().zip(0..));
                } else if values.len() > LINEAR {
                    seen.insert(t.to_string(), id);
                }
                id
            }
        };
        codes.push(id);
    }
    ValueCodes { values, codes }
}

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
            value: self
                .columns
                .get(col)
                .and_then(|c| c.get(row))
                .map(str::to_string),
        }
    }

    /// The table restricted to rows `keep` (positions keep their original row numbers).
    pub fn select_rows(&self, keep: &[usize]) -> Table {
        Table {
            file_name: self.file_name.clone(),
            headers: self.headers.clone(),
            columns: self.columns.iter().map(|c| c.select(keep)).collect(),
            row_lines: keep.iter().map(|&r| self.row_lines[r]).collect(),
            source_columns: self.source_columns.clone(),
            detected: self.detected.clone(),
            kinds: KindCache::default(),
            numbers: NumberCache::default(),
            values: ValueCache::default(),
        }
    }

    /// The text of a cell (0-based data row and column).
    ///
    /// # Panics
    /// When the row or column is out of range.
    pub fn cell(&self, row: usize, col: usize) -> &str {
        &self.columns[col][row]
    }

    /// The type of column `c` and its count of missing cells.
    ///
    /// ```
    /// use survcalc::data::table::ColumnKind;
    /// let t = survcalc::read_table(b"n,x,d,s\n1,1.5,2021-03-04,a\n2,NA,04/03/2021,b\n", "t.csv").unwrap();
    /// assert_eq!(t.column_kind(0), (ColumnKind::Integer, 0));
    /// assert_eq!(t.column_kind(1), (ColumnKind::Number, 1));
    /// assert_eq!(t.column_kind(2), (ColumnKind::Date, 0));
    /// assert_eq!(t.column_kind(3), (ColumnKind::Text, 0));
    /// ```
    /// Column `c` as numbers, by [`parse_number`]: NaN where a cell is missing or not a number
    /// (`parse_number` never gives NaN, so NaN means exactly that). Parsed once, then cached.
    pub fn numbers(&self, c: usize) -> &[f64] {
        let slots = self.numbers.0.get_or_init(|| {
            (0..self.columns.len())
                .map(|_| Default::default())
                .collect()
        });
        slots[c].get_or_init(|| {
            self.columns[c]
                .iter()
                .map(|cell| parse_number(cell).unwrap_or(f64::NAN))
                .collect()
        })
    }

    /// Column `c` as values: the distinct non-missing cells (trimmed) in order of first
    /// appearance and each row's index among them. Coded once, then cached.
    ///
    /// ```
    /// use survcalc::data::table::ValueCodes;
    /// let t = survcalc::read_table(b"arm\n B\nA\nNA\nB\n", "t.csv").unwrap();
    /// let v = t.value_codes(0);
    /// assert_eq!(v.values, ["B", "A"]);
    /// assert_eq!(v.codes, [0, 1, ValueCodes::MISSING, 0]);
    /// ```
    pub fn value_codes(&self, c: usize) -> &ValueCodes {
        let slots = self.values.0.get_or_init(|| {
            (0..self.columns.len())
                .map(|_| Default::default())
                .collect()
        });
        slots[c].get_or_init(|| code_values(&self.columns[c]))
    }

    pub fn column_kind(&self, c: usize) -> (ColumnKind, usize) {
        let kinds = self.kinds.0.get_or_init(|| {
            (0..self.columns.len())
                .map(|c| self.compute_kind(c))
                .collect()
        });
        kinds.get(c).copied().unwrap_or((ColumnKind::Empty, 0))
    }

    fn compute_kind(&self, c: usize) -> (ColumnKind, usize) {
        use super::dates::{detect_order, parse_date, DateOrder};
        let Some(col) = self.columns.get(c) else {
            return (ColumnKind::Empty, 0);
        };
        let present = || col.iter().filter(|cell| !is_missing(cell));
        let missing = col.len() - present().count();
        if missing == col.len() {
            return (ColumnKind::Empty, missing);
        }
        let mut integer = true;
        let mut numeric = true;
        for cell in present() {
            match parse_number(cell) {
                Some(v) => integer &= v.fract() == 0.0,
                None => {
                    numeric = false;
                    break;
                }
            }
        }
        let kind = if numeric && integer {
            ColumnKind::Integer
        } else if numeric {
            ColumnKind::Number
        } else {
            // The first cell decides cheaply for most text columns (ids, labels) before the
            // whole column is scanned for the order of its dates.
            let first_is_date = present().next().is_some_and(|cell| {
                parse_date(cell, DateOrder::DayFirst).is_some()
                    || parse_date(cell, DateOrder::MonthFirst).is_some()
            });
            let order = if first_is_date {
                detect_order(present())
            } else {
                DateOrder::DayFirst
            };
            if first_is_date && present().all(|cell| parse_date(cell, order).is_some()) {
                ColumnKind::Date
            } else {
                ColumnKind::Text
            }
        };
        (kind, missing)
    }

    /// The column types and the first `max_rows` rows, for the page's preview.
    pub fn preview(&self, max_rows: usize) -> Preview {
        let columns = (0..self.headers.len())
            .map(|c| {
                let (kind, missing) = self.column_kind(c);
                PreviewColumn {
                    name: self.headers[c].clone(),
                    letter: column_letter(self.source_columns.get(c).copied().unwrap_or(c)),
                    kind,
                    missing,
                }
            })
            .collect();
        let rows = (0..self.n_rows().min(max_rows))
            .map(|r| PreviewRow {
                line: self.row_lines[r],
                cells: self
                    .columns
                    .iter()
                    .map(|col| {
                        let cell = col.get(r).unwrap_or("");
                        if is_missing(cell) {
                            String::new()
                        } else {
                            cell.to_string()
                        }
                    })
                    .collect(),
            })
            .collect();
        Preview {
            columns,
            rows,
            n_rows: self.n_rows(),
        }
    }

    /// Summary of every column for the page.
    pub fn column_info(&self) -> Vec<ColumnInfo> {
        self.headers
            .iter()
            .enumerate()
            .map(|(c, name)| {
                let cells = &self.columns[c];
                let (kind, missing) = self.column_kind(c);
                let mut distinct: Vec<String> = Vec::new();
                let mut truncated = false;
                let mut seen = std::collections::HashSet::new();
                for cell in cells {
                    if is_missing(cell) {
                        continue;
                    }
                    let t = cell.trim();
                    if !seen.contains(t) {
                        if distinct.len() < MAX_DISTINCT_SHOWN {
                            seen.insert(t.to_string());
                            distinct.push(t.to_string());
                        } else {
                            // Full, and a value beyond the list was seen: the other cells
                            // need no looking at (a million-row id column stays cheap).
                            truncated = true;
                            break;
                        }
                    }
                }
                let kind = match kind {
                    ColumnKind::Empty => "empty",
                    ColumnKind::Integer | ColumnKind::Number => "number",
                    ColumnKind::Date | ColumnKind::Text => "text",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_kinds_and_rows() {
        let t = crate::read_table(
            b"id,age,start,arm,note\n1,63.5,2020-01-31,A,\n2,NA,2020-02-01,B,\n\n3,70,,A,\n",
            "p.csv",
        )
        .expect("reads");
        let p = t.preview(2);
        let kinds: Vec<ColumnKind> = p.columns.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                ColumnKind::Integer,
                ColumnKind::Number,
                ColumnKind::Date,
                ColumnKind::Text,
                ColumnKind::Empty
            ]
        );
        assert_eq!(p.columns[1].missing, 1);
        assert_eq!(p.columns[4].missing, 3);
        assert_eq!(p.columns[2].letter, "C");
        assert_eq!(p.n_rows, 3);
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[1].line, 3);
        assert_eq!(p.rows[1].cells, ["2", "", "2020-02-01", "B", ""]);
        let json = serde_json::to_value(&p).expect("serialises");
        assert_eq!(json["columns"][2]["kind"], "date");
        // Day-first dates with one order for the column.
        let t = crate::read_table(b"d\n31/01/2020\n01/02/2020\n", "d.csv").expect("reads");
        assert_eq!(t.column_kind(0).0, ColumnKind::Date);
        let t = crate::read_table(b"d\n31/01/2020\nsoon\n", "d.csv").expect("reads");
        assert_eq!(t.column_kind(0).0, ColumnKind::Text);
    }

    #[test]
    fn column_storage() {
        let mut c = Column::new();
        for s in ["a", "", "héllo", "x"] {
            c.push(s);
        }
        assert_eq!(c.len(), 4);
        assert_eq!(c.get(2), Some("héllo"));
        assert_eq!(c.get(4), None);
        assert_eq!(c.iter().rev().collect::<Vec<_>>(), ["x", "héllo", "", "a"]);
        assert_eq!(c.select(&[3, 0]), vec!["x", "a"]);
        let m = c.map_cells(|s| (s == "x").then(|| "y".to_string()));
        assert_eq!(m, vec!["a", "", "héllo", "y"]);
        // Past one block of the start index, and a NUL inside a cell.
        let many: Column = (0..100).map(|i| format!("v{i}")).collect();
        assert_eq!(many.get(0), Some("v0"));
        assert_eq!(many.get(15), Some("v15"));
        assert_eq!(many.get(16), Some("v16"));
        assert_eq!(many.get(99), Some("v99"));
        assert_eq!(many.get(100), None);
        assert_eq!(many.iter().nth(37), Some("v37"));
        assert_eq!(many.iter().len(), 100);
        assert_eq!(many.select(&[99, 3]), vec!["v99", "v3"]);
        assert_eq!(many.select(&[3, 40, 99]), vec!["v3", "v40", "v99"]);
        let mut n = Column::new();
        n.push("a\0b");
        n.push("");
        assert_eq!(n.get(0), Some("a\u{FFFD}b"));
        assert_eq!(n.get(1), Some(""));
        assert_eq!(n.text_len(), 5);
    }
}
