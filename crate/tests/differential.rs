#![cfg(not(target_arch = "wasm32"))]
//! Differential tests: survcalc against the Rust crate `survival` 2.0.0 (an independent port of
//! R survival), on many random datasets instead of the few fixed files in `shared/reference`.
//!
//! Each dataset comes from a small deterministic generator (SplitMix64, no `rand`): 200 seeds ×
//! n ∈ {1, 2, 5, 30, 200}; integer times 0..=20 (heavy ties, zero times) or continuous times;
//! 10–90 % random censoring, administrative censoring, all censored or no censoring; 2–4 groups
//! (some may be empty); integer frequency weights 1..=4 on a third of the datasets. Continuous
//! times sit on a 2⁻¹⁶ grid so that no two distinct times are closer than R's `timefix`
//! tolerance (√ε): R's `timefix` merges such times, survcalc's Kaplan–Meier and log-rank do not
//! (`near_tied_times_km_and_logrank`, ignored until they do) and the other crate's Cox fitters do
//! not (`near_tied_times_cox`).
//!
//! Compared (both sides asked for what R survival 3.5-3 would print):
//! * Kaplan–Meier per group and pooled: times, n.risk, n.event, n.censor, surv, std.err,
//!   cumhaz, std.chaz, weighted and unweighted;
//! * quantiles 25/50/75 % with their limits for `conf.type = "log"` and `"log-log"`;
//! * RMST at τ and `summary(fit, times =, extend = TRUE)` (survcalc's landmarks);
//! * log-rank (ρ = 0) and Peto–Peto (ρ = 1), plain and `+ strata(x > 0)`: χ², df, p, observed,
//!   expected, variance;
//! * Cox (Efron and Breslow, case weights, plain and `+ strata(x > 0)`): coefficients, model SE,
//!   ℓ(0), ℓ(β̂), score test, convergence and R's "beta may be infinite" warning.
//!
//! R's `survdiff` takes no weights, so survcalc's weighted log-rank (and, as a second check, its
//! weighted Kaplan–Meier) is compared with the other crate on the data with each row repeated
//! `w` times: frequency weights must equal copies there.
//!
//! Cases where the two cannot be compared are counted and printed, never silently skipped:
//! singular log-rank variances (R's `solve()` stops, survcalc gives χ² = NaN), Cox fits on the
//! boundary (no convergence or an infinite β̂: only ℓ is compared) and Cox columns whose
//! information is 0 in exact arithmetic.
//!
//! Run with `cargo test -p survcalc --test differential -- --nocapture` to see the largest
//! differences of every quantity.

use std::fmt::Write as _;

use survcalc::math::{exp, ln};
use survcalc::survival::conf::ConfType;
use survcalc::survival::cox::{self, CoxData, CoxOptions, Ties};
use survcalc::survival::km::KaplanMeier;
use survcalc::survival::landmark::landmarks;
use survcalc::survival::logrank::g_rho_test;
use survcalc::survival::quantile::quantiles;
use survcalc::survival::rmst::rmst;
use survcalc::survival::Sample;

use survival::data_types::FloatMatrix;
use survival::regression::{CoxphData, CoxphFitResult, CoxphOptions, TieMethod};
use survival::surv_analysis::{
    quantile_survfit, summary_survfit_times, survdiff, survfitkm, survmean, RmeanOption,
    SurvdiffData, SurvfitKMData, SurvfitKMOptions, SurvfitKMResult,
};

/// Kaplan–Meier table, Nelson–Aalen, RMST and landmark rows, relative:
/// R `survfit(Surv(time, status) ~ group, weights = w)`, `print(fit, rmean = tau)`,
/// `summary(fit, times = , extend = TRUE)`.
const KM_REL_TOL: f64 = 1e-10;
/// Log-rank and Peto–Peto χ², O, E and V, relative:
/// R `survdiff(Surv(time, status) ~ group, rho = 0)` and `rho = 1`.
const LOGRANK_REL_TOL: f64 = 1e-10;
/// Quantiles and their limits: R `quantile(survfit(..., conf.type = "log" | "log-log"),
/// probs = c(0.25, 0.5, 0.75))`.
const QUANTILE_TOL: f64 = 1e-9;
/// Cox coefficients, SE and log partial likelihoods, relative: R
/// `coxph(Surv(time, status) ~ group + x, ties = "efron" | "breslow", weights = w)`. Both sides
/// run R's Newton–Raphson and stop at |1 − ℓ_old/ℓ_new| ≤ 1e-9; a different summation order could
/// stop them one iteration apart, which moves β̂ by much less than 1e-6 of its scale, while a
/// wrong formula moves it by far more.
const COX_REL_TOL: f64 = 1e-6;
/// ℓ of fits that ran out of iterations (R: "Ran out of iterations and did not converge", β̂ in
/// the hundreds), relative. ℓ is still moving there, and 20 Newton steps on diverging β amplify
/// the last bit of every exp/log: survcalc takes them from the `libm` crate (the same bits in the
/// browser), the other crate from the C library. Measured: ≤ 4.1e-5 (seed 122, n = 5, ℓ ≈ −8.84,
/// β̂ ≈ (−248, 401)); with the C library's exp and log on both sides they agree to the bit.
const COX_NOT_CONVERGED_REL_TOL: f64 = 1e-4;

/// Differences below this scale are compared absolutely: chi-squares, O − E sums and Cox
/// coefficients that are 0 in theory come out as rounding noise of either sign.
const ABS_FLOOR: f64 = 1e-8;

