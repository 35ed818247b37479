//! Property tests of the survival estimators on random data with ties and censoring.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use survcalc::survival::conf::ConfType;
use survcalc::survival::km::KaplanMeier;
use survcalc::survival::logrank::g_rho_test;
use survcalc::survival::quantile::quantiles;
use survcalc::survival::Sample;

/// Rows of (integer time 0..20 for heavy ties, event, group 0..3, weight 1..4).
fn rows() -> impl Strategy<Value = Vec<(u8, bool, usize, u8)>> {
    prop::collection::vec((0u8..20, any::<bool>(), 0usize..3, 1u8..4), 1..60)
}

fn sample(rows: &[(u8, bool, usize, u8)]) -> Sample {
    Sample::new(
        rows.iter().map(|r| f64::from(r.0)).collect(),
        rows.iter().map(|r| r.1).collect(),
        None,
    )
}

fn names() -> Vec<String> {
    vec!["a".into(), "b".into(), "c".into()]
}

proptest! {
    /// `split` by group gives exactly the samples `subset` gives for each group's rows (times,
    /// events, weights and the shared order), with and without weights.
    #[test]
    fn split_equals_subset_per_group(rows in rows(), weighted in any::<bool>()) {
        let s = Sample::new(
            rows.iter().map(|r| f64::from(r.0)).collect(),
            rows.iter().map(|r| r.1).collect(),
            weighted.then(|| rows.iter().map(|r| f64::from(r.3)).collect()),
        );
        let codes: Vec<usize> = rows.iter().map(|r| r.2).collect();
        let parts = s.split(&codes, 4);
        prop_assert_eq!(parts.len(), 4);
        for (g, part) in parts.iter().enumerate() {
            let members: Vec<usize> = (0..rows.len()).filter(|&i| codes[i] == g).collect();
            let expected = s.subset(&members);
            prop_assert_eq!(part, &expected);
            prop_assert_eq!(part.order(), expected.order());
        }
    }

    #[test]
    fn km_is_a_nonincreasing_probability(rows in rows()) {
        let km = KaplanMeier::fit(&sample(&rows));
        let mut prev = 1.0;
        for s in &km.steps {
            prop_assert!((0.0..=1.0).contains(&s.surv));
            prop_assert!(s.surv <= prev);
            prev = s.surv;
        }
    }

    #[test]
    fn row_order_is_irrelevant(rows in rows(), seed in any::<u64>()) {
        let mut shuffled = rows.clone();
        // deterministic shuffle from the seed
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(KaplanMeier::fit(&sample(&rows)), KaplanMeier::fit(&sample(&shuffled)));
        let g1: Vec<usize> = rows.iter().map(|r| r.2).collect();
        let g2: Vec<usize> = shuffled.iter().map(|r| r.2).collect();
        let t1 = g_rho_test(&sample(&rows), &g1, &names(), None, 0.0);
        let t2 = g_rho_test(&sample(&shuffled), &g2, &names(), None, 0.0);
        prop_assert!((t1.chisq - t2.chisq).abs() <= 1e-9 * t1.chisq.abs().max(1.0) || (t1.chisq.is_nan() && t2.chisq.is_nan()));
    }

    #[test]
    fn bands_and_quantile_limits_contain_the_estimate(rows in rows(), ct in 0usize..5) {
        let ct = [ConfType::Log, ConfType::LogLog, ConfType::Plain, ConfType::Logit, ConfType::Arcsin][ct];
        let km = KaplanMeier::fit(&sample(&rows));
        for (s, (lo, hi)) in km.steps.iter().zip(km.bands(0.95, ct)) {
            if let (Some(lo), Some(hi)) = (lo, hi) {
                prop_assert!(lo <= s.surv + 1e-12 && s.surv <= hi + 1e-12);
            }
        }
        for q in quantiles(&km, &[0.25, 0.5, 0.75], 0.95, ct) {
            if let (Some(e), Some(lo)) = (q.estimate, q.lower) { prop_assert!(lo <= e); }
            if let (Some(e), Some(hi)) = (q.estimate, q.upper) { prop_assert!(e <= hi); }
        }
    }

    #[test]
    fn weights_equal_expanded_rows(rows in rows()) {
        let weighted = Sample::new(
            rows.iter().map(|r| f64::from(r.0)).collect(),
            rows.iter().map(|r| r.1).collect(),
            Some(rows.iter().map(|r| f64::from(r.3)).collect()),
        );
        let expanded_rows: Vec<(u8, bool, usize, u8)> = rows
            .iter()
            .flat_map(|r| std::iter::repeat_n(*r, r.3 as usize))
            .collect();
        let expanded = sample(&expanded_rows);
        let (a, b) = (KaplanMeier::fit(&weighted), KaplanMeier::fit(&expanded));
        prop_assert_eq!(a.steps.len(), b.steps.len());
        for (x, y) in a.steps.iter().zip(&b.steps) {
            prop_assert!((x.surv - y.surv).abs() < 1e-12);
            prop_assert!((x.se_log - y.se_log).abs() < 1e-9 || (x.se_log.is_infinite() && y.se_log.is_infinite()));
            prop_assert_eq!(x.n_risk, y.n_risk);
        }
        let gw: Vec<usize> = rows.iter().map(|r| r.2).collect();
        let ge: Vec<usize> = expanded_rows.iter().map(|r| r.2).collect();
        for rho in [0.0, 1.0] {
            let tw = g_rho_test(&weighted, &gw, &names(), None, rho);
            let te = g_rho_test(&expanded, &ge, &names(), None, rho);
            prop_assert!((tw.chisq - te.chisq).abs() <= 1e-9 * te.chisq.abs().max(1.0) || (tw.chisq.is_nan() && te.chisq.is_nan()));
        }
    }
}
