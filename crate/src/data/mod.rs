//! Reading the user's table and typing its cells.
//!
//! * [`dates`]: calendar dates in cells and durations between them.
//! * [`delimited`]: CSV / TSV / semicolon files (csv crate), delimiter and encoding detection.
//! * [`table`]: the typed-on-demand table with 1-based positions for messages.
//! * [`value`]: missing-value codes and number parsing.
//! * [`workbook`]: Excel / OpenDocument workbooks (calamine).

pub mod dates;
pub mod delimited;
pub mod table;
pub mod value;
pub mod workbook;

pub use table::Table;

/// Limits enforced when reading, so a huge file gives a message instead of running out of memory.
pub mod limits {
    /// Largest file accepted, in bytes.
    pub const MAX_FILE_BYTES: usize = 512 * 1024 * 1024;
    /// Most columns accepted.
    pub const MAX_COLUMNS: usize = 20_000;
    /// Most data rows accepted.
    pub const MAX_ROWS: usize = 10_000_000;
}
