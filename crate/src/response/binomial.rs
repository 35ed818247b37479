//! Confidence intervals for a binomial proportion p = x/n (response rates).
//!
//! With α = 1 − level:
//!
//! * **Clopper–Pearson** (exact): [B⁻¹(α/2; x, n−x+1), B⁻¹(1−α/2; x+1, n−x)], with 0 at x = 0 and
//!   1 at x = n, where B⁻¹ is the beta quantile ([`qbeta`]). R: `binom.test(x, n, conf.level =
//!   level)$conf.int`. SAS `PROC FREQ; TABLES … / BINOMIAL` prints the same "Exact Conf Limits",
//!   and Stata `cii proportions n x` (whose default is `exact`) the same limits.
//! * **Wilson** (score): with z = Φ⁻¹((1 + level)/2) and p̂ = x/n,
//!   (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n). R: `prop.test(x, n, conf.level = level,
//!   correct = FALSE)$conf.int`; Stata `cii proportions n x, wilson`; SAS `BINOMIAL(WILSON)`;
//!   GraphPad Prism's "Wilson/Brown" method.
//! * **Wilson with continuity correction**: the same with p̂ replaced by p̂ + c/n in the upper
//!   limit and p̂ − c/n in the lower one, an upper limit of 1 when p̂ + c/n ≥ 1, a lower limit of 0
//!   when p̂ − c/n ≤ 0, and the result clipped to [0, 1]. R: `prop.test(x, n, correct =
//!   TRUE)$conf.int`. R's c is `min(0.5, abs(x - n/2))` (its `YATES`, shrunk towards the default
//!   null p = ½), so for x within ½ of n/2 the correction shrinks and at x = n/2 the interval is
//!   the uncorrected Wilson one. Newcombe's (1998) published formula, which SAS documents for
//!   `BINOMIAL(WILSON(CORRECT))`, always uses c = ½ and so differs from R near x = n/2.
//! * **Jeffreys**: [B⁻¹(α/2; x+½, n−x+½), B⁻¹(1−α/2; x+½, n−x+½)], lower 0 at x = 0 and upper 1
//!   at x = n (Brown, Cai & DasGupta 2001). Base R has no function for it; this is the formula of
//!   e.g. `DescTools::BinomCI(method = "jeffreys")`, and Stata `cii proportions, jeffreys` and
//!   SAS `BINOMIAL(JEFFREYS)` give the equal-tailed interval of the same beta posterior.
//!
//! n is a count but may be fractional (frequency weights): every formula is used as written; an
//! exact interval then uses the continuous beta quantile.

use serde::{Deserialize, Serialize};

use super::dist::{qbeta, qnorm};

/// The default confidence level.
pub const DEFAULT_LEVEL: f64 = 0.95;

/// How to compute the interval of a proportion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IntervalMethod {
    /// Exact (R `binom.test`).
    #[default]
    ClopperPearson,
    /// Wilson score (R `prop.test(correct = FALSE)`).
    Wilson,
    /// Wilson score with R's continuity correction (R `prop.test(correct = TRUE)`).
    WilsonCc,
    /// Jeffreys equal-tailed beta interval.
    Jeffreys,
}

impl IntervalMethod {
    /// Every method, in the order the page lists them.
    pub const ALL: [IntervalMethod; 4] = [
        IntervalMethod::ClopperPearson,
        IntervalMethod::Wilson,
        IntervalMethod::WilsonCc,
        IntervalMethod::Jeffreys,
    ];

    /// A name for tables and notes, e.g. "Clopper–Pearson (exact)".
    ///
    /// # Examples
    /// ```
    /// use survcalc::response::binomial::IntervalMethod;
    /// assert_eq!(IntervalMethod::Wilson.label(), "Wilson score");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            IntervalMethod::ClopperPearson => "Clopper–Pearson (exact)",
            IntervalMethod::Wilson => "Wilson score",
            IntervalMethod::WilsonCc => "Wilson score with continuity correction",
            IntervalMethod::Jeffreys => "Jeffreys",
        }
    }
}

/// A proportion with its confidence limits. All `None` when n = 0 (not estimable); the limits
/// are `None` when the level is not strictly between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Proportion {
    pub estimate: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// The proportion x/n and its two-sided confidence interval at `level` by `method`.
