//! Test of proportional hazards for a fitted Cox model: R survival 3.5-3
//! `cox.zph(fit, transform = "km", terms = TRUE)` (C `zph1`).
//!
//! Since survival 3.0 this is a score test, not the old correlation of scaled Schoenfeld
//! residuals with time. For each term, the model is augmented with the interaction
//! x·g(t), g(t) = 1 − Ŝ(t−) − mean over events (Ŝ the pooled, unweighted Kaplan–Meier of all
//! rows, ignoring strata), and the score test for the new coefficients is evaluated at
//! (β̂, 0) without refitting:
//!
//! ```text
//! U  = ( 0 , Σ_events w g(t)(x − x̄(t)) )           (the first block is ≈ 0 at β̂ and set to 0)
//! I  = Σ_t [ V(t)  g V(t) ; g V(t)  g² V(t) ]      (V(t) the weighted covariance of x in the risk set)
//! χ² = Uᵀ I⁻¹ U  restricted to rows/columns (all β, the term's interaction columns)
//! ```
//!
//! with df = the term's number of columns (a factor is one multi-df term) and a GLOBAL test with
//! all interaction columns (df = number of coefficients). Ties use the Efron risk-set averages
//! when the model used Efron, otherwise Breslow (also for an exact-ties model, as in R).
//!
//! Other software: SAS PHREG has no built-in equivalent (users test x·g(t) interactions or use
//! `ASSESS PH`); Stata's `estat phtest` and lifelines' `proportional_hazard_test` use the older
//! Grambsch–Therneau correlation form (R survival < 3.0), so their numbers differ slightly.

use super::cox_fit::dot;
use crate::math::exp;

/// Per-row inputs of the test, already restricted to the non-redundant coefficients.
pub(crate) struct ZphInput<'a> {
    pub time: &'a [f64],
    pub event: &'a [bool],
    /// Case weights (`None`: all 1).
    pub weight: Option<&'a [f64]>,
    /// Stratum codes (`None`: one stratum).
    pub stratum: Option<&'a [usize]>,
    /// Covariate columns (original scale), one Vec per coefficient.
    pub x: Vec<&'a [f64]>,
    /// Centred linear predictor per row.
    pub eta: &'a [f64],
    pub efron: bool,
    /// Rows sorted by stratum then time (stable), if already known.
    pub order: Option<&'a [usize]>,
}

/// Score vector (length 2p) and information (2p × 2p row-major) of the x·g(t) augmented model.
pub(crate) struct ZphScore {
    pub p: usize,
    pub u: Vec<f64>,
    pub imat: Vec<f64>,
}

/// g(t) per row: 1 − S(t−) from the unweighted pooled Kaplan–Meier, centred at its mean over the
/// events (R's `transform = "km"`).
fn km_transform(time: &[f64], event: &[bool], by_time: Option<&[usize]>) -> Vec<f64> {
    let n = time.len();
    let ord: Vec<usize> = match by_time {
        Some(o) => o.to_vec(),
        None => {
            let mut keys: Vec<(f64, usize)> = (0..n).map(|i| (time[i], i)).collect();
            keys.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            keys.into_iter().map(|k| k.1).collect()
        }
    };
    let ts: Vec<f64> = ord.iter().map(|&k| time[k]).collect();
    let es: Vec<bool> = ord.iter().map(|&k| event[k]).collect();
    let mut g = vec![0.0; n];
    let mut surv = 1.0; // S just before the current time
    let mut i = 0;
    while i < n {
        let t = ts[i];
        let mut j = i;
        let mut d = 0usize;
        while j < n && ts[j] == t {
            d += usize::from(es[j]);
            j += 1;
        }
        for &k in &ord[i..j] {
            g[k] = 1.0 - surv;
        }
        let at_risk = (n - i) as f64;
        if d > 0 {
            surv *= 1.0 - d as f64 / at_risk;
        }
        i = j;
    }
    let (mut s, mut ne) = (0.0, 0usize);
    for k in 0..n {
        if event[k] {
            s += g[k];
            ne += 1;
        }
    }
    let mean = if ne > 0 { s / ne as f64 } else { 0.0 };
    g.iter_mut().for_each(|v| *v -= mean);
    g
}

