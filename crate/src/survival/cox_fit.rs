//! Newton–Raphson engine of the Cox model for the Breslow and Efron partial likelihoods, the
//! score residuals behind the robust variance, and the Cholesky routines the model uses.
//!
//! This is the arithmetic of R survival 3.5-3's `coxph.fit` / C `coxfit6` (right-censored data),
//! `coxscore2` (score residuals) and `cholesky2` / `chsolve2` / `chinv2` (a generalised Cholesky
//! that sets redundant columns to zero instead of failing). The public entry point is
//! [`crate::survival::cox::fit`]; everything here is an implementation detail shared by the Cox
//! modules.
//!
//! Log partial likelihood (Breslow), with case weights wᵢ, risk scores rᵢ = exp(xᵢβ) and risk
//! set R(t) = {i : tᵢ ≥ t} in the stratum:
//!
//! ```text
//! ℓ(β) = Σ_t [ Σ_{i∈D(t)} wᵢ xᵢβ − (Σ_{i∈D(t)} wᵢ) · log Σ_{j∈R(t)} wⱼ rⱼ ]
//! ```
//!
//! Efron replaces the single log term at a time with d tied deaths (d counts rows, not weights)
//! by Σ_{k=0}^{d−1} w̄ · log( Σ_{R(t)} wⱼrⱼ − (k/d) Σ_{D(t)} wⱼrⱼ ), with w̄ = Σ_{D(t)} wᵢ / d the
//! mean case weight of the tied deaths. So under Efron a row of weight k is *not* the same as k
//! copies (k copies would make d larger); under Breslow it is.
//!
//! Other software: SAS PHREG (default `TIES=BRESLOW`) and Stata `stcox` (default Breslow, option
//! `efron`) use the same two likelihoods; both expand frequency weights, so their Efron fit with
//! weights is the "k copies" one. lifelines' `CoxPHFitter` is Efron only, with weights entering
//! like R's. Newton–Raphson details (centring, step halving, the 1e-9 relative loglik rule)
//! are R's; the others converge to the same β̂ within their own tolerances.
//!
//! The score residuals of row k (R `residuals(fit, "score")`):
//! r_k = δ_k (x_k − x̄(t_k)) − exp(η_k) Σ_{t ≤ t_k} dΛ(t) (x_k − x̄(t)), dΛ(t) = Σ_D w / Σ_R w·exp(η);
//! the robust variance is DᵀD with D = Σ_{k∈cluster} w_k r_k · I⁻¹ (Lin & Wei 1989).

use crate::math::{exp, ln};

/// R's `coxph.control()$toler.chol`: `.Machine$double.eps^0.75`.
pub(crate) fn toler_chol() -> f64 {
    crate::math::pow(f64::EPSILON, 0.75)
}

/// Generalised Cholesky C = F D F' in place (R survival `cholesky2`). `m` is n × n row-major and
/// only its upper triangle (i ≤ j) is read; F goes to the strict lower triangle and D to the
/// diagonal. A pivot below `toler` × the largest diagonal (or not finite) is set to 0: that
/// column is treated as redundant. Returns the rank, negated if the matrix is not non-negative
/// definite.
pub(crate) fn cholesky2(m: &mut [f64], n: usize, toler: f64) -> i64 {
    let mut eps: f64 = 0.0;
    for i in 0..n {
        if m[i * n + i] > eps {
            eps = m[i * n + i];
        }
        for j in (i + 1)..n {
            m[j * n + i] = m[i * n + j];
        }
    }
    if eps == 0.0 {
        return 0;
    }
    eps *= toler;
    let mut rank: i64 = 0;
    let mut nonneg: i64 = 1;
    for i in 0..n {
        let pivot = m[i * n + i];
        if !pivot.is_finite() || pivot < eps {
            m[i * n + i] = 0.0;
            if pivot < -8.0 * eps {
                nonneg = -1;
            }
        } else {
            rank += 1;
            for j in (i + 1)..n {
                let temp = m[j * n + i] / pivot;
                m[j * n + i] = temp;
                m[j * n + j] -= temp * temp * pivot;
                for k in (j + 1)..n {
                    m[k * n + j] -= temp * m[k * n + i];
                }
            }
        }
    }
    rank * nonneg
}