/// Seeds per sample size.
const SEEDS: u64 = 200;
/// Sample sizes.
const SIZES: [usize; 5] = [1, 2, 5, 30, 200];
/// The quantiles compared.
const PROBS: [f64; 3] = [0.25, 0.5, 0.75];
/// RMST truncation time (inside the range of most datasets, beyond it for some).
const TAU: f64 = 10.0;
/// Landmark times: before the first time, between, on and past the integer grid.
const LANDMARKS: [f64; 5] = [0.0, 1.5, 5.0, 10.0, 30.0];

// ---------------------------------------------------------------------------------------------
// Random datasets

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on [0, 1).
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform on 0..k.
    fn below(&mut self, k: usize) -> usize {
        (self.next_u64() % k as u64) as usize
    }
}

#[derive(Debug, Clone)]
struct Dataset {
    seed: u64,
    time: Vec<f64>,
    event: Vec<bool>,
    /// Group index 0..groups (a group may have no rows).
    group: Vec<usize>,
    groups: usize,
    /// A continuous covariate (for Cox).
    x: Vec<f64>,
    weight: Option<Vec<f64>>,
}

impl Dataset {
    fn generate(seed: u64, n: usize) -> Dataset {
        let mut rng = Rng(seed.wrapping_mul(0xD134_2543_DE82_EF95) ^ (n as u64) << 32);
        let integer_times = rng.below(2) == 0;
        let groups = 2 + rng.below(3);
        let censor_p = 0.1 + 0.8 * rng.uniform();
        // 0..=4 random censoring, 5 administrative (at a cutoff), 6 all censored, 7 none
        let pattern = rng.below(8);
        let cutoff = 2.0 + rng.below(15) as f64;
        let weighted = rng.below(3) == 0;
        // a quarter of the datasets have a rare last group (empty, or with few or no events)
        let rare_group = rng.below(4) == 0;
        let mut d = Dataset {
            seed,
            time: Vec::with_capacity(n),
            event: Vec::with_capacity(n),
            group: Vec::with_capacity(n),
            groups,
            x: Vec::with_capacity(n),
            weight: weighted.then(Vec::new),
        };
        for _ in 0..n {
            let mut g = rng.below(groups);
            if rare_group && g == groups - 1 && rng.uniform() > 0.05 {
                g = rng.below(groups - 1);
            }
            let x = 2.0 * (rng.uniform() + rng.uniform() + rng.uniform() - 1.5);
            let rate = 0.15 * (1.0 + 0.4 * g as f64) * exp(0.5 * x);
            let raw = -ln(1.0 - rng.uniform()) / rate;
            let mut t = if integer_times {
                raw.floor().min(20.0)
            } else {
                (raw.min(40.0) * 65536.0).round() / 65536.0
            };
            let mut e = match pattern {
                6 => false,
                7 => true,
                _ => rng.uniform() >= censor_p,
            };
            if pattern == 5 && t > cutoff {
                t = cutoff;
                e = false;
            }
            d.time.push(t);
            d.event.push(e);
            d.group.push(g);
            d.x.push(x);
            if let Some(w) = &mut d.weight {
                w.push((1 + rng.below(4)) as f64);
            }
        }
        d
    }

    fn all() -> Vec<Dataset> {
        let mut out = Vec::new();
        for seed in 0..SEEDS {
            for n in SIZES {
                out.push(Dataset::generate(seed, n));
            }
        }
        out
    }

    fn len(&self) -> usize {
        self.time.len()
    }

    fn sample(&self) -> Sample {
        Sample::new(self.time.clone(), self.event.clone(), self.weight.clone())
    }

    fn status(&self) -> Vec<i32> {
        self.event.iter().map(|&e| i32::from(e)).collect()
    }

    fn group_codes(&self) -> Vec<i32> {
        self.group.iter().map(|&g| g as i32).collect()
    }

    /// The groups that have rows, in increasing order (R's factor levels of the data).
    fn present_groups(&self) -> Vec<usize> {
        (0..self.groups)
            .filter(|g| self.group.contains(g))
            .collect()
    }

    /// A stratum per row for the stratified tests: `strata(x > 0)`.
    fn strata(&self) -> Vec<usize> {
        self.x.iter().map(|&x| usize::from(x > 0.0)).collect()
    }

    fn rows_of(&self, g: usize) -> Vec<usize> {
        (0..self.len()).filter(|&i| self.group[i] == g).collect()
    }

    /// Each row repeated `w` times, without weights.
    fn expanded(&self) -> Dataset {
        let mut d = Dataset {
            weight: None,
            time: Vec::new(),
            event: Vec::new(),
            group: Vec::new(),
            x: Vec::new(),
            ..self.clone()
        };
        for i in 0..self.len() {
            let copies = self.weight.as_ref().map_or(1, |w| w[i] as usize);
            for _ in 0..copies {
                d.time.push(self.time[i]);
                d.event.push(self.event[i]);
                d.group.push(self.group[i]);
                d.x.push(self.x[i]);
            }
        }
        d
    }

    /// The data as R code, to reproduce a disagreement.
    fn to_r(&self) -> String {
        let list = |v: Vec<String>| v.join(", ");
        let mut s = format!(
            "# seed {}, n {}\nd <- data.frame(time = c({}), status = c({}), group = factor(c({})), x = c({})",
            self.seed,
            self.len(),
            list(self.time.iter().map(|t| format!("{t:?}")).collect()),
            list(self.status().iter().map(i32::to_string).collect()),
            list(self.group.iter().map(usize::to_string).collect()),
            list(self.x.iter().map(|x| format!("{x:?}")).collect()),
        );
        if let Some(w) = &self.weight {
            let _ = write!(
                s,
                ", w = c({})",
                list(w.iter().map(|w| format!("{w}")).collect())
            );
        }
        s.push(')');
        s
    }
}