/// The augmented score and information (R `zph1`).
pub(crate) fn zph_score(inp: &ZphInput) -> ZphScore {
    let n = inp.time.len();
    let p = inp.x.len();
    let stratum_of = |i: usize| inp.stratum.map_or(0, |s| s[i]);
    let single_stratum = inp.stratum.is_none_or(|s| s.iter().all(|&v| v == s[0]));
    // sorted by stratum then time; walk backwards
    let ord: std::borrow::Cow<'_, [usize]> = match inp.order {
        Some(o) => o.into(),
        None => {
            let mut keys: Vec<(usize, f64, usize)> =
                (0..n).map(|i| (stratum_of(i), inp.time[i], i)).collect();
            keys.sort_unstable_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| a.1.total_cmp(&b.1))
                    .then(a.2.cmp(&b.2))
            });
            keys.into_iter().map(|k| k.2).collect::<Vec<_>>().into()
        }
    };
    let gt = km_transform(inp.time, inp.event, single_stratum.then_some(&ord[..]));
    // recentre by the unweighted mean over all rows, for stability
    let means: Vec<f64> = inp
        .x
        .iter()
        .map(|c| c.iter().sum::<f64>() / n as f64)
        .collect();
    // gather everything in sorted order once, so the main loop reads memory sequentially
    let mut xs = vec![0.0; n * p];
    for (pos, &i) in ord.iter().enumerate() {
        for j in 0..p {
            xs[pos * p + j] = inp.x[j][i] - means[j];
        }
    }
    let time: Vec<f64> = ord.iter().map(|&i| inp.time[i]).collect();
    let event: Vec<bool> = ord.iter().map(|&i| inp.event[i]).collect();
    let weight: Vec<f64> = match inp.weight {
        Some(w) => ord.iter().map(|&i| w[i]).collect(),
        None => vec![1.0; n],
    };
    let stratum: Vec<usize> = ord.iter().map(|&i| stratum_of(i)).collect();
    let risk_score: Vec<f64> = ord.iter().map(|&i| exp(inp.eta[i])).collect();
    let gt: Vec<f64> = {
        let unsorted = gt;
        ord.iter().map(|&i| unsorted[i]).collect()
    };
    drop(ord);
    let p2 = 2 * p;
    let mut u = vec![0.0; p2];
    let mut imat = vec![0.0; p2 * p2];
    let mut a = vec![0.0; p];
    let mut a2 = vec![0.0; p];
    let mut cmat = vec![0.0; p * p];
    let mut cmat2 = vec![0.0; p * p];
    let mut denom = 0.0;
    let mut cur = usize::MAX;
    let mut ip = n;
    while ip > 0 {
        let last = ip - 1;
        if stratum[last] != cur {
            cur = stratum[last];
            denom = 0.0;
            a.iter_mut().for_each(|v| *v = 0.0);
            cmat.iter_mut().for_each(|v| *v = 0.0);
        }
        let dtime = time[last];
        let timewt = gt[last];
        let mut ndead = 0usize;
        let mut deadwt = 0.0;
        let mut denom2 = 0.0;
        while ip > 0 && time[ip - 1] == dtime && stratum[ip - 1] == cur {
            ip -= 1;
            let xi = &xs[ip * p..(ip + 1) * p];
            let wi = weight[ip];
            let risk = risk_score[ip] * wi;
            if !event[ip] {
                denom += risk;
                for i in 0..p {
                    a[i] += risk * xi[i];
                    for j in 0..=i {
                        cmat[i * p + j] += risk * xi[i] * xi[j];
                    }
                }
            } else {
                ndead += 1;
                deadwt += wi;
                denom2 += risk;
                for i in 0..p {
                    u[i] += wi * xi[i];
                    u[i + p] += timewt * wi * xi[i];
                    a2[i] += risk * xi[i];
                    for j in 0..=i {
                        cmat2[i * p + j] += risk * xi[i] * xi[j];
                    }
                }
            }
        }
        if ndead == 0 {
            continue;
        }
        let add = |imat: &mut [f64], i: usize, j: usize, temp: f64| {
            imat[j * p2 + i] += temp;
            imat[j * p2 + i + p] += temp * timewt;
            imat[(j + p) * p2 + i + p] += temp * timewt * timewt;
        };
        if !inp.efron {
            denom += denom2;
            for i in 0..p {
                a[i] += a2[i];
                let temp2 = a[i] / denom;
                u[i] -= deadwt * temp2;
                u[i + p] -= timewt * deadwt * temp2;
                for j in 0..=i {
                    cmat[i * p + j] += cmat2[i * p + j];
                    let temp = deadwt * (cmat[i * p + j] - temp2 * a[j]) / denom;
                    add(&mut imat, i, j, temp);
                }
            }
        } else {
            let nd = ndead as f64;
            let wtave = deadwt / nd;
            for _ in 0..ndead {
                denom += denom2 / nd;
                for i in 0..p {
                    a[i] += a2[i] / nd;
                    let temp2 = a[i] / denom;
                    u[i] -= wtave * temp2;
                    u[i + p] -= timewt * wtave * temp2;
                    for j in 0..=i {
                        cmat[i * p + j] += cmat2[i * p + j] / nd;
                        let temp = wtave * (cmat[i * p + j] - temp2 * a[j]) / denom;
                        add(&mut imat, i, j, temp);
                    }
                }
            }
        }
        a2.iter_mut().for_each(|v| *v = 0.0);
        cmat2.iter_mut().for_each(|v| *v = 0.0);
    }
    // fill in the symmetric blocks: [[V, G], [G, G2]] with V, G, G2 symmetric
    for i in 0..p {
        for j in 0..i {
            imat[i * p2 + j] = imat[j * p2 + i];
            imat[i * p2 + j + p] = imat[j * p2 + i + p];
            imat[(i + p) * p2 + j + p] = imat[(j + p) * p2 + i + p];
        }
    }
    for i in 0..p {
        for j in 0..p {
            imat[(i + p) * p2 + j] = imat[j * p2 + i + p];
        }
    }
    ZphScore { p, u, imat }
}

/// χ² of the score test for the interaction columns `cols` (indices into 0..p), R's
/// `solve(imat[kk, kk], u) %*% u` with kk = (all β, cols + p). `None` if singular.
pub(crate) fn zph_chisq(s: &ZphScore, cols: &[usize]) -> Option<f64> {
    let p = s.p;
    let p2 = 2 * p;
    let kk: Vec<usize> = (0..p).chain(cols.iter().map(|c| c + p)).collect();
    let a: Vec<Vec<f64>> = kk
        .iter()
        .map(|&r| kk.iter().map(|&c| s.imat[r * p2 + c]).collect())
        .collect();
    let b: Vec<f64> = kk
        .iter()
        .map(|&r| if r < p { 0.0 } else { s.u[r] })
        .collect();
    let x = crate::linalg::solve(&a, &b)?;
    let v = dot(&x, &b);
    v.is_finite().then_some(v)
}