/// Solves A b = y given the [`cholesky2`] factor of A; `y` is overwritten with b. Redundant
/// columns get 0 (R survival `chsolve2`).
pub(crate) fn chsolve2(m: &[f64], n: usize, y: &mut [f64]) {
    for i in 0..n {
        let mut temp = y[i];
        for j in 0..i {
            temp -= y[j] * m[i * n + j];
        }
        y[i] = temp;
    }
    for i in (0..n).rev() {
        if m[i * n + i] == 0.0 {
            y[i] = 0.0;
        } else {
            let mut temp = y[i] / m[i * n + i];
            for j in (i + 1)..n {
                temp -= y[j] * m[j * n + i];
            }
            y[i] = temp;
        }
    }
}

/// Inverse from the [`cholesky2`] factor (R survival `chinv2`), then symmetrised: on return `m`
/// holds the full generalised inverse, with zero rows and columns for redundant columns.
pub(crate) fn chinv2(m: &mut [f64], n: usize) {
    for i in 0..n {
        if m[i * n + i] > 0.0 {
            m[i * n + i] = 1.0 / m[i * n + i];
            for j in (i + 1)..n {
                m[j * n + i] = -m[j * n + i];
                for k in 0..i {
                    m[j * n + k] += m[j * n + i] * m[i * n + k];
                }
            }
        }
    }
    for i in 0..n {
        if m[i * n + i] == 0.0 {
            for j in 0..i {
                m[j * n + i] = 0.0;
            }
            for j in i..n {
                m[i * n + j] = 0.0;
            }
        } else {
            for j in (i + 1)..n {
                let temp = m[j * n + i] * m[j * n + j];
                m[i * n + j] = temp;
                for k in i..j {
                    m[i * n + k] += temp * m[j * n + k];
                }
            }
        }
    }
    for i in 0..n {
        for j in 0..i {
            m[i * n + j] = m[j * n + i];
        }
    }
}

/// bᵀ A⁻¹ b through [`cholesky2`] (R survival `coxph.wtest`), and the number of non-redundant
/// columns (its degrees of freedom).
pub(crate) fn wald_quad(a: &[f64], b: &[f64], toler: f64) -> (f64, usize) {
    let n = b.len();
    if n == 0 {
        return (0.0, 0);
    }
    if n == 1 {
        return (b[0] * b[0] / a[0], 1);
    }
    let mut m = a.to_vec();
    cholesky2(&mut m, n, toler);
    let df = (0..n).filter(|&i| m[i * n + i] > 0.0).count();
    let mut s = b.to_vec();
    chsolve2(&m, n, &mut s);
    (b.iter().zip(&s).map(|(b, s)| b * s).sum(), df)
}

/// The rows of a model, sorted for the risk-set sums and with internally transformed covariates.
#[derive(Debug, Clone)]
pub(crate) struct Design {
    pub n: usize,
    pub p: usize,
    /// Sorted position → original row.
    pub order: Vec<usize>,
    pub time: Vec<f64>,
    pub status: Vec<bool>,
    pub weight: Vec<f64>,
    pub stratum: Vec<usize>,
    /// n × p row-major, `(x − mean) · scale` per column.
    pub x: Vec<f64>,
    pub means: Vec<f64>,
    pub scale: Vec<f64>,
}

/// How the covariates are transformed before the iterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standardize {
    /// `coxph.fit`: columns with all values in {−1, 0, 1} are left alone (R's `nocenter`);
    /// others are centred at the weighted mean and multiplied by Σw / Σw|x − mean|.
    CoxFit6,
    /// `coxexact.fit`: R's `scale()`: centre at the mean, divide by the sample SD.
    Scale,
}

