//! Quantiles of a Kaplan–Meier curve (the median, the 25th and 75th percentiles) with confidence
//! limits, by the rule of a named tool. Tools agree on S(t) and on Greenwood's variance but not
//! on which time "reaches" 1 − p, nor on how the interval is read off the curve, which is why
//! the same data give different medians and CIs in R, SAS, Prism and lifelines.
//!
//! Throughout, p is the quantile of the time (0.5 for the median), q = 1 − p is the survival
//! level and z = Φ⁻¹(1 − (1 − level)/2).
//!
//! * [`Convention::R`]: R survival 3.5-3 `quantile.survfit`, implemented in
//!   [`super::quantile`]: the first time with S(t) ≤ q, the midpoint of a flat stretch at exactly
//!   q (up to the last observed time when the curve ends on it); the limits are where the
//!   pointwise bands reach q.
//! * [`Convention::Sas`]: SAS PROC LIFETEST (SAS/STAT User's Guide, "The LIFETEST Procedure",
//!   Details › Computational Formulas › "Breslow, Fleming-Harrington, and Kaplan-Meier Methods",
//!   page statug_lifetest_details03 of the 14.1 edition, the same text as "Product-Limit
//!   Method" in 9.2; the transforms are on "Pointwise Confidence Limits in the OUTSURV= Data
//!   Set", statug_lifetest_details08; the confidence level of the quartiles is ALPHAQT=). With
//!   t₁ < … < t_D the distinct *event* times:
//!   - q_p = min{tⱼ : S(tⱼ) < q} (strict); if S = q exactly on [tⱼ, tⱼ₊₁) it is (tⱼ + tⱼ₊₁)/2;
//!     if S > q for all t it cannot be estimated, which includes a curve that ends exactly at q
//!     (no tⱼ₊₁): `None`.
//!   - Brookmeyer–Crowley: the interval is the set of t with
//!     |g(S(t)) − g(q)| ≤ z · |g′(S(t))| · σ(S(t)), σ Greenwood's SE of S, g the CONFTYPE=
//!     transform (LOGLOG by default; LINEAR, LOG, LOGIT, ASINSQRT also allowed, the same
//!     transforms as [`ConfType`]). S is constant on [tⱼ, tⱼ₊₁), so the set is a union of such
//!     pieces: the lower limit is the first event time in it and the upper limit is the event
//!     time that follows the last one in it, the half-open interval SAS prints as
//!     "[Lower, Upper)". If the last event time is in the set the upper limit is missing
//!     (`None`), as it is when no event time is in the set. Points where g is undefined
//!     (S = 0) are never in the set. The doc page's prose stops at the inequality and the worked
//!     table; the reading of the limits is also what two implementations that follow that page
//!     do: statsmodels/statsmodels: statsmodels/duration/survfunc.py (`quantile_ci`, "based on
//!     the approach used in SAS") and kaifenglu/lrstat: src/survival_analysis.cpp
//!     (`survQuantilecpp`).
//! * [`Convention::Prism`]: GraphPad Prism 10 Statistics Guide, "Interpreting results: Median
//!   survival" (page stat_interpreting_results_ratio_of_), and knowledgebase articles 44
//!   ("Ambiguities in computing the median survival time") and 1800 ("Bug: Median survival can
//!   be incorrect when a curve ends at 50% survival", fixed in Prism 6):
//!   - the median is where the staircase crosses 50%; where it is horizontal at exactly 50%,
//!     the average of the time it got there and the time it left (Machin's suggestion), and
//!     when the curve ends on that stretch, the average with the end of that curve. This is
//!     R's rule too (except that R's `findq` returns NA when the curve ends a rounding error
//!     above q: it tests max(1 − S) < p without its tolerance). Prism reports only the median;
//!     the same rule is used here for any p.
//!   - the CI (Prism 10.5 and later) is Brookmeyer–Crowley with the complementary log-log
//!     transform; the guide gives only the inequality, so its limits are read as SAS's above. An
//!     upper limit that does not exist is shown by Prism as "+infinity" (`None` here).
//! * [`Convention::Lifelines`]: lifelines 0.30.3, `KaplanMeierFitter().median_survival_time_`,
//!   `qth_survival_times(1 - p, kmf.survival_function_)` and
//!   `median_survival_times(kmf.confidence_interval_)` (CamDavidsonPilon/lifelines:
//!   lifelines/utils/__init__.py `qth_survival_time`, lifelines/fitters/kaplan_meier_fitter.py
//!   `_bounds`, `_additive_f`, `_additive_var`):
//!   - on lifelines' timeline (every distinct time, after a row at time 0 when all times are
//!     positive) the estimate is the first time S(t) ≤ q, with no midpoint rule; `inf` (here
//!     `None`) when the last value is above q;
//!   - the limits apply the same rule to the lower and the upper "exponential Greenwood" band,
//!     which is R's log-log band ([`ConfType::LogLog`]); lifelines fills the undefined band at
//!     S = 1 with 1 and its band is 0 at S = 0;
//!   - lifelines computes S as exp(Σ (ln(nᵢ − dᵢ) − ln nᵢ)), not as a product, so where S is
//!     exactly q its last bits decide: one death in four gives 0.7500000000000001, and lifelines
//!     reports the next time as the 25th percentile (on random tied data, at about half of such
//!     points). That sum is recomputed here with correctly rounded `ln` and `exp`, which glibc
//!     returns for all but about 0.1% of arguments, so the answer is the same natively and in
//!     wasm (whose libm differs from glibc in about 10% of `exp` results). numpy's AVX-512 `exp`
//!     differs from glibc for some arguments too, so at such points lifelines itself can
//!     answer differently on different machines;
//!   - the "first time" is numpy's binary `searchsorted` on a column assumed non-increasing;
//!     the bands almost always are, and where one is not, that search is reproduced too;
//!   - with non-integer weights lifelines truncates the numbers at risk in its variance
//!     (`_additive_var`); that is not reproduced.

