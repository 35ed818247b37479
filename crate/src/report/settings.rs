//! The analysis settings: what the page saves and the CLI's `--settings` reads.

use serde::{Deserialize, Serialize};

use super::derive::DateEndpoint;
use super::format::PStyle;
use super::subset::Condition;
use crate::plot::km::KmPlotOptions;
use crate::response::{Denominator, IntervalMethod};
use crate::survival::conf::ConfType;
use crate::survival::cox::Ties;

/// One time-to-event endpoint (e.g. PFS or OS).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointSpec {
    /// Display name, e.g. "PFS".
    pub name: String,
    /// Column of durations.
    pub time: String,
    /// Column of event indicators.
    pub event: String,
    /// Values of the event column that mean "event"; empty = guess (1 for 0/1, 2 for 1/2 coding).
    #[serde(default)]
    pub event_values: Vec<String>,
    /// Build time and event from date columns instead (then `time` and `event` are labels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<DateEndpoint>,
}

/// A covariate marked categorical, with its reference level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Categorical {
    pub variable: String,
    pub reference: String,
}

/// A comparison test beyond the log-rank and Peto–Peto tests that are always reported.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "test", rename_all = "kebab-case")]
pub enum ExtraTest {
    /// Fleming–Harrington(p, q): weights Ŝ(t−)^p (1 − Ŝ(t−))^q.
    FlemingHarrington { p: f64, q: f64 },
    /// Gehan–Breslow generalised Wilcoxon: weights n at risk.
    GehanBreslow,
    /// Tarone–Ware: weights √n.
    TaroneWare,
    /// Log-rank test for trend across the ordered groups (scores: the levels if numeric, else 1…k).
    Trend,
}

impl ExtraTest {
    /// Parses the CLI form: `fleming-harrington:P:Q`, `gehan-breslow`, `tarone-ware`, `trend`.
    pub fn parse(text: &str) -> Option<ExtraTest> {
        let t = text.trim().to_ascii_lowercase();
        let mut parts = t.split(':');
        match parts.next()? {
            "fleming-harrington" | "fh" => {
                let p = parts.next()?.parse().ok()?;
                let q = parts.next()?.parse().ok()?;
                Some(ExtraTest::FlemingHarrington { p, q })
            }
            "gehan-breslow" | "gehan" | "wilcoxon" => Some(ExtraTest::GehanBreslow),
            "tarone-ware" => Some(ExtraTest::TaroneWare),
            "trend" => Some(ExtraTest::Trend),
            _ => None,
        }
    }
}

pub use crate::survival::quantile_conventions::Convention;

/// Every choice of an analysis. Unknown fields are ignored so newer settings files still load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub endpoints: Vec<EndpointSpec>,
    pub group: Option<String>,
    /// Order of the group levels; default: sorted (numerically when all are numbers).
    pub group_levels: Option<Vec<String>>,
    /// Reference level of the group for hazard ratios; default: the first level.
    pub reference: Option<String>,
    pub strata: Option<String>,
    pub weight: Option<String>,
    pub covariates: Vec<String>,
    pub categorical: Vec<Categorical>,
    pub cluster: Option<String>,
    pub ties: Ties,
    pub response: Option<String>,
    pub response_denominator: Denominator,
    pub response_interval: IntervalMethod,
    /// Tests beyond log-rank and Peto–Peto.
    pub tests: Vec<ExtraTest>,
    /// Pairwise log-rank tests between groups, with Holm and Benjamini–Hochberg adjustment.
    pub pairwise: bool,
    pub landmarks: Vec<f64>,
    /// Variables of the cohort table; `None` = every column that is not a role, an id or a date.
    pub cohort: Option<Vec<String>>,
    pub tau: Option<f64>,
    pub conf_level: f64,
    /// The CI transform; `None` = the convention's own (log for R, log-log for the others).
    pub conf_type: Option<ConfType>,
    pub convention: Convention,
    /// Options of the Kaplan–Meier figure.
    pub plot: KmPlotOptions,
    /// Column of the best percentage change in tumour size, for the waterfall plot.
    pub waterfall: Option<String>,
    /// Column that names the swimmer plot's bars (e.g. the patient id); default the file row.
    pub swimmer_label: Option<String>,
    /// How p-values are printed in tables and figures.
    pub p_style: PStyle,
    /// Rows to analyse: every condition must hold (empty = all rows).
    pub subset: Vec<Condition>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            endpoints: Vec::new(),
            group: None,
            group_levels: None,
            reference: None,
            strata: None,
            weight: None,
            covariates: Vec::new(),
            categorical: Vec::new(),
            cluster: None,
            ties: Ties::Efron,
            response: None,
            response_denominator: Denominator::All,
            response_interval: IntervalMethod::ClopperPearson,
            tests: Vec::new(),
            pairwise: false,
            landmarks: Vec::new(),
            cohort: None,
            tau: None,
            conf_level: 0.95,
            conf_type: None,
            convention: Convention::R,
            plot: KmPlotOptions::default(),
            waterfall: None,
            swimmer_label: None,
            p_style: PStyle::Default,
            subset: Vec::new(),
        }
    }
}

impl Settings {
    /// The CI transform in force: the one chosen, else the convention's default.
    pub fn effective_conf_type(&self) -> ConfType {
        self.conf_type.unwrap_or_else(|| {
            crate::survival::quantile_conventions::convention_defaults(self.convention)
        })
    }
}