impl Design {
    /// Sorts rows by stratum, then time (ascending, or descending for the exact method), stable
    /// in the original row order like R's `order()`.
    pub(crate) fn new(
        time: &[f64],
        status: &[bool],
        weight: Option<&[f64]>,
        strata: Option<&[usize]>,
        x: &[Vec<f64>],
        descending: bool,
        standardize: Standardize,
    ) -> Design {
        let n = time.len();
        let p = x.len();
        let st = |i: usize| strata.map_or(0, |s| s[i]);
        // stable radix sort on time (ascending or descending), then a stable counting sort on
        // the stratum: R's order(strata, time) with ties in row order, in linear time
        let mut order = if descending {
            super::order::order_f64_desc(time)
        } else {
            super::order::order_f64(time)
        };
        if let Some(s) = strata {
            super::order::refine_by_label(&mut order, s);
        }
        let w = |i: usize| weight.map_or(1.0, |w| w[i]);
        // Gathered once in sorted order (the only random reads of x); the sums below then run
        // over sorted positions, in the same order as before.
        let weight_sorted: Vec<f64> = order.iter().map(|&i| w(i)).collect();
        let mut xs = vec![0.0; n * p];
        for (pos, &i) in order.iter().enumerate() {
            for j in 0..p {
                xs[pos * p + j] = x[j][i];
            }
        }
        let mut means = vec![0.0; p];
        let mut scale = vec![1.0; p];
        match standardize {
            Standardize::CoxFit6 => {
                let wsum: f64 = weight_sorted.iter().sum();
                for j in 0..p {
                    let col = &x[j];
                    if col.iter().all(|&v| v == 0.0 || v == 1.0 || v == -1.0) {
                        continue;
                    }
                    let mut m = 0.0;
                    for (pos, wi) in weight_sorted.iter().enumerate() {
                        m += wi * xs[pos * p + j];
                    }
                    m /= wsum;
                    let mut mad = 0.0;
                    for (pos, wi) in weight_sorted.iter().enumerate() {
                        mad += wi * (xs[pos * p + j] - m).abs();
                    }
                    means[j] = m;
                    scale[j] = if mad > 0.0 { wsum / mad } else { 1.0 };
                }
            }
            Standardize::Scale => {
                for j in 0..p {
                    let col = &x[j];
                    let m = col.iter().sum::<f64>() / n as f64;
                    let ss: f64 = col.iter().map(|v| (v - m) * (v - m)).sum();
                    let sd = if n > 1 {
                        (ss / (n - 1) as f64).sqrt()
                    } else {
                        0.0
                    };
                    means[j] = m;
                    scale[j] = if sd > 0.0 && sd.is_finite() {
                        1.0 / sd
                    } else {
                        1.0
                    };
                }
            }
        }
        for row in xs.chunks_exact_mut(p.max(1)) {
            for ((v, m), s) in row.iter_mut().zip(&means).zip(&scale) {
                *v = (*v - m) * s;
            }
        }
        Design {
            n,
            p,
            time: order.iter().map(|&i| time[i]).collect(),
            status: order.iter().map(|&i| status[i]).collect(),
            weight: weight_sorted,
            stratum: order.iter().map(|&i| st(i)).collect(),
            x: xs,
            means,
            scale,
            order,
        }
    }

    /// Row `pos` (sorted position) of the internal covariates.
    #[inline]
    pub(crate) fn row(&self, pos: usize) -> &[f64] {
        &self.x[pos * self.p..(pos + 1) * self.p]
    }

    /// Linear predictor per *sorted* row on the internal scale: exp of it is the risk score
    /// `exp(lp)` R uses (centred linear predictor).
    pub(crate) fn eta(&self, beta_internal: &[f64]) -> Vec<f64> {
        (0..self.n)
            .map(|pos| dot(beta_internal, self.row(pos)))
            .collect()
    }
}

/// Σ aᵢbᵢ accumulated left to right, as R's C loops do.
#[inline]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for (x, y) in a.iter().zip(b) {
        s += x * y;
    }
    s
}

/// Result of a Newton–Raphson fit, on the original covariate scale.
#[derive(Debug, Clone)]
pub(crate) struct NewtonFit {
    /// Coefficients (original scale); redundant columns keep their start value 0 here.
    pub beta: Vec<f64>,
    /// Coefficients on the internal (centred/scaled) scale, for the linear predictor.
    pub beta_internal: Vec<f64>,
    /// Inverse information, original scale (p × p row-major), zero rows for redundant columns.
    pub var: Vec<f64>,
    /// "Step" |u · var| per coefficient and the coefficient in the coordinates R compares them
    /// in, for the "Loglik converged before variable" check.
    pub infs: Vec<f64>,
    pub coef_for_infs: Vec<f64>,
    pub u_finite: bool,
    pub loglik0: f64,
    pub loglik: f64,
    pub score_test: f64,
    pub iter: usize,
    /// Rank from the last Cholesky; 1000 when the iterations ran out.
    pub flag: i64,
}

/// Scratch space for one pass over the data (no per-row allocation).
struct Work {
    a: Vec<f64>,
    a2: Vec<f64>,
    cmat: Vec<f64>,
    cmat2: Vec<f64>,
}