use serde::{Deserialize, Serialize};

use super::conf::{z_value, ConfType};
use super::km::{KaplanMeier, KmStep};
use super::quantile::{quantiles, QuantileEstimate, R_QUANTILE_TOLERANCE};
use crate::math::{asin, ln};

/// Where S(t) is within this of 1 − p, SAS and Prism treat it as exactly 1 − p (the midpoint
/// rule). S is a product of ratios, so exact equality would depend on rounding; this is R's
/// tolerance (√ε), far below any real difference of survival probabilities.
pub const EXACT_LEVEL_TOLERANCE: f64 = R_QUANTILE_TOLERANCE;

/// Which tool's rule to follow for the median (and other quantiles) and its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Convention {
    /// R survival's `quantile.survfit` / `print.survfit` (default).
    #[default]
    R,
    /// SAS PROC LIFETEST (quartile estimates, Brookmeyer–Crowley limits).
    Sas,
    /// GraphPad Prism 10.5 and later.
    Prism,
    /// Python lifelines (`KaplanMeierFitter`).
    Lifelines,
}

impl Convention {
    /// Every convention, in the order a settings panel lists them.
    pub const ALL: [Convention; 4] = [
        Convention::R,
        Convention::Sas,
        Convention::Prism,
        Convention::Lifelines,
    ];

    /// The tool's name for labels.
    ///
    /// ```
    /// use survcalc::survival::quantile_conventions::Convention;
    /// assert_eq!(Convention::Sas.label(), "SAS PROC LIFETEST");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            Convention::R => "R survival",
            Convention::Sas => "SAS PROC LIFETEST",
            Convention::Prism => "GraphPad Prism",
            Convention::Lifelines => "lifelines",
        }
    }

    /// Reads a convention from its settings name (`r`, `sas`, `prism`, `lifelines`) or a common
    /// alias, ignoring case; `None` if unknown.
    ///
    /// ```
    /// use survcalc::survival::quantile_conventions::Convention;
    /// assert_eq!(Convention::parse(" LIFETEST "), Some(Convention::Sas));
    /// assert_eq!(Convention::parse("stata"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Convention> {
        match text.trim().to_ascii_lowercase().as_str() {
            "r" => Some(Convention::R),
            "sas" | "lifetest" => Some(Convention::Sas),
            "prism" | "graphpad" => Some(Convention::Prism),
            "lifelines" => Some(Convention::Lifelines),
            _ => None,
        }
    }
}

