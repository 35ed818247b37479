//! Reading the user's table and typing its cells.
//!
//! * [`dates`]: calendar dates in cells and durations between them.
//! * [`delimited`]: CSV / TSV / semicolon files (csv crate), delimiter and encoding detection.
//! * [`numbers`]: decimal marks and thousands separators, per column.
//! * [`options`]: what the user may force (delimiter, encoding, decimal mark, thousands, sheet).
//! * [`table`]: the typed-on-demand table with 1-based positions for messages.
//! * [`value`]: missing-value codes and number parsing.
//! * [`workbook`]: Excel / OpenDocument workbooks (calamine), with a zip-bomb guard.

pub mod dates;
pub mod delimited;
pub mod numbers;
pub mod options;
pub mod table;
pub mod value;
#[cfg(feature = "workbook")]
pub mod workbook;

pub use options::ReadOptions;
pub use table::{Column, Table};

/// Whether the bytes look like a workbook (zip container or legacy OLE file), whatever the
/// file's name says.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// Limits enforced when reading, so a huge or hostile file gives a message instead of running
/// out of memory.
///
/// The budget: reading should need at most about 3× the file's size (the file's bytes, the
/// cells' texts and a 4-byte offset per cell), and a browser tab has some 2–4 GB, of which a
/// wasm module may use at most 4 GiB. Each limit is well above what a clinical table needs
/// (Excel itself stops at 1,048,576 rows and 16,384 columns).
pub mod limits {
    /// Largest file accepted: 256 MiB (about 0.8 GB while reading, within a tab's budget).
    pub const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;
    /// Most columns accepted: Excel's own maximum (XFD).
    pub const MAX_COLUMNS: usize = 16_384;
    /// Most data rows accepted.
    pub const MAX_ROWS: usize = 10_000_000;
    /// Most cells (rows × columns) accepted: 100 million cells hold 400 MB of offsets, so a file
    /// of nearly empty cells stays within the budget too.
    pub const MAX_CELLS: usize = 100_000_000;
    /// Longest cell: 1 MiB. A longer one is almost always an unmatched quote that swallowed the
    /// rest of the file.
    pub const MAX_CELL_BYTES: usize = 1024 * 1024;
    /// Longest line (one row's cells together): 16 MiB, so 1 MB lines of thousands of columns
    /// are read.
    pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;
    /// Most bytes a workbook may unzip to (the sum of the sizes its zip directory declares):
    /// 1 GiB.
    pub const MAX_UNZIPPED_BYTES: u64 = 1024 * 1024 * 1024;
    /// Highest compression ratio of a workbook part larger than 1 MiB unzipped. Spreadsheet XML
    /// compresses 5–50× (100,000 rows of repeated 0/1 written by rust_xlsxwriter: 11.6×);
    /// deflate cannot pass about 1030×, and a bomb built from deflate's fixed codes (one 16-bit
    /// back-reference per 258 bytes) reaches 129×, so 250× let a 1 GB bomb of cells through
    /// (`crate/tests/hostile`: 3.6 GB of memory before the column limit stopped it).
    pub const MAX_ZIP_RATIO: u64 = 100;

    /// Most cells in a workbook sheet's used area (rows × columns from the first to the last
    /// used cell): calamine holds the area as a grid of 32-byte cells, so 20 million cells are
    /// 640 MB (a million rows of 20 columns).
    pub const MAX_SHEET_CELLS: usize = 20_000_000;

    /// The limits in force (tests use small ones).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Limits {
        pub file_bytes: usize,
        pub columns: usize,
        pub rows: usize,
        pub cells: usize,
        pub sheet_cells: usize,
        pub cell_bytes: usize,
        pub line_bytes: usize,
        pub unzipped_bytes: u64,
        pub zip_ratio: u64,
    }

    impl Default for Limits {
        fn default() -> Self {
            Limits {
                file_bytes: MAX_FILE_BYTES,
                columns: MAX_COLUMNS,
                rows: MAX_ROWS,
                cells: MAX_CELLS,
                sheet_cells: MAX_SHEET_CELLS,
                cell_bytes: MAX_CELL_BYTES,
                line_bytes: MAX_LINE_BYTES,
                unzipped_bytes: MAX_UNZIPPED_BYTES,
                zip_ratio: MAX_ZIP_RATIO,
            }
        }
    }

    impl Limits {
        /// The error for a cell of `bytes` bytes, over [`Limits::cell_bytes`] (the caller adds
        /// the hint and the place).
        pub fn cell_too_long(&self, bytes: usize) -> crate::error::Error {
            crate::error::Error::new(
                crate::error::ErrorKind::Limit,
                format!(
                    "a cell holds {}; survcalc reads cells of at most {}",
                    size_text(bytes as u64),
                    size_text(self.cell_bytes as u64)
                ),
            )
        }
    }

    /// Sizes in messages: "3.2 MB", "512 bytes".
    pub fn size_text(bytes: u64) -> String {
        if bytes >= 1024 * 1024 {
            format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
        } else if bytes >= 1024 {
            format!("{:.1} KB", bytes as f64 / 1024.0)
        } else {
            format!("{bytes} bytes")
        }
    }
}
