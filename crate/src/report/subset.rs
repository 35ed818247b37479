//! Subsets: restrict an analysis to the rows that match simple conditions, such as
//! `line_number = 1` and `primary_site = pancreas`. Rows outside the subset are listed among an
//! endpoint's exclusions ("not in the subset: …") and left out of every table.
//!
//! A condition compares a column with a value: `=`, `!=` compare text exactly (after trimming),
//! or numerically when both sides are numbers; `<`, `<=`, `>`, `>=` need numbers; `in` takes a
//! list of values. A missing cell never matches.

use serde::{Deserialize, Serialize};

use crate::data::value::{is_missing, parse_number};
use crate::data::Table;
use crate::error::{Error, Result};

/// The comparison of a [`Condition`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "in")]
    In,
}

/// One condition on a column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub column: String,
    pub op: Op,
    /// The value(s): one for every comparison but `in`.
    pub values: Vec<String>,
}

impl Condition {
    /// Parses the CLI form `COLUMN=VALUE`, `COLUMN!=VALUE`, `COLUMN<=3`, `COLUMN in A|B|C`.
    pub fn parse(text: &str) -> Option<Condition> {
        if let Some((col, vals)) = text.split_once(" in ") {
            return Some(Condition {
                column: col.trim().to_string(),
                op: Op::In,
                values: vals.split('|').map(|v| v.trim().to_string()).collect(),
            });
        }
        for (sym, op) in [
            ("!=", Op::Ne),
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("=", Op::Eq),
            ("<", Op::Lt),
            (">", Op::Gt),
        ] {
            if let Some((col, val)) = text.split_once(sym) {
                return Some(Condition {
                    column: col.trim().to_string(),
                    op,
                    values: vec![val.trim().to_string()],
                });
            }
        }
        None
    }

    /// Why a row that fails the condition is excluded: "not in the subset (line_number = 1)".
    pub fn reason(&self) -> String {
        format!("not in the subset ({})", self.describe())
    }

    /// The condition in words, "line_number = 1".
    pub fn describe(&self) -> String {
        let sym = match self.op {
            Op::Eq => "=",
            Op::Ne => "≠",
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Ge => "≥",
            Op::In => "in",
        };
        format!("{} {sym} {}", self.column, self.values.join(", "))
    }

    fn matches(&self, cell: &str) -> bool {
        if is_missing(cell) {
            return false;
        }
        let t = cell.trim();
        let eq = |v: &str| {
            t == v.trim()
                || matches!((parse_number(t), parse_number(v)), (Some(a), Some(b)) if a == b)
        };
        let num = |f: fn(f64, f64) -> bool| match (
            parse_number(t),
            self.values.first().and_then(|v| parse_number(v)),
        ) {
            (Some(a), Some(b)) => f(a, b),
            _ => false,
        };
        match self.op {
            Op::Eq => self.values.first().is_some_and(|v| eq(v)),
            Op::Ne => !self.values.first().is_some_and(|v| eq(v)),
            Op::In => self.values.iter().any(|v| eq(v)),
            Op::Lt => num(|a, b| a < b),
            Op::Le => num(|a, b| a <= b),
            Op::Gt => num(|a, b| a > b),
            Op::Ge => num(|a, b| a >= b),
        }
    }
}

/// For each row, `None` if it is in the subset, else the index in `conditions` of the first
/// condition it fails (a `u32` a row, not a message: a million-row file with a subset would
/// otherwise hold a million strings). [`Condition::reason`] words the exclusion.
///
/// # Errors
/// `MissingColumn` for an unknown column; `Settings` for an ordering condition whose value is
/// not a number or a condition without a value.
pub fn subset_reasons(table: &Table, conditions: &[Condition]) -> Result<Vec<Option<u32>>> {
    let mut out = vec![
        None;
        if conditions.is_empty() {
            0
        } else {
            table.n_rows()
        }
    ];
    for (i, c) in conditions.iter().enumerate() {
        let col = table.column_index(&c.column)?;
        if c.values.is_empty() {
            return Err(Error::settings(format!(
                "the subset condition on \"{}\" has no value",
                c.column
            )));
        }
        if matches!(c.op, Op::Lt | Op::Le | Op::Gt | Op::Ge) && parse_number(&c.values[0]).is_none()
        {
            return Err(Error::settings(format!(
                "the subset condition \"{}\" compares with \"{}\", which is not a number",
                c.describe(),
                c.values[0]
            )));
        }
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        for (cell, reason) in table.columns[col].iter().zip(out.iter_mut()) {
            if reason.is_none() && !c.matches(cell) {
                *reason = Some(index);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_filters() {
        let t = crate::read_table(
            b"line,site\n1,pancreas\n2,pancreas\n1,small bowel\n,pancreas\n",
            "s.csv",
        )
        .expect("reads");
        let conds = vec![
            Condition::parse("line = 1").expect("parses"),
            Condition::parse("site in pancreas|rectum").expect("parses"),
        ];
        let r = subset_reasons(&t, &conds).expect("filters");
        assert_eq!(r, [None, Some(0), Some(1), Some(0)]);
        assert_eq!(conds[0].reason(), "not in the subset (line = 1)");
        assert_eq!(
            conds[1].reason(),
            "not in the subset (site in pancreas, rectum)"
        );
        assert!(subset_reasons(&t, &[]).expect("no conditions").is_empty());
        let r =
            subset_reasons(&t, &[Condition::parse("line>=2").expect("parses")]).expect("filters");
        assert_eq!(r.iter().filter(|x| x.is_none()).count(), 1);
        assert!(subset_reasons(&t, &[Condition::parse("line<abc").expect("parses")]).is_err());
        assert!(subset_reasons(&t, &[Condition::parse("nope=1").expect("parses")]).is_err());
    }
}