/// The tool's own transform for the confidence interval: R `log` (`conf.type` default), SAS
/// `CONFTYPE=LOGLOG` (default), Prism complementary log-log (its only choice), lifelines
/// exponential Greenwood = log-log (its only choice).
///
/// ```
/// use survcalc::survival::conf::ConfType;
/// use survcalc::survival::quantile_conventions::{convention_defaults, Convention};
/// assert_eq!(convention_defaults(Convention::R), ConfType::Log);
/// assert_eq!(convention_defaults(Convention::Prism), ConfType::LogLog);
/// ```
pub fn convention_defaults(convention: Convention) -> ConfType {
    match convention {
        Convention::R => ConfType::Log,
        Convention::Sas | Convention::Prism | Convention::Lifelines => ConfType::LogLog,
    }
}

/// The transforms the tool itself offers: all five in R (`conf.type`) and SAS (`CONFTYPE=`);
/// only log-log in Prism and lifelines. [`quantiles_by`] accepts any transform with any
/// convention (the tool's rule applied to that band), but only these reproduce the tool.
///
/// ```
/// use survcalc::survival::conf::ConfType;
/// use survcalc::survival::quantile_conventions::{supported_conf_types, Convention};
/// assert_eq!(supported_conf_types(Convention::Lifelines), &[ConfType::LogLog]);
/// assert_eq!(supported_conf_types(Convention::Sas).len(), 5);
/// ```
pub fn supported_conf_types(convention: Convention) -> &'static [ConfType] {
    const ALL_TYPES: [ConfType; 5] = [
        ConfType::Log,
        ConfType::LogLog,
        ConfType::Plain,
        ConfType::Logit,
        ConfType::Arcsin,
    ];
    match convention {
        Convention::R | Convention::Sas => &ALL_TYPES,
        Convention::Prism | Convention::Lifelines => &[ConfType::LogLog],
    }
}

/// One sentence for the page's conventions panel: what the tool does and how that differs.
///
/// ```
/// use survcalc::survival::quantile_conventions::{describe, Convention};
/// assert!(describe(Convention::Lifelines).contains("no midpoint"));
/// ```
pub fn describe(convention: Convention) -> &'static str {
    match convention {
        Convention::R => {
            "R survival: the median is the first time the curve is at or below 50%, or the \
             midpoint of a stretch at exactly 50% (to the last follow-up time if the curve ends \
             there); its CI is where the pointwise bands (log transform by default) reach 50%."
        }
        Convention::Sas => {
            "SAS PROC LIFETEST: the median is the first event time the curve is strictly below \
             50% (the midpoint of a stretch at exactly 50%, missing if the curve ends there); \
             its Brookmeyer–Crowley CI runs from the first event time whose pointwise band \
             contains 50% to the event time after the last such one, printed as [lower, upper), \
             with the log-log transform by default where R uses log."
        }
        Convention::Prism => {
            "GraphPad Prism: the median is where the staircase crosses 50%, or the average of \
             the ends of a stretch at exactly 50%, as in R; its CI (Prism 10.5+) is \
             Brookmeyer–Crowley with the complementary log-log transform where R uses log by \
             default, and a missing upper limit shows as +infinity."
        }
        Convention::Lifelines => {
            "lifelines: the median is the first time the curve is at or below 50%, with no \
             midpoint for a stretch at exactly 50% (and its floating-point arithmetic can push \
             that time to the next one); the CI limits are the first times the log-log \
             (exponential Greenwood) bands reach 50%, and 'inf' means not reached."
        }
    }
}

