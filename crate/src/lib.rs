//! survcalc: survival and tumour-response statistics that match R's `survival` package, for the
//! browser (WebAssembly) and the command line.
//!
//! The core turns a table plus [`report::Settings`] into a [`report::Report`]
//! ([`report::analyze`]); the wasm binding and the CLI are thin adapters around it.
//!
//! * [`data`]: reading CSV/TSV into a table with 1-based positions for messages.
//! * [`survival`]: Kaplan–Meier, quantiles, landmarks, RMST, follow-up, log-rank family, Cox.
//! * [`response`]: RECIST best-response rates with exact intervals and tests.
//! * [`report`]: settings in, report out; formatting shared by the page and the CLI.
//! * [`plot`]: SVG figures.
//! * [`error`]: the error type.

pub mod data;
pub mod error;
pub mod linalg;
pub mod math;
pub mod plot;
pub mod report;
pub mod response;
pub mod survival;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, ErrorKind, Result};

/// Reads a user's file: a workbook (by its content: zip or OLE container) or delimited text.
///
/// # Errors
/// See [`data::delimited::read_delimited`] and [`data::workbook::read_workbook`].
pub fn read_table(bytes: &[u8], file_name: &str) -> Result<data::Table> {
    read_table_sheet(bytes, file_name, None)
}

/// As [`read_table`], choosing the sheet of a workbook.
///
/// # Errors
/// See [`read_table`].
pub fn read_table_sheet(bytes: &[u8], file_name: &str, sheet: Option<&str>) -> Result<data::Table> {
    if data::workbook::is_workbook(bytes) {
        data::workbook::read_workbook(bytes, file_name, sheet)
    } else {
        data::delimited::read_delimited(bytes, file_name)
    }
}

/// The report as the JSON text the CLI prints with `--json` and the page downloads.
pub fn report_json(report: &report::Report) -> String {
    // Serialising plain structs of numbers and strings cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
