//! Fisher's exact test of independence for an r×2 (or 2×c) table of counts, two-sided.
//!
//! Given the margins, a table's probability is the multivariate hypergeometric
//! P(a) = Πᵢ C(nᵢ, aᵢ) / C(N, m), with aᵢ the first-column count of row i, nᵢ its row total,
//! m the first-column total and N the grand total. The two-sided p-value is the sum of P over
//! all tables with these margins whose probability is at most P(observed)·(1 + tol), as R's
//! `fisher.test(tab)$p.value` computes it:
//!
//! * 2×2: tol = 10⁻⁷ (R's `relErr <- 1 + 10^(-7)` over `dhyper`);
//! * larger tables: R calls FEXACT (Mehta & Patel's network algorithm), whose tolerance is
//!   3.45254·10⁻⁷ added to the log probability; this module uses the same.
//!
//! They differ only for tables whose probability is within 10⁻⁷–3·10⁻⁷ (relative) of the
//! observed one. SAS `PROC FREQ / EXACT FISHER` and Stata `tabulate …, exact` use the same
//! "probability ≤ observed" two-sided rule (with their own small tolerances); GraphPad Prism
//! offers Fisher's test for 2×2 tables only and defines the two-sided p-value the same way.
//!
//! **Method.** Rows are enumerated recursively. P is computed in log space as
//! Σᵢ ln b(aᵢ; nᵢ, π) − ln b(m; N, π), b the binomial probability with π = m/N evaluated by
//! Loader's algorithm (as R's `dhyper` does), which stays accurate at any N. A branch is closed
//! without enumeration when even the most probable completion of the remaining rows (found by
//! merging their concave log-probability increments) is at or below the threshold: then every
//! completion counts, and their total is b(s; Nᵣ, π) (the Vandermonde identity for binomials
//! with a common π). A branch is also dropped when even a lower bound of its completions exceeds
//! the threshold. The enumeration visits at most [`MAX_NODES`] nodes (about 9 ns each in a
//! native release build, so the cap is ~0.2 s); beyond that the test returns
//! [`FisherError::TooManyTables`] rather than run for minutes (the page is single threaded).
//! Measured node counts: 5 groups × 100 with p = 0.001, 1.8·10⁶; 4 × 250, 2·10⁵; 3 × 1000,
//! 3·10⁴; 2 × 100 000, 6·10³; but 6 × 400 with p = 0.003 would need 1.8·10⁹ and is refused.
//! (R's FEXACT merges nodes with equal remaining margins and handles some such tables; this
//! simpler enumeration is exact where it finishes, and was checked against exact integer
//! arithmetic.) Tables whose both dimensions exceed 2 are not supported.
//!
//! Counts must be whole numbers: values within 10⁻⁷ of a whole number are rounded (R rounds and
//! warns); others are an error. Frequency-weighted data with fractional weights therefore get no
//! exact test.

use std::fmt;

use super::dist::ln_dbinom;
use crate::math::{exp, ln_1p};

/// Upper bound on the nodes (partial tables) the enumeration may visit.
pub const MAX_NODES: u64 = 20_000_000;

/// 2×2 tolerance: R `fisher.test` `relErr <- 1 + 10^(-7)`.
const REL_ERR_2X2: f64 = 1e-7;
/// FEXACT's `TOL`, added to the observed log probability.
const TOL_FEXACT: f64 = 3.45254e-7;

/// The result of Fisher's exact test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FisherTest {
    /// Two-sided p-value, in (0, 1].
    pub p: f64,
    /// Nodes of the enumeration visited (a measure of the work done).
    pub nodes: u64,
}

/// Why the test could not be computed. Row and column positions are 1-based.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FisherError {
    /// Fewer than 2 rows or columns, or rows of different lengths.
    Shape { rows: usize, cols: usize },
    /// Both dimensions exceed 2 (not implemented).
    Unsupported { rows: usize, cols: usize },
    /// A cell is negative, not finite, not a whole number or too large.
    NotCount { row: usize, col: usize, value: f64 },
    /// The enumeration would visit more than `cap` nodes.
    TooManyTables { cap: u64 },
}

