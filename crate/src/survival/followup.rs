//! Median follow-up by the reverse Kaplan–Meier method (Schemper & Smith 1996).
//!
//! The censoring indicator is reversed (a censored subject "fails" at its follow-up time, a
//! death is censored) and the median of that curve is taken with R's quantile rule and
//! confidence limits: R's `quantile(survfit(Surv(time, 1 - status) ~ 1))`. At a tie of a death
//! and a censoring R's survfit counts the (reversed) events first, which is the same here.

use super::conf::ConfType;
use super::km::KaplanMeier;
use super::quantile::{quantiles, QuantileEstimate};
use super::Sample;

/// Median follow-up (p = 0.5 of the reverse Kaplan–Meier curve) with its CI.
pub fn median_followup(sample: &Sample, conf_level: f64, conf_type: ConfType) -> QuantileEstimate {
    let km = KaplanMeier::fit(&sample.reversed());
    quantiles(&km, &[0.5], conf_level, conf_type)[0]
}