impl Work {
    fn new(p: usize) -> Work {
        Work {
            a: vec![0.0; p],
            a2: vec![0.0; p],
            cmat: vec![0.0; p * p],
            cmat2: vec![0.0; p * p],
        }
    }
}

/// One pass of R's `coxfit6_iter`: log partial likelihood at `beta` (internal scale), with the
/// score `u` and information `imat` (upper triangle filled; full after the call).
fn coxfit_pass(
    d: &Design,
    efron: bool,
    beta: &[f64],
    u: &mut [f64],
    imat: &mut [f64],
    wk: &mut Work,
) -> f64 {
    let p = d.p;
    let mut loglik = 0.0;
    u.iter_mut().for_each(|v| *v = 0.0);
    imat.iter_mut().for_each(|v| *v = 0.0);
    wk.a2.iter_mut().for_each(|v| *v = 0.0);
    wk.cmat2.iter_mut().for_each(|v| *v = 0.0);
    let mut denom = 0.0;
    let mut person = d.n;
    let mut cur_stratum = usize::MAX;
    while person > 0 {
        let last = person - 1;
        if d.stratum[last] != cur_stratum {
            cur_stratum = d.stratum[last];
            denom = 0.0;
            wk.a.iter_mut().for_each(|v| *v = 0.0);
            wk.cmat.iter_mut().for_each(|v| *v = 0.0);
        }
        let dtime = d.time[last];
        let mut ndead = 0usize;
        let mut deadwt = 0.0;
        let mut denom2 = 0.0;
        while person > 0 && d.time[person - 1] == dtime && d.stratum[person - 1] == cur_stratum {
            person -= 1;
            let xi = d.row(person);
            let zbeta = dot(beta, xi);
            let wi = d.weight[person];
            let risk = exp(zbeta) * wi;
            if !d.status[person] {
                denom += risk;
                for i in 0..p {
                    wk.a[i] += risk * xi[i];
                    for j in 0..=i {
                        wk.cmat[i * p + j] += risk * xi[i] * xi[j];
                    }
                }
            } else {
                ndead += 1;
                deadwt += wi;
                denom2 += risk;
                loglik += wi * zbeta;
                for i in 0..p {
                    u[i] += wi * xi[i];
                    wk.a2[i] += risk * xi[i];
                    for j in 0..=i {
                        wk.cmat2[i * p + j] += risk * xi[i] * xi[j];
                    }
                }
            }
        }
        if ndead > 0 {
            if !efron || ndead == 1 {
                denom += denom2;
                loglik -= deadwt * ln(denom);
                for i in 0..p {
                    wk.a[i] += wk.a2[i];
                    let temp2 = wk.a[i] / denom;
                    u[i] -= deadwt * temp2;
                    for j in 0..=i {
                        wk.cmat[i * p + j] += wk.cmat2[i * p + j];
                        imat[j * p + i] += deadwt * (wk.cmat[i * p + j] - temp2 * wk.a[j]) / denom;
                    }
                }
            } else {
                let nd = ndead as f64;
                let wtave = deadwt / nd;
                for _ in 0..ndead {
                    denom += denom2 / nd;
                    loglik -= wtave * ln(denom);
                    for i in 0..p {
                        wk.a[i] += wk.a2[i] / nd;
                        let temp2 = wk.a[i] / denom;
                        u[i] -= wtave * temp2;
                        for j in 0..=i {
                            wk.cmat[i * p + j] += wk.cmat2[i * p + j] / nd;
                            imat[j * p + i] +=
                                wtave * (wk.cmat[i * p + j] - temp2 * wk.a[j]) / denom;
                        }
                    }
                }
            }
            wk.a2.iter_mut().for_each(|v| *v = 0.0);
            wk.cmat2.iter_mut().for_each(|v| *v = 0.0);
        }
    }
    for i in 0..p {
        for j in 0..i {
            imat[i * p + j] = imat[j * p + i];
        }
    }
    loglik
}