/// Quantiles of a Kaplan–Meier curve with confidence limits, by a tool's rule (see the module
/// documentation). `probs` are fractions of events (0.5 = median); for the SAS, Prism and
/// lifelines rules a `p` outside (0, 1) gives `None` throughout. `Convention::R` is exactly
/// [`super::quantile::quantiles`]. Pass [`convention_defaults`] as `conf_type` to reproduce the
/// tool.
///
/// ```
/// use survcalc::survival::{Sample, km::KaplanMeier, conf::ConfType};
/// use survcalc::survival::quantile_conventions::{quantiles_by, Convention};
/// // Deaths at 1, 2, 5 and a censoring at 6: S = 3/4, 1/2, 1/4. S = 1/2 exactly on [2, 5).
/// let s = Sample::new(vec![1.0, 2.0, 5.0, 6.0], vec![true, true, true, false], None);
/// let km = KaplanMeier::fit(&s);
/// let median = |c| quantiles_by(&km, &[0.5], 0.95, ConfType::LogLog, c)[0].estimate;
/// assert_eq!(median(Convention::Sas), Some(3.5)); // midpoint of [2, 5)
/// assert_eq!(median(Convention::Lifelines), Some(2.0)); // first S ≤ 0.5
/// ```
pub fn quantiles_by(
    km: &KaplanMeier,
    probs: &[f64],
    conf_level: f64,
    conf_type: ConfType,
    convention: Convention,
) -> Vec<QuantileEstimate> {
    let z = z_value(conf_level);
    let each = |rule: &mut dyn FnMut(f64) -> QuantileEstimate| -> Vec<QuantileEstimate> {
        probs
            .iter()
            .map(|&p| {
                if p > 0.0 && p < 1.0 {
                    rule(p)
                } else {
                    not_estimable(p)
                }
            })
            .collect()
    };
    match convention {
        Convention::R => quantiles(km, probs, conf_level, conf_type),
        Convention::Sas => {
            each(&mut |p| brookmeyer_crowley(km, p, z, conf_type, FinalPlateau::NotEvaluable))
        }
        Convention::Prism => {
            each(&mut |p| brookmeyer_crowley(km, p, z, conf_type, FinalPlateau::AverageWithEnd))
        }
        Convention::Lifelines => {
            let mut curve = LifelinesCurve::new(km, z, conf_type);
            each(&mut |p| curve.quantile(p))
        }
    }
}

fn not_estimable(p: f64) -> QuantileEstimate {
    QuantileEstimate {
        p,
        estimate: None,
        lower: None,
        upper: None,
    }
}

/// What the point estimate is when the curve ends on a stretch at exactly 1 − p.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FinalPlateau {
    /// SAS: S is never below 1 − p, so the quantile cannot be estimated.
    NotEvaluable,
    /// Prism (and R): the average of the time the stretch starts and the end of the curve.
    AverageWithEnd,
}

/// The point estimate and Brookmeyer–Crowley limits of the SAS and Prism rules.
fn brookmeyer_crowley(
    km: &KaplanMeier,
    p: f64,
    z: f64,
    conf_type: ConfType,
    final_plateau: FinalPlateau,
) -> QuantileEstimate {
    let q = 1.0 - p;
    // The tⱼ of both documents are the distinct event times: S and its SE only change there.
    let events: Vec<&KmStep> = km.steps.iter().filter(|s| s.n_event > 0.0).collect();

    let mut estimate = None;
    for (j, s) in events.iter().enumerate() {
        if (s.surv - q).abs() <= EXACT_LEVEL_TOLERANCE {
            // S = q on [tⱼ, tⱼ₊₁): the midpoint, or the final-plateau rule.
            estimate = match (events.get(j + 1), final_plateau) {
                (Some(next), _) => Some((s.time + next.time) / 2.0),
                (None, FinalPlateau::NotEvaluable) => None,
                (None, FinalPlateau::AverageWithEnd) => {
                    km.last_time().map(|end| (s.time + end) / 2.0)
                }
            };
            break;
        }
        if s.surv < q {
            estimate = Some(s.time);
            break;
        }
    }

    let inside: Vec<bool> = events
        .iter()
        .map(|s| within_band(s.surv, s.se_log, q, z, conf_type))
        .collect();
    let (lower, upper) = match (
        inside.iter().position(|&b| b),
        inside.iter().rposition(|&b| b),
    ) {
        (Some(first), Some(last)) => (
            Some(events[first].time),
            events.get(last + 1).map(|s| s.time),
        ),
        _ => (None, None),
    };
    QuantileEstimate {
        p,
        estimate,
        lower,
        upper,
    }
}

