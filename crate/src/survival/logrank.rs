//! Weighted k-sample tests of equal survival, optionally stratified: log-rank, R's G-rho family
//! (`survdiff(Surv(time, status) ~ group [+ strata(s)], rho = ρ)`; ρ = 1 is Peto–Peto as R
//! computes it), Fleming–Harrington(p, q), Gehan–Breslow (generalised Wilcoxon), Tarone–Ware,
//! and the test for trend across ordered groups.
//!
//! At each distinct event time t within a stratum, with nᵢ at risk and dᵢ events in group i
//! (n = Σnᵢ, d = Σdᵢ) and a weight w(t):
//!
//! | test | w(t) |
//! |---|---|
//! | log-rank | 1 |
//! | G-rho (R `rho`) = Fleming–Harrington(ρ, 0) | Ŝ(t−)^ρ |
//! | Fleming–Harrington(p, q) | Ŝ(t−)^p (1 − Ŝ(t−))^q |
//! | Gehan–Breslow | n |
//! | Tarone–Ware | √n |
//!
//! with Ŝ the Kaplan–Meier estimate of the pooled stratum (left-continuous), and
//!
//! * Oᵢ = Σ w dᵢ,  Eᵢ = Σ w d nᵢ/n
//! * Vᵢⱼ = Σ w² d (n − d)/(n − 1) · nᵢ/n · (δᵢⱼ − nⱼ/n)   (terms with n = 1 vanish)
//!
//! summed over strata. χ² = (O − E)ᵀ V⁻ (O − E) over the groups with E > 0, dropping the first,
//! on (number of such groups − 1) degrees of freedom, as R does. Peto–Peto here is R's
//! `rho = 1` (weights from the left-continuous pooled KM), which SAS calls "Peto" only
//! approximately (SAS uses the modified S̃ of Andersen et al.); Stata's `sts test, peto` matches R.

use serde::{Deserialize, Serialize};

use super::Sample;
use crate::linalg::quad_form_inv;
use crate::math::pow;
use crate::response::dist::pchisq_upper;

/// Observed and expected (weighted) events of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupOE {
    pub group: String,
    pub n: f64,
    pub observed: f64,
    pub expected: f64,
}

/// The result of one test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GRhoTest {
    pub chisq: f64,
    pub df: usize,
    pub p: Option<f64>,
    pub groups: Vec<GroupOE>,
    /// Variance matrix of O − E (groups in the same order).
    pub variance: Vec<Vec<f64>>,
}

/// The weight function of a test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "weight", rename_all = "kebab-case")]
pub enum Weighting {
    /// Ŝ(t−)^p (1 − Ŝ(t−))^q; (0, 0) is the log-rank test, (ρ, 0) R's G-rho.
    FlemingHarrington { p: f64, q: f64 },
    /// The number at risk (Gehan's generalised Wilcoxon, Breslow's k-sample form).
    GehanBreslow,
    /// The square root of the number at risk.
    TaroneWare,
}

impl Weighting {
    fn weight(self, km_before: f64, n: f64) -> f64 {
        match self {
            Weighting::FlemingHarrington { p, q } => {
                let a = if p == 0.0 { 1.0 } else { pow(km_before, p) };
                let b = if q == 0.0 {
                    1.0
                } else {
                    pow(1.0 - km_before, q)
                };
                a * b
            }
            Weighting::GehanBreslow => n,
            Weighting::TaroneWare => n.sqrt(),
        }
    }
}

/// Upper tail of χ² with `df` degrees of freedom ([`pchisq_upper`]); a statistic a rounding
/// error below 0 counts as 0.
pub fn chisq_p(stat: f64, df: usize) -> Option<f64> {
    if df == 0 || !stat.is_finite() {
        return None;
    }
    pchisq_upper(stat.max(0.0), df)
}

/// The G-rho test of equal survival across `group` (values 0..k-1), stratified by `strata`
/// (values 0..s-1) when given. `names` are the group names in index order.
///
/// # Errors
/// None; with fewer than two groups having expected events, χ² is 0 on 0 df (as R) and p is None.
pub fn g_rho_test(
    sample: &Sample,
    group: &[usize],
    names: &[String],
    strata: Option<&[usize]>,
    rho: f64,
) -> GRhoTest {
    weighted_test(
        sample,
        group,
        names,
        strata,
        Weighting::FlemingHarrington { p: rho, q: 0.0 },
    )
}

