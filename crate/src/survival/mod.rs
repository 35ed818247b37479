//! Survival estimators and tests. One statistic per file:
//!
//! * [`km`]: Kaplan–Meier, Greenwood variance, Nelson–Aalen.
//! * [`conf`]: pointwise confidence bands (log, log-log, plain, logit, arcsin).
//! * [`quantile`]: median and other quantiles with confidence intervals, R's rule (`quantile.survfit`).
//! * [`quantile_conventions`]: the median and quartiles with CIs by the rules of R, SAS PROC
//!   LIFETEST, GraphPad Prism and lifelines.
//! * [`landmark`]: survival at fixed times (R `summary(fit, times=, extend=TRUE)`).
//! * [`rmst`]: restricted mean survival time.
//! * [`followup`]: median follow-up by reverse Kaplan–Meier.
//! * [`logrank`]: the log-rank / G-rho family of tests.
//! * [`cox`]: Cox proportional hazards (with `cox_fit`, `cox_exact`, `cox_concordance`, `cox_zph`).

pub mod conf;
pub mod cox;
pub mod cox_concordance;
pub mod cox_exact;
pub mod cox_fit;
pub mod cox_zph;
pub mod followup;
pub mod km;
pub mod landmark;
pub mod logrank;
pub(crate) mod order;
pub mod quantile;
pub mod quantile_conventions;
pub mod rmst;

/// R's `aeqSurv` (survival 3.x, `timefix = TRUE` in `survfit`, `survdiff` and `coxph`): times
/// that differ by floating-point noise are made equal. With y the sorted distinct finite times
/// and tolerance ε = √(machine ε), a gap dy = yᵢ₊₁ − yᵢ is a tie when dy ≤ ε or
/// dy / mean(|y|) ≤ ε; each time is then replaced by the first value of its run of ties.
///
/// ```
/// use survcalc::survival::aeq_times;
/// let t = aeq_times(&[1.0, 1.0 + 1e-12, 2.0]);
/// assert_eq!(t, vec![1.0, 1.0, 2.0]);
/// ```
pub fn aeq_times(times: &[f64]) -> Vec<f64> {
    aeq_sorted(times, &order::order_f64(times)).unwrap_or_else(|| times.to_vec())
}

/// [`aeq_times`] given the order of `times` ([`order::order_f64`]); `None` when no time
/// changes.
fn aeq_sorted(times: &[f64], order: &[usize]) -> Option<Vec<f64>> {
    let tol = crate::survival::quantile::R_QUANTILE_TOLERANCE;
    // the sorted distinct finite times, as sort + dedup would give them
    let mut y: Vec<f64> = Vec::new();
    for &i in order {
        let t = times[i];
        if t.is_finite() && y.last() != Some(&t) {
            y.push(t);
        }
    }
    if y.len() < 2 {
        return None;
    }
    let mean_abs = y.iter().map(|v| v.abs()).sum::<f64>() / y.len() as f64;
    let mut cuts = vec![y[0]];
    let mut any_tied = false;
    for w in y.windows(2) {
        let dy = w[1] - w[0];
        if dy <= tol || dy / mean_abs <= tol {
            any_tied = true;
        } else {
            cuts.push(w[1]);
        }
    }
    if !any_tied {
        return None;
    }
    Some(
        times
            .iter()
            .map(|&t| {
                if !t.is_finite() {
                    return t;
                }
                // findInterval: the largest cut ≤ t
                let i = cuts.partition_point(|&c| c <= t);
                cuts[i.saturating_sub(1)]
            })
            .collect(),
    )
}

/// Right-censored observations: time, event indicator and optional frequency weights.
///
/// The rows' order by time is computed once, when the sample is built, and shared by every
/// estimator ([`Sample::order`]): build samples with [`Sample::new`] (or [`Sample::subset`],
/// [`Sample::reversed`]) and do not change `time` afterwards.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sample {
    pub time: Vec<f64>,
    pub event: Vec<bool>,
    pub weights: Option<Vec<f64>>,
    /// Row indices by increasing time, ties in row order (a function of `time`).
    order: Vec<usize>,
}

