//! Quantiles of a survival curve (the median is the 50th percentile) with confidence limits.
//!
//! R's rule (`quantile.survfit`, survival 3.5-3), with tolerance ε = √(machine ε):
//!
//! * the p-th quantile is the first time t with 1 − S(t) ≥ p − ε;
//! * if 1 − S equals p (within ε) on a flat piece [tᵢ, tⱼ), it is the midpoint (tᵢ + tⱼ)/2;
//! * if that flat piece is the last one of the curve, it is (tᵢ + t_max)/2 where t_max is the
//!   last observed time (`print.survfit` would report tᵢ there instead);
//! * "not reached" is `None`.
//!
//! The confidence limits apply the same rule to the pointwise bands (`conf.type`): the lower
//! limit is where the lower band reaches 1 − p, the upper limit where the upper band does. Points
//! where a band is undefined (R `NA`) are skipped, as R's `approx()` skips them.

use serde::{Deserialize, Serialize};

use super::conf::{z_value, ConfType};
use super::km::KaplanMeier;

/// R's tolerance for "equal to the quantile level": `sqrt(.Machine$double.eps)`.
pub const R_QUANTILE_TOLERANCE: f64 = 1.490_116_119_384_765_6e-8;

/// A quantile with its confidence limits; `None` where not reached.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QuantileEstimate {
    pub p: f64,
    pub estimate: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// R's `findq`: x = times prefixed with the start time, y = 1 − S prefixed with 0 (`None` for NA).
fn find_quantile(x: &[f64], y: &[Option<f64>], p: f64, tol: f64, xmax: f64) -> Option<f64> {
    let max_y = y
        .iter()
        .flatten()
        .cloned()
        .fold(f64::NEG_INFINITY, f64::max);
    if max_y < p {
        return None;
    }
    // Drop repeated y values (censorings, or repeated band values), keeping the first.
    let mut dx: Vec<f64> = Vec::with_capacity(x.len());
    let mut dy: Vec<Option<f64>> = Vec::with_capacity(y.len());
    let mut seen = std::collections::HashSet::with_capacity(y.len());
    for (xi, yi) in x.iter().zip(y) {
        // R's duplicated(): NA equals NA; -0 and 0 are the same value.
        let key = yi.map(|v| (v + 0.0).to_bits());
        if seen.insert(key) {
            dx.push(*xi);
            dy.push(*yi);
        }
    }
    // approx(y ± tol, 1:n, p, method = "constant", f = 1) over the points where y is not NA.
    // approx() sorts its points by y, so where a band is not monotone (the log band's upper
    // limit can rise again after a cap or a late event) the answer is the point with the
    // smallest y at or above p, not the first such point in time.
    let lookup = |shift: f64| -> Option<usize> {
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        let mut best: Option<(f64, usize)> = None;
        for (k, v) in dy.iter().enumerate() {
            let Some(v) = v else { continue };
            let v = v + shift;
            lo = lo.min(v);
            hi = hi.max(v);
            if v >= p && best.is_none_or(|(b, _)| v < b) {
                best = Some((v, k));
            }
        }
        if p < lo || p > hi {
            return None;
        }
        best.map(|(_, k)| k)
    };
    let i1 = lookup(tol);
    let i2 = lookup(-tol);
    let mut quant = match (i1, i2) {
        (Some(a), Some(b)) => Some((dx[a] + dx[b]) / 2.0),
        _ => None,
    };
    if let Some(Some(last)) = dy.last() {
        if (p - last).abs() < tol {
            quant = i1.map(|a| (dx[a] + xmax) / 2.0);
        }
    }
    quant
}