impl fmt::Display for FisherError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FisherError::Shape { rows, cols } => write!(
                f,
                "Fisher's exact test needs a table of at least 2 rows and 2 columns (found {rows}×{cols})"
            ),
            FisherError::Unsupported { rows, cols } => write!(
                f,
                "Fisher's exact test is implemented for r×2 and 2×c tables only (found {rows}×{cols})"
            ),
            FisherError::NotCount { row, col, value } => write!(
                f,
                "Fisher's exact test needs whole-number counts (row {row}, column {col} is {value})"
            ),
            FisherError::TooManyTables { cap } => write!(
                f,
                "Fisher's exact test was not computed: more than {cap} partial tables to enumerate"
            ),
        }
    }
}

impl std::error::Error for FisherError {}

/// Largest cell count accepted (the enumeration is linear in it at best).
const MAX_COUNT: f64 = 1e9;

/// Fisher's exact test, two-sided, for a table given as rows of counts.
///
/// # Errors
/// See [`FisherError`]: a shape other than r×2 or 2×c (r, c ≥ 2), a cell that is not a whole
/// non-negative number, or more than [`MAX_NODES`] nodes to enumerate.
///
/// # Examples
/// ```
/// use survcalc::response::fisher::fisher_exact;
/// // R: fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 0.4857143 (= 34/70)
/// let t = fisher_exact(&[vec![3.0, 1.0], vec![1.0, 3.0]]).unwrap();
/// assert!((t.p - 34.0 / 70.0).abs() < 1e-15);
/// ```
pub fn fisher_exact(table: &[Vec<f64>]) -> Result<FisherTest, FisherError> {
    let rows = table.len();
    let cols = table.first().map_or(0, Vec::len);
    if rows < 2 || cols < 2 || table.iter().any(|r| r.len() != cols) {
        return Err(FisherError::Shape { rows, cols });
    }
    if rows > 2 && cols > 2 {
        return Err(FisherError::Unsupported { rows, cols });
    }
    let mut counts = vec![vec![0_u64; cols]; rows];
    for (i, row) in table.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            let r = v.round();
            if !(v.is_finite() && v >= 0.0 && (v - r).abs() <= 1e-7 && r <= MAX_COUNT) {
                return Err(FisherError::NotCount {
                    row: i + 1,
                    col: j + 1,
                    value: v,
                });
            }
            // r is a whole number in [0, 1e9]: the conversion is exact.
            counts[i][j] = r as u64;
        }
    }
    // As pairs (first category, row total) along the longer dimension.
    let pairs: Vec<(u64, u64)> = if cols == 2 {
        counts.iter().map(|r| (r[0], r[0] + r[1])).collect()
    } else {
        (0..cols)
            .map(|j| (counts[0][j], counts[0][j] + counts[1][j]))
            .collect()
    };
    let tol = if rows == 2 && cols == 2 {
        ln_1p(REL_ERR_2X2)
    } else {
        TOL_FEXACT
    };
    fisher_rx2(&pairs, tol)
}

/// The enumeration state for an r×2 table.
struct Enumeration {
    /// Row totals, largest first.
    n: Vec<u64>,
    /// `ell[i][a]` = ln b(a; nᵢ, π).
    ell: Vec<Vec<f64>>,
    /// `suffix_n[i]` = Σ_{j ≥ i} nⱼ (with a trailing 0).
    suffix_n: Vec<u64>,
    /// `suffix_max[i][s]` = max over completions of rows i.. with sum s of Σ ell.
    suffix_max: Vec<Vec<f64>>,
    /// `suffix_min[i][s]`: the minimum (or, past a work budget, a lower bound) of Σ ell over
    /// completions of rows i.. with sum s.
    suffix_min: Vec<Vec<f64>>,
    /// ln b(·; ·, π) for the pooled remainder, with π = m/N.
    pi: f64,
    threshold: f64,
    ln_total: f64,
    sum: f64,
    nodes: u64,
}

