//! Cox proportional hazards model, matching R 4.2.2 + survival 3.5-3
//! `coxph(Surv(time, status) ~ x1 + x2 + strata(s), weights = w, cluster = id, ties = ...)`
//! with `summary()`, `concordance` and `cox.zph(fit, transform = "km", terms = TRUE)`.
//!
//! # Model
//! h(t | x) = h₀ₛ(t) · exp(xβ), a separate baseline h₀ₛ per stratum s. β maximises the log partial
//! likelihood (Breslow, Efron or exact tie handling, see [`Ties`]) by Newton–Raphson from β = 0
//! with R's rules: covariates centred (and scaled) internally, convergence when
//! |1 − ℓ_old/ℓ_new| ≤ `eps` (1e-9), step halving when ℓ decreases, at most `max_iter` (20)
//! iterations, a generalised Cholesky that drops redundant (collinear) columns
//! (see `cox_fit`, `cox_exact`).
//!
//! # Output
//! * `coef` = β̂, `hr` = exp(β̂), `std_err` = √diag(I(β̂)⁻¹) (model based).
//! * With `cluster`: `robust_std_err` = √diag(DᵀD), D = dfbeta residuals (score residuals ×
//!   weights × I⁻¹) summed within cluster (R's `coxph(..., cluster = id)`); z, p and the CI then
//!   use the robust SE, as R does.
//! * z = β̂/SE, p = 2Φ(−|z|), CI = exp(β̂ ± z₁₋α/₂ · SE).
//! * Likelihood-ratio 2(ℓ(β̂) − ℓ(0)), Wald β̂ᵀ V⁻¹ β̂ (V robust when clustered) and score
//!   U(0)ᵀ I(0)⁻¹ U(0) tests, df = number of estimated coefficients; with clusters also R's
//!   robust score test (`fit$rscore`).
//! * Harrell's concordance with R's standard error (see `cox_concordance`).
//! * The proportional-hazards score test (see `cox_zph`).
//!
//! Departures from R, all in degenerate cases: no events is an error (R returns NA
//! coefficients); a coefficient whose variance is exactly 0 is `None` even when the iterations
//! ran out (R prints 0 with SE 0); R switches on the robust variance by itself when case weights
//! are not integers, here `robust_std_err` is only given with `cluster`.
//!
//! `n` and `events` are counts of rows, as in R (not sums of weights). Event times closer than
//! √ε (absolutely or relative to the mean |time|) are treated as tied, as R's `timefix = TRUE`
//! (`aeqSurv`) does.
//!
//! # Other software
//! * SAS PHREG: default `TIES=BRESLOW`; `TIES=EFRON` reproduces R's default; its
//!   `TIES=DISCRETE` is R's "exact"; `COVS(AGGREGATE)` gives the same robust sandwich.
//! * Stata `stcox`: default Breslow; `efron` and `exactp` options match R's efron and exact;
//!   `vce(cluster id)` multiplies the sandwich by g/(g − 1) (g clusters), R does not.
//! * lifelines `CoxPHFitter`: Efron only; `cluster_col` gives the same sandwich; its
//!   `robust=True` without clusters is the per-row sandwich.
//! * Case weights under Efron: a row with weight k is not the same as k copies (see
//!   [`Ties::Efron`]); under Breslow it is. SAS and Stata (`fweight`) expand frequency weights,
//!   so with ties their Efron fit with weights can differ from R's.

use serde::{Deserialize, Serialize};

use super::cox_concordance::concordance;
use super::cox_exact::newton_exact;
use super::cox_fit::{
    dot, newton, score_residuals, toler_chol, wald_quad, Design, NewtonFit, Standardize,
};
use super::cox_zph::{zph_chisq, zph_score, ZphInput};
use crate::math::exp;
use crate::response::dist::{pchisq_upper, qnorm};