/// Newton–Raphson with R's step halving and convergence rule (`coxfit6`): stop when
/// |1 − ℓ_old/ℓ_new| ≤ eps; when ℓ decreases (or is not finite) step back towards the last good
/// β; after `max_iter` iterations report the last good β.
pub(crate) fn newton(d: &Design, efron: bool, max_iter: usize, eps: f64) -> NewtonFit {
    let p = d.p;
    let toler = toler_chol();
    let mut wk = Work::new(p);
    let mut u = vec![0.0; p];
    let mut imat = vec![0.0; p * p];
    let mut beta = vec![0.0; p];
    let mut newbeta = vec![0.0; p];

    let loglik0 = coxfit_pass(d, efron, &beta, &mut u, &mut imat, &mut wk);
    let mut best = loglik0;
    let mut a = u.clone();
    let mut flag = cholesky2(&mut imat, p, toler);
    chsolve2(&imat, p, &mut a);
    let score_test = dot(&u, &a);

    let finish = |beta_int: &[f64], u: &[f64], imat: &mut Vec<f64>| {
        chinv2(imat, p);
        let beta_o: Vec<f64> = (0..p).map(|i| beta_int[i] * d.scale[i]).collect();
        let u_o: Vec<f64> = (0..p).map(|i| u[i] / d.scale[i]).collect();
        let mut var = imat.clone();
        for i in 0..p {
            for j in 0..p {
                var[i * p + j] *= d.scale[i] * d.scale[j];
            }
        }
        let infs: Vec<f64> = (0..p)
            .map(|j| (0..p).map(|i| u_o[i] * var[i * p + j]).sum::<f64>().abs())
            .collect();
        (beta_o, var, infs, u_o.iter().all(|v| v.is_finite()))
    };

    if max_iter == 0 || !loglik0.is_finite() {
        let (b, var, infs, uf) = finish(&beta, &u, &mut imat);
        return NewtonFit {
            coef_for_infs: b.clone(),
            beta: b,
            beta_internal: beta,
            var,
            infs,
            u_finite: uf,
            loglik0,
            loglik: loglik0,
            score_test,
            iter: 0,
            flag,
        };
    }

    for i in 0..p {
        newbeta[i] = beta[i] + a[i];
    }
    let mut halving = 0.0;
    let mut iter = 1;
    while iter <= max_iter {
        let newlk = coxfit_pass(d, efron, &newbeta, &mut u, &mut imat, &mut wk);
        flag = cholesky2(&mut imat, p, toler);
        let notfinite = !newlk.is_finite()
            || u.iter().any(|v| !v.is_finite())
            || imat.iter().any(|v| !v.is_finite());
        if !notfinite && (1.0 - best / newlk).abs() <= eps {
            let (b, var, infs, uf) = finish(&newbeta, &u, &mut imat);
            return NewtonFit {
                coef_for_infs: b.clone(),
                beta: b,
                beta_internal: newbeta,
                var,
                infs,
                u_finite: uf,
                loglik0,
                loglik: newlk,
                score_test,
                iter,
                flag: if halving > 0.0 { -2 } else { flag },
            };
        }
        if notfinite || newlk < best {
            halving += 1.0;
            for i in 0..p {
                newbeta[i] = (newbeta[i] + halving * beta[i]) / (halving + 1.0);
            }
        } else {
            halving = 0.0;
            best = newlk;
            chsolve2(&imat, p, &mut u);
            beta.copy_from_slice(&newbeta);
            for (nb, step) in newbeta.iter_mut().zip(&u) {
                *nb += step;
            }
        }
        iter += 1;
    }
    // Ran out of iterations: recompute at the last good beta. (R's coxfit6 then calls chinv2
    // without a new cholesky2; we factor first so the variance is a proper inverse.)
    if max_iter > 1 {
        best = coxfit_pass(d, efron, &beta, &mut u, &mut imat, &mut wk);
        cholesky2(&mut imat, p, toler);
    }
    let (b, var, infs, uf) = finish(&beta, &u, &mut imat);
    NewtonFit {
        coef_for_infs: b.clone(),
        beta: b,
        beta_internal: beta,
        var,
        infs,
        u_finite: uf,
        loglik0,
        loglik: best,
        score_test,
        iter,
        flag: 1000,
    }
}

