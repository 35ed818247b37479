//! The "exact" partial likelihood for tied event times (R `coxph(..., ties = "exact")`, C
//! `coxexact` in survival 3.5-3), also known as the discrete or conditional-logistic likelihood.
//!
//! At a time with d tied deaths D and risk set R, the contribution is
//!
//! ```text
//! Σ_{i∈D} xᵢβ − log Σ_{S⊂R, |S|=d} Π_{j∈S} exp(xⱼβ)
//! ```
//!
//! The denominator is the elementary symmetric polynomial e_d of the risk scores. It is built
//! by the recursion e_k(m) = s_m·e_{k−1}(m−1) + e_k(m−1) as rows join the risk set (data sorted
//! by decreasing time within stratum), together with its first and second derivatives, so the
//! cost is O(n · d_max · p²) per iteration where d_max is the largest number of tied deaths.
//! This is the same recursion, evaluated in the same order, as R's memoised `coxd0/coxd1/coxd2`.
//!
//! R does not allow case weights with this method ("Case weights are not supported for the
//! exact method"), and neither do we. SAS PHREG's `TIES=DISCRETE` is this likelihood; its
//! `TIES=EXACT` is a different one (the continuous-time exact marginal likelihood). Stata's
//! `stcox, exactp` is the discrete (this) one and `exactm` the marginal one; lifelines has
//! neither.

use super::cox_fit::{chinv2, cholesky2, chsolve2, dot, toler_chol, Design, NewtonFit};
use crate::math::{exp, ln};

/// Elementary symmetric polynomials of the risk scores with their derivatives, for orders
/// 0..=kmax (index k), over the rows added so far.
struct Esp {
    kmax: usize,
    p: usize,
    np: usize,
    e: Vec<f64>,
    d1: Vec<f64>,
    d2: Vec<f64>,
}

impl Esp {
    fn new(kmax: usize, p: usize) -> Esp {
        let np = p * (p + 1) / 2;
        Esp {
            kmax,
            p,
            np,
            e: vec![0.0; kmax + 1],
            d1: vec![0.0; (kmax + 1) * p],
            d2: vec![0.0; (kmax + 1) * np],
        }
    }

    fn reset(&mut self, kmax: usize) {
        self.kmax = kmax;
        let (p, np) = (self.p, self.np);
        self.e.clear();
        self.e.resize(kmax + 1, 0.0);
        self.e[0] = 1.0;
        self.d1.clear();
        self.d1.resize((kmax + 1) * p, 0.0);
        self.d2.clear();
        self.d2.resize((kmax + 1) * np, 0.0);
    }

    /// Adds a row with score `s` and covariates `x` (orders are updated from high to low so that
    /// order k−1 still holds the values before this row).
    fn add(&mut self, s: f64, x: &[f64]) {
        let (p, np) = (self.p, self.np);
        for k in (1..=self.kmax).rev() {
            let e_prev = self.e[k - 1];
            // second derivatives, packed lower triangle (j ≥ l)
            let mut idx = 0;
            for j in 0..p {
                for l in 0..=j {
                    let mut v = e_prev * s * x[j] * x[l];
                    v += self.d2[k * np + idx];
                    if k > 1 {
                        v += s
                            * (self.d2[(k - 1) * np + idx]
                                + x[j] * self.d1[(k - 1) * p + l]
                                + x[l] * self.d1[(k - 1) * p + j]);
                    }
                    self.d2[k * np + idx] = v;
                    idx += 1;
                }
            }
            for (j, &xj) in x.iter().enumerate() {
                let mut v = s * xj * e_prev;
                v += self.d1[k * p + j];
                if k > 1 {
                    v += s * self.d1[(k - 1) * p + j];
                }
                self.d1[k * p + j] = v;
            }
            self.e[k] += s * e_prev;
        }
    }
}