/// How tied event times enter the partial likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ties {
    /// Efron's approximation (R's default). At a time with d tied deaths (d = number of rows)
    /// the denominator is Σ_R wr − (k/d)·Σ_D wr for k = 0..d−1, each term weighted by the mean
    /// case weight of the tied deaths, exactly as R's `coxfit6`.
    #[default]
    Efron,
    /// Breslow's approximation: all tied deaths share the full risk set.
    Breslow,
    /// The exact discrete (conditional logistic) likelihood, R's `ties = "exact"`. No case
    /// weights, no robust variance (as in R).
    Exact,
}

/// Input of a Cox fit. `x[j]` is the j-th covariate column (length n).
#[derive(Debug, Clone)]
pub struct CoxData<'a> {
    pub time: &'a [f64],
    pub event: &'a [bool],
    /// Frequency (case) weights, as R's `weights=`.
    pub weight: Option<&'a [f64]>,
    /// Stratum label per row (R's `strata()`); rows with equal labels share a baseline hazard.
    pub strata: Option<&'a [usize]>,
    /// Cluster label per row (R's `cluster()`): gives the robust sandwich SE.
    pub cluster: Option<&'a [usize]>,
    pub x: &'a [Vec<f64>],
    /// Name of each column of `x` (e.g. "sex2", "age"): the coefficient names.
    pub term_names: &'a [String],
    /// The model variable each column belongs to (R's `assign`, e.g. "celltype" for its three
    /// dummy columns). Columns sharing a variable form one multi-df term in the PH test.
    /// `None`: every column is its own term, named by `term_names`.
    pub variables: Option<&'a [String]>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoxOptions {
    pub ties: Ties,
    pub conf_level: f64,
    pub max_iter: usize,
    /// Convergence tolerance on the relative change of the log partial likelihood (R: 1e-9).
    pub eps: f64,
    /// Compute cox.zph (km transform).
    pub ph_test: bool,
}

impl Default for CoxOptions {
    fn default() -> Self {
        CoxOptions {
            ties: Ties::Efron,
            conf_level: 0.95,
            max_iter: 20,
            eps: 1e-9,
            ph_test: true,
        }
    }
}

/// One coefficient of the model. All numbers are `None` for a column dropped as redundant
/// (R's `NA` coefficient).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoxTerm {
    pub term: String,
    pub coef: Option<f64>,
    pub std_err: Option<f64>,
    pub robust_std_err: Option<f64>,
    pub hr: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub z: Option<f64>,
    pub p: Option<f64>,
}

/// A test statistic with its degrees of freedom and p-value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestStat {
    pub statistic: Option<f64>,
    pub df: usize,
    pub p: Option<f64>,
}

/// Harrell's C (R `fit$concordance`), its standard error and the pair counts
/// (R's labels: concordant = the earlier failure has the higher linear predictor).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Concordance {
    pub estimate: Option<f64>,
    pub std_err: Option<f64>,
    pub concordant: f64,
    pub discordant: f64,
    pub tied_x: f64,
    pub tied_y: f64,
    pub tied_xy: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhTerm {
    pub term: String,
    pub chisq: Option<f64>,
    pub df: usize,
    pub p: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhTest {
    pub terms: Vec<PhTerm>,
    pub global: PhTerm,
}

/// The fitted model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoxFit {
    pub ties: Ties,
    /// Rows used (R's `n`).
    pub n: f64,
    /// Rows with an event (R's `nevent`; not weighted).
    pub events: f64,
    pub iterations: usize,
    /// False when the iterations ran out (R: "Ran out of iterations and did not converge").
    pub converged: bool,
    pub terms: Vec<CoxTerm>,
    pub loglik_null: Option<f64>,
    pub loglik: Option<f64>,
    pub lr_test: TestStat,
    pub wald_test: TestStat,
    pub score_test: TestStat,
    /// R's robust score test (`fit$rscore`), only with `cluster`.
    pub robust_score_test: Option<TestStat>,
    pub concordance: Concordance,
    pub ph_test: Option<PhTest>,
    pub warnings: Vec<String>,
}