/// Score residuals (R `residuals(fit, type = "score")`, C `coxscore2`), *unweighted*, on the
/// internal covariate scale, one row of p per sorted position, at risk scores exp(`eta`).
///
/// Computed in O(n·p) with cumulative hazard sums instead of R's O(n · deaths) double loop:
/// for row k at risk at death time t with hazard increment h and risk-set mean x̄(t),
/// the residual gets −exp(η_k)·h·(x_k − x̄(t)); a death at t also gets (x_k − x̄(t)). With Efron
/// each tied time contributes d sub-steps with down-weighted denominators, and the tied deaths
/// themselves only (1 − k/d) of the k-th sub-step's hazard.
pub(crate) fn score_residuals(d: &Design, efron: bool, eta: &[f64]) -> Vec<f64> {
    let (n, p) = (d.n, d.p);
    let mut resid = vec![0.0; n * p];
    // Per tied-death group, stored at the group's first (lowest) sorted position:
    // ha = Σ h, hb = Σ h·mean, ca = Σ h·downwt, cb = Σ h·downwt·mean, ma = mean of the means.
    let mut ha = vec![0.0; n];
    let mut ca = vec![0.0; n];
    let mut hb = vec![0.0; n * p];
    let mut cb = vec![0.0; n * p];
    let mut ma = vec![0.0; n * p];
    let mut group_start = vec![usize::MAX; n];
    let mut a = vec![0.0; p];
    let mut a2 = vec![0.0; p];
    let mut mean = vec![0.0; p];
    let mut denom = 0.0;
    let mut cur = usize::MAX;
    let mut person = n;
    while person > 0 {
        let last = person - 1;
        if d.stratum[last] != cur {
            cur = d.stratum[last];
            denom = 0.0;
            a.iter_mut().for_each(|v| *v = 0.0);
        }
        let dtime = d.time[last];
        let mut deaths = 0usize;
        let mut e_denom = 0.0;
        let mut meanwt = 0.0;
        a2.iter_mut().for_each(|v| *v = 0.0);
        let end = person;
        while person > 0 && d.time[person - 1] == dtime && d.stratum[person - 1] == cur {
            person -= 1;
            let xi = d.row(person);
            let risk = exp(eta[person]) * d.weight[person];
            denom += risk;
            for j in 0..p {
                a[j] += risk * xi[j];
            }
            if d.status[person] {
                deaths += 1;
                e_denom += risk;
                meanwt += d.weight[person];
                for j in 0..p {
                    a2[j] += risk * xi[j];
                }
            }
        }
        let g = person;
        group_start[g..end].fill(g);
        if deaths == 0 {
            continue;
        }
        if deaths < 2 || !efron {
            let h = meanwt / denom;
            ha[g] = h;
            for j in 0..p {
                let m = a[j] / denom;
                hb[g * p + j] = h * m;
                ma[g * p + j] = m;
            }
        } else {
            let dn = deaths as f64;
            let mw = meanwt / dn;
            for dd in 0..deaths {
                let downwt = dd as f64 / dn;
                let temp = denom - downwt * e_denom;
                let h = mw / temp;
                ha[g] += h;
                ca[g] += h * downwt;
                for j in 0..p {
                    mean[j] = (a[j] - downwt * a2[j]) / temp;
                    hb[g * p + j] += h * mean[j];
                    cb[g * p + j] += h * downwt * mean[j];
                    ma[g * p + j] += mean[j] / dn;
                }
            }
        }
    }
    // Forward in time within each stratum: cumulative sums over death times ≤ t.
    let mut cum_a = 0.0;
    let mut cum_b = vec![0.0; p];
    let mut pos = 0;
    while pos < n {
        if pos == 0 || d.stratum[pos] != d.stratum[pos - 1] {
            cum_a = 0.0;
            cum_b.iter_mut().for_each(|v| *v = 0.0);
        }
        let g = group_start[pos];
        cum_a += ha[g];
        for j in 0..p {
            cum_b[j] += hb[g * p + j];
        }
        let mut k = pos;
        while k < n && group_start[k] == g {
            let xk = d.row(k);
            let sc = exp(eta[k]);
            for j in 0..p {
                let mut r = -sc * (xk[j] * cum_a - cum_b[j]);
                if d.status[k] {
                    r += xk[j] - ma[g * p + j];
                    r += sc * (xk[j] * ca[g] - cb[g * p + j]);
                }
                resid[k * p + j] = r;
            }
            k += 1;
        }
        pos = k;
    }
    resid
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Direct transcription of the O(n²) double loop of R's `coxscore2` (data sorted by
    /// stratum and time), to check the O(n·p) cumulative-sum version.
    fn score_residuals_direct(d: &Design, efron: bool, eta: &[f64]) -> Vec<f64> {
        let (n, p) = (d.n, d.p);
        let score: Vec<f64> = eta.iter().map(|&e| exp(e)).collect();
        let mut resid = vec![0.0; n * p];
        let (mut denom, mut e_denom, mut deaths, mut meanwt) = (0.0, 0.0, 0.0, 0.0);
        let mut a = vec![0.0; p];
        let mut a2 = vec![0.0; p];
        let last_of_stratum = |i: usize| i + 1 == n || d.stratum[i + 1] != d.stratum[i];
        for i in (0..n).rev() {
            if last_of_stratum(i) {
                denom = 0.0;
                a.iter_mut().for_each(|v| *v = 0.0);
            }
            let x = d.row(i);
            let risk = score[i] * d.weight[i];
            denom += risk;
            if d.status[i] {
                deaths += 1.0;
                e_denom += risk;
                meanwt += d.weight[i];
                for j in 0..p {
                    a2[j] += risk * x[j];
                }
            }
            for j in 0..p {
                a[j] += risk * x[j];
            }
            let group_end =
                i == 0 || d.stratum[i - 1] != d.stratum[i] || d.time[i] != d.time[i - 1];
            if deaths > 0.0 && group_end {
                let steps: Vec<(f64, f64)> = if deaths < 2.0 || !efron {
                    vec![(0.0, meanwt / denom)]
                } else {
                    (0..deaths as usize)
                        .map(|dd| {
                            let down = dd as f64 / deaths;
                            (down, meanwt / deaths / (denom - down * e_denom))
                        })
                        .collect()
                };
                for &(down, hazard) in &steps {
                    let tot = denom - down * e_denom;
                    for j in 0..p {
                        let mean = (a[j] - down * a2[j]) / tot;
                        for k in i..n {
                            let t2 = d.row(k)[j] - mean;
                            if d.time[k] == d.time[i] && d.status[k] {
                                resid[k * p + j] += t2 / steps.len() as f64;
                                resid[k * p + j] -= t2 * score[k] * hazard * (1.0 - down);
                            } else {
                                resid[k * p + j] -= t2 * score[k] * hazard;
                            }
                            if last_of_stratum(k) {
                                break;
                            }
                        }
                    }
                }
                e_denom = 0.0;
                deaths = 0.0;
                meanwt = 0.0;
                a2.iter_mut().for_each(|v| *v = 0.0);
            }
        }
        resid
    }

    #[test]
    fn score_residuals_match_direct_double_loop() {
        let time = [
            1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 1.0, 2.0, 2.0, 3.0, 3.0,
        ];
        let status = [
            true, true, false, true, true, true, false, true, true, true, true, true, false, true,
        ];
        let weight = [
            1.0, 2.0, 1.0, 3.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0,
        ];
        let strata = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
        let x = vec![
            vec![
                1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0,
            ],
            vec![
                3.0, 1.5, -2.0, 0.5, 4.0, 1.0, 2.5, -1.0, 0.0, 2.0, 1.0, -0.5, 3.5, 0.25,
            ],
        ];
        let d = Design::new(
            &time,
            &status,
            Some(&weight),
            Some(&strata),
            &x,
            false,
            Standardize::CoxFit6,
        );
        let eta = d.eta(&[0.3, -0.2]);
        for efron in [false, true] {
            let fast = score_residuals(&d, efron, &eta);
            let slow = score_residuals_direct(&d, efron, &eta);
            for (f, s) in fast.iter().zip(&slow) {
                assert!((f - s).abs() < 1e-12, "efron={efron}: {f} vs {s}");
            }
        }
    }

    #[test]
    fn cholesky_inverse_2x2() {
        let mut m = vec![4.0, 2.0, 2.0, 3.0];
        assert_eq!(cholesky2(&mut m, 2, 1e-12), 2);
        chinv2(&mut m, 2);
        // inverse of [[4,2],[2,3]] = [[3,-2],[-2,4]]/8
        let want = [3.0 / 8.0, -0.25, -0.25, 0.5];
        for (g, w) in m.iter().zip(want) {
            assert!((g - w).abs() < 1e-15, "{g} vs {w}");
        }
    }

    #[test]
    fn cholesky_flags_redundant_column() {
        let mut m = vec![1.0, 2.0, 2.0, 4.0];
        assert_eq!(cholesky2(&mut m, 2, toler_chol()), 1);
        chinv2(&mut m, 2);
        assert_eq!(m[3], 0.0);
        assert_eq!(m[1], 0.0);
    }
}