/// The weighted k-sample test with weight `weighting` (see the module docs).
pub fn weighted_test(
    sample: &Sample,
    group: &[usize],
    names: &[String],
    strata: Option<&[usize]>,
    weighting: Weighting,
) -> GRhoTest {
    let k = names.len();
    let mut observed = vec![0.0; k];
    let mut expected = vec![0.0; k];
    let mut n_group = vec![0.0; k];
    let mut var = vec![vec![0.0; k]; k];
    for i in 0..sample.len() {
        n_group[group[i]] += sample.weight(i);
    }
    // Rows by stratum, then time (ties in row order): the sample's order, split by a stable
    // counting sort on the stratum.
    let mut sorted = sample.order().to_vec();
    if let Some(s) = strata {
        super::order::refine_by_label(&mut sorted, s);
    }
    let mut by_stratum: Vec<&[usize]> = Vec::new();
    let mut start = 0;
    while start < sorted.len() {
        let label = strata.map_or(0, |s| s[sorted[start]]);
        let mut end = start + 1;
        while end < sorted.len() && strata.map_or(0, |s| s[sorted[end]]) == label {
            end += 1;
        }
        by_stratum.push(&sorted[start..end]);
        start = end;
    }
    for rows in by_stratum {
        let mut at_risk = vec![0.0; k];
        for &i in rows.iter() {
            at_risk[group[i]] += sample.weight(i);
        }
        let mut km: f64 = 1.0;
        let mut d_i = vec![0.0; k];
        let mut leaving = vec![0.0; k];
        let mut pos = 0;
        while pos < rows.len() {
            let t = sample.time[rows[pos]];
            d_i.iter_mut().for_each(|x| *x = 0.0);
            leaving.iter_mut().for_each(|x| *x = 0.0);
            while pos < rows.len() && sample.time[rows[pos]] == t {
                let i = rows[pos];
                if sample.event[i] {
                    d_i[group[i]] += sample.weight(i);
                }
                leaving[group[i]] += sample.weight(i);
                pos += 1;
            }
            let n: f64 = at_risk.iter().sum();
            let d: f64 = d_i.iter().sum();
            if d > 0.0 && n > 0.0 {
                let w = weighting.weight(km, n);
                for g in 0..k {
                    observed[g] += w * d_i[g];
                    expected[g] += w * d * at_risk[g] / n;
                }
                if n > 1.0 {
                    let f = w * w * d * (n - d) / (n * n * (n - 1.0));
                    for g in 0..k {
                        for h in 0..k {
                            let delta = if g == h { n } else { 0.0 };
                            var[g][h] += f * at_risk[g] * (delta - at_risk[h]);
                        }
                    }
                }
                km *= (n - d) / n;
            }
            for g in 0..k {
                at_risk[g] -= leaving[g];
            }
        }
    }
    let keep: Vec<usize> = (0..k).filter(|&g| expected[g] > 0.0).collect();
    let (chisq, df) = if keep.len() < 2 {
        (0.0, 0)
    } else {
        let idx = &keep[1..];
        let diff: Vec<f64> = idx.iter().map(|&g| observed[g] - expected[g]).collect();
        let vv: Vec<Vec<f64>> = idx
            .iter()
            .map(|&g| idx.iter().map(|&h| var[g][h]).collect())
            .collect();
        match quad_form_inv(&vv, &diff) {
            Some(c) => (c, keep.len() - 1),
            None => (f64::NAN, keep.len() - 1),
        }
    };
    GRhoTest {
        chisq,
        df,
        p: chisq_p(chisq, df),
        groups: (0..k)
            .map(|g| GroupOE {
                group: names[g].clone(),
                n: n_group[g],
                observed: observed[g],
                expected: expected[g],
            })
            .collect(),
        variance: var,
    }
}

/// The test for trend across ordered groups with scores `scores` (default 1, 2, …, k):
/// χ²₁ = (Σ sᵢ (Oᵢ − Eᵢ))² / (sᵀ V s), from the (weighted) observed, expected and variance of a
/// k-sample test. R: `survival::survdiff` gives O, E and V; the trend statistic is as in
/// Collett (2015) §2.7 and Stata's `sts test, trend`.
pub fn trend_test(test: &GRhoTest, scores: &[f64]) -> (Option<f64>, Option<f64>) {
    let k = test.groups.len();
    if k < 2 || scores.len() != k {
        return (None, None);
    }
    let u: f64 = (0..k)
        .map(|g| scores[g] * (test.groups[g].observed - test.groups[g].expected))
        .sum();
    let mut v = 0.0;
    for g in 0..k {
        for h in 0..k {
            v += scores[g] * test.variance[g][h] * scores[h];
        }
    }
    if v.is_finite() && v > 0.0 {
        let chi = u * u / v;
        (Some(chi), chisq_p(chi, 1))
    } else {
        (None, None)
    }
}