/// Fits the model.
///
/// # Errors
/// A message when no fit exists or the input is invalid: no rows or no covariates, lengths
/// that differ, a non-finite time or covariate (1-based row in the message), a weight that is
/// not positive, no events at all, or case weights / clusters with `Ties::Exact`.
///
/// # Examples
/// ```
/// use survcalc::math::ln;
/// use survcalc::survival::cox::{fit, CoxData, CoxOptions};
/// // four rows, all events at distinct times: ℓ(0) = −log(4·3·2·1)
/// let x = vec![vec![1.0, 0.0, 1.0, 0.0]];
/// let names = vec!["x".to_string()];
/// let data = CoxData {
///     time: &[1.0, 2.0, 3.0, 4.0],
///     event: &[true, true, true, true],
///     weight: None,
///     strata: None,
///     cluster: None,
///     x: &x,
///     term_names: &names,
///     variables: None,
/// };
/// let f = fit(&data, &CoxOptions::default()).expect("a fit");
/// assert!((f.loglik_null.unwrap_or(0.0) + ln(24.0)).abs() < 1e-12);
/// // the MLE solves r² − r − 4 = 0 with r = exp(β)
/// let beta = ln((1.0 + 17f64.sqrt()) / 2.0);
/// assert!((f.terms[0].coef.unwrap_or(0.0) - beta).abs() < 1e-9);
/// ```
pub fn fit(data: &CoxData, opts: &CoxOptions) -> Result<CoxFit, String> {
    fit_with_stages(data, opts, &mut |_| {})
}