/// Quantiles of a Kaplan–Meier curve with confidence limits, by R's `quantile.survfit` rule.
///
/// ```
/// use survcalc::survival::{Sample, km::KaplanMeier, conf::ConfType, quantile::quantiles};
/// // S = 0.5 exactly on [2, 4): the median is the midpoint 3.
/// let s = Sample::new(vec![1.0, 2.0, 4.0, 5.0], vec![false, true, true, true], None);
/// let q = quantiles(&KaplanMeier::fit(&s), &[0.5], 0.95, ConfType::Log);
/// // S(2) = 2/3, S(4) = 1/3 here, so the median is 4
/// assert_eq!(q[0].estimate, Some(4.0));
/// ```
pub fn quantiles(
    km: &KaplanMeier,
    probs: &[f64],
    conf_level: f64,
    conf_type: ConfType,
) -> Vec<QuantileEstimate> {
    let Some(xmax) = km.last_time() else {
        return probs
            .iter()
            .map(|&p| QuantileEstimate {
                p,
                estimate: None,
                lower: None,
                upper: None,
            })
            .collect();
    };
    let z = z_value(conf_level);
    let mut x = Vec::with_capacity(km.steps.len() + 1);
    x.push(0.0_f64.min(km.steps[0].time));
    x.extend(km.steps.iter().map(|s| s.time));
    let mut y_est = vec![Some(0.0)];
    let mut y_lower_band = vec![Some(0.0)];
    let mut y_upper_band = vec![Some(0.0)];
    for s in &km.steps {
        y_est.push(Some(1.0 - s.surv));
        let (lo, hi) = s.band(z, conf_type);
        y_lower_band.push(lo.map(|v| 1.0 - v));
        y_upper_band.push(hi.map(|v| 1.0 - v));
    }
    let tol = R_QUANTILE_TOLERANCE;
    probs
        .iter()
        .map(|&p| QuantileEstimate {
            p,
            estimate: find_quantile(&x, &y_est, p, tol, xmax),
            lower: find_quantile(&x, &y_lower_band, p, tol, xmax),
            upper: find_quantile(&x, &y_upper_band, p, tol, xmax),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survival::Sample;

    fn km(t: &[f64], e: &[u8]) -> KaplanMeier {
        KaplanMeier::fit(&Sample::new(
            t.to_vec(),
            e.iter().map(|&x| x == 1).collect(),
            None,
        ))
    }

    #[test]
    fn midpoint_of_exact_flat_piece() {
        // 4 subjects, deaths at 1,2 → S(2) = 0.5 exactly; next death at 5.
        let k = km(&[1.0, 2.0, 5.0, 6.0], &[1, 1, 1, 0]);
        let q = quantiles(&k, &[0.5], 0.95, ConfType::Log);
        assert_eq!(q[0].estimate, Some(3.5));
    }

    #[test]
    fn final_flat_piece_uses_last_time() {
        // deaths at 1,2 then censored at 4 and 9: S = 0.5 until the end.
        let k = km(&[1.0, 2.0, 4.0, 9.0], &[1, 1, 0, 0]);
        let q = quantiles(&k, &[0.5], 0.95, ConfType::Log);
        assert_eq!(q[0].estimate, Some((2.0 + 9.0) / 2.0));
    }

    #[test]
    fn not_reached_is_none() {
        let k = km(&[1.0, 2.0, 3.0], &[1, 0, 0]);
        let q = quantiles(&k, &[0.5], 0.95, ConfType::Log);
        assert_eq!(q[0].estimate, None);
        assert_eq!(q[0].upper, None);
    }

    #[test]
    fn all_censored() {
        let k = km(&[1.0, 2.0], &[0, 0]);
        let q = quantiles(&k, &[0.25, 0.5, 0.75], 0.95, ConfType::Log);
        assert!(q.iter().all(|q| q.estimate.is_none() && q.lower.is_none()));
    }

    #[test]
    fn first_time_below() {
        let k = km(&[1.0, 2.0, 3.0, 4.0, 5.0], &[1, 1, 1, 1, 1]);
        let q = quantiles(&k, &[0.5], 0.95, ConfType::Log);
        // S(2) = 0.6, S(3) = 0.4 → 3
        assert_eq!(q[0].estimate, Some(3.0));
    }
}
