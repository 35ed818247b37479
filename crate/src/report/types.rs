//! The report: the one result shape the CLI prints (`--json`) and the page downloads.
//!
//! Every number is unrounded; "not estimable" and "not reached" are `null`. Field names are a
//! contract with outside tools and tests (see the README's report section).

use serde::{Deserialize, Serialize};

use super::cohort::CohortTable;
use super::derive::DerivationRow;
use super::prepare::Exclusion;
use super::settings::Settings;
use crate::response::ResponseSummary;
use crate::survival::conf::ConfType;
use crate::survival::cox::{Concordance, CoxTerm, PhTest, TestStat, Ties};
use crate::survival::landmark::Landmark;
use crate::survival::quantile::QuantileEstimate;
use crate::survival::quantile_conventions::Convention;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Software {
    pub name: String,
    pub version: String,
}

/// An estimate with confidence limits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub estimate: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// One row of the Kaplan–Meier table (R's `survfit()` at each distinct time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub time: f64,
    pub n_risk: f64,
    pub n_event: f64,
    pub n_censor: f64,
    pub survival: f64,
    /// SE of S(t) (R's `summary()` std.err).
    pub std_err: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub cumhaz: f64,
    pub cumhaz_std_err: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RmstReport {
    pub tau: f64,
    pub estimate: Option<f64>,
    pub std_err: Option<f64>,
}

/// One Kaplan–Meier curve with its summaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    pub group: String,
    pub n: f64,
    pub events: f64,
    pub median: Estimate,
    pub quantiles: Vec<QuantileEstimate>,
    pub landmarks: Vec<Landmark>,
    pub rmst: Option<RmstReport>,
    pub followup: Estimate,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestGroup {
    pub group: String,
    pub n: f64,
    pub observed: f64,
    pub expected: f64,
}

/// A k-sample test of survival curves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestReport {
    /// "log-rank" | "peto-peto" | …
    pub test: String,
    /// Fleming–Harrington p (R's rho); null for weights by the number at risk.
    pub rho: Option<f64>,
    /// Fleming–Harrington q; null for weights by the number at risk.
    pub gamma: Option<f64>,
    /// The stratifying column, if stratified.
    pub strata: Option<String>,
    pub chisq: Option<f64>,
    pub df: usize,
    pub p: Option<f64>,
    pub groups: Vec<TestGroup>,
}

/// A log-rank test between two groups, with adjusted p-values over all pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairwiseTest {
    pub group1: String,
    pub group2: String,
    pub test: String,
    pub chisq: Option<f64>,
    pub p: Option<f64>,
    pub p_holm: Option<f64>,
    pub p_bh: Option<f64>,
}

/// A Cox model in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoxReport {
    /// "univariable" (group only) or "multivariable".
    pub name: String,
    pub ties: Ties,
    pub n: Option<f64>,
    pub events: Option<f64>,
    pub terms: Vec<CoxTerm>,
    pub loglik_null: Option<f64>,
    pub loglik: Option<f64>,
    pub lr_test: Option<TestStat>,
    pub wald_test: Option<TestStat>,
    pub score_test: Option<TestStat>,
    pub concordance: Option<Concordance>,
    pub ph_test: Option<PhTest>,
    pub warnings: Vec<String>,
    /// Why no fit exists, if none does.
    pub error: Option<String>,
}

/// The median of one curve under one tool's convention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConventionMedian {
    pub group: String,
    pub median: Estimate,
}

/// What one tool would report for the medians of this endpoint (with its default transform).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConventionReport {
    pub convention: Convention,
    pub label: String,
    pub conf_type: ConfType,
    pub description: String,
    pub medians: Vec<ConventionMedian>,
}

/// One analysed row of an endpoint (kept for figures such as the swimmer plot; not part of the
/// JSON report).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowOutcome {
    /// 1-based row of the file.
    pub row: usize,
    pub time: f64,
    pub event: bool,
    /// Group level index (0 without a group).
    pub group: usize,
}

/// One endpoint (PFS, OS, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointReport {
    pub name: String,
    pub time: String,
    /// The unit of the times ("months"), for labels: `Settings::time_unit_of`; empty when not
    /// known (labels then name no unit).
    #[serde(default)]
    pub time_unit: String,
    pub event: String,
    pub event_values: Vec<String>,
    pub group: Option<String>,
    pub n_rows: usize,
    pub n_used: usize,
    pub excluded: Vec<Exclusion>,
    /// Per-row derivation of a date endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derivation: Option<Vec<DerivationRow>>,
    pub curves: Vec<Curve>,
    pub pooled: Curve,
    pub tests: Vec<TestReport>,
    pub pairwise: Vec<PairwiseTest>,
    pub cox: Vec<CoxReport>,
    /// The medians as R, SAS, Prism and lifelines would each report them.
    pub conventions: Vec<ConventionReport>,
    /// The analysed rows (figures only; not serialised).
    #[serde(skip)]
    pub rows: Vec<RowOutcome>,
}

/// A table of preformatted cells for the page and the CLI's text output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisplayTable {
    pub id: String,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Display {
    pub tables: Vec<DisplayTable>,
}

/// Best-response rates with the column they came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseReport {
    pub column: String,
    #[serde(flatten)]
    pub summary: ResponseSummary,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub software: Software,
    pub file: String,
    pub settings: Settings,
    pub endpoints: Vec<EndpointReport>,
    pub response: Option<ResponseReport>,
    pub cohort: Option<CohortTable>,
    pub warnings: Vec<String>,
    /// A statistical-methods paragraph naming every method and choice used.
    pub methods: String,
    pub display: Display,
}