/// As [`fit`], calling `stage("fit")` once the coefficients, their tests and the concordance
/// are done and the proportional-hazards test (`cox.zph`) is about to start, for per-stage
/// timings (`survcalc analyze --timings`, the page's timings).
///
/// # Errors
/// As [`fit`].
pub fn fit_with_stages(
    data: &CoxData,
    opts: &CoxOptions,
    stage: &mut dyn FnMut(&str),
) -> Result<CoxFit, String> {
    let n = data.time.len();
    let p = data.x.len();
    validate(data, opts)?;
    let time = timefix(data.time);
    let nevent = data.event.iter().filter(|&&e| e).count();
    if nevent == 0 {
        return Err(format!(
            "failed to fit the Cox model (no events among the {n} rows: every observation is \
             censored, so the partial likelihood is empty)"
        ));
    }
    let exact = opts.ties == Ties::Exact;
    if exact {
        if let Some(w) = data.weight {
            if w.iter().any(|&v| v != 1.0) {
                return Err(
                    "failed to fit the Cox model (case weights are not supported with \
                            exact ties, as in R)"
                        .to_string(),
                );
            }
        }
        if data.cluster.is_some() {
            return Err(
                "failed to fit the Cox model (a robust variance with clusters is not \
                        available with exact ties, as in R)"
                    .to_string(),
            );
        }
    }
    let efron = opts.ties == Ties::Efron;
    // any labels are fine: renumber strata and clusters 0..k in order of value
    let strata = data.strata.map(dense_codes);
    let cluster = data.cluster.map(dense_codes);
    let mut design = Design::new(
        &time,
        data.event,
        data.weight,
        strata.as_deref(),
        data.x,
        exact,
        if exact {
            Standardize::Scale
        } else {
            Standardize::CoxFit6
        },
    );
    let nf: NewtonFit = if exact {
        newton_exact(&design, opts.max_iter, opts.eps)
    } else {
        newton(&design, efron, opts.max_iter, opts.eps)
    };

    if !nf.loglik0.is_finite()
        || !nf.loglik.is_finite()
        || nf.beta.iter().chain(&nf.var).any(|v| !v.is_finite())
    {
        return Err(format!(
            "failed to fit the Cox model (numerical overflow in the partial likelihood{})",
            if exact {
                "; with many tied events the exact likelihood cannot be computed, use Efron"
            } else {
                ""
            }
        ));
    }
    let mut warnings = Vec::new();
    // redundant columns: R sets coef to NA when the Cholesky rank is below p (zero row of the
    // generalised inverse). We also do so after non-convergence, where R would print the start
    // value 0 with SE 0.
    let singular: Vec<bool> = (0..p)
        .map(|j| !(nf.var[j * p + j] > 0.0 && nf.var[j * p + j].is_finite()))
        .collect();
    let names = |j: usize| -> String {
        data.term_names
            .get(j)
            .cloned()
            .unwrap_or_else(|| format!("x{}", j + 1))
    };
    if singular.iter().any(|&s| s) {
        let list: Vec<String> = (0..p)
            .filter(|&j| singular[j])
            .map(|j| format!("{} ({})", j + 1, names(j)))
            .collect();
        warnings.push(format!(
            "X matrix deemed to be singular; variable {}: coefficient not estimable (collinear \
             with other columns or constant)",
            list.join(", ")
        ));
    }

    // linear predictor per original row, as R's fit$linear.predictors
    let lp: Vec<f64> = linear_predictor(data, &design, &nf, exact);
    let converged = nf.flag != 1000;
    if opts.max_iter > 1 {
        if !converged {
            warnings.push("Ran out of iterations and did not converge".to_string());
            let maxlp = lp.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if maxlp > 500.0 || nf.infs.iter().any(|v| !v.is_finite()) {
                warnings.push("one or more coefficients may be infinite".to_string());
            }
        } else {
            let toler_inf = opts.eps.sqrt();
            let infs: Vec<String> = (0..p)
                .filter(|&j| {
                    !nf.u_finite
                        || (nf.infs[j] > opts.eps
                            && nf.infs[j] > toler_inf * nf.coef_for_infs[j].abs())
                })
                .map(|j| format!("{} ({})", j + 1, names(j)))
                .collect();
            if !infs.is_empty() {
                warnings.push(format!(
                    "Loglik converged before variable {}; coefficient may be infinite.",
                    infs.join(", ")
                ));
            }
        }
    }

    // robust (sandwich) variance, R: crossprod(residuals(fit, "dfbeta", collapse = cluster))
    let mut robust_var: Option<Vec<f64>> = None;
    let mut robust_score: Option<TestStat> = None;
    if let Some(cl) = cluster.as_deref() {
        let ncl = cl.iter().copied().max().map_or(0, |m| m + 1);
        let collapse = |eta: &[f64]| -> Vec<f64> {
            let r = score_residuals(&design, efron, eta);
            let mut sums = vec![0.0; ncl * p];
            for pos in 0..n {
                let orig = design.order[pos];
                let c = cl[orig];
                let w = design.weight[pos];
                for j in 0..p {
                    sums[c * p + j] += w * r[pos * p + j] / design.scale[j];
                }
            }
            sums
        };
        let eta = design.eta(&nf.beta_internal);
        let s = collapse(&eta);
        // D = S · V, robust var = DᵀD
        let mut dmat = vec![0.0; ncl * p];
        for c in 0..ncl {
            for k in 0..p {
                let mut v = 0.0;
                for j in 0..p {
                    v += s[c * p + j] * nf.var[j * p + k];
                }
                dmat[c * p + k] = v;
            }
        }
        robust_var = Some(crossprod(&dmat, ncl, p));
        // robust score test at beta = 0
        let s0 = collapse(&vec![0.0; n]);
        let u: Vec<f64> = (0..p)
            .map(|j| (0..ncl).map(|c| s0[c * p + j]).sum())
            .collect();
        let m = crossprod(&s0, ncl, p);
        let (stat, _) = wald_quad(&m, &u, toler_chol());
        let df = singular.iter().filter(|&&s| !s).count();
        robust_score = Some(test_stat(stat, df));
    }

    // R's summary.coxph: qnorm((1 + conf.int)/2), by the same algorithm (AS 241).
    let zcrit = qnorm((1.0 + opts.conf_level) / 2.0).unwrap_or(f64::NAN);
    let terms: Vec<CoxTerm> = (0..p)
        .map(|j| {
            if singular[j] {
                return CoxTerm {
                    term: names(j),
                    coef: None,
                    std_err: None,
                    robust_std_err: None,
                    hr: None,
                    lower: None,
                    upper: None,
                    z: None,
                    p: None,
                };
            }
            let coef = nf.beta[j];
            let se = nf.var[j * p + j].sqrt();
            let rse = robust_var.as_ref().map(|v| v[j * p + j].sqrt());
            let se_used = rse.unwrap_or(se);
            let z = coef / se_used;
            CoxTerm {
                term: names(j),
                coef: finite(coef),
                std_err: finite(se),
                robust_std_err: rse.and_then(finite),
                hr: finite(exp(coef)),
                lower: finite(exp(coef - zcrit * se_used)),
                upper: finite(exp(coef + zcrit * se_used)),
                z: finite(z),
                // 2Φ(−|z|) as the χ²₁ tail of z², R's summary(): pchisq(z^2, 1, FALSE)
                p: finite(z).and_then(|z| chisq_sf(z * z, 1)),
            }
        })
        .collect();

    let keep: Vec<usize> = (0..p).filter(|&j| !singular[j]).collect();
    let df = keep.len();
    let lr = 2.0 * (nf.loglik - nf.loglik0);
    let wald = {
        let v = robust_var.as_ref().unwrap_or(&nf.var);
        let sub: Vec<f64> = keep
            .iter()
            .flat_map(|&i| keep.iter().map(move |&j| v[i * p + j]))
            .collect();
        let b: Vec<f64> = keep.iter().map(|&j| nf.beta[j]).collect();
        wald_quad(&sub, &b, toler_chol()).0
    };

    // Only the design's order is needed from here on (by cox.zph): the sorted copies of the
    // data go before the concordance and cox.zph make theirs.
    let design_order = std::mem::take(&mut design.order);
    drop(design);
    let conc = concordance(
        &time,
        data.event,
        &lp,
        data.weight,
        strata.as_deref(),
        cluster.as_deref(),
    );

    stage("fit");
    let ph_test = if opts.ph_test && !keep.is_empty() {
        // the Efron/Breslow design is sorted by (stratum, time) as cox.zph needs
        let order = (!exact).then_some(&design_order[..]);
        let (ph, w) = ph_test(
            data,
            strata.as_deref(),
            order,
            &time,
            &lp,
            efron,
            &keep,
            &names,
        );
        warnings.extend(w);
        ph
    } else {
        None
    };

    Ok(CoxFit {
        ties: opts.ties,
        n: n as f64,
        events: nevent as f64,
        iterations: nf.iter,
        converged,
        terms,
        loglik_null: finite(nf.loglik0),
        loglik: finite(nf.loglik),
        lr_test: test_stat(lr, df),
        wald_test: test_stat(wald, df),
        score_test: test_stat(nf.score_test, df),
        robust_score_test: robust_score,
        concordance: Concordance {
            estimate: conc.estimate,
            std_err: conc.std_err,
            concordant: conc.counts.concordant,
            discordant: conc.counts.discordant,
            tied_x: conc.counts.tied_x,
            tied_y: conc.counts.tied_y,
            tied_xy: conc.counts.tied_xy,
        },
        ph_test,
        warnings,
    })
}

