//! Pearson's chi-square test of independence for an r×c table of counts.
//!
//! With row totals Rᵢ, column totals Cⱼ and grand total N, the expected counts are
//! Eᵢⱼ = RᵢCⱼ/N and X² = Σᵢⱼ (|xᵢⱼ − Eᵢⱼ| − c)² / Eᵢⱼ on (r−1)(c−1) degrees of freedom, with the
//! upper χ² tail as p-value. This is R `chisq.test(tab, correct = …)` (no simulation):
//!
//! * the continuity correction applies to 2×2 tables only, with R's c =
//!   `YATES <- min(0.5, abs(x - E))`. In a 2×2 table every |xᵢⱼ − Eᵢⱼ| is the same, so this only
//!   stops the correction from overshooting: when |x − E| < ½ the statistic is 0 (p = 1);
//!   other shapes use c = 0;
//! * R warns "Chi-squared approximation may be incorrect" when any Eᵢⱼ < 5; here that is
//!   [`ChisqTest::small_expected`] with the same text in [`ChisqTest::warning`];
//! * a zero row or column total makes some Eᵢⱼ = 0 and R's statistic NaN; here the statistic and
//!   p-value are `None`.
//!
//! SAS `PROC FREQ / CHISQ` prints the uncorrected Pearson statistic and, for 2×2 tables, a
//! "Continuity Adj. Chi-Square" with (max(0, |x − E| − ½))², which equals R's corrected value.
//! Stata `tabulate …, chi2` is uncorrected. GraphPad Prism offers Yates's correction for 2×2
//! tables as an option.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::dist::pchisq_upper;

/// R's warning text for small expected counts.
pub const SMALL_EXPECTED_WARNING: &str = "Chi-squared approximation may be incorrect";

/// The result of a chi-square test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChisqTest {
    /// X², `None` when a margin is zero (R gives NaN).
    pub statistic: Option<f64>,
    pub df: usize,
    pub p: Option<f64>,
    /// Expected counts, rows × columns.
    pub expected: Vec<Vec<f64>>,
    /// The continuity correction used (0 unless 2×2 with `correct`).
    pub correction: f64,
    /// Some expected count is below 5.
    pub small_expected: bool,
    /// R's warning when `small_expected`.
    pub warning: Option<String>,
}

/// Why the test could not be computed. Positions are 1-based.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ChisqError {
    /// Fewer than 2 rows or columns, or rows of different lengths.
    Shape { rows: usize, cols: usize },
    /// A cell is negative or not finite.
    NotCount { row: usize, col: usize, value: f64 },
}

impl fmt::Display for ChisqError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChisqError::Shape { rows, cols } => write!(
                f,
                "the chi-square test needs a table of at least 2 rows and 2 columns (found {rows}×{cols})"
            ),
            ChisqError::NotCount { row, col, value } => write!(
                f,
                "the chi-square test needs non-negative counts (row {row}, column {col} is {value})"
            ),
        }
    }
}

impl std::error::Error for ChisqError {}