///
/// # Errors
/// None are raised: n ≤ 0, x < 0, x > n or a non-finite argument give all `None`; a level
/// outside (0, 1) gives the estimate with `None` limits.
///
/// # Examples
/// ```
/// use survcalc::response::binomial::{proportion_ci, IntervalMethod};
/// // R: binom.test(5, 20)$conf.int = 0.08657147 0.49104587
/// let cp = proportion_ci(5.0, 20.0, 0.95, IntervalMethod::ClopperPearson);
/// assert_eq!(cp.estimate, Some(0.25));
/// assert!((cp.lower.unwrap() - 0.086_571_47).abs() < 1e-8);
/// assert!((cp.upper.unwrap() - 0.491_045_87).abs() < 1e-8);
/// // R: prop.test(7, 20, correct = FALSE)$conf.int = 0.1811918 0.5671457
/// let w = proportion_ci(7.0, 20.0, 0.95, IntervalMethod::Wilson);
/// assert!((w.lower.unwrap() - 0.181_191_824_101_082_06).abs() < 1e-15);
/// // x = n/2: R's continuity correction vanishes
/// let cc = proportion_ci(4.0, 8.0, 0.95, IntervalMethod::WilsonCc);
/// assert_eq!(cc, proportion_ci(4.0, 8.0, 0.95, IntervalMethod::Wilson));
/// ```
pub fn proportion_ci(x: f64, n: f64, level: f64, method: IntervalMethod) -> Proportion {
    if !(x.is_finite() && n.is_finite() && n > 0.0 && x >= 0.0 && x <= n) {
        return Proportion::default();
    }
    let estimate = Some(x / n);
    if !(level > 0.0 && level < 1.0) {
        return Proportion {
            estimate,
            lower: None,
            upper: None,
        };
    }
    let (lower, upper) = match method {
        IntervalMethod::ClopperPearson => clopper_pearson(x, n, level),
        IntervalMethod::Wilson => wilson(x, n, level, false),
        IntervalMethod::WilsonCc => wilson(x, n, level, true),
        IntervalMethod::Jeffreys => jeffreys(x, n, level),
    };
    Proportion {
        estimate,
        lower,
        upper,
    }
}

/// R `binom.test`: `alpha <- (1 - conf.level)/2`, `qbeta(alpha, x, n - x + 1)` and
/// `qbeta(1 - alpha, x + 1, n - x)`, with 0 and 1 at the ends.
fn clopper_pearson(x: f64, n: f64, level: f64) -> (Option<f64>, Option<f64>) {
    let alpha = (1.0 - level) / 2.0;
    let lower = if x == 0.0 {
        Some(0.0)
    } else {
        qbeta(alpha, x, n - x + 1.0)
    };
    let upper = if x == n {
        Some(1.0)
    } else {
        qbeta(1.0 - alpha, x + 1.0, n - x)
    };
    (lower, upper)
}

/// R `prop.test` for one proportion, transcribed operation by operation so that the limits
/// agree to the last bit (the default null p = ½ enters through `YATES`).
fn wilson(x: f64, n: f64, level: f64, correct: bool) -> (Option<f64>, Option<f64>) {
    let Some(z) = qnorm((1.0 + level) / 2.0) else {
        return (None, None);
    };
    let yates = if correct {
        0.5_f64.min((x - n * 0.5).abs())
    } else {
        0.0
    };
    let estimate = x / n;
    let z22n = z * z / (2.0 * n);
    let pc = estimate + yates / n;
    let pu = if pc >= 1.0 {
        1.0
    } else {
        (pc + z22n + z * (pc * (1.0 - pc) / n + z22n / (2.0 * n)).sqrt()) / (1.0 + 2.0 * z22n)
    };
    let pc = estimate - yates / n;
    let pl = if pc <= 0.0 {
        0.0
    } else {
        (pc + z22n - z * (pc * (1.0 - pc) / n + z22n / (2.0 * n)).sqrt()) / (1.0 + 2.0 * z22n)
    };
    (Some(pl.max(0.0)), Some(pu.min(1.0)))
}

/// Equal-tailed Jeffreys interval, with the Brown–Cai–DasGupta end conventions.
fn jeffreys(x: f64, n: f64, level: f64) -> (Option<f64>, Option<f64>) {
    let alpha = (1.0 - level) / 2.0;
    let lower = if x == 0.0 {
        Some(0.0)
    } else {
        qbeta(alpha, x + 0.5, n - x + 0.5)
    };
    let upper = if x == n {
        Some(1.0)
    } else {
        qbeta(1.0 - alpha, x + 0.5, n - x + 0.5)
    };
    (lower, upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_zero_is_not_estimable() {
        for m in IntervalMethod::ALL {
            assert_eq!(proportion_ci(0.0, 0.0, 0.95, m), Proportion::default());
        }
    }

    #[test]
    fn bad_level_keeps_estimate() {
        let p = proportion_ci(1.0, 4.0, 1.0, IntervalMethod::Wilson);
        assert_eq!(p.estimate, Some(0.25));
        assert_eq!((p.lower, p.upper), (None, None));
    }

    #[test]
    fn clopper_pearson_ends_closed_form() {
        // x = 0: upper = 1 − (α/2)^(1/n); x = n: lower = (α/2)^(1/n)
        let p = proportion_ci(0.0, 10.0, 0.95, IntervalMethod::ClopperPearson);
        assert_eq!(p.lower, Some(0.0));
        let up = p.upper.unwrap_or(f64::NAN);
        assert!((up - (1.0 - crate::math::pow(0.025, 0.1))).abs() < 1e-15);
        let p = proportion_ci(10.0, 10.0, 0.95, IntervalMethod::ClopperPearson);
        assert_eq!(p.upper, Some(1.0));
        let lo = p.lower.unwrap_or(f64::NAN);
        assert!((lo - crate::math::pow(0.025, 0.1)).abs() < 1e-15);
    }

    #[test]
    fn serde_names() {
        let names: Vec<String> = IntervalMethod::ALL
            .iter()
            .map(|m| serde_json::to_string(m).unwrap_or_default())
            .collect();
        assert_eq!(
            names,
            [
                "\"clopper-pearson\"",
                "\"wilson\"",
                "\"wilson-cc\"",
                "\"jeffreys\""
            ]
        );
    }
}
