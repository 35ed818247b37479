//! The cohort table ("Table 1"): each variable per group and overall.
//!
//! * Continuous variables: n, missing, median with the quartiles (IQR), range, mean and SD.
//!   Quartiles are R's default `quantile(x, type = 7)`: linear interpolation between order
//!   statistics at position 1 + (n − 1)·p; SD has the n − 1 denominator (R `sd`).
//! * Categorical variables: n (%) per level, percentages of the non-missing rows, and the
//!   missing count.
//!
//! With frequency weights, a row of integer weight k counts as k rows (non-integer weights
//! are rejected earlier for the table, which states so in a note).
//!
//! Which columns: those chosen, or by default every column that is not an analysis role and
//! is not an identifier or a date: numbers with more than five distinct values are continuous,
//! numbers with at most five and text with at most twelve distinct values are categorical.

use serde::{Deserialize, Serialize};

use super::prepare::{sort_levels, Factor};
use super::settings::Settings;
use crate::data::value::{is_missing, parse_number};
use crate::data::Table;
use crate::error::Result;

/// Summary of a continuous variable in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContinuousSummary {
    pub group: String,
    pub n: f64,
    pub missing: f64,
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
}

/// Counts of a categorical variable in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoricalSummary {
    pub group: String,
    /// Non-missing rows.
    pub n: f64,
    pub missing: f64,
    /// Count per level, in the order of `levels`.
    pub counts: Vec<f64>,
    /// Fraction of the non-missing rows per level (null when n = 0).
    pub fractions: Vec<Option<f64>>,
}

/// One variable of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CohortVariable {
    Continuous {
        variable: String,
        groups: Vec<ContinuousSummary>,
    },
    Categorical {
        variable: String,
        levels: Vec<String>,
        groups: Vec<CategoricalSummary>,
    },
}

/// The cohort table: groups in order, then "Overall".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortTable {
    pub groups: Vec<String>,
    pub variables: Vec<CohortVariable>,
}

/// R `quantile(x, p, type = 7)` of sorted values.
pub fn quantile_type7(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

fn continuous(group: &str, values: &[f64], missing: f64) -> ContinuousSummary {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len() as f64;
    let mean = (n > 0.0).then(|| v.iter().sum::<f64>() / n);
    let sd = mean
        .filter(|_| n > 1.0)
        .map(|m| (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0)).sqrt());
    ContinuousSummary {
        group: group.to_string(),
        n,
        missing,
        median: quantile_type7(&v, 0.5),
        q1: quantile_type7(&v, 0.25),
        q3: quantile_type7(&v, 0.75),
        min: v.first().copied(),
        max: v.last().copied(),
        mean,
        sd,
    }
}

fn looks_like_date(cell: &str) -> bool {
    let t = cell.trim();
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    let seps = t.chars().filter(|c| matches!(c, '-' | '/' | '.')).count();
    t.len() >= 6 && digits >= 4 && seps >= 2 && parse_number(t).is_none()
}

/// Most variables the cohort table takes by itself; a wider file's table lists the first ones
/// and the report says so (the user can choose any others).
pub const MAX_DEFAULT_VARIABLES: usize = 60;

/// The default variables: every column that is not a role, an identifier or a date, at most
/// [`MAX_DEFAULT_VARIABLES`]; the flag says whether more columns would have qualified.
pub fn default_variables(table: &Table, settings: &Settings) -> (Vec<String>, bool) {
    let mut roles: Vec<&str> = Vec::new();
    for e in &settings.endpoints {
        roles.push(&e.time);
        roles.push(&e.event);
    }
    for r in [
        &settings.group,
        &settings.response,
        &settings.weight,
        &settings.cluster,
        &settings.strata,
    ]
    .into_iter()
    .flatten()
    {
        roles.push(r);
    }
    let mut out = Vec::new();
    for (c, name) in table.headers.iter().enumerate() {
        if roles.contains(&name.as_str()) {
            continue;
        }
        let lname = name.to_lowercase();
        if lname == "id"
            || lname.ends_with("_id")
            || lname.ends_with("date")
            || lname.contains("date_")
        {
            continue;
        }
        let cells: Vec<&str> = table.columns[c]
            .iter()
            .map(|s| s.trim())
            .filter(|s| !is_missing(s))
            .collect();
        if cells.is_empty() || cells.iter().any(|s| looks_like_date(s)) {
            continue;
        }
        let numeric = cells.iter().all(|s| parse_number(s).is_some());
        // Text with more than 12 values (free text, identifiers) is no Table 1 variable; the
        // count stops at 13, so a million-row column costs one pass, not a sort.
        if !numeric && more_distinct_than(&cells, 12) {
            continue;
        }
        if out.len() == MAX_DEFAULT_VARIABLES {
            return (out, true);
        }
        out.push(name.clone());
    }
    (out, false)
}

