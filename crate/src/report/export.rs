//! Exports as CSV: the display tables, the Kaplan–Meier steps and the date-derivation log.
//!
//! Cells are written with the `csv` crate (quoting as needed). To keep an exported file safe to
//! open in a spreadsheet (OWASP "CSV injection"), a cell that starts with `=`, `+`, `-`, `@`, a
//! tab or a carriage return is prefixed with a single quote `'` so it is shown as text and never
//! run as a formula — unless the whole cell is a plain number (such as `-0.25`), which cannot
//! be a formula and stays a number.

use super::types::{DisplayTable, EndpointReport};
use crate::data::value::parse_number;

/// Neutralises a cell that a spreadsheet could read as a formula.
pub fn neutralise(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && parse_number(cell).is_none() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn write_rows(header: &[String], rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut write = |r: &[String]| {
        let cells: Vec<String> = r.iter().map(|c| neutralise(c)).collect();
        // Writing into a Vec cannot fail.
        let _ = w.write_record(&cells);
    };
    write(header);
    for r in rows {
        write(r);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A display table as CSV (the formatted cells, as on the page).
pub fn table_csv(table: &DisplayTable) -> String {
    write_rows(&table.columns, &table.rows)
}

fn opt(x: Option<f64>) -> String {
    x.map_or_else(String::new, |v| v.to_string())
}

/// Every curve's Kaplan–Meier table of an endpoint, unrounded.
pub fn steps_csv(ep: &EndpointReport) -> String {
    let header: Vec<String> = [
        "group",
        "time",
        "n_risk",
        "n_event",
        "n_censor",
        "survival",
        "std_err",
        "lower",
        "upper",
        "cumhaz",
        "cumhaz_std_err",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut rows = Vec::new();
    for c in ep.curves.iter().chain(std::iter::once(&ep.pooled)) {
        for s in &c.steps {
            rows.push(vec![
                c.group.clone(),
                s.time.to_string(),
                s.n_risk.to_string(),
                s.n_event.to_string(),
                s.n_censor.to_string(),
                s.survival.to_string(),
                opt(s.std_err),
                opt(s.lower),
                opt(s.upper),
                s.cumhaz.to_string(),
                s.cumhaz_std_err.to_string(),
            ]);
        }
    }
    write_rows(&header, &rows)
}

/// The per-row derivation of a date endpoint (empty if the endpoint is not derived).
pub fn derivation_csv(ep: &EndpointReport) -> String {
    let header: Vec<String> = [
        "row",
        "start",
        "event_date",
        "event_source",
        "last_contact",
        "end",
        "time",
        "event",
        "note",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows: Vec<Vec<String>> = ep
        .derivation
        .iter()
        .flatten()
        .map(|d| {
            vec![
                d.row.to_string(),
                d.start.clone().unwrap_or_default(),
                d.event_date.clone().unwrap_or_default(),
                d.event_source.clone().unwrap_or_default(),
                d.last_contact.clone().unwrap_or_default(),
                d.end.clone().unwrap_or_default(),
                opt(d.time),
                d.event
                    .map_or_else(String::new, |e| u8::from(e).to_string()),
                d.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    write_rows(&header, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1+cmd"), "'+1+cmd");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\t=1"), "'\t=1");
        assert_eq!(neutralise("-0.25"), "-0.25");
        assert_eq!(neutralise("-1e3"), "-1e3");
        assert_eq!(neutralise("CAPTEM"), "CAPTEM");
    }

    #[test]
    fn table_round_trips_through_csv() {
        let t = DisplayTable {
            id: "x".into(),
            title: "T".into(),
            columns: vec!["Group".into(), "Median (95% CI)".into()],
            rows: vec![vec!["A, \"quoted\"".into(), "31 (18–NR)".into()]],
            notes: vec![],
        };
        let text = table_csv(&t);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let rec = r
            .records()
            .next()
            .and_then(Result::ok)
            .map(|r| r.iter().map(str::to_string).collect::<Vec<_>>());
        assert_eq!(
            rec,
            Some(vec!["A, \"quoted\"".to_string(), "31 (18–NR)".to_string()])
        );
    }
}
