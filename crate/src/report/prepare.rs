//! From table + settings to typed analysis columns, recording every excluded row and why.

use serde::{Deserialize, Serialize};

use super::settings::{EndpointSpec, Settings};
use crate::data::table::ValueCodes;
use crate::data::value::{is_missing, parse_number};
use crate::data::Table;
use crate::error::{Error, ErrorKind, Result};

/// A row left out of an analysis, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exclusion {
    /// 1-based row (line) of the file.
    pub row: usize,
    pub reason: String,
}

/// A categorical column: level index per row (None = missing) and the level names in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub column: String,
    pub levels: Vec<String>,
    pub codes: Vec<Option<usize>>,
}

/// Sort key for level names: numerically when every level is a number, else case-insensitively.
pub fn sort_levels(levels: &mut [String]) {
    if levels.iter().all(|l| parse_number(l).is_some()) {
        levels.sort_by(|a, b| {
            let (x, y) = (
                parse_number(a).unwrap_or(0.0),
                parse_number(b).unwrap_or(0.0),
            );
            x.total_cmp(&y)
        });
    } else {
        levels.sort_by(|a, b| {
            a.to_lowercase()
                .cmp(&b.to_lowercase())
                .then_with(|| a.cmp(b))
        });
    }
}

/// Reads a column as a factor. Levels are `order` if given (every value must be one of them),
/// else the sorted distinct values.
///
/// # Errors
/// `MissingColumn`; `Settings` when `order` names a level that is absent or misses a value.
pub fn factor(table: &Table, column: &str, order: Option<&[String]>) -> Result<Factor> {
    // Each cell's level in order of first appearance, coded once per table.
    let c = table.column_index(column)?;
    let coded = table.value_codes(c);
    let mut levels: Vec<String> = coded.values.clone();
    let appearance = levels.clone();
    if let Some(order) = order {
        for l in &levels {
            if !order.contains(l) {
                return Err(Error::settings(format!(
                    "the level \"{l}\" of column \"{column}\" is not in the level order given"
                ))
                .with_hint("list every level of the column, or leave the order empty"));
            }
        }
        for l in order {
            if !levels.contains(l) {
                return Err(Error::settings(format!(
                    "the level \"{l}\" is not a value of column \"{column}\""
                ))
                .with_hint(format!("the values are {}", levels.join(", "))));
            }
        }
        levels = order.to_vec();
    } else {
        sort_levels(&mut levels);
    }
    // first-appearance id → index in the final level order
    let index: std::collections::HashMap<&str, usize> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let remap: Vec<Option<usize>> = appearance
        .iter()
        .map(|l| index.get(l.as_str()).copied())
        .collect();
    let codes = coded
        .codes
        .iter()
        .map(|&k| {
            if k == ValueCodes::MISSING {
                None
            } else {
                remap[k as usize]
            }
        })
        .collect();
    Ok(Factor {
        column: column.to_string(),
        levels,
        codes,
    })
}

/// Reads a numeric column: `None` for missing cells.
///
/// # Errors
/// `Value` at the first cell that is neither missing nor a number.
pub fn numeric(table: &Table, column: &str, what: &str) -> Result<Vec<Option<f64>>> {
    let c = table.column_index(column)?;
    table
        .numbers(c)
        .iter()
        .enumerate()
        .map(|(r, &value)| {
            if !value.is_nan() {
                return Ok(Some(value));
            }
            let cell = table.cell(r, c);
            if is_missing(cell) {
                return Ok(None);
            }
            let hint = if cell.contains(['\n', '\r']) {
                "this cell runs over a line break: a quote (\") that opens it is probably never closed; close or remove it in the file".to_string()
            } else {
                format!(
                    "every cell of \"{column}\" must be a number or empty; fix the cell or mark it missing (empty or NA)"
                )
            };
            Err(
                Error::new(ErrorKind::Value, format!("the {what} is not a number"))
                    .with_hint(hint)
                    .at(table.location(r, c)),
            )
        })
        .collect()
}

/// The typed columns of one endpoint, over all rows of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointColumns {
    pub time: Vec<Option<f64>>,
    pub event: Vec<Option<bool>>,
    /// The values that were taken to mean "event".
    pub event_values: Vec<String>,
    /// The value taken to mean "censored" (if any row is censored).
    pub censor_values: Vec<String>,
}

const TRUE_WORDS: &[&str] = &[
    "1",
    "true",
    "yes",
    "y",
    "event",
    "dead",
    "died",
    "death",
    "progressed",
    "progression",
    "relapse",
];

/// Guesses which value(s) of an event column mean "event": 1 of 0/1, 2 of 1/2 (R's `Surv`
/// convention), TRUE of TRUE/FALSE, and words such as yes/dead/event.
pub fn guess_event_values(distinct: &[String]) -> Option<Vec<String>> {
    let nums: Option<Vec<f64>> = distinct.iter().map(|d| parse_number(d)).collect();
    if let Some(nums) = nums {
        if nums.iter().all(|&v| v == 0.0 || v == 1.0) {
            return distinct
                .iter()
                .find(|d| parse_number(d) == Some(1.0))
                .map(|d| vec![d.clone()])
                .or(Some(vec!["1".to_string()]));
        }
        if nums.iter().all(|&v| v == 1.0 || v == 2.0) {
            return distinct
                .iter()
                .find(|d| parse_number(d) == Some(2.0))
                .map(|d| vec![d.clone()]);
        }
        return None;
    }
    if distinct.len() <= 2 {
        let hits: Vec<String> = distinct
            .iter()
            .filter(|d| TRUE_WORDS.contains(&d.to_lowercase().as_str()))
            .cloned()
            .collect();
        if hits.len() == 1 {
            return Some(hits);
        }
    }
    None
}