impl Sample {
    /// Builds a sample; times equal up to floating-point noise are tied first ([`aeq_times`]),
    /// as R's estimators do by default (`timefix = TRUE`).
    pub fn new(time: Vec<f64>, event: Vec<bool>, weights: Option<Vec<f64>>) -> Sample {
        debug_assert_eq!(time.len(), event.len());
        let mut order = order::order_f64(&time);
        let time = match aeq_sorted(&time, &order) {
            Some(fixed) => {
                // newly tied rows go in row order
                order = order::order_f64(&fixed);
                fixed
            }
            None => time,
        };
        Sample {
            time,
            event,
            weights,
            order,
        }
    }

    pub fn len(&self) -> usize {
        self.time.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Frequency weight of row i (1 without weights).
    #[inline]
    pub fn weight(&self, i: usize) -> f64 {
        self.weights.as_ref().map_or(1.0, |w| w[i])
    }

    /// Row indices sorted by time (stable: tied rows in row order).
    pub fn order(&self) -> &[usize] {
        debug_assert_eq!(
            self.order.len(),
            self.time.len(),
            "time changed after Sample::new"
        );
        &self.order
    }

    /// The rows `rows`, as a new sample.
    pub fn subset(&self, rows: &[usize]) -> Sample {
        let time: Vec<f64> = rows.iter().map(|&i| self.time[i]).collect();
        // Rows in increasing order keep their relative order, so the subset's order is this
        // sample's order restricted to them (no new sort).
        let order = if rows.windows(2).all(|w| w[0] < w[1]) {
            let mut new_index = vec![usize::MAX; self.len()];
            for (k, &r) in rows.iter().enumerate() {
                new_index[r] = k;
            }
            self.order
                .iter()
                .map(|&r| new_index[r])
                .filter(|&k| k != usize::MAX)
                .collect()
        } else {
            order::order_f64(&time)
        };
        Sample {
            time,
            event: rows.iter().map(|&i| self.event[i]).collect(),
            weights: self
                .weights
                .as_ref()
                .map(|w| rows.iter().map(|&i| w[i]).collect()),
            order,
        }
    }

    /// The sample split by `codes` (row i goes to part `codes[i]`, which must be below
    /// `parts`), each part with its rows in their order here: the same samples as
    /// [`Sample::subset`] of each part's rows, made in one pass over the rows and one over the
    /// sorted order instead of one of each per part.
    pub fn split(&self, codes: &[usize], parts: usize) -> Vec<Sample> {
        debug_assert_eq!(codes.len(), self.len());
        let mut sizes = vec![0usize; parts];
        for &c in codes {
            sizes[c] += 1;
        }
        let mut out: Vec<Sample> = sizes
            .iter()
            .map(|&n| Sample {
                time: Vec::with_capacity(n),
                event: Vec::with_capacity(n),
                weights: self.weights.as_ref().map(|_| Vec::with_capacity(n)),
                order: Vec::with_capacity(n),
            })
            .collect();
        // Each row's position within its part.
        let mut position = Vec::with_capacity(self.len());
        for (i, &c) in codes.iter().enumerate() {
            let part = &mut out[c];
            position.push(part.time.len());
            part.time.push(self.time[i]);
            part.event.push(self.event[i]);
            if let (Some(w), Some(all)) = (part.weights.as_mut(), self.weights.as_ref()) {
                w.push(all[i]);
            }
        }
        for &r in &self.order {
            out[codes[r]].order.push(position[r]);
        }
        out
    }

    /// The same times with the event indicator reversed (for reverse Kaplan–Meier).
    pub fn reversed(&self) -> Sample {
        Sample {
            time: self.time.clone(),
            event: self.event.iter().map(|e| !e).collect(),
            weights: self.weights.clone(),
            order: self.order.clone(),
        }
    }
}