/// Brookmeyer and Crowley's test at one event time: |g(S) − g(q)| ≤ z · σ_g with σ_g the delta
/// method SE of g(S) from `se_log` = SE(−log S) (so σ(S) = S · se_log). False where g or σ_g is
/// undefined (S = 0, or S = 1 before any event).
fn within_band(surv: f64, se_log: f64, q: f64, z: f64, conf_type: ConfType) -> bool {
    if !(surv > 0.0 && surv < 1.0 && se_log.is_finite()) {
        return false;
    }
    let logit = |x: f64| ln(x / (1.0 - x));
    let (distance, se_g) = match conf_type {
        // g(x) = x, g′ = 1
        ConfType::Plain => (surv - q, surv * se_log),
        // g(x) = log x, g′ = 1/x
        ConfType::Log => (ln(surv) - ln(q), se_log),
        // g(x) = log(−log x), |g′| = 1/(x |log x|)
        ConfType::LogLog => (ln(-ln(surv)) - ln(-ln(q)), se_log / -ln(surv)),
        // g(x) = log(x/(1 − x)), g′ = 1/(x(1 − x))
        ConfType::Logit => (logit(surv) - logit(q), se_log / (1.0 - surv)),
        // g(x) = asin √x, g′ = 1/(2 √(x(1 − x)))
        ConfType::Arcsin => (
            asin(surv.sqrt()) - asin(q.sqrt()),
            0.5 * se_log * (surv / (1.0 - surv)).sqrt(),
        ),
    };
    // NaN compares false: outside.
    distance.abs() <= z * se_g
}

/// lifelines' `survival_function_` and `confidence_interval_` on its timeline: a birth row at
/// min(0, first time), merged with the first row when that is at or before 0, then one row per
/// distinct time (events and censorings).
struct LifelinesCurve<'a> {
    km: &'a KaplanMeier,
    times: Vec<f64>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    /// lifelines' log S, Σ (log(n − d) − log n), through each step, computed on demand.
    log_surv: Vec<f64>,
    /// The last argument of `correctly_rounded::ln` and its value (n − d of one row is usually
    /// the n of the next).
    last_log: (f64, f64),
}

impl<'a> LifelinesCurve<'a> {
    fn new(km: &'a KaplanMeier, z: f64, conf_type: ConfType) -> Self {
        let birth_row = km.steps.first().is_some_and(|s| s.time > 0.0);
        let rows = km.steps.len() + usize::from(birth_row);
        let mut times = Vec::with_capacity(rows);
        let mut lower = Vec::with_capacity(rows);
        let mut upper = Vec::with_capacity(rows);
        if birth_row {
            times.push(0.0);
            lower.push(1.0);
            upper.push(1.0);
        }
        for s in &km.steps {
            // `_bounds` fills NaN (S = 1) with 1.0; at S = 0 its band is exp(−exp(+∞)) = 0.
            let fill = if s.surv > 0.0 { 1.0 } else { 0.0 };
            let (lo, hi) = s.band(z, conf_type);
            times.push(s.time);
            lower.push(lo.unwrap_or(fill));
            upper.push(hi.unwrap_or(fill));
        }
        LifelinesCurve {
            km,
            times,
            lower,
            upper,
            log_surv: Vec::new(),
            last_log: (1.0, 0.0),
        }
    }

    fn quantile(&mut self, p: f64) -> QuantileEstimate {
        let q = 1.0 - p;
        QuantileEstimate {
            p,
            estimate: self.estimate(q),
            lower: first_at_or_below(&self.times, &self.lower, q),
            upper: first_at_or_below(&self.times, &self.upper, q),
        }
    }

