//! Pointwise confidence bands for a survival curve.
//!
//! Given S(t) and `std_err` = SE of −log S(t) (R's `survfit()$std.err`, Greenwood), and
//! z = Φ⁻¹(1 − (1 − level)/2), the limits are those of R's `survfit(..., conf.type=)`
//! (survival 3.5-3, `survfit_confint`):
//!
//! | type | lower, upper |
//! |---|---|
//! | `log` (R default) | S·exp(∓z·se), upper capped at 1 |
//! | `log-log` | exp(−exp(log(−log S) ± z·se/log S)), undefined at S = 0 or 1 |
//! | `plain` | S ∓ z·se·S, clipped to [0, 1] |
//! | `logit` | 1 − 1/(1 + exp(logit S ∓ z·se/(1 − S))) |
//! | `arcsin` | sin²(max(0, asin √S ∓ ½·z·se·√(S/(1−S)))) with the upper end capped at π/2 |
//!
//! R returns `NA` where a transform is undefined (S = 0 for every type but `plain`, S = 1 for
//! `log-log`); here that is `None`. SAS LIFETEST's default is `log-log`; Stata's `sts list` uses
//! `log-log`; lifelines uses `log-log`; Prism 10 uses the complementary log-log for curves.

use serde::{Deserialize, Serialize};

use crate::math::{asin, exp, ln, sin};

/// The transform of a pointwise confidence interval for S(t).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConfType {
    /// exp(log S ± z se): R's default.
    #[default]
    Log,
    /// Complementary log-log (R "log-log"): SAS, Stata and lifelines default.
    LogLog,
    /// Linear (Greenwood) interval.
    Plain,
    /// Logit transform.
    Logit,
    /// Arcsine-square-root transform.
    Arcsin,
}

impl ConfType {
    pub fn r_name(self) -> &'static str {
        match self {
            ConfType::Log => "log",
            ConfType::LogLog => "log-log",
            ConfType::Plain => "plain",
            ConfType::Logit => "logit",
            ConfType::Arcsin => "arcsin",
        }
    }

    pub fn parse(text: &str) -> Option<ConfType> {
        match text.trim().to_ascii_lowercase().as_str() {
            "log" => Some(ConfType::Log),
            "log-log" | "loglog" | "cloglog" => Some(ConfType::LogLog),
            "plain" | "linear" => Some(ConfType::Plain),
            "logit" => Some(ConfType::Logit),
            "arcsin" | "asin" | "arcsine" => Some(ConfType::Arcsin),
            _ => None,
        }
    }
}

/// The two-sided normal quantile for a confidence level, z = Φ⁻¹(1 − (1 − level)/2), by R's
/// algorithm (Wichura's AS 241, as `qnorm`), so z is bit-identical to R's.
pub fn z_value(level: f64) -> f64 {
    crate::response::dist::qnorm(1.0 - (1.0 - level) / 2.0).unwrap_or(f64::NAN)
}

/// Lower and upper pointwise limits for S with `std_err` = SE(−log S), as R computes them.
pub fn band(surv: f64, std_err: f64, z: f64, conf_type: ConfType) -> (Option<f64>, Option<f64>) {
    let finite = |x: f64| if x.is_finite() { Some(x) } else { None };
    if std_err.is_nan() {
        return (None, None);
    }
    match conf_type {
        ConfType::Plain => {
            if surv <= 0.0 {
                return (None, None);
            }
            let se2 = z * std_err * surv;
            (finite((surv - se2).max(0.0)), finite((surv + se2).min(1.0)))
        }
        ConfType::Log => {
            if surv <= 0.0 {
                return (None, None);
            }
            let se2 = z * std_err;
            let lo = exp(ln(surv) - se2);
            let hi = exp(ln(surv) + se2).min(1.0);
            (finite(lo), finite(hi))
        }
        ConfType::LogLog => {
            if surv <= 0.0 || surv >= 1.0 {
                return (None, None);
            }
            let se2 = z * std_err / ln(surv);
            let ll = ln(-ln(surv));
            let t1 = exp(-exp(ll - se2));
            let t2 = exp(-exp(ll + se2));
            // se2 < 0 (log S < 0): t1 is the lower limit.
            (finite(t1.min(t2)), finite(t1.max(t2)))
        }
        ConfType::Logit => {
            if surv <= 0.0 {
                return (None, None);
            }
            let se2 = z * std_err * (1.0 + surv / (1.0 - surv));
            let lg = ln(surv / (1.0 - surv));
            let lo = 1.0 - 1.0 / (1.0 + exp(lg - se2));
            let hi = 1.0 - 1.0 / (1.0 + exp(lg + se2));
            (finite(lo), finite(hi))
        }
        ConfType::Arcsin => {
            // R: at S = 1, se2 = 0·∞ = NaN and pmax(0, NaN) is NA.
            if surv <= 0.0 || surv >= 1.0 {
                return (None, None);
            }
            let se2 = 0.5 * z * std_err * (surv / (1.0 - surv)).sqrt();
            let a = asin(surv.sqrt());
            let lo = sin((a - se2).max(0.0));
            let hi = sin((a + se2).min(std::f64::consts::FRAC_PI_2));
            let (lo, hi) = (lo * lo, hi * hi);
            (finite(lo), finite(hi))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn z_for_95_percent() {
        // qnorm(0.975) in R
        assert!((z_value(0.95) - 1.959963984540054).abs() < 1e-15);
    }

    #[test]
    fn log_band_hand_computed() {
        // S = 0.5, se(-log S) = 0.2: exp(log 0.5 ± 1.96·0.2)
        let z = z_value(0.95);
        let (lo, hi) = band(0.5, 0.2, z, ConfType::Log);
        assert!((lo.unwrap_or(0.0) - 0.5 * exp(-z * 0.2)).abs() < 1e-15);
        assert!((hi.unwrap_or(0.0) - 0.5 * exp(z * 0.2)).abs() < 1e-15);
    }

    #[test]
    fn every_type_contains_the_estimate() {
        let z = z_value(0.9);
        for ct in [
            ConfType::Log,
            ConfType::LogLog,
            ConfType::Plain,
            ConfType::Logit,
            ConfType::Arcsin,
        ] {
            for s in [0.01, 0.3, 0.5, 0.77, 0.99] {
                let (lo, hi) = band(s, 0.1, z, ct);
                let (lo, hi) = (lo.unwrap_or(f64::NAN), hi.unwrap_or(f64::NAN));
                assert!(lo <= s && s <= hi, "{ct:?} {s}: [{lo}, {hi}]");
                assert!((0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&hi));
            }
        }
    }

    #[test]
    fn undefined_points_are_none() {
        assert_eq!(band(0.0, 0.1, 1.96, ConfType::Log), (None, None));
        assert_eq!(band(1.0, 0.0, 1.96, ConfType::LogLog), (None, None));
        assert_eq!(band(1.0, 0.0, 1.96, ConfType::Log), (Some(1.0), Some(1.0)));
    }
}
