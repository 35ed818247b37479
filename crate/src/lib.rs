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

/// Reads a user's file: a workbook (by its content: zip or OLE container) or delimited text,
/// detecting everything.
///
/// # Errors
/// See [`read_table_with`].
pub fn read_table(bytes: &[u8], file_name: &str) -> Result<data::Table> {
    read_table_with(bytes, file_name, &data::ReadOptions::default())
}

/// As [`read_table`], choosing the sheet of a workbook.
///
/// # Errors
/// See [`read_table_with`].
pub fn read_table_sheet(bytes: &[u8], file_name: &str, sheet: Option<&str>) -> Result<data::Table> {
    read_table_with(
        bytes,
        file_name,
        &data::ReadOptions::default().with_sheet(sheet),
    )
}

/// Reads a user's file with the reading choices of `options` (delimiter, encoding, decimal
/// mark, thousands separator, sheet; each `auto` by default).
///
/// ```
/// use survcalc::data::options::{ReadOptions, Thousands};
/// let options = ReadOptions { thousands: Thousands::Space, ..ReadOptions::default() };
/// let t = survcalc::read_table_with(b"n;x\n1;1 234,5\n", "eu.csv", &options).unwrap();
/// assert_eq!(t.cell(0, 1), "1234.5");
/// ```
///
/// # Errors
/// See [`data::delimited::read_delimited_with`] and [`data::workbook::read_workbook_with`].
pub fn read_table_with(
    bytes: &[u8],
    file_name: &str,
    options: &data::ReadOptions,
) -> Result<data::Table> {
    if data::is_workbook(bytes) {
        #[cfg(feature = "workbook")]
        return data::workbook::read_workbook_with(bytes, file_name, options);
        #[cfg(not(feature = "workbook"))]
        return Err(Error::new(
            ErrorKind::Format,
            "this build of survcalc reads CSV and TSV files only, and this file is a workbook",
        )
        .with_hint("use the full build (the page loads it by itself), or save the sheet as CSV")
        .at(error::Location::file(file_name)));
    }
    data::delimited::read_delimited_with(bytes, file_name, options)
}

/// Whether this build reads workbooks (the `workbook` feature); without it, see
/// [`data::is_workbook`] to tell that the full build is needed.
pub const READS_WORKBOOKS: bool = cfg!(feature = "workbook");

/// The report as the JSON text the CLI prints with `--json` and the page downloads.
pub fn report_json(report: &report::Report) -> String {
    // Serialising plain structs of numbers and strings cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
