//! Kaplan–Meier estimate with Greenwood variance, and the Nelson–Aalen cumulative hazard.
//!
//! At each distinct time tⱼ with weighted number at risk nⱼ and weighted events dⱼ:
//!
//! * S(t) = ∏_{tⱼ ≤ t} (1 − dⱼ/nⱼ)
//! * Greenwood: Var(−log S(t)) = Σ_{tⱼ ≤ t} dⱼ / (nⱼ (nⱼ − dⱼ)); R's `survfit()$std.err` is its
//!   square root (infinite once S reaches 0), and SE(S) = S · std.err.
//! * Nelson–Aalen: Λ(t) = Σ dⱼ/nⱼ with Var Λ = Σ dⱼ/nⱼ² (R's `survfit()$cumhaz`, `$std.chaz`).
//!
//! Matches `survfit(Surv(time, status) ~ 1, weights = w)` in R survival 3.5-3: one row per
//! distinct time (event or censoring), censorings at a tied time leave the risk set after the
//! events. Frequency weights enter every count, so a row of weight k equals k copies of it.
//! SAS LIFETEST, Stata `sts` and lifelines give the same S(t) and Greenwood variance.

use serde::{Deserialize, Serialize};

use super::conf::{band, z_value, ConfType};
use super::Sample;

/// One row of the Kaplan–Meier table, at a distinct observed time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmStep {
    pub time: f64,
    pub n_risk: f64,
    pub n_event: f64,
    pub n_censor: f64,
    pub surv: f64,
    /// SE of −log S(t), R's `std.err`; +∞ once S = 0.
    pub se_log: f64,
    pub cumhaz: f64,
    /// SE of the Nelson–Aalen cumulative hazard.
    pub se_cumhaz: f64,
}

impl KmStep {
    /// SE of S(t) (R's `summary()$std.err`): S · SE(−log S); `None` where S = 0.
    pub fn se_surv(&self) -> Option<f64> {
        let v = self.surv * self.se_log;
        v.is_finite().then_some(v)
    }

    pub fn band(&self, z: f64, conf_type: ConfType) -> (Option<f64>, Option<f64>) {
        band(self.surv, self.se_log, z, conf_type)
    }
}

/// A fitted Kaplan–Meier curve.
#[derive(Debug, Clone, PartialEq)]
pub struct KaplanMeier {
    /// Weighted number of subjects.
    pub n: f64,
    /// Weighted number of events.
    pub events: f64,
    /// Rows in increasing time.
    pub steps: Vec<KmStep>,
}

impl KaplanMeier {
    /// Fits the curve. Times must be finite; negative times are accepted (they are rejected
    /// earlier, when a table is read).
    ///
    /// ```
    /// use survcalc::survival::{Sample, km::KaplanMeier};
    /// // Two deaths at 1 and 3, a censoring at 2: S(1) = 2/3, S(3) = 2/3 · 0 = 0.
    /// let s = Sample::new(vec![1.0, 2.0, 3.0], vec![true, false, true], None);
    /// let km = KaplanMeier::fit(&s);
    /// assert_eq!(km.steps.len(), 3);
    /// assert!((km.steps[0].surv - 2.0 / 3.0).abs() < 1e-15);
    /// assert_eq!(km.steps[2].surv, 0.0);
    /// ```
    pub fn fit(sample: &Sample) -> KaplanMeier {
        Self::fit_ordered(sample, sample.order())
    }

    /// Fits the curve using a precomputed order of `sample` by time.
    pub fn fit_ordered(sample: &Sample, order: &[usize]) -> KaplanMeier {
        // fold from +0.0: an empty float `sum()` is −0.0, which would print as "-0".
        let total: f64 = order
            .iter()
            .map(|&i| sample.weight(i))
            .fold(0.0, |a, b| a + b);
        let events: f64 = order
            .iter()
            .filter(|&&i| sample.event[i])
            .map(|&i| sample.weight(i))
            .fold(0.0, |a, b| a + b);
        let mut steps = Vec::new();
        let mut at_risk = total;
        let mut surv = 1.0;
        let mut greenwood = 0.0;
        let mut cumhaz = 0.0;
        let mut var_chaz = 0.0;
        let mut k = 0;
        while k < order.len() {
            let t = sample.time[order[k]];
            let mut d = 0.0;
            let mut c = 0.0;
            while k < order.len() && sample.time[order[k]] == t {
                let i = order[k];
                if sample.event[i] {
                    d += sample.weight(i);
                } else {
                    c += sample.weight(i);
                }
                k += 1;
            }
            let n = at_risk;
            if d > 0.0 && n > 0.0 {
                surv *= (n - d) / n;
                if n > d {
                    greenwood += d / (n * (n - d));
                } else {
                    greenwood = f64::INFINITY;
                }
                cumhaz += d / n;
                var_chaz += d / (n * n);
            }
            steps.push(KmStep {
                time: t,
                n_risk: n,
                n_event: d,
                n_censor: c,
                surv,
                se_log: greenwood.sqrt(),
                cumhaz,
                se_cumhaz: var_chaz.sqrt(),
            });
            at_risk -= d + c;
        }
        KaplanMeier {
            n: total,
            events,
            steps,
        }
    }