/// Reads the time and event columns of an endpoint.
///
/// # Errors
/// `Value` for a non-numeric or negative time, or for an event value that is neither one of
/// the event values nor the single censoring value; `Settings` when the event coding cannot be
/// guessed.
pub fn endpoint_columns(table: &Table, spec: &EndpointSpec) -> Result<EndpointColumns> {
    let tc = table.column_index(&spec.time)?;
    let time = numeric(table, &spec.time, "time")?;
    for (r, t) in time.iter().enumerate() {
        if let Some(t) = t {
            if *t < 0.0 {
                return Err(Error::new(ErrorKind::Value, "the time is negative")
                    .with_hint("times are durations from the start of follow-up and must be 0 or more; check the dates this duration came from")
                    .at(table.location(r, tc)));
            }
        }
    }
    let ec = table.column_index(&spec.event)?;
    let coded = table.value_codes(ec);
    let distinct = &coded.values;
    let event_values = if spec.event_values.is_empty() {
        guess_event_values(distinct).ok_or_else(|| {
            Error::settings(format!(
                "which value of \"{}\" means an event is not clear",
                spec.event
            ))
            .with_hint(format!(
                "choose the event value(s); the column holds {}",
                distinct
                    .iter()
                    .take(10)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?
    } else {
        spec.event_values
            .iter()
            .map(|v| v.trim().to_string())
            .collect()
    };
    let is_event = |v: &str| {
        event_values.iter().any(|e| {
            e == v || matches!((parse_number(e), parse_number(v)), (Some(a), Some(b)) if a == b)
        })
    };
    // Each distinct value is classified once; rows then only find their value among the few.
    let distinct_is_event: Vec<bool> = distinct.iter().map(|d| is_event(d)).collect();
    let mut censor_values: Vec<String> = Vec::new();
    let mut censor_code: Option<usize> = None;
    let mut event = Vec::with_capacity(table.n_rows());
    for (r, &k) in coded.codes.iter().enumerate() {
        if k == ValueCodes::MISSING {
            event.push(None);
            continue;
        }
        let k = k as usize;
        if distinct_is_event[k] {
            event.push(Some(true));
            continue;
        }
        match censor_code {
            None => {
                censor_code = Some(k);
                censor_values.push(distinct[k].clone());
            }
            Some(c) if c != k => {
                return Err(Error::new(
                    ErrorKind::Value,
                    format!(
                        "the event column has a third value besides the event value ({}) and the censoring value \"{}\"",
                        event_values.join(", "),
                        censor_values[0]
                    ),
                )
                .with_hint("choose every value that means an event in \"Event value\", or correct the cell")
                .at(table.location(r, ec)));
            }
            Some(_) => {}
        }
        event.push(Some(false));
    }
    Ok(EndpointColumns {
        time,
        event,
        event_values,
        censor_values,
    })
}

/// Frequency weights: `None` for missing cells.
///
/// # Errors
/// `Value` for a non-numeric or negative weight.
pub fn weights(table: &Table, settings: &Settings) -> Result<Option<Vec<Option<f64>>>> {
    let Some(col) = &settings.weight else {
        return Ok(None);
    };
    let c = table.column_index(col)?;
    let w = numeric(table, col, "weight")?;
    for (r, v) in w.iter().enumerate() {
        if matches!(v, Some(x) if *x < 0.0) {
            return Err(Error::new(ErrorKind::Value, "the weight is negative")
                .with_hint("weights are counts of identical rows and must be 0 or more")
                .at(table.location(r, c)));
        }
    }
    Ok(Some(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn numeric_columns_are_parsed_once_and_still_name_a_bad_cell() {
        let t = crate::read_table(b"time,x\n1.5,a\nNA,2\n,3\n7,4\n", "t.csv").expect("reads");
        let first = numeric(&t, "time", "time").expect("numbers");
        assert_eq!(first, vec![Some(1.5), None, None, Some(7.0)]);
        // The second read is served from the cache: the same numbers, the same slice.
        let cached = t.numbers(0).as_ptr();
        assert_eq!(numeric(&t, "time", "time").expect("numbers"), first);
        assert_eq!(t.numbers(0).as_ptr(), cached);
        // A cell that swallowed lines after an unclosed quote says so.
        let q = crate::read_table(b"time\n5\n\"8\n12\n", "q.csv").expect("reads");
        let text = numeric(&q, "time", "time").expect_err("quote").to_string();
        assert!(
            text.contains("never closed") && text.contains("8\\n12"),
            "{text}"
        );
        // A text cell is an error naming its row and column, however often it is asked for.
        for _ in 0..2 {
            let e = numeric(&t, "x", "covariate").expect_err("text");
            let text = e.to_string();
            assert!(text.contains("row 2") && text.contains("\"x\""), "{text}");
        }
    }

    #[test]
    fn guesses_event_coding() {
        assert_eq!(guess_event_values(&s(&["0", "1"])), Some(s(&["1"])));
        assert_eq!(guess_event_values(&s(&["1", "2"])), Some(s(&["2"])));
        assert_eq!(guess_event_values(&s(&["1"])), Some(s(&["1"])));
        assert_eq!(guess_event_values(&s(&["yes", "no"])), Some(s(&["yes"])));
        assert_eq!(guess_event_values(&s(&["0", "1", "2"])), None);
        assert_eq!(guess_event_values(&s(&["a", "b"])), None);
    }

    #[test]
    fn level_order() {
        let mut l = s(&["10", "9", "2"]);
        sort_levels(&mut l);
        assert_eq!(l, s(&["2", "9", "10"]));
        let mut l = s(&["PRRT", "everolimus", "CAPTEM", "EP"]);
        sort_levels(&mut l);
        assert_eq!(l, s(&["CAPTEM", "EP", "everolimus", "PRRT"]));
    }
}
