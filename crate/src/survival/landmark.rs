//! Survival at landmark times: R's `summary(fit, times = t, extend = TRUE)`.
//!
//! For each requested time t (in increasing order): S(t) and its SE from the last step at or
//! before t (1 and 0 before the first), the number at risk just before t (that of the first
//! observed time ≥ t, or 0 beyond the last), and the events and censorings in
//! (previous landmark, t]. The pointwise CI uses the curve's transform.

use serde::{Deserialize, Serialize};

use super::conf::{z_value, ConfType};
use super::km::KaplanMeier;

/// Survival at one landmark time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Landmark {
    pub time: f64,
    pub n_risk: f64,
    pub n_event: f64,
    pub n_censor: f64,
    pub survival: f64,
    /// SE of S(t); `None` where S = 0.
    pub std_err: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub cumhaz: f64,
    pub cumhaz_std_err: f64,
}

/// Survival at each time of `times` (any order; each is evaluated on its own, and the event and
/// censoring counts run from the previous landmark in increasing order).
///
/// ```
/// use survcalc::survival::{Sample, km::KaplanMeier, conf::ConfType, landmark::landmarks};
/// let s = Sample::new(vec![1.0, 2.0, 3.0, 4.0], vec![true, false, true, false], None);
/// let l = landmarks(&KaplanMeier::fit(&s), &[2.5], 0.95, ConfType::Log);
/// assert_eq!(l[0].n_risk, 2.0);
/// assert!((l[0].survival - 0.75).abs() < 1e-15);
/// ```
pub fn landmarks(
    km: &KaplanMeier,
    times: &[f64],
    conf_level: f64,
    conf_type: ConfType,
) -> Vec<Landmark> {
    let z = z_value(conf_level);
    let mut sorted: Vec<f64> = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut out = Vec::with_capacity(times.len());
    for &t in times {
        let prev = sorted
            .iter()
            .rev()
            .find(|&&s| s < t)
            .copied()
            .unwrap_or(f64::NEG_INFINITY);
        let (mut n_event, mut n_censor) = (0.0, 0.0);
        for s in km.steps.iter().filter(|s| s.time > prev && s.time <= t) {
            n_event += s.n_event;
            n_censor += s.n_censor;
        }
        let n_risk = km
            .steps
            .iter()
            .find(|s| s.time >= t)
            .map_or(0.0, |s| s.n_risk);
        let (survival, std_err, lower, upper, cumhaz, cumhaz_std_err) = match km.step_at(t) {
            Some(s) => {
                let (lo, hi) = s.band(z, conf_type);
                (s.surv, s.se_surv(), lo, hi, s.cumhaz, s.se_cumhaz)
            }
            None => (1.0, Some(0.0), Some(1.0), Some(1.0), 0.0, 0.0),
        };
        out.push(Landmark {
            time: t,
            n_risk,
            n_event,
            n_censor,
            survival,
            std_err,
            lower,
            upper,
            cumhaz,
            cumhaz_std_err,
        });
    }
    out
}