fn validate(data: &CoxData, opts: &CoxOptions) -> Result<(), String> {
    let n = data.time.len();
    let p = data.x.len();
    if n == 0 {
        return Err("failed to fit the Cox model (no rows)".to_string());
    }
    if p == 0 {
        return Err("failed to fit the Cox model (no covariates: at least one is needed)".into());
    }
    let len_err = |what: &str, found: usize| {
        Err(format!(
            "failed to fit the Cox model ({what} has {found} values, expected {n}, one per row)"
        ))
    };
    if data.event.len() != n {
        return len_err("the event indicator", data.event.len());
    }
    for (j, col) in data.x.iter().enumerate() {
        if col.len() != n {
            return len_err(&format!("covariate column {}", j + 1), col.len());
        }
    }
    if data.term_names.len() != p {
        return Err(format!(
            "failed to fit the Cox model ({} term names for {p} covariate columns)",
            data.term_names.len()
        ));
    }
    if let Some(v) = data.variables {
        if v.len() != p {
            return Err(format!(
                "failed to fit the Cox model ({} variable names for {p} covariate columns)",
                v.len()
            ));
        }
    }
    if let Some(w) = data.weight {
        if w.len() != n {
            return len_err("the weight column", w.len());
        }
        if let Some(i) = w.iter().position(|&v| !(v > 0.0 && v.is_finite())) {
            return Err(format!(
                "failed to fit the Cox model (weight {} in row {} is not a positive finite \
                 number)",
                w[i],
                i + 1
            ));
        }
    }
    if let Some(s) = data.strata {
        if s.len() != n {
            return len_err("the strata column", s.len());
        }
    }
    if let Some(c) = data.cluster {
        if c.len() != n {
            return len_err("the cluster column", c.len());
        }
    }
    if let Some(i) = data.time.iter().position(|t| !t.is_finite()) {
        return Err(format!(
            "failed to fit the Cox model (time {} in row {} is not a finite number)",
            data.time[i],
            i + 1
        ));
    }
    for (j, col) in data.x.iter().enumerate() {
        if let Some(i) = col.iter().position(|v| !v.is_finite()) {
            return Err(format!(
                "failed to fit the Cox model (covariate {} is {} in row {}; drop rows with \
                 missing values first)",
                data.term_names[j],
                col[i],
                i + 1
            ));
        }
    }
    if !(opts.conf_level > 0.0 && opts.conf_level < 1.0) {
        return Err(format!(
            "invalid confidence level {} (expected a number between 0 and 1, e.g. 0.95)",
            opts.conf_level
        ));
    }
    if !(opts.eps > 0.0 && opts.eps.is_finite()) {
        return Err(format!(
            "invalid convergence tolerance {} (expected a small positive number, e.g. 1e-9)",
            opts.eps
        ));
    }
    Ok(())
}