/// Guards the generator: the comparisons below mean little if it stops producing the hard cases.
#[test]
fn generator_covers_the_hard_cases() {
    let all = Dataset::all();
    let count = |f: &dyn Fn(&Dataset) -> bool| all.iter().filter(|d| f(d)).count();
    let tied = |d: &Dataset| {
        let mut t = d.time.clone();
        t.sort_by(f64::total_cmp);
        t.windows(2).any(|w| w[0] == w[1])
    };
    let cases: [(&str, usize); 9] = [
        ("weighted", count(&|d| d.weight.is_some())),
        ("tied times", count(&tied)),
        (
            "continuous times",
            count(&|d| d.time.iter().any(|t| t.fract() != 0.0)),
        ),
        ("a zero time", count(&|d| d.time.contains(&0.0))),
        (
            "all censored",
            count(&|d| d.len() > 1 && !d.event.contains(&true)),
        ),
        (
            "no censoring",
            count(&|d| d.len() > 1 && !d.event.contains(&false)),
        ),
        ("four groups", count(&|d| d.present_groups().len() == 4)),
        (
            "an empty group",
            count(&|d| d.len() > 5 && d.present_groups().len() < d.groups),
        ),
        (
            "last time censored",
            count(&|d| {
                let last = d.time.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (0..d.len()).all(|i| d.time[i] < last || !d.event[i])
            }),
        ),
    ];
    for (what, n) in cases {
        assert!(n >= 10, "only {n} of {} datasets have {what}", all.len());
    }
}

// ---------------------------------------------------------------------------------------------
// Comparison bookkeeping

/// |a − b| relative to the larger magnitude (at least `floor`); equal values, equal infinities
/// and two NaN (R `NA` on both sides) give 0.
fn rel_diff(a: f64, b: f64, floor: f64) -> f64 {
    if a == b || (a.is_nan() && b.is_nan()) {
        return 0.0;
    }
    let d = (a - b).abs() / a.abs().max(b.abs()).max(floor);
    if d.is_nan() {
        f64::INFINITY
    } else {
        d
    }
}

/// One compared quantity: its tolerance, the largest difference seen and the failures.
struct Quantity {
    name: &'static str,
    tol: f64,
    compared: usize,
    max_diff: f64,
    failures: Vec<String>,
}

