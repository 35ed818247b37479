//! The comparison tests of one endpoint: log-rank and Peto–Peto always (and their stratified
//! versions with a stratum), the extra tests chosen in the settings, and pairwise log-rank tests.

use super::prepare::Factor;
use super::settings::{ExtraTest, Settings};
use super::types::{PairwiseTest, TestGroup, TestReport};
use crate::data::value::parse_number;
use crate::survival::logrank::{
    p_adjust_bh, p_adjust_holm, trend_test, weighted_test, GRhoTest, Weighting,
};
use crate::survival::Sample;

fn to_report(name: &str, weighting: Weighting, strata: Option<&str>, t: GRhoTest) -> TestReport {
    let (rho, gamma) = match weighting {
        Weighting::FlemingHarrington { p, q } => (Some(p), Some(q)),
        _ => (None, None),
    };
    TestReport {
        test: name.to_string(),
        rho,
        gamma,
        strata: strata.map(str::to_string),
        chisq: t.chisq.is_finite().then_some(t.chisq),
        df: t.df,
        p: t.p,
        groups: t
            .groups
            .into_iter()
            .map(|o| TestGroup {
                group: o.group,
                n: o.n,
                observed: o.observed,
                expected: o.expected,
            })
            .collect(),
    }
}

/// The tests across the levels of `group` for rows `codes` (level index per sample row).
pub fn comparison_tests(
    sample: &Sample,
    codes: &[usize],
    group: &Factor,
    strata: Option<(&str, &[usize])>,
    settings: &Settings,
) -> Vec<TestReport> {
    let levels = &group.levels;
    let mut variants: Vec<(Option<&str>, Option<&[usize]>)> = vec![(None, None)];
    if let Some((name, s)) = strata {
        variants.push((Some(name), Some(s)));
    }
    let mut tests = Vec::new();
    for (strata_name, strata_codes) in variants {
        let run = |name: &str, w: Weighting| {
            let t = weighted_test(sample, codes, levels, strata_codes, w);
            to_report(name, w, strata_name, t)
        };
        tests.push(run(
            "log-rank",
            Weighting::FlemingHarrington { p: 0.0, q: 0.0 },
        ));
        tests.push(run(
            "peto-peto",
            Weighting::FlemingHarrington { p: 1.0, q: 0.0 },
        ));
        for extra in &settings.tests {
            match *extra {
                ExtraTest::FlemingHarrington { p, q } => tests.push(run(
                    "fleming-harrington",
                    Weighting::FlemingHarrington { p, q },
                )),
                ExtraTest::GehanBreslow => {
                    tests.push(run("gehan-breslow", Weighting::GehanBreslow))
                }
                ExtraTest::TaroneWare => tests.push(run("tarone-ware", Weighting::TaroneWare)),
                ExtraTest::Trend => {
                    let w = Weighting::FlemingHarrington { p: 0.0, q: 0.0 };
                    let t = weighted_test(sample, codes, levels, strata_codes, w);
                    let numeric: Option<Vec<f64>> =
                        levels.iter().map(|l| parse_number(l)).collect();
                    let scores =
                        numeric.unwrap_or_else(|| (1..=levels.len()).map(|i| i as f64).collect());
                    let (chisq, p) = trend_test(&t, &scores);
                    let mut r = to_report("trend", w, strata_name, t);
                    r.chisq = chisq;
                    r.p = p;
                    r.df = 1;
                    tests.push(r);
                }
            }
        }
    }
    tests
}

/// Log-rank tests between every pair of groups, with Holm and Benjamini–Hochberg adjustment
/// over the pairs (R: `survminer::pairwise_survdiff(..., p.adjust.method =)`).
pub fn pairwise_tests(
    sample: &Sample,
    codes: &[usize],
    group: &Factor,
    strata: Option<&[usize]>,
) -> Vec<PairwiseTest> {
    let k = group.levels.len();
    let mut out = Vec::new();
    for a in 0..k {
        for b in a + 1..k {
            let rows: Vec<usize> = (0..codes.len())
                .filter(|&i| codes[i] == a || codes[i] == b)
                .collect();
            let sub = sample.subset(&rows);
            let sub_codes: Vec<usize> = rows.iter().map(|&i| usize::from(codes[i] == b)).collect();
            let sub_strata: Option<Vec<usize>> =
                strata.map(|s| rows.iter().map(|&i| s[i]).collect());
            let names = vec![group.levels[a].clone(), group.levels[b].clone()];
            let t = weighted_test(
                &sub,
                &sub_codes,
                &names,
                sub_strata.as_deref(),
                Weighting::FlemingHarrington { p: 0.0, q: 0.0 },
            );
            out.push(PairwiseTest {
                group1: names[0].clone(),
                group2: names[1].clone(),
                test: "log-rank".to_string(),
                chisq: t.chisq.is_finite().then_some(t.chisq),
                p: t.p,
                p_holm: None,
                p_bh: None,
            });
        }
    }
    let ps: Vec<(usize, f64)> = out
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.p.map(|p| (i, p)))
        .collect();
    let raw: Vec<f64> = ps.iter().map(|x| x.1).collect();
    let holm = p_adjust_holm(&raw);
    let bh = p_adjust_bh(&raw);
    for (j, &(i, _)) in ps.iter().enumerate() {
        out[i].p_holm = Some(holm[j]);
        out[i].p_bh = Some(bh[j]);
    }
    out
}
