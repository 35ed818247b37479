//! Endpoints derived from dates: start date, event date(s) and last-contact date → a duration
//! and an event flag, with a data cut-off, every row's derivation logged.
//!
//! For each row: the event date is the earliest of the event-date columns (e.g. progression or
//! death for PFS). With a cut-off, an event after the cut-off does not count and follow-up ends
//! at the cut-off. Without a (counted) event the row is censored at its last-contact date (or
//! the cut-off if earlier). Time = (end − start) in days ÷ the unit's days (month = 30.4375).
//! Rows are excluded, with the reason in the log, when the start date is missing, when an event
//! date precedes the start, when neither an event nor a last-contact date is given, or when the
//! last contact precedes the start. A cell that is not a date is an error naming it.

use serde::{Deserialize, Serialize};

use super::prepare::EndpointColumns;
use crate::data::dates::{detect_order, format_date, parse_date, DateOrder, Days, TimeUnit};
use crate::data::value::is_missing;
use crate::data::Table;
use crate::error::{Error, ErrorKind, Result};

/// How to build an endpoint from date columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateEndpoint {
    /// Column of the start date (e.g. start of the treatment line).
    pub start: String,
    /// Columns of event dates; the earliest non-missing one is the event.
    pub events: Vec<String>,
    /// Column of the last-contact (or last follow-up) date.
    pub last_contact: Option<String>,
    #[serde(default)]
    pub unit: TimeUnit,
    /// Data cut-off date (ISO `YYYY-MM-DD`).
    #[serde(default)]
    pub cutoff: Option<String>,
    #[serde(default)]
    pub date_order: DateOrder,
}

/// One row's derivation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivationRow {
    /// 1-based row of the file.
    pub row: usize,
    pub start: Option<String>,
    pub event_date: Option<String>,
    /// The column the event date came from.
    pub event_source: Option<String>,
    pub last_contact: Option<String>,
    /// Where follow-up ends (event, last contact or cut-off).
    pub end: Option<String>,
    pub time: Option<f64>,
    pub event: Option<bool>,
    /// Why the row was excluded, or what was adjusted (cut-off), if anything.
    pub note: Option<String>,
}

fn date_column(
    table: &Table,
    column: &str,
    order: DateOrder,
) -> Result<(Vec<Option<Days>>, DateOrder)> {
    let c = table.column_index(column)?;
    let order = match order {
        DateOrder::Auto => detect_order(table.columns[c].iter()),
        o => o,
    };
    let mut out = Vec::with_capacity(table.n_rows());
    for (r, cell) in table.columns[c].iter().enumerate() {
        if is_missing(cell) {
            out.push(None);
            continue;
        }
        match parse_date(cell, order) {
            Some(d) => out.push(Some(d)),
            None => {
                return Err(Error::new(ErrorKind::Value, "this cell is not a date")
                    .with_hint("write dates as YYYY-MM-DD (or DD/MM/YYYY, 4 Mar 2021); leave the cell empty if unknown")
                    .at(table.location(r, c)))
            }
        }
    }
    Ok((out, order))
}