/// R's `aeqSurv`: times closer than √ε (absolutely, or relative to the mean |time|) become
/// equal to the smaller one.
fn timefix(time: &[f64]) -> Vec<f64> {
    let tol = f64::EPSILON.sqrt();
    // sorted distinct values, as sort + dedup would give them (radix order: linear time)
    let mut y: Vec<f64> = Vec::new();
    for i in super::order::order_f64(time) {
        if y.last() != Some(&time[i]) {
            y.push(time[i]);
        }
    }
    if y.len() < 2 {
        return time.to_vec();
    }
    let mean_abs = y.iter().map(|v| v.abs()).sum::<f64>() / y.len() as f64;
    let tied = |k: usize| {
        let dy = y[k] - y[k - 1];
        dy <= tol || dy / mean_abs <= tol
    };
    if !(1..y.len()).any(tied) {
        return time.to_vec();
    }
    let mut cuts = vec![y[0]];
    cuts.extend((1..y.len()).filter(|&k| !tied(k)).map(|k| y[k]));
    time.iter()
        .map(|&t| {
            let idx = cuts.partition_point(|&c| c <= t);
            cuts[idx.saturating_sub(1)]
        })
        .collect()
}

/// R's `fit$linear.predictors` per original row.
fn linear_predictor(data: &CoxData, design: &Design, nf: &NewtonFit, exact: bool) -> Vec<f64> {
    let n = data.time.len();
    let p = data.x.len();
    if exact {
        (0..n)
            .map(|i| {
                let mut s = 0.0;
                for j in 0..p {
                    s += (data.x[j][i] - design.means[j]) * design.scale[j] * nf.beta_internal[j];
                }
                s
            })
            .collect()
    } else {
        let shift = dot(&nf.beta, &design.means);
        (0..n)
            .map(|i| {
                let mut s = 0.0;
                for j in 0..p {
                    s += data.x[j][i] * nf.beta[j];
                }
                s - shift
            })
            .collect()
    }
}

