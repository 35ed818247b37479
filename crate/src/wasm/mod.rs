//! The wasm binding: converts types and errors, holds no statistics. The table stays on the
//! Rust side behind the `Workspace` handle; only settings and results cross the boundary.

use wasm_bindgen::prelude::*;

use crate::data::Table;
use crate::error::Error;
use crate::plot::km::km_svg;
use crate::report::{analyze_with_stages, Report, Settings};

/// The page's clock in milliseconds (`performance.now()` of the window or worker; the core
/// itself has no clock on wasm32), for stage timings only.
fn now_ms() -> f64 {
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &JsValue::from_str("performance"))
        .ok()
        .and_then(|performance| {
            let now = js_sys::Reflect::get(&performance, &JsValue::from_str("now")).ok()?;
            let now: js_sys::Function = now.dyn_into().ok()?;
            now.call0(&performance).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

/// The one place core errors become JS errors: the message names file, row, column and value.
fn js_error(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&ser).map_err(|e| {
        JsError::new(&format!(
            "internal error: could not pass the result to the page ({e})"
        ))
    })
}

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Reads a settings file's text exactly as the CLI's `--settings` does, and returns the settings
/// with every field filled in (defaults for those the file leaves out).
#[wasm_bindgen]
pub fn parse_settings(text: &str) -> Result<JsValue, JsError> {
    let settings: Settings = serde_json::from_str(text)
        .map_err(|e| JsError::new(&format!("the settings file is not valid ({e})")))?;
    to_js(&settings)
}

/// Whether the bytes are a workbook (.xlsx, .xls, .ods) rather than delimited text.
#[wasm_bindgen]
pub fn is_workbook(bytes: &[u8]) -> bool {
    crate::data::is_workbook(bytes)
}

/// Whether this module reads workbooks: the page's first module does not (it is half the size)
/// and the page loads the full module when the user opens a workbook.
#[wasm_bindgen]
pub fn reads_workbooks() -> bool {
    crate::READS_WORKBOOKS
}

/// A loaded table and the last report.
#[wasm_bindgen]
pub struct Workspace {
    table: Table,
    report: Option<Report>,
    /// Milliseconds of each stage of the last analysis (`analyze_with_stages`), for the page's
    /// timings.
    stages: Vec<(String, f64)>,
}

#[wasm_bindgen]
impl Workspace {
    /// Reads a file's bytes.
    pub fn open(bytes: &[u8], file_name: &str) -> Result<Workspace, JsError> {
        let table = crate::read_table(bytes, file_name).map_err(js_error)?;
        Ok(Workspace {
            table,
            report: None,
            stages: Vec::new(),
        })
    }

    /// Reads one sheet of a workbook (see `detected().sheets` for the names).
    pub fn open_sheet(bytes: &[u8], file_name: &str, sheet: &str) -> Result<Workspace, JsError> {
        let table = crate::read_table_sheet(bytes, file_name, Some(sheet)).map_err(js_error)?;
        Ok(Workspace {
            table,
            report: None,
            stages: Vec::new(),
        })
    }

    /// Reads a file's bytes with reading choices: `{"sheet", "delimiter", "encoding",
    /// "decimal", "thousands"}` as in a settings file's `input` (missing fields, `undefined` or
    /// `null` mean auto).
    pub fn open_with(
        bytes: &[u8],
        file_name: &str,
        options: JsValue,
    ) -> Result<Workspace, JsError> {
        let options: crate::data::ReadOptions = if options.is_undefined() || options.is_null() {
            crate::data::ReadOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(|e| {
                JsError::new(&format!(
                    "the reading options are not valid ({e}); expected {{\"delimiter\": \"auto\" | \",\" | \";\" | \"tab\" | \"|\", \"encoding\": \"auto\" | \"utf-8\" | \"windows-1252\" | \"utf-16le\" | \"utf-16be\", \"decimal\": \"auto\" | \"point\" | \"comma\", \"thousands\": \"auto\" | \"none\" | \"comma\" | \"point\" | \"space\" | \"apostrophe\", \"sheet\": name}}"
                ))
            })?
        };
        let table = crate::read_table_with(bytes, file_name, &options).map_err(js_error)?;
        Ok(Workspace {
            table,
            report: None,
            stages: Vec::new(),
        })
    }

    #[wasm_bindgen(getter)]
    pub fn file_name(&self) -> String {
        self.table.file_name.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn n_rows(&self) -> usize {
        self.table.n_rows()
    }

    /// Column summaries (name, letter, kind, distinct values, missing count).
    pub fn columns(&self) -> Result<JsValue, JsError> {
        to_js(&self.table.column_info())
    }

    /// The column types (integer, number, date, text, empty), missing counts and the first
    /// `max_rows` rows as shown (missing cells empty).
    pub fn preview(&self, max_rows: usize) -> Result<JsValue, JsError> {
        to_js(&self.table.preview(max_rows))
    }

    /// What the reader detected (format, delimiter, encoding, BOM).
    pub fn detected(&self) -> Result<JsValue, JsError> {
        to_js(&self.table.detected)
    }

    /// Default settings guessed from the header names.
    pub fn guess_settings(&self) -> Result<JsValue, JsError> {
        to_js(&crate::report::guess::guess_settings(&self.table))
    }

    /// The levels of a column as the analysis orders them (sorted; numerically when all are
    /// numbers), e.g. for the page's reference-level and group-order pickers.
    pub fn levels(&self, column: &str) -> Result<JsValue, JsError> {
        let factor = crate::report::prepare::factor(&self.table, column, None).map_err(js_error)?;
        to_js(&factor.levels)
    }

    /// Runs the analysis; keeps the report for `report_json` and the figures.
    pub fn analyze(&mut self, settings: JsValue) -> Result<JsValue, JsError> {
        let settings: Settings = serde_wasm_bindgen::from_value(settings)
            .map_err(|e| JsError::new(&format!("the settings are not valid ({e})")))?;
        let mut stages = Vec::new();
        let mut last = now_ms();
        let report = analyze_with_stages(&self.table, &settings, &mut |name| {
            let now = now_ms();
            stages.push((name.to_string(), now - last));
            last = now;
        })
        .map_err(js_error)?;
        self.stages = stages;
        let out = to_js(&report);
        self.report = Some(report);
        out
    }

    /// Milliseconds of each stage of the last analysis, as `[[stage, ms], …]` in order (the
    /// stages of `survcalc analyze --timings`).
    pub fn stage_timings(&self) -> Result<JsValue, JsError> {
        to_js(&self.stages)
    }

    /// The last report as the JSON text the CLI prints with `--json`.
    pub fn report_json(&self) -> Result<String, JsError> {
        self.report
            .as_ref()
            .map(crate::report_json)
            .ok_or_else(|| JsError::new("no analysis has run yet"))
    }

    /// A display table of the last report as CSV (`id` as in `report.display.tables`).
    pub fn table_csv(&self, id: &str) -> Result<String, JsError> {
        let report = self.last()?;
        let table = report
            .display
            .tables
            .iter()
            .find(|t| t.id == id)
            .ok_or_else(|| JsError::new(&format!("there is no table \"{id}\"")))?;
        Ok(crate::report::export::table_csv(table))
    }

    /// The Kaplan–Meier tables of an endpoint as CSV (unrounded).
    pub fn steps_csv(&self, endpoint: usize) -> Result<String, JsError> {
        Ok(crate::report::export::steps_csv(self.endpoint(endpoint)?))
    }

    /// The per-row derivation log of a date endpoint as CSV.
    pub fn derivation_csv(&self, endpoint: usize) -> Result<String, JsError> {
        Ok(crate::report::export::derivation_csv(
            self.endpoint(endpoint)?,
        ))
    }

    /// The Kaplan–Meier figure of endpoint `endpoint` of the last report, as SVG text.
    pub fn km_svg(&self, endpoint: usize) -> Result<String, JsError> {
        let settings = &self.last()?.settings;
        Ok(km_svg(
            self.endpoint(endpoint)?,
            &settings.plot_for(endpoint),
            settings.p_style,
        ))
    }

    /// The waterfall plot of the settings' best-change column, coloured by group (None without
    /// a waterfall column).
    pub fn waterfall_svg(&self) -> Result<Option<String>, JsError> {
        let s = &self.last()?.settings;
        match &s.waterfall {
            Some(col) => {
                crate::plot::waterfall::waterfall_svg(&self.table, col, s.group.as_deref())
                    .map(Some)
                    .map_err(js_error)
            }
            None => Ok(None),
        }
    }

    /// The swimmer plot of endpoint `endpoint` of the last report.
    pub fn swimmer_svg(&self, endpoint: usize) -> Result<String, JsError> {
        let label = self.last()?.settings.swimmer_label.clone();
        crate::plot::waterfall::swimmer_svg(&self.table, self.endpoint(endpoint)?, label.as_deref())
            .map_err(js_error)
    }

    /// The forest plot of the endpoint's Cox model (multivariable if fitted), if any.
    pub fn forest_svg(&self, endpoint: usize) -> Result<Option<String>, JsError> {
        let style = self.last()?.settings.p_style;
        Ok(crate::plot::forest::forest_svg(
            self.endpoint(endpoint)?,
            style,
        ))
    }
}

impl Workspace {
    fn last(&self) -> Result<&Report, JsError> {
        self.report
            .as_ref()
            .ok_or_else(|| JsError::new("no analysis has run yet"))
    }

    fn endpoint(&self, endpoint: usize) -> Result<&crate::report::types::EndpointReport, JsError> {
        self.last()?
            .endpoints
            .get(endpoint)
            .ok_or_else(|| JsError::new(&format!("there is no endpoint {}", endpoint + 1)))
    }
}