    /// `qth_survival_time(q, kmf.survival_function_)`: lifelines' S never increases, so its
    /// bisection finds the first time S ≤ q. Away from q its S and ours (a product) decide
    /// alike; where S = q exactly, lifelines' S = exp(cumsum(log(n − d) − log(n)))
    /// (`_additive_f`) lands a few units in the last place above or below q, and that decides.
    /// It is recomputed here with correctly rounded `log` and `exp` (what glibc, under numpy,
    /// returns almost always), so the answer does not depend on this platform's libm.
    fn estimate(&mut self, q: f64) -> Option<f64> {
        let km = self.km;
        let steps = &km.steps;
        let j = steps
            .iter()
            .position(|s| s.surv <= q + EXACT_LEVEL_TOLERANCE)?;
        if steps[j].surv < q - EXACT_LEVEL_TOLERANCE {
            return Some(steps[j].time);
        }
        if correctly_rounded::exp(self.log_surv_through(j)) <= q {
            Some(steps[j].time)
        } else {
            steps[j + 1..]
                .iter()
                .find(|s| s.surv < q - EXACT_LEVEL_TOLERANCE)
                .map(|s| s.time)
        }
    }

    /// lifelines' cumulative sum through step j, in its order of summation.
    fn log_surv_through(&mut self, j: usize) -> f64 {
        let km = self.km;
        while self.log_surv.len() <= j {
            let s = &km.steps[self.log_surv.len()];
            let before = self.log_surv.last().copied().unwrap_or(0.0);
            // A row without events adds log(n) − log(n) = 0.
            let term = if s.n_event > 0.0 {
                let log_after = self.ln(s.n_risk - s.n_event);
                let log_before = self.ln(s.n_risk);
                log_after - log_before
            } else {
                0.0
            };
            self.log_surv.push(before + term);
        }
        self.log_surv[j]
    }

    fn ln(&mut self, x: f64) -> f64 {
        if x != self.last_log.0 {
            self.last_log = (x, correctly_rounded::ln(x));
        }
        self.last_log.1
    }
}