/// Labels renumbered 0..k by increasing value.
fn dense_codes(labels: &[usize]) -> Vec<usize> {
    let mut u = labels.to_vec();
    u.sort_unstable();
    u.dedup();
    labels
        .iter()
        .map(|l| u.partition_point(|v| v < l))
        .collect()
}

/// AᵀA for an r × c row-major matrix.
fn crossprod(a: &[f64], r: usize, c: usize) -> Vec<f64> {
    let mut m = vec![0.0; c * c];
    for row in 0..r {
        let x = &a[row * c..(row + 1) * c];
        for i in 0..c {
            for j in 0..c {
                m[i * c + j] += x[i] * x[j];
            }
        }
    }
    m
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// Upper tail of the χ² distribution (R `pchisq(x, df, lower.tail = FALSE)`, [`pchisq_upper`]);
/// the normal tail 2Φ(−|z|) goes through here too, as the χ²₁ tail of z². A statistic a rounding
/// error below 0 counts as 0.
pub(crate) fn chisq_sf(x: f64, df: usize) -> Option<f64> {
    if !x.is_finite() || df == 0 {
        return None;
    }
    pchisq_upper(x.max(0.0), df)
}

fn test_stat(stat: f64, df: usize) -> TestStat {
    TestStat {
        statistic: finite(stat),
        df,
        p: chisq_sf(stat, df),
    }
}

/// cox.zph per term and global over the estimated (non-redundant) columns `keep`.
#[expect(clippy::too_many_arguments, reason = "internal helper of fit()")]
fn ph_test(
    data: &CoxData,
    strata: Option<&[usize]>,
    order: Option<&[usize]>,
    time: &[f64],
    lp: &[f64],
    efron: bool,
    keep: &[usize],
    names: &dyn Fn(usize) -> String,
) -> (Option<PhTest>, Vec<String>) {
    let inp = ZphInput {
        time,
        event: data.event,
        weight: data.weight,
        stratum: strata,
        x: keep.iter().map(|&j| data.x[j].as_slice()).collect(),
        eta: lp,
        efron,
        order,
    };
    let score = zph_score(&inp);
    // terms in order of first appearance
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (k, &j) in keep.iter().enumerate() {
        let name = match data.variables {
            Some(v) => v[j].clone(),
            None => names(j),
        };
        match groups.iter_mut().find(|(g, _)| *g == name) {
            Some((_, cols)) => cols.push(k),
            None => groups.push((name, vec![k])),
        }
    }
    let mut warnings = Vec::new();
    let mut mk = |term: String, cols: &[usize]| {
        let chisq = zph_chisq(&score, cols);
        if chisq.is_none() {
            warnings.push(format!(
                "proportional-hazards test for {term} not available (singular information)"
            ));
        }
        PhTerm {
            term,
            df: cols.len(),
            p: chisq.and_then(|c| chisq_sf(c, cols.len())),
            chisq,
        }
    };
    let terms: Vec<PhTerm> = groups.iter().map(|(g, c)| mk(g.clone(), c)).collect();
    let all: Vec<usize> = (0..keep.len()).collect();
    let global = mk("GLOBAL".to_string(), &all);
    (Some(PhTest { terms, global }), warnings)
}