    /// The last step at or before `t` (None before the first observed time).
    pub fn step_at(&self, t: f64) -> Option<&KmStep> {
        let idx = self.steps.partition_point(|s| s.time <= t);
        idx.checked_sub(1).map(|i| &self.steps[i])
    }

    /// Survival at time t (right-continuous): 1 before the first step.
    pub fn surv_at(&self, t: f64) -> f64 {
        self.step_at(t).map_or(1.0, |s| s.surv)
    }

    /// Pointwise bands at every step for a confidence level and transform.
    pub fn bands(&self, level: f64, conf_type: ConfType) -> Vec<(Option<f64>, Option<f64>)> {
        let z = z_value(level);
        self.steps.iter().map(|s| s.band(z, conf_type)).collect()
    }

    /// The last observed time (event or censoring), R's `max(fit$time)`.
    pub fn last_time(&self) -> Option<f64> {
        self.steps.last().map(|s| s.time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(t: &[f64], e: &[u8]) -> Sample {
        Sample::new(t.to_vec(), e.iter().map(|&x| x == 1).collect(), None)
    }

    #[test]
    fn hand_derived_with_ties() {
        // times 1,1,2+,3,3,3+ : n=6
        // t=1: n=6, d=2 → S = 4/6; t=2: censor; t=3: n=3, d=2 → S = 4/6·1/3 = 2/9
        let km = KaplanMeier::fit(&sample(
            &[3.0, 1.0, 2.0, 1.0, 3.0, 3.0],
            &[1, 1, 0, 1, 1, 0],
        ));
        assert_eq!(km.steps.len(), 3);
        assert_eq!(km.n, 6.0);
        assert_eq!(km.events, 4.0);
        let s = &km.steps;
        assert!((s[0].surv - 4.0 / 6.0).abs() < 1e-15);
        assert_eq!((s[1].n_risk, s[1].n_event, s[1].n_censor), (4.0, 0.0, 1.0));
        assert!((s[2].surv - 2.0 / 9.0).abs() < 1e-15);
        // Greenwood: 2/(6·4) + 2/(3·1)
        let gw: f64 = 2.0 / 24.0 + 2.0 / 3.0;
        assert!((s[2].se_log - gw.sqrt()).abs() < 1e-15);
        // Nelson–Aalen: 2/6 + 2/3, variance 2/36 + 2/9
        assert!((s[2].cumhaz - (2.0 / 6.0 + 2.0 / 3.0)).abs() < 1e-15);
        assert!((s[2].se_cumhaz - (2.0 / 36.0 + 2.0 / 9.0f64).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn all_censored_stays_at_one() {
        let km = KaplanMeier::fit(&sample(&[1.0, 2.0, 2.0], &[0, 0, 0]));
        assert!(km.steps.iter().all(|s| s.surv == 1.0 && s.se_log == 0.0));
        assert_eq!(km.events, 0.0);
    }

    #[test]
    fn one_subject() {
        let km = KaplanMeier::fit(&sample(&[5.0], &[1]));
        assert_eq!(km.steps.len(), 1);
        assert_eq!(km.steps[0].surv, 0.0);
        assert!(km.steps[0].se_log.is_infinite());
        assert_eq!(km.steps[0].se_surv(), None);
    }

    #[test]
    fn zero_time_is_a_step() {
        let km = KaplanMeier::fit(&sample(&[0.0, 1.0], &[1, 0]));
        assert_eq!(km.steps[0].time, 0.0);
        assert!((km.steps[0].surv - 0.5).abs() < 1e-15);
        assert_eq!(km.surv_at(-1.0), 1.0);
    }

    #[test]
    fn weights_equal_expanded_rows() {
        let w = Sample::new(
            vec![1.0, 2.0, 3.0],
            vec![true, false, true],
            Some(vec![2.0, 3.0, 1.0]),
        );
        let e = sample(&[1.0, 1.0, 2.0, 2.0, 2.0, 3.0], &[1, 1, 0, 0, 0, 1]);
        assert_eq!(KaplanMeier::fit(&w), KaplanMeier::fit(&e));
    }
}