fn fisher_rx2(pairs: &[(u64, u64)], tol: f64) -> Result<FisherTest, FisherError> {
    let mut rows: Vec<(u64, u64)> = pairs.iter().copied().filter(|&(_, n)| n > 0).collect();
    let m: u64 = rows.iter().map(|r| r.0).sum();
    let big_n: u64 = rows.iter().map(|r| r.1).sum();
    if rows.len() < 2 || m == 0 || m == big_n {
        // Only one table has these margins.
        return Ok(FisherTest { p: 1.0, nodes: 1 });
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    let pi = m as f64 / big_n as f64;
    let lb = |a: u64, n: u64| ln_dbinom(a as f64, n as f64, pi).unwrap_or(f64::NEG_INFINITY);
    let ell: Vec<Vec<f64>> = rows
        .iter()
        .map(|&(_, n)| (0..=n).map(|a| lb(a, n)).collect())
        .collect();
    let r = rows.len();
    let mut suffix_n = vec![0_u64; r + 1];
    for i in (0..r).rev() {
        suffix_n[i] = suffix_n[i + 1] + rows[i].1;
    }
    let suffix_max: Vec<Vec<f64>> = (0..r).map(|i| concave_max(&ell[i..])).collect();
    let suffix_min = concave_min(&ell, &suffix_n);
    let observed: f64 = rows
        .iter()
        .zip(&ell)
        .map(|(&(a, _), l)| l[a as usize])
        .sum();
    let mut e = Enumeration {
        n: rows.iter().map(|r| r.1).collect(),
        ell,
        suffix_n,
        suffix_max,
        suffix_min,
        pi,
        threshold: observed + tol,
        ln_total: lb(m, big_n),
        sum: 0.0,
        nodes: 0,
    };
    e.visit(0, m, 0.0)?;
    Ok(FisherTest {
        p: e.sum.min(1.0),
        nodes: e.nodes,
    })
}

impl Enumeration {
    fn visit(&mut self, i: usize, s: u64, acc: f64) -> Result<(), FisherError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(FisherError::TooManyTables { cap: MAX_NODES });
        }
        let last = self.n.len() - 1;
        if i == last {
            let v = acc + self.ell[i][s as usize];
            if v <= self.threshold {
                self.sum += exp(v - self.ln_total);
            }
            return Ok(());
        }
        if acc + self.suffix_max[i][s as usize] <= self.threshold {
            // Every completion is at most as probable as the observed table.
            let all =
                ln_dbinom(s as f64, self.suffix_n[i] as f64, self.pi).unwrap_or(f64::NEG_INFINITY);
            self.sum += exp(acc + all - self.ln_total);
            return Ok(());
        }
        if acc + self.suffix_min[i][s as usize] > self.threshold {
            return Ok(());
        }
        let lo = s.saturating_sub(self.suffix_n[i + 1]);
        let hi = self.n[i].min(s);
        for a in lo..=hi {
            let next = acc + self.ell[i][a as usize];
            self.visit(i + 1, s - a, next)?;
        }
        Ok(())
    }
}

/// For separable concave functions fⱼ on {0..nⱼ} (here log binomial probabilities, which are
/// concave in the count), the maximum of Σ fⱼ(aⱼ) subject to Σ aⱼ = s, for every s: start from
/// all aⱼ = 0 and take the increments fⱼ(k+1) − fⱼ(k) in decreasing order.
fn concave_max(fs: &[Vec<f64>]) -> Vec<f64> {
    let mut increments: Vec<f64> = fs
        .iter()
        .flat_map(|f| f.windows(2).map(|w| w[1] - w[0]))
        .collect();
    increments.sort_by(|a, b| b.total_cmp(a));
    let mut out = Vec::with_capacity(increments.len() + 1);
    let mut v: f64 = fs.iter().map(|f| f[0]).sum();
    out.push(v);
    for d in increments {
        v += d;
        out.push(v);
    }
    out
}

/// Work budget (inner-loop steps) for the exact minima of [`concave_min`].
const MIN_BUDGET: u64 = 50_000_000;