/// Whether `cells` hold more than `limit` distinct values (stops counting past `limit`).
fn more_distinct_than(cells: &[&str], limit: usize) -> bool {
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for cell in cells {
        if seen.insert(cell) && seen.len() > limit {
            return true;
        }
    }
    false
}

/// Builds the cohort table for the rows with a group (all rows without a group).
///
/// # Errors
/// `MissingColumn` for an unknown variable.
pub fn cohort_table(
    table: &Table,
    variables: &[String],
    group: Option<&Factor>,
    weights: Option<&[Option<f64>]>,
) -> Result<CohortTable> {
    let n_groups = group.map_or(0, |g| g.levels.len());
    let mut group_names: Vec<String> = group.map_or_else(Vec::new, |g| g.levels.clone());
    group_names.push("Overall".to_string());
    // (group index, replication count) per row; rows without a group only count overall.
    let reps = |r: usize| -> usize {
        match weights {
            Some(w) => match w[r] {
                Some(x) if x >= 0.0 && x.fract() == 0.0 => x as usize,
                _ => 0,
            },
            None => 1,
        }
    };
    let mut out = Vec::new();
    for var in variables {
        let c = table.column_index(var)?;
        let cells = &table.columns[c];
        let numeric_cells: Vec<Option<f64>> = cells
            .iter()
            .map(|s| if is_missing(s) { None } else { parse_number(s) })
            .collect();
        let any_present = numeric_cells.iter().any(Option::is_some);
        let numeric = any_present
            && cells
                .iter()
                .zip(&numeric_cells)
                .all(|(s, v)| v.is_some() || is_missing(s));
        // The distinct texts (in order of first appearance; sorted below). A numeric column
        // with more than 5 is continuous, so counting stops there.
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut distinct: Vec<String> = Vec::new();
        for cell in cells.iter().map(str::trim).filter(|s| !is_missing(s)) {
            if seen.insert(cell) {
                distinct.push(cell.to_string());
                if numeric && distinct.len() > 5 {
                    break;
                }
            }
        }
        let continuous_var = numeric && distinct.len() > 5;
        if continuous_var {
            let mut vals: Vec<Vec<f64>> = vec![Vec::new(); n_groups + 1];
            let mut miss = vec![0.0; n_groups + 1];
            for (r, value) in numeric_cells.iter().enumerate() {
                let k = reps(r);
                let g = group.and_then(|g| g.codes[r]);
                for slot in g.into_iter().chain(std::iter::once(n_groups)) {
                    match *value {
                        Some(v) => vals[slot].extend(std::iter::repeat_n(v, k)),
                        None => miss[slot] += k as f64,
                    }
                }
            }
            out.push(CohortVariable::Continuous {
                variable: var.clone(),
                groups: (0..=n_groups)
                    .map(|i| continuous(&group_names[i], &vals[i], miss[i]))
                    .collect(),
            });
        } else {
            let mut levels = distinct;
            sort_levels(&mut levels);
            let index: std::collections::HashMap<&str, usize> = levels
                .iter()
                .enumerate()
                .map(|(i, l)| (l.as_str(), i))
                .collect();
            let mut counts = vec![vec![0.0; levels.len()]; n_groups + 1];
            let mut miss = vec![0.0; n_groups + 1];
            for (r, cell) in cells.iter().enumerate() {
                let k = reps(r) as f64;
                let g = group.and_then(|g| g.codes[r]);
                let cell = cell.trim();
                let level = if is_missing(cell) {
                    None
                } else {
                    index.get(cell).copied()
                };
                for slot in g.into_iter().chain(std::iter::once(n_groups)) {
                    match level {
                        Some(l) => counts[slot][l] += k,
                        None => miss[slot] += k,
                    }
                }
            }
            out.push(CohortVariable::Categorical {
                variable: var.clone(),
                levels: levels.clone(),
                groups: (0..=n_groups)
                    .map(|i| {
                        let n: f64 = counts[i].iter().fold(0.0, |a, b| a + b);
                        CategoricalSummary {
                            group: group_names[i].clone(),
                            n,
                            missing: miss[i],
                            counts: counts[i].clone(),
                            fractions: counts[i]
                                .iter()
                                .map(|&x| (n > 0.0).then(|| x / n))
                                .collect(),
                        }
                    })
                    .collect(),
            });
        }
    }
    Ok(CohortTable {
        groups: group_names,
        variables: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_quantiles_match_r() {
        // R: quantile(c(1, 2, 4, 7, 11), c(.25, .5, .75)) = 2, 4, 7
        let v = [1.0, 2.0, 4.0, 7.0, 11.0];
        assert_eq!(quantile_type7(&v, 0.25), Some(2.0));
        assert_eq!(quantile_type7(&v, 0.5), Some(4.0));
        // R: quantile(c(1, 2, 4, 7), .5) = 3; quantile(c(1,2,4,7), .25) = 1.75
        let w = [1.0, 2.0, 4.0, 7.0];
        assert_eq!(quantile_type7(&w, 0.5), Some(3.0));
        assert_eq!(quantile_type7(&w, 0.25), Some(1.75));
        assert_eq!(quantile_type7(&[], 0.5), None);
    }

    #[test]
    fn a_wide_file_gets_the_first_columns_and_says_there_are_more() {
        let settings = |time: &str| Settings {
            endpoints: vec![crate::report::EndpointSpec {
                name: "OS".into(),
                time: time.into(),
                event: "status".into(),
                event_values: vec![],
                dates: None,
                plot: None,
            }],
            ..Settings::default()
        };
        let table = |extra: usize| {
            let mut header = vec!["time".to_string(), "status".to_string(), "id".to_string()];
            header.extend((0..extra).map(|i| format!("v{i}")));
            let mut text = header.join(",") + "\n";
            for r in 0..4 {
                let mut row = vec![format!("{}", r + 1), "1".into(), format!("P{r}")];
                row.extend((0..extra).map(|i| format!("{}", (r + i) % 3)));
                text += &(row.join(",") + "\n");
            }
            crate::read_table(text.as_bytes(), "wide.csv").expect("reads")
        };
        let (vars, more) = default_variables(&table(5), &settings("time"));
        assert_eq!((vars.len(), more), (5, false));
        let (vars, more) = default_variables(&table(MAX_DEFAULT_VARIABLES), &settings("time"));
        assert_eq!((vars.len(), more), (MAX_DEFAULT_VARIABLES, false));
        let (vars, more) = default_variables(&table(10_000), &settings("time"));
        assert_eq!((vars.len(), more), (MAX_DEFAULT_VARIABLES, true));
        assert_eq!(vars.first().map(String::as_str), Some("v0"));
    }

    #[test]
    fn mean_and_sd() {
        let s = continuous("all", &[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], 1.0);
        assert_eq!(s.mean, Some(5.0));
        // R: sd(c(2,4,4,4,5,5,7,9)) = 2.13809
        assert!((s.sd.unwrap_or(0.0) - (32.0f64 / 7.0).sqrt()).abs() < 1e-14);
        assert_eq!((s.min, s.max, s.missing), (Some(2.0), Some(9.0), 1.0));
    }
}
