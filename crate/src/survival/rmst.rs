//! Restricted mean survival time up to τ: R's `print(fit, rmean = tau)` / `survival:::survmean`.
//!
//! RMST(τ) = ∫₀^τ S(t) dt, the area under the Kaplan–Meier step function. Its variance is
//! Σ_{tⱼ ≤ τ} A(tⱼ)² · dⱼ / (nⱼ (nⱼ − dⱼ)), where A(tⱼ) = ∫_{tⱼ}^τ S(t) dt is the area to the
//! right of the event time (Klein & Moeschberger 4.5.1; R's `se(rmean)`); a time where every
//! subject at risk fails adds nothing, as in R.

use serde::{Deserialize, Serialize};

use super::km::KaplanMeier;

/// Restricted mean survival time with its SE.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rmst {
    pub tau: f64,
    pub estimate: f64,
    pub std_err: Option<f64>,
}

/// RMST up to `tau` (curve extended flat beyond its last time, as R does).
///
/// ```
/// use survcalc::survival::{Sample, km::KaplanMeier, rmst::rmst};
/// // S = 1 on [0,1), 0.5 on [1,3): area to 3 = 1 + 2·0.5 = 2
/// let s = Sample::new(vec![1.0, 3.0], vec![true, false], None);
/// assert!((rmst(&KaplanMeier::fit(&s), 3.0).estimate - 2.0).abs() < 1e-15);
/// ```
pub fn rmst(km: &KaplanMeier, tau: f64) -> Rmst {
    // Event times within [0, tau] with their survival after the step.
    let pts: Vec<(f64, f64, f64, f64)> = km
        .steps
        .iter()
        .filter(|s| s.time <= tau && s.n_event > 0.0)
        .map(|s| (s.time, s.surv, s.n_risk, s.n_event))
        .collect();
    // Area: S before the first event time is 1.
    let mut area = 0.0;
    let mut prev_t = 0.0_f64.min(km.steps.first().map_or(0.0, |s| s.time));
    let mut prev_s = 1.0;
    for &(t, s, _, _) in &pts {
        area += prev_s * (t - prev_t);
        prev_t = t;
        prev_s = s;
    }
    area += prev_s * (tau - prev_t);
    // Variance: areas to the right of each event time.
    let mut var = 0.0;
    let mut right = 0.0; // area from pts[j].t to tau
    let mut next_t = tau;
    for &(t, s, n, d) in pts.iter().rev() {
        right += s * (next_t - t);
        next_t = t;
        // R: hh = ifelse(n.risk - n.event == 0, 0, n.event / (n.risk (n.risk - n.event)))
        if n > d {
            var += right * right * d / (n * (n - d));
        }
    }
    Rmst {
        tau,
        estimate: area,
        std_err: var.is_finite().then(|| var.sqrt()),
    }
}