/// One pass: loglik, score and information at internal `beta` (data sorted by decreasing time
/// within stratum).
fn exact_pass(
    d: &Design,
    beta: &[f64],
    u: &mut [f64],
    imat: &mut [f64],
    esp: &mut Esp,
    max_tied: &[usize],
) -> f64 {
    let p = d.p;
    let np = esp.np;
    let mut loglik = 0.0;
    u.iter_mut().for_each(|v| *v = 0.0);
    imat.iter_mut().for_each(|v| *v = 0.0);
    let mut d1 = vec![0.0; p];
    let mut i = 0;
    let mut cur = usize::MAX;
    while i < d.n {
        if d.stratum[i] != cur {
            cur = d.stratum[i];
            esp.reset(max_tied[cur]);
        }
        let dtime = d.time[i];
        let mut ndeath = 0;
        while i < d.n && d.time[i] == dtime && d.stratum[i] == cur {
            let xi = d.row(i);
            let zbeta = dot(beta, xi);
            let s = exp(zbeta);
            if d.status[i] {
                loglik += zbeta;
                for j in 0..p {
                    u[j] += xi[j];
                }
                ndeath += 1;
            }
            esp.add(s, xi);
            i += 1;
        }
        if ndeath > 0 {
            let d0 = esp.e[ndeath];
            loglik -= ln(d0);
            for j in 0..p {
                d1[j] = esp.d1[ndeath * p + j] / d0;
                u[j] -= d1[j];
            }
            let mut idx = 0;
            for j in 0..p {
                for k in 0..=j {
                    let temp = esp.d2[ndeath * np + idx];
                    imat[k * p + j] += temp / d0 - d1[j] * d1[k];
                    idx += 1;
                }
            }
        }
    }
    for a in 0..p {
        for b in 0..a {
            imat[a * p + b] = imat[b * p + a];
        }
    }
    loglik
}

/// Newton–Raphson for the exact likelihood with R `coxexact`'s iteration rules (simple step
/// halving; no convergence declared while halving; no recomputation when iterations run out).
pub(crate) fn newton_exact(d: &Design, max_iter: usize, eps: f64) -> NewtonFit {
    let p = d.p;
    let toler = toler_chol();
    let nstrata = d.stratum.iter().copied().max().map_or(0, |m| m + 1);
    // Largest number of tied deaths per stratum.
    let mut max_tied = vec![0usize; nstrata];
    let mut i = 0;
    while i < d.n {
        let (t, s) = (d.time[i], d.stratum[i]);
        let mut nd = 0;
        while i < d.n && d.time[i] == t && d.stratum[i] == s {
            nd += usize::from(d.status[i]);
            i += 1;
        }
        max_tied[s] = max_tied[s].max(nd);
    }
    let kmax = max_tied.iter().copied().max().unwrap_or(0);
    let mut esp = Esp::new(kmax, p);
    let mut u = vec![0.0; p];
    let mut imat = vec![0.0; p * p];
    let mut beta = vec![0.0; p];
    let mut oldbeta = vec![0.0; p];

    let loglik0 = exact_pass(d, &beta, &mut u, &mut imat, &mut esp, &max_tied);
    let mut best = loglik0;
    let u0 = u.clone();
    let mut flag = cholesky2(&mut imat, p, toler);
    chsolve2(&imat, p, &mut u);
    let score_test = dot(&u, &u0);

    let finish = |beta_int: &[f64], u: &[f64], imat: &mut Vec<f64>, iter, loglik, flag| {
        chinv2(imat, p);
        let infs: Vec<f64> = (0..p)
            .map(|j| (0..p).map(|i| u[i] * imat[i * p + j]).sum::<f64>().abs())
            .collect();
        let mut var = imat.clone();
        for i in 0..p {
            for j in 0..p {
                var[i * p + j] *= d.scale[i] * d.scale[j];
            }
        }
        NewtonFit {
            beta: (0..p).map(|i| beta_int[i] * d.scale[i]).collect(),
            beta_internal: beta_int.to_vec(),
            var,
            infs,
            coef_for_infs: beta_int.to_vec(),
            u_finite: u.iter().all(|v| v.is_finite()),
            loglik0,
            loglik,
            score_test,
            iter,
            flag,
        }
    };

    // (R's coxexact would iterate on; the caller reports the overflow)
    if max_iter == 0 || !loglik0.is_finite() {
        return finish(&beta, &u0, &mut imat, 0, loglik0, flag);
    }
    oldbeta.copy_from_slice(&beta);
    for (b, step) in beta.iter_mut().zip(&u) {
        *b += step;
    }
    let mut halving = false;
    let mut newlk = loglik0;
    let mut iter = 1;
    while iter <= max_iter {
        newlk = exact_pass(d, &beta, &mut u, &mut imat, &mut esp, &max_tied);
        flag = cholesky2(&mut imat, p, toler);
        if (1.0 - best / newlk).abs() <= eps && !halving {
            return finish(&beta, &u, &mut imat, iter, newlk, flag);
        }
        if iter == max_iter {
            break;
        }
        if newlk < best {
            halving = true;
            for j in 0..p {
                beta[j] = (oldbeta[j] + beta[j]) / 2.0;
            }
        } else {
            halving = false;
            best = newlk;
            chsolve2(&imat, p, &mut u);
            oldbeta.copy_from_slice(&beta);
            for (b, step) in beta.iter_mut().zip(&u) {
                *b += step;
            }
        }
        iter += 1;
    }
    finish(&beta, &u, &mut imat, iter, newlk, 1000)
}