/// Holm's step-down adjustment of p-values (R `p.adjust(p, "holm")`).
pub fn p_adjust_holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut idx: Vec<usize> = (0..m).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut out = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (rank, &i) in idx.iter().enumerate() {
        let adj = ((m - rank) as f64 * p[i]).min(1.0);
        running = running.max(adj);
        out[i] = running;
    }
    out
}

/// Benjamini–Hochberg adjustment (R `p.adjust(p, "BH")`).
pub fn p_adjust_bh(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut idx: Vec<usize> = (0..m).collect();
    idx.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
    let mut out = vec![0.0; m];
    let mut running: f64 = 1.0;
    for (k, &i) in idx.iter().enumerate() {
        let rank = m - k; // 1-based rank in increasing order
        let adj = (m as f64 / rank as f64 * p[i]).min(1.0);
        running = running.min(adj);
        out[i] = running;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_derived_two_groups() {
        // A: deaths at 1, 3; B: death at 2, censored at 4.
        // t=1: n=(2,2), d=(1,0): E_A = 0.5, V = 1·3/(16·3)·2·2 = 0.25
        // t=2: n=(1,2), d=(0,1): E_A = 1/3, V = 1·2/(9·2)·1·2 = 2/9
        // t=3: n=(1,1), d=(1,0): E_A = 1/2, V = 1·1/(4·1)·1·1 = 1/4
        let s = Sample::new(
            vec![1.0, 3.0, 2.0, 4.0],
            vec![true, true, true, false],
            None,
        );
        let names = vec!["A".to_string(), "B".to_string()];
        let t = g_rho_test(&s, &[0, 0, 1, 1], &names, None, 0.0);
        let e_a = 0.5 + 1.0 / 3.0 + 0.5;
        assert!((t.groups[0].expected - e_a).abs() < 1e-15);
        let v = 0.25 + 2.0 / 9.0 + 0.25;
        assert!((t.variance[0][0] - v).abs() < 1e-15);
        let o_b = 1.0;
        let e_b = 3.0 - e_a;
        assert!((t.chisq - (o_b - e_b) * (o_b - e_b) / v).abs() < 1e-14);
        assert_eq!(t.df, 1);
    }

    #[test]
    fn p_adjustments_match_r() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.2), "holm") = 0.04 0.09 0.09 0.20
        let h = p_adjust_holm(&[0.01, 0.04, 0.03, 0.2]);
        for (a, b) in h.iter().zip([0.04, 0.09, 0.09, 0.2]) {
            assert!((a - b).abs() < 1e-15, "{h:?}");
        }
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.2), "BH") = 0.04 0.0533 0.0533 0.2
        let b = p_adjust_bh(&[0.01, 0.04, 0.03, 0.2]);
        for (a, e) in b.iter().zip([0.04, 0.16 / 3.0, 0.16 / 3.0, 0.2]) {
            assert!((a - e).abs() < 1e-15, "{b:?}");
        }
    }

    #[test]
    fn gehan_weights_by_number_at_risk() {
        // Same data as the hand-derived case; Gehan weights n = 4, 3, 2.
        let s = Sample::new(
            vec![1.0, 3.0, 2.0, 4.0],
            vec![true, true, true, false],
            None,
        );
        let names = vec!["A".to_string(), "B".to_string()];
        let t = weighted_test(&s, &[0, 0, 1, 1], &names, None, Weighting::GehanBreslow);
        let e_a = 4.0 * 0.5 + 3.0 / 3.0 + 2.0 * 0.5;
        assert!((t.groups[0].expected - e_a).abs() < 1e-14);
        assert!((t.groups[0].observed - (4.0 + 2.0)).abs() < 1e-14);
        let v = 16.0 * 0.25 + 9.0 * 2.0 / 9.0 + 4.0 * 0.25;
        assert!((t.variance[0][0] - v).abs() < 1e-14);
    }

    #[test]
    fn trend_with_two_groups_is_the_two_group_test() {
        let s = Sample::new(
            vec![1.0, 3.0, 2.0, 4.0],
            vec![true, true, true, false],
            None,
        );
        let names = vec!["A".to_string(), "B".to_string()];
        let t = g_rho_test(&s, &[0, 0, 1, 1], &names, None, 0.0);
        let (chi, _) = trend_test(&t, &[1.0, 2.0]);
        assert!((chi.unwrap_or(0.0) - t.chisq).abs() < 1e-12);
    }

    #[test]
    fn one_group_has_no_test() {
        let s = Sample::new(vec![1.0, 2.0], vec![true, true], None);
        let t = g_rho_test(&s, &[0, 0], &["A".to_string()], None, 0.0);
        assert_eq!((t.chisq, t.df, t.p), (0.0, 0, None));
    }
}