/// All quantities of one test, with a summary at the end.
struct Checks {
    quantities: Vec<Quantity>,
    datasets: usize,
    /// Sample sizes of the Cox fits excluded from the coefficient comparison (see
    /// `cox_efron_and_breslow_agree`).
    boundary_fits: Vec<usize>,
    /// Excluded cases by kind, with the first example of each.
    excluded: Vec<(&'static str, usize, String)>,
    notes: Vec<String>,
}

impl Checks {
    fn new() -> Checks {
        Checks {
            quantities: Vec::new(),
            datasets: 0,
            boundary_fits: Vec::new(),
            excluded: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn quantity(&mut self, name: &'static str, tol: f64) -> &mut Quantity {
        let pos = match self.quantities.iter().position(|q| q.name == name) {
            Some(pos) => pos,
            None => {
                self.quantities.push(Quantity {
                    name,
                    tol,
                    compared: 0,
                    max_diff: 0.0,
                    failures: Vec::new(),
                });
                self.quantities.len() - 1
            }
        };
        &mut self.quantities[pos]
    }

    /// Compares two numbers; `context` describes where (only built on failure).
    fn num(
        &mut self,
        name: &'static str,
        tol: f64,
        floor: f64,
        ours: f64,
        theirs: f64,
        context: impl FnOnce() -> String,
    ) {
        let q = self.quantity(name, tol);
        let d = rel_diff(ours, theirs, floor);
        q.compared += 1;
        q.max_diff = q.max_diff.max(d);
        if d > tol && q.failures.len() < 5 {
            q.failures.push(format!(
                "{name}: survcalc {ours:?}, survival {theirs:?} (rel diff {d:.3e}) at {}",
                context()
            ));
        }
    }

    /// Compares an optional survcalc number with the other crate's, where NaN is R's `NA`.
    fn opt(
        &mut self,
        name: &'static str,
        tol: f64,
        floor: f64,
        ours: Option<f64>,
        theirs: f64,
        context: impl FnOnce() -> String,
    ) {
        self.num(name, tol, floor, ours.unwrap_or(f64::NAN), theirs, context);
    }

    /// Counts a case excluded from the comparison for the reason `kind`.
    fn exclude(&mut self, kind: &'static str, example: impl FnOnce() -> String) {
        match self.excluded.iter_mut().find(|(k, _, _)| *k == kind) {
            Some((_, n, _)) => *n += 1,
            None => self.excluded.push((kind, 1, example())),
        }
    }

    /// Records a structural mismatch (lengths, presence) that has no numeric difference.
    fn mismatch(&mut self, name: &'static str, what: String) {
        let q = self.quantity(name, 0.0);
        q.compared += 1;
        q.max_diff = f64::INFINITY;
        if q.failures.len() < 5 {
            q.failures.push(format!("{name}: {what}"));
        }
    }

    /// Prints the summary and fails with every disagreement.
    fn finish(self, test: &str) {
        println!("\n{test}: {} datasets", self.datasets);
        println!(
            "  {:<28} {:>9} {:>10} {:>10}",
            "quantity", "compared", "max diff", "tolerance"
        );
        for q in &self.quantities {
            println!(
                "  {:<28} {:>9} {:>10.2e} {:>10.0e}",
                q.name, q.compared, q.max_diff, q.tol
            );
        }
        for (kind, n, example) in &self.excluded {
            println!("  excluded ({n}×): {kind}; first: {example}");
        }
        for n in &self.notes {
            println!("  note: {n}");
        }
        let failures: Vec<&String> = self.quantities.iter().flat_map(|q| &q.failures).collect();
        assert!(
            failures.is_empty(),
            "{test}: survcalc and the survival crate disagree:\n{}",
            failures
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join("\n\n")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The other crate's fits

fn their_conf(conf_type: ConfType) -> survival::surv_analysis::ConfType {
    match conf_type {
        ConfType::Log => survival::surv_analysis::ConfType::Log,
        ConfType::LogLog => survival::surv_analysis::ConfType::LogLog,
        ConfType::Plain => survival::surv_analysis::ConfType::Plain,
        ConfType::Logit => survival::surv_analysis::ConfType::Logit,
        ConfType::Arcsin => survival::surv_analysis::ConfType::Arcsin,
    }
}

/// `survfit(Surv(time, status) ~ group, weights = w, conf.type = conf_type)` (`by_group`) or
/// `~ 1`, as R's defaults otherwise (`timefix = TRUE`, Greenwood, 95 %).
fn their_km(d: &Dataset, by_group: bool, conf_type: ConfType) -> SurvfitKMResult {
    let data = SurvfitKMData::try_new(
        None,
        d.time.clone(),
        d.status(),
        d.weight.clone(),
        by_group.then(|| d.group_codes()),
        None,
        None,
    )
    .expect("valid survfit data");
    let options = SurvfitKMOptions {
        conf_type: their_conf(conf_type),
        ..SurvfitKMOptions::default()
    };
    survfitkm(&data, &options).expect("survfitkm fits")
}

/// Our curves in the other crate's curve order (groups with rows, ascending; or pooled), labelled.
fn our_curves(d: &Dataset, by_group: bool) -> Vec<(String, KaplanMeier)> {
    let sample = d.sample();
    if by_group {
        d.present_groups()
            .into_iter()
            .map(|g| {
                (
                    format!("group {g}"),
                    KaplanMeier::fit(&sample.subset(&d.rows_of(g))),
                )
            })
            .collect()
    } else {
        vec![("pooled".to_string(), KaplanMeier::fit(&sample))]
    }
}

// ---------------------------------------------------------------------------------------------
// Kaplan–Meier, quantiles, RMST, landmarks

fn compare_km(
    c: &mut Checks,
    d: &Dataset,
    ours: &[(String, KaplanMeier)],
    theirs: &SurvfitKMResult,
    tag: &str,
) {
    let ranges = theirs.curve_ranges();
    if ranges.len() != ours.len() {
        c.mismatch(
            "km curves",
            format!(
                "{} vs {} curves{tag} for\n{}",
                ours.len(),
                ranges.len(),
                d.to_r()
            ),
        );
        return;
    }
    let se = theirs.std_err.as_ref().expect("se.fit = TRUE");
    let se_chaz = theirs.std_chaz.as_ref().expect("se.fit = TRUE");
    for ((label, km), range) in ours.iter().zip(ranges) {
        if km.steps.len() != range.len() {
            c.mismatch(
                "km rows",
                format!(
                    "{label}{tag}: {} vs {} rows for\n{}",
                    km.steps.len(),
                    range.len(),
                    d.to_r()
                ),
            );
            continue;
        }
        for (s, j) in km.steps.iter().zip(range) {
            let at = || format!("{label}{tag}, time {}, for\n{}", s.time, d.to_r());
            c.num("km time", 0.0, 0.0, s.time, theirs.time[j], at);
            c.num("km n.risk", 0.0, 0.0, s.n_risk, theirs.n_risk[j], at);
            c.num("km n.event", 0.0, 0.0, s.n_event, theirs.n_event[j], at);
            c.num("km n.censor", 0.0, 0.0, s.n_censor, theirs.n_censor[j], at);
            c.num(
                "km surv",
                KM_REL_TOL,
                f64::MIN_POSITIVE,
                s.surv,
                theirs.surv[j],
                at,
            );
            c.num(
                "km std.err",
                KM_REL_TOL,
                f64::MIN_POSITIVE,
                s.se_log,
                se[j],
                at,
            );
            c.num(
                "km cumhaz",
                KM_REL_TOL,
                f64::MIN_POSITIVE,
                s.cumhaz,
                theirs.cumhaz[j],
                at,
            );
            c.num(
                "km std.chaz",
                KM_REL_TOL,
                f64::MIN_POSITIVE,
                s.se_cumhaz,
                se_chaz[j],
                at,
            );
        }
    }
}

fn compare_quantiles(
    c: &mut Checks,
    d: &Dataset,
    ours: &[(String, KaplanMeier)],
    theirs: &SurvfitKMResult,
    conf_type: ConfType,
    tag: &str,
) {
    let q = quantile_survfit(theirs, &PROBS, true, 1.0, None).expect("quantile.survfit");
    let (lower, upper) = (q.lower.expect("conf.int"), q.upper.expect("conf.int"));
    for (k, (label, km)) in ours.iter().enumerate() {
        let mine = quantiles(km, &PROBS, 0.95, conf_type);
        for (j, m) in mine.iter().enumerate() {
            let at = || {
                format!(
                    "{label}{tag}, p = {}, conf.type {}, for\n{}",
                    m.p,
                    conf_type.r_name(),
                    d.to_r()
                )
            };
            c.opt(
                "quantile",
                QUANTILE_TOL,
                1.0,
                m.estimate,
                q.quantile[k][j],
                at,
            );
            c.opt(
                "quantile lower",
                QUANTILE_TOL,
                1.0,
                m.lower,
                lower[k][j],
                at,
            );
            c.opt(
                "quantile upper",
                QUANTILE_TOL,
                1.0,
                m.upper,
                upper[k][j],
                at,
            );
        }
    }
}

fn compare_rmst_landmarks(
    c: &mut Checks,
    d: &Dataset,
    ours: &[(String, KaplanMeier)],
    theirs: &SurvfitKMResult,
) {
    // R refuses a truncation time before the first observed time.
    if theirs.time.iter().any(|&t| t <= TAU) {
        let m = survmean(theirs, 1.0, RmeanOption::At(TAU)).expect("survmean");
        let (rm, se) = (m.rmean.expect("rmean"), m.se_rmean.expect("se(rmean)"));
        for (k, (label, km)) in ours.iter().enumerate() {
            let r = rmst(km, TAU);
            let at = || format!("{label}, tau {TAU}, for\n{}", d.to_r());
            c.num("rmst", KM_REL_TOL, f64::MIN_POSITIVE, r.estimate, rm[k], at);
            c.opt(
                "rmst se",
                KM_REL_TOL,
                f64::MIN_POSITIVE,
                r.std_err,
                se[k],
                at,
            );
        }
    }
    let s = summary_survfit_times(theirs, &LANDMARKS, true).expect("summary(fit, times)");
    let ranges = s.curve_ranges();
    let se = s.std_err.as_ref().expect("se.fit");
    let se_chaz = s.std_chaz.as_ref().expect("se.fit");
    let (lo, hi) = (
        s.lower.as_ref().expect("conf.int"),
        s.upper.as_ref().expect("conf.int"),
    );
    for ((label, km), range) in ours.iter().zip(ranges) {
        let mine = landmarks(km, &LANDMARKS, 0.95, ConfType::Log);
        for (l, j) in mine.iter().zip(range) {
            let at = || format!("{label}, landmark {}, for\n{}", l.time, d.to_r());
            c.num(
                "landmark surv",
                KM_REL_TOL,
                f64::MIN_POSITIVE,
                l.survival,
                s.surv[j],
                at,
            );
            c.opt(
                "landmark std.err",
                KM_REL_TOL,
                f64::MIN_POSITIVE,
                l.std_err,
                se[j],
                at,
            );
            c.opt(
                "landmark lower",
                KM_REL_TOL,
                f64::MIN_POSITIVE,
                l.lower,
                lo[j],
                at,
            );
            c.opt(
                "landmark upper",
                KM_REL_TOL,
                f64::MIN_POSITIVE,
                l.upper,
                hi[j],
                at,
            );
            c.num(
                "landmark cumhaz",
                KM_REL_TOL,
                f64::MIN_POSITIVE,
                l.cumhaz,
                s.cumhaz[j],
                at,
            );
            c.num(
                "landmark std.chaz",
                KM_REL_TOL,
                f64::MIN_POSITIVE,
                l.cumhaz_std_err,
                se_chaz[j],
                at,
            );
            c.num("landmark n.risk", 0.0, 0.0, l.n_risk, s.n_risk[j], at);
            c.num("landmark n.event", 0.0, 0.0, l.n_event, s.n_event[j], at);
            c.num("landmark n.censor", 0.0, 0.0, l.n_censor, s.n_censor[j], at);
        }
    }
}

#[test]
fn kaplan_meier_quantiles_rmst_and_landmarks_agree() {
    let mut c = Checks::new();
    for d in Dataset::all() {
        c.datasets += 1;
        for by_group in [false, true] {
            let ours = our_curves(&d, by_group);
            for conf_type in [ConfType::Log, ConfType::LogLog] {
                let theirs = their_km(&d, by_group, conf_type);
                if conf_type == ConfType::Log {
                    compare_km(&mut c, &d, &ours, &theirs, "");
                    compare_rmst_landmarks(&mut c, &d, &ours, &theirs);
                }
                compare_quantiles(&mut c, &d, &ours, &theirs, conf_type, "");
            }
        }
    }
    c.finish("Kaplan–Meier, quantiles, RMST, landmarks");
}

#[test]
fn weighted_kaplan_meier_equals_expanded_copies() {
    let mut c = Checks::new();
    for d in Dataset::all().into_iter().filter(|d| d.weight.is_some()) {
        c.datasets += 1;
        let expanded = d.expanded();
        for by_group in [false, true] {
            let ours = our_curves(&d, by_group);
            let theirs = their_km(&expanded, by_group, ConfType::Log);
            compare_km(
                &mut c,
                &d,
                &ours,
                &theirs,
                " (survival on the expanded rows)",
            );
            compare_quantiles(&mut c, &d, &ours, &theirs, ConfType::Log, " (expanded)");
        }
    }
    c.finish("weighted Kaplan–Meier vs copies");
}

// ---------------------------------------------------------------------------------------------
// Log-rank and Peto–Peto

/// `survdiff(Surv(time, status) ~ group [+ strata(x > 0)], rho = rho)`, survcalc on `d`, the
/// other crate on `against` (the same rows, or the rows repeated by their weights).
fn compare_logrank(
    c: &mut Checks,
    d: &Dataset,
    against: &Dataset,
    rho: f64,
    stratified: bool,
    tag: &str,
) {
    let names: Vec<String> = (0..d.groups).map(|g| g.to_string()).collect();
    let strata = d.strata();
    let ours = g_rho_test(
        &d.sample(),
        &d.group,
        &names,
        stratified.then_some(&strata[..]),
        rho,
    );
    let their_strata = stratified.then(|| against.strata().iter().map(|&s| s as i32).collect());
    let data = SurvdiffData::try_new(
        None,
        against.time.clone(),
        against.status(),
        against.group_codes(),
        their_strata,
    )
    .expect("valid survdiff data");
    let tag = &format!("{tag}{}", if stratified { ", strata(x > 0)" } else { "" });
    let theirs = match survdiff(&data, rho, true) {
        Ok(t) => t,
        Err(e) => {
            // R: survdiff stops with "There is only 1 group"; survcalc reports χ² = 0 on 0 df.
            // With a singular variance (e.g. every subject at risk dies at the only event time)
            // R's solve() stops; survcalc reports χ² = NaN with no p-value. Neither is a test.
            let singular = e.to_string().contains("singular");
            if singular && ours.chisq.is_nan() && ours.p.is_none() {
                c.exclude("singular variance, no test on either side", || {
                    format!("seed {} n {}{tag}", d.seed, d.len())
                });
            } else if singular || ours.df != 0 || ours.chisq != 0.0 {
                c.mismatch(
                    "logrank error",
                    format!(
                        "survival: {e}; survcalc χ² {} on {} df{tag} for\n{}",
                        ours.chisq,
                        ours.df,
                        d.to_r()
                    ),
                );
            }
            return;
        }
    };
    let at = || format!("rho {rho}{tag}, for\n{}", d.to_r());
    c.num(
        "logrank chisq",
        LOGRANK_REL_TOL,
        ABS_FLOOR,
        ours.chisq,
        theirs.chisq,
        at,
    );
    c.num("logrank df", 0.0, 0.0, ours.df as f64, theirs.df as f64, at);
    // With fewer than two groups expecting events R computes χ² = 0 on 0 df: no test. The other
    // crate reports p = 1 there (R's `pchisq(0, 0, lower.tail = FALSE)` is 0), survcalc none.
    if theirs.df > 0 {
        c.opt(
            "logrank p",
            LOGRANK_REL_TOL,
            f64::MIN_POSITIVE,
            ours.p,
            theirs.pvalue,
            at,
        );
    }
    for (k, &code) in theirs.group_codes.iter().enumerate() {
        let g = &ours.groups[code as usize];
        let (obs, exp) = (theirs.obs_totals(), theirs.exp_totals());
        c.num(
            "logrank observed",
            LOGRANK_REL_TOL,
            ABS_FLOOR,
            g.observed,
            obs[k],
            at,
        );
        c.num(
            "logrank expected",
            LOGRANK_REL_TOL,
            ABS_FLOOR,
            g.expected,
            exp[k],
            at,
        );
        for (l, &code2) in theirs.group_codes.iter().enumerate() {
            let v = ours.variance[code as usize][code2 as usize];
            c.num(
                "logrank variance",
                LOGRANK_REL_TOL,
                ABS_FLOOR,
                v,
                theirs.var[k][l],
                at,
            );
        }
    }
}

#[test]
fn logrank_and_peto_peto_agree() {
    let mut c = Checks::new();
    for d in Dataset::all() {
        c.datasets += 1;
        // R's survdiff has no weights: unweighted data against the other crate directly, weighted
        // data against the other crate on the expanded rows.
        let against = d.expanded();
        let tag = if d.weight.is_some() {
            " (survival on the expanded rows)"
        } else {
            ""
        };
        for rho in [0.0, 1.0] {
            for stratified in [false, true] {
                compare_logrank(&mut c, &d, &against, rho, stratified, tag);
            }
        }
    }
    c.finish("log-rank, Peto–Peto");
}

// ---------------------------------------------------------------------------------------------
// Cox

/// R's test after a converged `coxph.fit`: "Loglik converged before variable j; beta may be
/// infinite" when |(U V)ⱼ| > eps and > toler.inf · |βⱼ| (eps = 1e-9, toler.inf = √eps), U the
/// score at β̂ and V the inverse information.
fn r_infinite_beta(fit: &CoxphFitResult) -> bool {
    let eps: f64 = 1e-9;
    let toler_inf = eps.sqrt();
    let p = fit.coefficients.len();
    if fit.first.iter().any(|u| !u.is_finite()) {
        return true;
    }
    (0..p).any(|j| {
        let infs: f64 = (0..p)
            .map(|k| fit.first[k] * fit.var[(k, j)])
            .sum::<f64>()
            .abs();
        infs > eps && infs > toler_inf * fit.coefficients[j].abs()
    })
}

fn strata_tag(stratified: bool) -> &'static str {
    if stratified {
        " + strata(x > 0)"
    } else {
        ""
    }
}

/// The design of `coxph(Surv(time, status) ~ group + x)`: treatment dummies for the present
/// groups after the first, then x; returned as columns and as their names.
fn cox_design(d: &Dataset) -> (Vec<Vec<f64>>, Vec<String>) {
    let present = d.present_groups();
    let mut cols = Vec::new();
    let mut names = Vec::new();
    for &g in present.iter().skip(1) {
        cols.push(
            d.group
                .iter()
                .map(|&h| f64::from(u8::from(h == g)))
                .collect(),
        );
        names.push(format!("group{g}"));
    }
    cols.push(d.x.clone());
    names.push("x".to_string());
    (cols, names)
}

#[test]
fn cox_efron_and_breslow_agree() {
    let mut c = Checks::new();
    for d in Dataset::all() {
        c.datasets += 1;
        let (cols, names) = cox_design(&d);
        let strata = d.strata();
        let ties_methods = [
            (Ties::Efron, TieMethod::Efron),
            (Ties::Breslow, TieMethod::Breslow),
        ];
        for ((ties, method), stratified) in ties_methods
            .into_iter()
            .flat_map(|t| [(t, false), (t, true)])
        {
            let data = CoxData {
                time: &d.time,
                event: &d.event,
                weight: d.weight.as_deref(),
                strata: stratified.then_some(&strata[..]),
                cluster: None,
                x: &cols,
                term_names: &names,
                variables: None,
            };
            let opts = CoxOptions {
                ties,
                ph_test: false,
                ..CoxOptions::default()
            };
            let ours = cox::fit(&data, &opts);
            if !d.event.contains(&true) {
                // R: coxph returns NA coefficients with a warning; survcalc refuses (documented).
                assert!(
                    ours.is_err(),
                    "survcalc fits a Cox model without events:\n{}",
                    d.to_r()
                );
                continue;
            }
            let rows: Vec<Vec<f64>> = (0..d.len())
                .map(|i| cols.iter().map(|col| col[i]).collect())
                .collect();
            let their_data = CoxphData::try_new(
                d.time.clone(),
                None,
                d.status(),
                FloatMatrix::from_rows(rows)
                    .expect("rectangular")
                    .into_inner(),
                d.weight.clone(),
                stratified.then(|| strata.iter().map(|&s| s as i32).collect()),
                None,
            )
            .expect("valid coxph data");
            let their_opts = CoxphOptions {
                method,
                ..CoxphOptions::default()
            };
            let theirs = CoxphFitResult::fit(their_data, their_opts, false);
            let (ours, theirs) = match (ours, theirs) {
                (Ok(o), Ok(t)) => (o, t),
                (o, t) => {
                    c.mismatch(
                        "cox fit",
                        format!(
                            "{ties:?}{}: survcalc {:?}, survival {:?} for\n{}",
                            strata_tag(stratified),
                            o.err(),
                            t.err(),
                            d.to_r()
                        ),
                    );
                    continue;
                }
            };
            let at = |what: &str| {
                format!(
                    "{ties:?}{} {what}, for\n{}",
                    strata_tag(stratified),
                    d.to_r()
                )
            };
            c.opt(
                "cox loglik(0)",
                COX_REL_TOL,
                ABS_FLOOR,
                ours.loglik_null,
                theirs.loglik[0],
                || at("loglik(0)"),
            );
            c.opt(
                "cox score test",
                COX_REL_TOL,
                ABS_FLOOR,
                ours.score_test.statistic,
                theirs.score,
                || at("score test"),
            );
            let converged = theirs.flag != 1000;
            let warned = ours.warnings.iter().any(|w| w.contains("may be infinite"));
            let diverging = warned
                || theirs
                    .coefficients
                    .iter()
                    .any(|b| b.is_nan() || b.abs() > 100.0);
            if ours.converged != converged && diverging {
                // On a diverging fit (β → ±∞) the information can lose all rank at the last
                // step. survcalc's cholesky2 then returns rank 0 early as the coxph source it
                // ports does (`if (eps == 0) return(0)`) and goes on stepping on the rounding
                // left in the diagonal; the other crate's (R survival 3.8) uses `eps = toler`,
                // zeroes the diagonal, stops moving and declares convergence. Which one R 3.5-3
                // follows cannot be checked here; both are on the boundary, so ℓ is compared.
                c.exclude(
                    "convergence declared differently on a diverging fit",
                    || {
                        format!(
                            "{ties:?}{} seed {} n {}",
                            strata_tag(stratified),
                            d.seed,
                            d.len()
                        )
                    },
                );
                c.opt(
                    "cox loglik (boundary fits)",
                    COX_REL_TOL,
                    ABS_FLOOR,
                    ours.loglik,
                    theirs.loglik[1],
                    || at("loglik"),
                );
                c.boundary_fits.push(d.len());
                continue;
            }
            c.num(
                "cox converged",
                0.0,
                0.0,
                f64::from(u8::from(ours.converged)),
                f64::from(u8::from(converged)),
                || at("convergence"),
            );
            // Out of iterations (a monotone likelihood: some β̂ is infinite): R reports the last β
            // with a variance from coxfit6.c that inverts an unfactored matrix (a bug the other
            // crate deliberately does not copy), and survcalc documents that it reports a
            // zero-variance column as not estimable where R prints it.
            let infinite = converged && {
                let infinite = r_infinite_beta(&theirs);
                c.num(
                    "cox 'beta may be infinite'",
                    0.0,
                    0.0,
                    f64::from(u8::from(warned)),
                    f64::from(u8::from(infinite)),
                    || at("infinite-beta warning"),
                );
                infinite
            };
            if !converged || infinite {
                // On the boundary (R: "Loglik converged before variable j; beta may be
                // infinite", or no convergence) β̂ depends on how far the diverging coefficients
                // got when the iterations stopped, and so do the others: only ℓ, which has
                // converged or nearly, is compared.
                let (name, tol) = if converged {
                    ("cox loglik (boundary fits)", COX_REL_TOL)
                } else {
                    ("cox loglik (no convergence)", COX_NOT_CONVERGED_REL_TOL)
                };
                c.opt(name, tol, ABS_FLOOR, ours.loglik, theirs.loglik[1], || {
                    at("loglik")
                });
                c.boundary_fits.push(d.len());
                continue;
            }
            c.opt(
                "cox loglik",
                COX_REL_TOL,
                ABS_FLOOR,
                ours.loglik,
                theirs.loglik[1],
                || at("loglik"),
            );
            if ours.iterations != theirs.iter {
                c.notes.push(format!(
                    "{ties:?}{} seed {} n {}: {} vs {} iterations",
                    strata_tag(stratified),
                    d.seed,
                    d.len(),
                    ours.iterations,
                    theirs.iter
                ));
            }
            for (j, (t, name)) in ours.terms.iter().zip(&names).enumerate() {
                if theirs.coefficients[j].is_nan() && t.coef.is_some() && t.std_err.is_none() {
                    // Information exactly 0 in exact arithmetic (e.g. every risk set of the
                    // column holds one subject, weighted): rounding leaves survcalc with a tiny
                    // negative variance, so it reports β = 0 with no SE (R's coxfit6 can do the
                    // same, or worse, depending on the rounding), where the other crate gets an
                    // exact 0 and R's rule `diag(var) == 0` gives NA. Neither side estimates the
                    // coefficient; survcalc should say so (see the report on cox.rs).
                    c.exclude(
                        "not estimable: survcalc β = 0 without SE, survival NA",
                        || {
                            format!(
                                "{ties:?}{} seed {} n {}, {}",
                                strata_tag(stratified),
                                d.seed,
                                d.len(),
                                name
                            )
                        },
                    );
                    continue;
                }
                // R's NA (a column dropped as redundant) is NaN there and None here.
                let their_se = if theirs.coefficients[j].is_nan() {
                    f64::NAN
                } else {
                    theirs.var[(j, j)].sqrt()
                };
                c.opt(
                    "cox coef",
                    COX_REL_TOL,
                    ABS_FLOOR,
                    t.coef,
                    theirs.coefficients[j],
                    || at(name),
                );
                c.opt(
                    "cox se",
                    COX_REL_TOL,
                    ABS_FLOOR,
                    t.std_err,
                    their_se,
                    || at(name),
                );
            }
        }
    }
    let by_size: Vec<String> = SIZES
        .iter()
        .map(|&n| {
            format!(
                "{} at n = {n}",
                c.boundary_fits.iter().filter(|&&m| m == n).count()
            )
        })
        .collect();
    c.notes.push(format!(
        "{} fits on the boundary (no convergence or an infinite β), only ℓ compared: {}",
        c.boundary_fits.len(),
        by_size.join(", ")
    ));
    c.finish("Cox");
}

// ---------------------------------------------------------------------------------------------
// Hand-checked edge cases

/// Two events 1e-12 apart, one in each group: R bins times closer than √ε (absolutely or
/// relative to the mean |time|) to the smallest of them before anything else (`timefix = TRUE`,
/// `aeqSurv`), so 1 and 1 + 1e-12 are one time with two deaths and S(1) = 3/5, not 4/5. Near-ties like these come from
/// arithmetic on dates (days / 30.4375) rather than from typed numbers.
fn near_tied() -> Dataset {
    Dataset {
        seed: 0,
        time: vec![1.0, 1.0 + 1e-12, 2.0, 3.0, 4.0],
        event: vec![true, true, false, true, true],
        group: vec![0, 1, 0, 1, 0],
        groups: 2,
        x: vec![0.5, -1.0, 2.0, 0.0, 1.0],
        weight: None,
    }
}

/// survcalc's Cox model applies R's `timefix`; the other crate's Cox fitters do not (its
/// `survfitkm` and `survdiff` do), so the reference is the other crate on the data binned by hand
/// as `aeqSurv` would: 1 + 1e-12 becomes 1.
#[test]
fn near_tied_times_cox() {
    let d = near_tied();
    let binned: Vec<f64> = d
        .time
        .iter()
        .map(|&t| if (t - 1.0).abs() < 1e-8 { 1.0 } else { t })
        .collect();
    let (cols, names) = cox_design(&d);
    for (ties, method) in [
        (Ties::Efron, TieMethod::Efron),
        (Ties::Breslow, TieMethod::Breslow),
    ] {
        let data = CoxData {
            time: &d.time,
            event: &d.event,
            weight: None,
            strata: None,
            cluster: None,
            x: &cols,
            term_names: &names,
            variables: None,
        };
        let opts = CoxOptions {
            ties,
            ph_test: false,
            ..CoxOptions::default()
        };
        let ours = cox::fit(&data, &opts).expect("survcalc fits");
        let rows: Vec<Vec<f64>> = (0..d.len())
            .map(|i| cols.iter().map(|col| col[i]).collect())
            .collect();
        let their_data = CoxphData::try_new(
            binned.clone(),
            None,
            d.status(),
            FloatMatrix::from_rows(rows)
                .expect("rectangular")
                .into_inner(),
            None,
            None,
            None,
        )
        .expect("valid coxph data");
        let theirs = CoxphFitResult::fit(
            their_data,
            CoxphOptions {
                method,
                ..CoxphOptions::default()
            },
            false,
        )
        .expect("survival fits");
        let ll = ours.loglik.expect("loglik");
        assert!(
            rel_diff(ll, theirs.loglik[1], ABS_FLOOR) <= COX_REL_TOL,
            "{ties:?}: ℓ {ll} vs {}",
            theirs.loglik[1]
        );
        for ((term, name), &their_coef) in ours.terms.iter().zip(&names).zip(&theirs.coefficients) {
            let b = term.coef.expect("estimable");
            assert!(
                rel_diff(b, their_coef, ABS_FLOOR) <= COX_REL_TOL,
                "{ties:?} {name}: {b} vs {their_coef}"
            );
        }
    }
}

/// R (and the other crate) merge 1 and 1 + 1e-12 into one row with S = 3/5 (`timefix`);
/// survcalc's `Sample::new` does the same.
#[test]
fn near_tied_times_km_and_logrank() {
    let d = near_tied();
    let theirs = their_km(&d, false, ConfType::Log);
    assert_eq!(theirs.time.len(), 4, "R merges the near-tied times");
    assert_eq!(theirs.surv[0], 0.6);
    let mut c = Checks::new();
    c.datasets = 1;
    compare_km(&mut c, &d, &our_curves(&d, false), &theirs, "");
    compare_logrank(&mut c, &d, &d, 0.0, false, "");
    c.finish("near-tied times");
}
