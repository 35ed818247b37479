//! The analysis settings: what the page saves and the CLI's `--settings` reads.

use serde::{Deserialize, Serialize};

use super::derive::DateEndpoint;
use super::format::PStyle;
use super::subset::Condition;
use crate::data::dates::TimeUnit;
use crate::plot::km::{KmPlotOptions, KmPlotOverride};
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
    /// This endpoint's own figure options, replacing those of `Settings.plot` that it sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plot: Option<KmPlotOverride>,
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
    /// Options of the Kaplan–Meier figure (each endpoint may replace some: `EndpointSpec.plot`).
    pub plot: KmPlotOptions,
    /// The unit of the time columns, for labels (axis, median columns, methods); `None` = from
    /// the time column's name ("os_days" → days), else months. An endpoint derived from dates
    /// is always in its own unit.
    pub time_unit: Option<TimeUnit>,
    /// Column of the best percentage change in tumour size, for the waterfall plot.
    pub waterfall: Option<String>,
    /// Column that names the swimmer plot's bars (e.g. the patient id); default the file row.
    pub swimmer_label: Option<String>,
    /// How p-values are printed in tables and figures.
    pub p_style: PStyle,
    /// Rows to analyse: every condition must hold (empty = all rows).
    pub subset: Vec<Condition>,
    /// How the data file is read (delimiter, encoding, decimal mark, thousands separator,
    /// sheet), so a settings file saved by the page reproduces the reading in the CLI.
    pub input: crate::data::ReadOptions,
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
            time_unit: None,
            waterfall: None,
            swimmer_label: None,
            p_style: PStyle::Default,
            subset: Vec::new(),
            input: crate::data::ReadOptions::default(),
        }
    }
}

impl Settings {
    /// The figure options of endpoint `index`: the shared ones with the endpoint's own in place.
    pub fn plot_for(&self, index: usize) -> KmPlotOptions {
        self.plot
            .with_override(self.endpoints.get(index).and_then(|e| e.plot.as_ref()))
    }

    /// The unit an endpoint's times are in: its dates' unit; else the one chosen; else read
    /// from the time column's name; else unknown (`None`: labels then name no unit rather than
    /// guess one — R's `aml` times, in weeks, are in a column called `time`).
    ///
    /// ```
    /// use survcalc::report::{EndpointSpec, Settings};
    /// let spec = EndpointSpec { name: "OS".into(), time: "os_days".into(), event: "os_event".into(),
    ///     event_values: vec![], dates: None, plot: None };
    /// assert_eq!(Settings::default().time_unit_of(&spec).map(|u| u.name()), Some("days"));
    /// ```
    pub fn time_unit_of(&self, spec: &EndpointSpec) -> Option<TimeUnit> {
        if let Some(d) = &spec.dates {
            return Some(d.unit);
        }
        self.time_unit.or_else(|| unit_in_name(&spec.time))
    }

    /// The CI transform in force: the one chosen, else the convention's default.
    pub fn effective_conf_type(&self) -> ConfType {
        self.conf_type.unwrap_or_else(|| {
            crate::survival::quantile_conventions::convention_defaults(self.convention)
        })
    }
}

/// A unit named in a column header ("pfs_months", "OS (days)", "time_yrs"), if exactly one is.
fn unit_in_name(name: &str) -> Option<TimeUnit> {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let found: Vec<TimeUnit> = [
        (TimeUnit::Days, &["day", "days", "d"][..]),
        (TimeUnit::Weeks, &["week", "weeks", "wk", "wks"][..]),
        (TimeUnit::Months, &["month", "months", "mo", "mos"][..]),
        (TimeUnit::Years, &["year", "years", "yr", "yrs"][..]),
    ]
    .into_iter()
    .filter(|(_, names)| words.iter().any(|w| names.contains(w)))
    .map(|(u, _)| u)
    .collect();
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_read_from_column_names() {
        assert_eq!(unit_in_name("pfs_months"), Some(TimeUnit::Months));
        assert_eq!(unit_in_name("OS (days)"), Some(TimeUnit::Days));
        assert_eq!(unit_in_name("time_yrs"), Some(TimeUnit::Years));
        assert_eq!(unit_in_name("futime"), None);
        assert_eq!(unit_in_name("time"), None);
        // Two units named: unknown.
        assert_eq!(unit_in_name("days_or_months"), None);
    }

    #[test]
    fn a_unit_no_one_stated_is_not_guessed() {
        let spec = |time: &str| EndpointSpec {
            name: "OS".into(),
            time: time.into(),
            event: "status".into(),
            event_values: vec![],
            dates: None,
            plot: None,
        };
        let mut s = Settings::default();
        assert_eq!(s.time_unit_of(&spec("time")), None);
        assert_eq!(s.time_unit_of(&spec("os_weeks")), Some(TimeUnit::Weeks));
        s.time_unit = Some(TimeUnit::Years);
        assert_eq!(s.time_unit_of(&spec("time")), Some(TimeUnit::Years));
        assert_eq!(s.time_unit_of(&spec("os_weeks")), Some(TimeUnit::Years));
    }

    #[test]
    fn old_settings_files_load_and_endpoint_options_replace_shared_ones() {
        let old = r#"{"endpoints":[{"name":"PFS","time":"t","event":"e"},
            {"name":"OS","time":"t2","event":"e2","plot":{"title":"Overall survival","x_max":24}}],
            "plot":{"title":"Shared","ci_bands":true}}"#;
        let s: Settings = serde_json::from_str(old).expect("settings");
        assert_eq!(s.time_unit, None);
        assert_eq!(s.plot_for(0).title.as_deref(), Some("Shared"));
        let os = s.plot_for(1);
        assert_eq!(os.title.as_deref(), Some("Overall survival"));
        assert_eq!(os.x_max, Some(24.0));
        assert!(os.ci_bands);
        // Saved again, the endpoint keeps only what it sets.
        let text = serde_json::to_string(&s.endpoints[1]).expect("json");
        assert!(
            text.contains(r#""plot":{"title":"Overall survival","x_max":24.0}"#),
            "{text}"
        );
        assert!(!serde_json::to_string(&s.endpoints[0])
            .expect("json")
            .contains("plot"));
    }
}