/// For separable concave fⱼ, the minimum of Σⱼ≥ᵢ fⱼ(aⱼ) subject to Σ aⱼ = s, for every suffix i
/// and every s. A concave function on a box cut by a hyperplane is minimal at a point where at
/// most one coordinate is strictly inside its range (two inner coordinates could trade units
/// along a concave line towards a smaller end), so the minimum is found among "every row empty
/// or full, except one": a dynamic programme over the rows on the subset sums of full rows.
/// If that would exceed [`MIN_BUDGET`] steps, the bound Σ minₐ fⱼ(a) (ignoring the constraint)
/// is used instead: still a valid lower bound, only less sharp.
fn concave_min(fs: &[Vec<f64>], suffix_n: &[u64]) -> Vec<Vec<f64>> {
    let r = fs.len();
    // Cost estimate: Σᵢ (suffix size) × (number of subset sums of the later rows).
    let mut work: u64 = 0;
    let mut subset_sums: u64 = 1;
    for i in (0..r).rev() {
        work = work.saturating_add((suffix_n[i] + 1).saturating_mul(subset_sums));
        subset_sums = subset_sums.saturating_mul(2).min(suffix_n[i] + 1);
    }
    if work > MIN_BUDGET {
        let mut out = vec![Vec::new(); r];
        let mut bound = 0.0;
        for i in (0..r).rev() {
            bound += fs[i].iter().copied().fold(f64::INFINITY, f64::min);
            out[i] = vec![bound; suffix_n[i] as usize + 1];
        }
        return out;
    }
    let mut out = vec![Vec::new(); r];
    // v0[σ]: min over rows i.. all empty or full with sum σ (∞ if σ is not such a sum);
    // v1[s]: min with at most one row partly filled.
    let mut v0: Vec<f64> = vec![0.0];
    let mut v1: Vec<f64> = vec![0.0];
    for i in (0..r).rev() {
        let n = fs[i].len() - 1;
        let size = suffix_n[i] as usize + 1;
        let (empty, full) = (fs[i][0], fs[i][n]);
        let mut new0 = vec![f64::INFINITY; size];
        let mut new1 = vec![f64::INFINITY; size];
        for (sigma, &v) in v0.iter().enumerate() {
            if v.is_finite() {
                new0[sigma] = new0[sigma].min(empty + v);
                new0[sigma + n] = new0[sigma + n].min(full + v);
                for (a, &f) in fs[i].iter().enumerate() {
                    new1[sigma + a] = new1[sigma + a].min(f + v);
                }
            }
        }
        for (s, &v) in v1.iter().enumerate() {
            new1[s] = new1[s].min(empty + v);
            new1[s + n] = new1[s + n].min(full + v);
        }
        out[i].clone_from(&new1);
        v0 = new0;
        v1 = new1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact binomial coefficient as f64 (fine for the small n of these tests).
    fn choose(n: u64, k: u64) -> f64 {
        let mut c: u128 = 1;
        for i in 0..k {
            c = c * u128::from(n - i) / u128::from(i + 1);
        }
        c as f64
    }

    /// Brute force over all first-column vectors, for cross-checking.
    fn brute(rows: &[(u64, u64)], tol: f64) -> f64 {
        let m: u64 = rows.iter().map(|r| r.0).sum();
        let big_n: u64 = rows.iter().map(|r| r.1).sum();
        let total = choose(big_n, m);
        let prob = |a: &[u64]| -> f64 {
            rows.iter()
                .zip(a)
                .map(|(&(_, n), &x)| choose(n, x))
                .product::<f64>()
                / total
        };
        let obs: Vec<u64> = rows.iter().map(|r| r.0).collect();
        let p_obs = prob(&obs);
        let mut sum = 0.0;
        let mut a = vec![0_u64; rows.len()];
        loop {
            if a.iter().sum::<u64>() == m {
                let p = prob(&a);
                if p <= p_obs * (1.0 + tol) {
                    sum += p;
                }
            }
            let mut k = 0;
            loop {
                if k == a.len() {
                    return sum;
                }
                if a[k] < rows[k].1 {
                    a[k] += 1;
                    break;
                }
                a[k] = 0;
                k += 1;
            }
        }
    }

    #[test]
    fn matches_brute_force() {
        let cases: [&[(u64, u64)]; 5] = [
            &[(7, 20), (2, 10), (2, 8), (2, 7), (0, 2)],
            &[(13, 20), (7, 10), (4, 8), (5, 7), (1, 2)],
            &[(0, 3), (5, 5), (1, 4)],
            &[(10, 12), (1, 11), (3, 9), (6, 6)],
            &[(2, 4), (2, 4), (2, 4), (2, 4)],
        ];
        for rows in cases {
            let table: Vec<Vec<f64>> = rows
                .iter()
                .map(|&(a, n)| vec![a as f64, (n - a) as f64])
                .collect();
            let got = fisher_exact(&table).map(|t| t.p).unwrap_or(f64::NAN);
            let want = brute(rows, TOL_FEXACT);
            assert!(
                (got - want).abs() / want < 1e-12,
                "{rows:?}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn concave_min_and_max_are_exact() {
        let fs: Vec<Vec<f64>> = [(5_u64, 0.3), (3, 0.3), (4, 0.3), (2, 0.3)]
            .iter()
            .map(|&(n, p)| {
                (0..=n)
                    .map(|a| ln_dbinom(a as f64, n as f64, p).unwrap_or(0.0))
                    .collect()
            })
            .collect();
        let suffix_n = [14, 9, 6, 2, 0];
        let mins = concave_min(&fs, &suffix_n);
        let maxs = concave_max(&fs);
        for s in 0..=14_usize {
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for a in 0..=5_usize {
                for b in 0..=3_usize {
                    for c in 0..=4_usize {
                        if a + b + c <= s && s - a - b - c <= 2 {
                            let v = fs[0][a] + fs[1][b] + fs[2][c] + fs[3][s - a - b - c];
                            lo = lo.min(v);
                            hi = hi.max(v);
                        }
                    }
                }
            }
            assert!(
                (mins[0][s] - lo).abs() < 1e-12,
                "min s={s}: {} vs {lo}",
                mins[0][s]
            );
            assert!(
                (maxs[s] - hi).abs() < 1e-12,
                "max s={s}: {} vs {hi}",
                maxs[s]
            );
        }
    }

    #[test]
    fn transposed_is_the_same() {
        let t = vec![vec![3.0, 0.0, 4.0, 1.0], vec![2.0, 5.0, 1.0, 3.0]];
        let tt: Vec<Vec<f64>> = (0..4).map(|j| vec![t[0][j], t[1][j]]).collect();
        assert_eq!(
            fisher_exact(&t).map(|r| r.p),
            fisher_exact(&tt).map(|r| r.p)
        );
    }

    #[test]
    fn errors() {
        assert!(matches!(
            fisher_exact(&[vec![1.0, 2.0]]),
            Err(FisherError::Shape { .. })
        ));
        assert!(matches!(
            fisher_exact(&vec![vec![1.0, 2.0, 3.0]; 3]),
            Err(FisherError::Unsupported { .. })
        ));
        assert_eq!(
            fisher_exact(&[vec![1.0, 2.5], vec![1.0, 2.0]]),
            Err(FisherError::NotCount {
                row: 1,
                col: 2,
                value: 2.5
            })
        );
    }

    #[test]
    fn degenerate_margins_give_one() {
        let t = fisher_exact(&[vec![0.0, 3.0], vec![0.0, 4.0]]).map(|t| t.p);
        assert_eq!(t, Ok(1.0));
        let t = fisher_exact(&[vec![0.0, 0.0], vec![2.0, 4.0]]).map(|t| t.p);
        assert_eq!(t, Ok(1.0));
    }

    #[test]
    fn moderate_tables_are_enumerated() {
        // (first-column counts, row total): typical trial sizes, small p-values included
        let cases: [&[(u64, u64)]; 4] = [
            &[(30, 100), (42, 100), (25, 100), (51, 100), (38, 100)],
            &[(60, 250), (85, 250), (71, 250), (90, 250)],
            &[(300, 1000), (340, 1000), (315, 1000)],
            &[(3000, 100_000), (3170, 100_000)],
        ];
        for rows in cases {
            let table: Vec<Vec<f64>> = rows
                .iter()
                .map(|&(a, n)| vec![a as f64, (n - a) as f64])
                .collect();
            let t = fisher_exact(&table);
            eprintln!("{rows:?}: {t:?}");
            assert!(t.as_ref().is_ok_and(|t| t.p > 0.0 && t.p <= 1.0), "{t:?}");
        }
    }

    #[test]
    fn huge_tables_stop_at_the_cap() {
        // 6 groups of 400 with p ≈ 0.003 would need ~1.8e9 nodes (measured).
        let table: Vec<Vec<f64>> = [120.0, 135.0, 110.0, 150.0, 128.0, 101.0]
            .iter()
            .map(|&a| vec![a, 400.0 - a])
            .collect();
        assert_eq!(
            fisher_exact(&table),
            Err(FisherError::TooManyTables { cap: MAX_NODES })
        );
    }
}