/// lifelines' `qth_survival_time` on one column: `inf` (`None`) if the last value is above q,
/// else `index[(-column).searchsorted([-q])[0]]`. numpy's `searchsorted(side='left')` is a
/// binary search for the first position where −value ≥ −q, i.e. value ≤ q; on a non-increasing
/// column that is the first time at or below q, and elsewhere this reproduces its bisection.
fn first_at_or_below(times: &[f64], values: &[f64], q: f64) -> Option<f64> {
    let last = values.last()?;
    if *last > q {
        return None;
    }
    let (mut lo, mut hi) = (0, values.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if values[mid] > q {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    times.get(lo).copied()
}

/// Correctly rounded natural `log` and `exp` (round to nearest) in double-double arithmetic
/// (about 104 bits), for reproducing another program's floating-point results independently of
/// the platform's libm. Only the lifelines knife-edge case above uses them.
mod correctly_rounded {
    /// hi + lo with |lo| ≤ ½ ulp(hi): then hi is hi + lo rounded to nearest.
    #[derive(Debug, Clone, Copy)]
    struct Dd(f64, f64);

    /// log 2 = LN_2 + 2.319e-17 (the next 53 bits).
    const LN2: Dd = Dd(std::f64::consts::LN_2, 2.319_046_813_846_299_6e-17);

    /// 1/(2j + 1) for j = 0..=10 (Python `Decimal` at 80 digits, split into two doubles).
    const RECIPROCAL_ODD: [Dd; 11] = [
        Dd(1.0, 0.0),
        Dd(0.3333333333333333, 1.850371707708594e-17),
        Dd(0.2, -1.1102230246251566e-17),
        Dd(0.14285714285714285, 7.93016446160826e-18),
        Dd(0.1111111111111111, 6.1679056923619804e-18),
        Dd(0.09090909090909091, -2.523234146875356e-18),
        Dd(0.07692307692307693, -4.270088556250602e-18),
        Dd(0.06666666666666667, 9.251858538542971e-19),
        Dd(0.058823529411764705, 8.163404592832033e-19),
        Dd(0.05263157894736842, 2.921639538487254e-18),
        Dd(0.047619047619047616, 2.64338815386942e-18),
    ];

    fn two_sum(a: f64, b: f64) -> Dd {
        let s = a + b;
        let bb = s - a;
        Dd(s, (a - (s - bb)) + (b - bb))
    }

    fn quick_two_sum(a: f64, b: f64) -> Dd {
        let s = a + b;
        Dd(s, b - (s - a))
    }

    /// Dekker's exact product (no fused multiply-add, which wasm lacks in hardware).
    fn two_prod(a: f64, b: f64) -> Dd {
        const SPLITTER: f64 = 134_217_729.0; // 2^27 + 1
        let split = |x: f64| {
            let t = SPLITTER * x;
            let hi = t - (t - x);
            (hi, x - hi)
        };
        let p = a * b;
        let ((ah, al), (bh, bl)) = (split(a), split(b));
        Dd(p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
    }

    fn add(a: Dd, b: Dd) -> Dd {
        let s = two_sum(a.0, b.0);
        let t = two_sum(a.1, b.1);
        let s = quick_two_sum(s.0, s.1 + t.0);
        quick_two_sum(s.0, s.1 + t.1)
    }

    fn mul(a: Dd, b: Dd) -> Dd {
        let p = two_prod(a.0, b.0);
        quick_two_sum(p.0, p.1 + (a.0 * b.1 + a.1 * b.0))
    }

    fn mul_f64(a: Dd, b: f64) -> Dd {
        let p = two_prod(a.0, b);
        quick_two_sum(p.0, p.1 + a.1 * b)
    }

    fn div(a: Dd, b: Dd) -> Dd {
        let q1 = a.0 / b.0;
        let r = add(a, mul_f64(b, -q1));
        let q2 = r.0 / b.0;
        let r = add(r, mul_f64(b, -q2));
        let q3 = r.0 / b.0;
        add(quick_two_sum(q1, q2), Dd(q3, 0.0))
    }

    /// 2^k for k in the normal range.
    fn pow2(k: i64) -> f64 {
        f64::from_bits(((k + 1023) as u64) << 52)
    }

    /// log(x) rounded to nearest, for finite x > 0 (otherwise `crate::math::ln`).
    pub fn ln(x: f64) -> f64 {
        if !(x.is_finite() && x >= f64::MIN_POSITIVE) {
            return crate::math::ln(x);
        }
        // x = m · 2^k with m in [√½, √2]: then m − 1 is exact.
        let bits = x.to_bits();
        let mut k = ((bits >> 52) & 0x7ff) as i64 - 1023;
        let mut m = f64::from_bits((bits & ((1 << 52) - 1)) | (1023 << 52));
        if m > std::f64::consts::SQRT_2 {
            m /= 2.0;
            k += 1;
        }
        // log m = 2 atanh(u) = 2u Σ u^(2j)/(2j + 1), u = (m − 1)/(m + 1), u² ≤ 0.0295. Terms
        // j ≥ 11 are below 1e-17 of the sum, so they need only f64; 23 terms reach 2^-106.
        let u = div(Dd(m - 1.0, 0.0), two_sum(m, 1.0));
        let u2 = mul(u, u);
        let mut rest = 0.0;
        for j in (11..=22).rev() {
            rest = rest * u2.0 + 1.0 / f64::from(2 * j + 1);
        }
        let mut series = add(RECIPROCAL_ODD[10], mul_f64(u2, rest));
        for c in RECIPROCAL_ODD[..10].iter().rev() {
            series = add(mul(series, u2), *c);
        }
        let log_m = mul_f64(mul(u, series), 2.0);
        add(log_m, mul_f64(LN2, k as f64)).0
    }

    /// exp(x) rounded to nearest, for −708 ≤ x ≤ 709 (otherwise `crate::math::exp`).
    pub fn exp(x: f64) -> f64 {
        if !(-708.0..=709.0).contains(&x) {
            return crate::math::exp(x);
        }
        // x = k log 2 + r, |r| ≤ ½ log 2; exp(r) = (1 + e)^(2^10) with e = expm1(r / 2^10).
        let k = (x / LN2.0).round();
        let r = add(Dd(x, 0.0), mul_f64(LN2, -k));
        let r = Dd(r.0 / 1024.0, r.1 / 1024.0);
        let mut t = Dd(1.0, 0.0);
        for j in (2..=12).rev() {
            t = add(Dd(1.0, 0.0), mul(div(r, Dd(f64::from(j), 0.0)), t));
        }
        let mut e = mul(r, t);
        for _ in 0..10 {
            // (1 + e)² − 1 = 2e + e²
            e = add(mul_f64(e, 2.0), mul(e, e));
        }
        // −708 ≤ x ≤ 709 keeps k in [−1021, 1023] and the result normal, so scaling v (already
        // rounded: its hi part) by 2^k is exact.
        add(Dd(1.0, 0.0), e).0 * pow2(k as i64)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn known_values() {
            // Python: float(Decimal(x).ln()) and float(Decimal(x).exp()) at 60 digits.
            assert_eq!(ln(3.0), 1.0986122886681098);
            assert_eq!(ln(4.0), 1.3862943611198906);
            assert_eq!(exp(ln(3.0) - ln(4.0)), 0.7500000000000001);
            assert_eq!(ln(1.0), 0.0);
            assert_eq!(exp(0.0), 1.0);
            assert_eq!(ln(0.0), f64::NEG_INFINITY);
            assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        }
    }
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
    fn serde_names_are_kebab_case() {
        for (c, name) in Convention::ALL
            .iter()
            .zip(["r", "sas", "prism", "lifelines"])
        {
            assert_eq!(
                serde_json::to_string(c).unwrap_or_default(),
                format!("\"{name}\"")
            );
            assert_eq!(Convention::parse(name), Some(*c));
        }
    }

    #[test]
    fn bisection_matches_numpy_on_a_non_monotone_column() {
        // pandas/numpy 2.4: s.index[(-s).searchsorted([-0.5])[0]] gives 2 and 4 below. On
        // [0.9, 0.6, 0.4, 0.6, 0.45] bisection probes index 2 (0.4 ≤ 0.5), then 1 (0.6): 2.
        let t = [0.0, 1.0, 2.0, 3.0, 4.0];
        assert_eq!(
            first_at_or_below(&t, &[0.9, 0.6, 0.4, 0.6, 0.45], 0.5),
            Some(2.0)
        );
        // A column whose last value is above q: "inf".
        assert_eq!(first_at_or_below(&t, &[0.9, 0.4, 0.4, 0.4, 0.6], 0.5), None);
        // On [0.9, 0.4, 0.6, 0.6, 0.45] it probes 2 (0.6 > 0.5), then 4: 4, not the first 1.
        assert_eq!(
            first_at_or_below(&t, &[0.9, 0.4, 0.6, 0.6, 0.45], 0.5),
            Some(4.0)
        );
    }

    #[test]
    fn band_test_matches_r_bands() {
        // |g(S) − g(q)| ≤ z σ_g is "q inside the pointwise band" for every transform.
        let z = z_value(0.95);
        for ct in supported_conf_types(Convention::R) {
            for (s, se) in [
                (0.55, 0.1),
                (0.62, 0.2),
                (0.3, 0.5),
                (0.49, 0.01),
                (0.8, 0.9),
            ] {
                let (lo, hi) = crate::survival::conf::band(s, se, z, *ct);
                let (lo, hi) = (lo.unwrap_or(0.0), hi.unwrap_or(1.0));
                assert_eq!(
                    within_band(s, se, 0.5, z, *ct),
                    lo <= 0.5 && 0.5 <= hi,
                    "{ct:?} S={s} se={se}: band [{lo}, {hi}]"
                );
            }
        }
    }

    #[test]
    fn lifelines_surv_has_its_rounding() {
        // lifelines: exp(log 3 − log 4) = 0.7500000000000001 > 0.75.
        let k = km(&[1.0, 2.0, 5.0, 6.0], &[1, 1, 1, 0]);
        let q = quantiles_by(&k, &[0.25], 0.95, ConfType::LogLog, Convention::Lifelines);
        assert_eq!(q[0].estimate, Some(2.0));
    }
}