/// Pearson's chi-square test of independence, with R's continuity correction for 2×2 tables
/// when `correct` is true.
///
/// # Errors
/// [`ChisqError`] for a table smaller than 2×2, ragged rows, or a negative or non-finite count.
/// Counts need not be whole numbers (weighted data).
///
/// # Examples
/// ```
/// use survcalc::response::chisq::chisq_test;
/// // R: chisq.test(matrix(c(7, 2, 13, 8), 2), correct = FALSE)$statistic = 0.7142857 (= 5/7)
/// let t = chisq_test(&[vec![7.0, 13.0], vec![2.0, 8.0]], false).unwrap();
/// assert!((t.statistic.unwrap() - 5.0 / 7.0).abs() < 1e-15);
/// assert_eq!(t.df, 1);
/// // with Yates: 0.1785714 (= 5/28)
/// let y = chisq_test(&[vec![7.0, 13.0], vec![2.0, 8.0]], true).unwrap();
/// assert!((y.statistic.unwrap() - 5.0 / 28.0).abs() < 1e-15);
/// ```
pub fn chisq_test(table: &[Vec<f64>], correct: bool) -> Result<ChisqTest, ChisqError> {
    let rows = table.len();
    let cols = table.first().map_or(0, Vec::len);
    if rows < 2 || cols < 2 || table.iter().any(|r| r.len() != cols) {
        return Err(ChisqError::Shape { rows, cols });
    }
    for (i, row) in table.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            if !(v.is_finite() && v >= 0.0) {
                return Err(ChisqError::NotCount {
                    row: i + 1,
                    col: j + 1,
                    value: v,
                });
            }
        }
    }
    let row_sums: Vec<f64> = table.iter().map(|r| r.iter().sum()).collect();
    let col_sums: Vec<f64> = (0..cols)
        .map(|j| table.iter().map(|r| r[j]).sum())
        .collect();
    let n: f64 = row_sums.iter().sum();
    // R: E <- outer(sr, sc) / n
    let expected: Vec<Vec<f64>> = row_sums
        .iter()
        .map(|&r| col_sums.iter().map(|&c| r * c / n).collect())
        .collect();
    let correction = if correct && rows == 2 && cols == 2 {
        let mut c: f64 = 0.5;
        for (xr, er) in table.iter().zip(&expected) {
            for (x, e) in xr.iter().zip(er) {
                c = c.min((x - e).abs());
            }
        }
        c
    } else {
        0.0
    };
    let df = (rows - 1) * (cols - 1);
    let any_zero = expected.iter().flatten().any(|&e| e.is_nan() || e <= 0.0);
    let small_expected = expected.iter().flatten().any(|&e| e < 5.0 || e.is_nan());
    let statistic = if any_zero {
        None
    } else {
        // Summed in R's (column-major) order.
        let mut s = 0.0;
        for j in 0..cols {
            for i in 0..rows {
                let d = (table[i][j] - expected[i][j]).abs() - correction;
                s += d * d / expected[i][j];
            }
        }
        Some(s)
    };
    let p = statistic.and_then(|s| pchisq_upper(s, df));
    Ok(ChisqTest {
        statistic,
        df,
        p,
        expected: expected
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|e| if e.is_nan() { 0.0 } else { e })
                    .collect()
            })
            .collect(),
        correction,
        small_expected,
        warning: small_expected.then(|| SMALL_EXPECTED_WARNING.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yates_shrinks_for_near_perfect_fit() {
        // E = 5 everywhere, |x − E| = 0.2 < ½: R uses YATES = 0.2 and X² = 0.
        let t =
            chisq_test(&[vec![5.2, 4.8], vec![4.8, 5.2]], true).unwrap_or_else(|e| panic!("{e}"));
        assert!((t.correction - 0.2).abs() < 1e-12);
        assert!(t.statistic.is_some_and(|s| s.abs() < 1e-20));
        assert_eq!(t.p, Some(1.0));
        assert!(!t.small_expected);
    }

    #[test]
    fn zero_margin_is_not_computed() {
        let t =
            chisq_test(&[vec![0.0, 3.0], vec![0.0, 4.0]], false).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((t.statistic, t.p), (None, None));
        assert_eq!(t.warning.as_deref(), Some(SMALL_EXPECTED_WARNING));
    }

    #[test]
    fn empty_table_has_no_nan() {
        let t =
            chisq_test(&[vec![0.0, 0.0], vec![0.0, 0.0]], true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((t.statistic, t.p), (None, None));
        assert!(t.expected.iter().flatten().all(|e| *e == 0.0));
    }

    #[test]
    fn shape_errors() {
        assert!(chisq_test(&[vec![1.0, 2.0]], false).is_err());
        assert!(chisq_test(&[vec![1.0], vec![2.0]], false).is_err());
        assert!(chisq_test(&[vec![1.0, -2.0], vec![1.0, 2.0]], false).is_err());
    }
}
