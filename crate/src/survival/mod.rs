//! Survival estimators and tests. One statistic per file:
//!
//! * [`km`]: Kaplan–Meier, Greenwood variance, Nelson–Aalen.
//! * [`conf`]: pointwise confidence bands (log, log-log, plain, logit, arcsin).
//! * [`quantile`]: median and other quantiles with confidence intervals (R, SAS, Prism, lifelines rules).
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
pub mod quantile;
pub mod rmst;

/// Right-censored observations: time, event indicator and optional frequency weights.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sample {
    pub time: Vec<f64>,
    pub event: Vec<bool>,
    pub weights: Option<Vec<f64>>,
}

impl Sample {
    pub fn new(time: Vec<f64>, event: Vec<bool>, weights: Option<Vec<f64>>) -> Sample {
        debug_assert_eq!(time.len(), event.len());
        Sample {
            time,
            event,
            weights,
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

    /// Row indices sorted by time (stable).
    pub fn order(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.time.len()).collect();
        idx.sort_by(|&a, &b| self.time[a].total_cmp(&self.time[b]));
        idx
    }

    /// The rows `rows`, as a new sample.
    pub fn subset(&self, rows: &[usize]) -> Sample {
        Sample {
            time: rows.iter().map(|&i| self.time[i]).collect(),
            event: rows.iter().map(|&i| self.event[i]).collect(),
            weights: self
                .weights
                .as_ref()
                .map(|w| rows.iter().map(|&i| w[i]).collect()),
        }
    }

    /// The same times with the event indicator reversed (for reverse Kaplan–Meier).
    pub fn reversed(&self) -> Sample {
        Sample {
            time: self.time.clone(),
            event: self.event.iter().map(|e| !e).collect(),
            weights: self.weights.clone(),
        }
    }
}