/// Derives the time and event columns, and the log.
///
/// # Errors
/// `MissingColumn` for an unknown column, `Value` for a cell that is not a date, `Settings` for
/// an invalid cut-off or no event column.
pub fn derive(table: &Table, spec: &DateEndpoint) -> Result<(EndpointColumns, Vec<DerivationRow>)> {
    if spec.events.is_empty() && spec.last_contact.is_none() {
        return Err(Error::settings(
            "a date endpoint needs event-date or last-contact columns",
        ));
    }
    let cutoff = match &spec.cutoff {
        Some(c) if !c.trim().is_empty() => {
            Some(parse_date(c, DateOrder::DayFirst).ok_or_else(|| {
                Error::settings(format!("the cut-off date \"{c}\" is not a date"))
                    .with_hint("write it as YYYY-MM-DD")
            })?)
        }
        _ => None,
    };
    let (start, _) = date_column(table, &spec.start, spec.date_order)?;
    let events: Vec<Vec<Option<Days>>> = spec
        .events
        .iter()
        .map(|e| date_column(table, e, spec.date_order).map(|x| x.0))
        .collect::<Result<_>>()?;
    let last = match &spec.last_contact {
        Some(l) => Some(date_column(table, l, spec.date_order)?.0),
        None => None,
    };
    let unit = spec.unit.days();
    let mut time = Vec::with_capacity(table.n_rows());
    let mut event = Vec::with_capacity(table.n_rows());
    let mut log = Vec::with_capacity(table.n_rows());
    for r in 0..table.n_rows() {
        let s = start[r];
        let (ev_date, ev_src) = events
            .iter()
            .zip(&spec.events)
            .filter_map(|(col, name)| col[r].map(|d| (d, name)))
            .min_by_key(|(d, _)| *d)
            .map_or((None, None), |(d, n)| (Some(d), Some(n.clone())));
        let lc = last.as_ref().and_then(|l| l[r]);
        let mut row = DerivationRow {
            row: table.row_lines[r],
            start: s.map(format_date),
            event_date: ev_date.map(format_date),
            event_source: ev_src,
            last_contact: lc.map(format_date),
            end: None,
            time: None,
            event: None,
            note: None,
        };
        let result: std::result::Result<(Days, bool, Option<String>), String> = (|| {
            let s = s.ok_or("start date missing")?;
            let counted_event = match (ev_date, cutoff) {
                (Some(e), Some(c)) if e > c => None,
                (e, _) => e,
            };
            if let Some(e) = counted_event {
                if e < s {
                    return Err("event date before the start date".to_string());
                }
                let note = match lc {
                    Some(l) if l < e => {
                        Some("last contact before the event date (event used)".to_string())
                    }
                    _ => None,
                };
                return Ok((e, true, note));
            }
            let mut note =
                ev_date.map(|_| "event after the cut-off: censored at the cut-off".to_string());
            let end = match (lc, cutoff) {
                (Some(l), Some(c)) if l > c => {
                    note.get_or_insert_with(|| "follow-up ends at the cut-off".to_string());
                    c
                }
                (Some(l), _) => l,
                (None, Some(c)) if ev_date.is_some() => c,
                (None, _) => return Err("no event date and no last-contact date".to_string()),
            };
            if end < s {
                return Err("last contact (or cut-off) before the start date".to_string());
            }
            Ok((end, false, note))
        })();
        match result {
            Ok((end, ev, note)) => {
                let t = (end - s.unwrap_or(end)) as f64 / unit;
                row.end = Some(format_date(end));
                row.time = Some(t);
                row.event = Some(ev);
                row.note = note;
                time.push(Some(t));
                event.push(Some(ev));
            }
            Err(reason) => {
                row.note = Some(reason);
                time.push(None);
                event.push(None);
            }
        }
        log.push(row);
    }
    Ok((
        EndpointColumns {
            time,
            event,
            event_values: vec!["event date".to_string()],
            censor_values: vec!["last contact".to_string()],
        },
        log,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let csv = "id,start,prog,death,last\n\
                   1,2020-01-01,2020-03-01,,2020-06-01\n\
                   2,2020-01-01,,2020-02-01,2020-02-01\n\
                   3,2020-01-01,,,2020-07-01\n\
                   4,2020-01-01,2021-06-01,,2021-07-01\n\
                   5,2020-05-01,2020-04-01,,2020-06-01\n\
                   6,2020-01-01,,,\n\
                   7,,2020-01-05,,\n";
        crate::read_table(csv.as_bytes(), "d.csv").expect("reads")
    }

    fn spec(cutoff: Option<&str>) -> DateEndpoint {
        DateEndpoint {
            start: "start".into(),
            events: vec!["prog".into(), "death".into()],
            last_contact: Some("last".into()),
            unit: TimeUnit::Days,
            cutoff: cutoff.map(str::to_string),
            date_order: DateOrder::Auto,
        }
    }

    #[test]
    fn derives_times_events_and_reasons() {
        let (cols, log) = derive(&table(), &spec(None)).expect("derives");
        assert_eq!(cols.time[0], Some(60.0)); // 2020-01-01 → 2020-03-01 (leap year)
        assert_eq!(cols.event[0], Some(true));
        assert_eq!(log[1].event_source.as_deref(), Some("death"));
        assert_eq!(cols.time[1], Some(31.0));
        assert_eq!((cols.time[2], cols.event[2]), (Some(182.0), Some(false)));
        assert_eq!(cols.time[3], Some(517.0));
        assert_eq!(cols.time[4], None);
        assert_eq!(
            log[4].note.as_deref(),
            Some("event date before the start date")
        );
        assert_eq!(
            log[5].note.as_deref(),
            Some("no event date and no last-contact date")
        );
        assert_eq!(log[6].note.as_deref(), Some("start date missing"));
        assert_eq!(log[0].row, 2);
    }

    #[test]
    fn cutoff_censors_later_events() {
        let (cols, log) = derive(&table(), &spec(Some("2020-12-31"))).expect("derives");
        // Row 4's progression (2021-06-01) is after the cut-off: censored at the cut-off.
        assert_eq!(cols.event[3], Some(false));
        assert_eq!(cols.time[3], Some(365.0));
        assert!(log[3].note.as_deref().unwrap_or("").contains("cut-off"));
        // Earlier events are unchanged.
        assert_eq!(cols.time[0], Some(60.0));
    }

    #[test]
    fn months_and_bad_cells() {
        let mut s = spec(None);
        s.unit = TimeUnit::Months;
        let (cols, _) = derive(&table(), &s).expect("derives");
        assert!((cols.time[0].unwrap_or(0.0) - 60.0 / 30.4375).abs() < 1e-15);
        let bad = crate::read_table(b"start,last\n2020-01-01,soon\n", "b.csv").expect("reads");
        let e = derive(
            &bad,
            &DateEndpoint {
                events: vec![],
                ..spec(None)
            }
            .clone_with_last("last"),
        )
        .expect_err("not a date");
        assert_eq!(e.location.row, Some(2));
        assert_eq!(e.location.value.as_deref(), Some("soon"));
    }

    impl DateEndpoint {
        fn clone_with_last(mut self, last: &str) -> Self {
            self.last_contact = Some(last.to_string());
            self
        }
    }
}
