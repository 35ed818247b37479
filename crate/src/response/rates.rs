//! Objective response rate and disease control rate per group, with intervals and tests across
//! groups.
//!
//! For each group and overall: the counts of CR, PR, SD, PD and NE, the denominator n, and
//!
//! * ORR = (CR + PR) / n,
//! * DCR = (CR + PR + SD) / n,
//!
//! each with a confidence interval from [`proportion_ci`] (Clopper–Pearson = R `binom.test`,
//! Wilson = R `prop.test(correct = FALSE)`, …). The denominator ([`Denominator`]) is either all
//! rows (NE counts as non-response, the usual intention-to-treat reading of RECIST) or the
//! evaluable rows (NE excluded). The counts always show every row, NE included, so that with
//! `Evaluable` n = CR + PR + SD + PD.
//!
//! Across groups (when at least two groups have n > 0; groups with n = 0 are left out of the
//! tables) the groups × (yes, no) table of each outcome is tested with Fisher's exact test
//! (R `fisher.test(tab)$p.value`) and Pearson's chi-square test without continuity correction
//! (R `chisq.test(tab, correct = FALSE)`; for r > 2 rows R never corrects, and the uncorrected
//! statistic is used for 2 groups too so that the statistic means the same for any number of
//! groups; [`super::chisq::chisq_test`] offers R's Yates correction for a 2×2 table).
//!
//! Rows carry frequency weights: a row of weight k counts k times. Counts and n are then sums of
//! weights and may be fractional; the intervals use them as they are, but Fisher's test needs
//! whole numbers and is reported as not computed otherwise. SAS (`PROC FREQ` with `WEIGHT`) and
//! Stata (`[fweight=]`) treat frequency weights the same way.

use serde::{Deserialize, Serialize};

use super::binomial::{proportion_ci, IntervalMethod};
use super::chisq::chisq_test;
use super::fisher::{fisher_exact, FisherError};
use super::label::Response;

/// Which rows form the denominator of ORR and DCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Denominator {
    /// All rows; NE counts as non-response.
    #[default]
    All,
    /// Evaluable rows only; NE rows are excluded from n.
    Evaluable,
}

/// Counts of each best response (sums of weights).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ResponseCounts {
    #[serde(rename = "CR")]
    pub cr: f64,
    #[serde(rename = "PR")]
    pub pr: f64,
    #[serde(rename = "SD")]
    pub sd: f64,
    #[serde(rename = "PD")]
    pub pd: f64,
    #[serde(rename = "NE")]
    pub ne: f64,
}

impl ResponseCounts {
    fn add(&mut self, r: Response, w: f64) {
        match r {
            Response::CR => self.cr += w,
            Response::PR => self.pr += w,
            Response::SD => self.sd += w,
            Response::PD => self.pd += w,
            Response::NE => self.ne += w,
        }
    }

    /// The denominator n under `denominator`.
    ///
    /// # Examples
    /// ```
    /// use survcalc::response::rates::{Denominator, ResponseCounts};
    /// let c = ResponseCounts { cr: 1.0, pr: 2.0, sd: 3.0, pd: 4.0, ne: 5.0 };
    /// assert_eq!(c.n(Denominator::All), 15.0);
    /// assert_eq!(c.n(Denominator::Evaluable), 10.0);
    /// ```
    pub fn n(&self, denominator: Denominator) -> f64 {
        let evaluable = self.cr + self.pr + self.sd + self.pd;
        match denominator {
            Denominator::All => evaluable + self.ne,
            Denominator::Evaluable => evaluable,
        }
    }

    /// CR + PR.
    pub fn responders(&self) -> f64 {
        self.cr + self.pr
    }

    /// CR + PR + SD.
    pub fn disease_control(&self) -> f64 {
        self.cr + self.pr + self.sd
    }
}

/// A rate with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateEstimate {
    /// `None` when n = 0.
    pub estimate: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub method: IntervalMethod,
}

/// The rates of one group (or "overall").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupResponse {
    pub group: String,
    /// The denominator.
    pub n: f64,
    /// All rows of the group, NE included whatever the denominator.
    pub counts: ResponseCounts,
    pub orr: RateEstimate,
    pub dcr: RateEstimate,
}

/// Which test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TestKind {
    /// Fisher's exact test ("fisher").
    Fisher,
    /// Pearson's chi-square test without continuity correction ("chi-square").
    ChiSquare,
}

impl TestKind {
    /// The serialised name, "fisher" or "chi-square".
    pub fn as_str(self) -> &'static str {
        match self {
            TestKind::Fisher => "fisher",
            TestKind::ChiSquare => "chi-square",
        }
    }
}

impl PartialEq<&str> for TestKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Which outcome a test compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Objective response (CR or PR), "orr".
    Orr,
    /// Disease control (CR, PR or SD), "dcr".
    Dcr,
}

impl Outcome {
    /// The serialised name, "orr" or "dcr".
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Orr => "orr",
            Outcome::Dcr => "dcr",
        }
    }

    /// "ORR" or "DCR".
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Orr => "ORR",
            Outcome::Dcr => "DCR",
        }
    }
}

impl PartialEq<&str> for Outcome {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One test of equal rates across groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupTest {
    pub test: TestKind,
    pub outcome: Outcome,
    /// X² for the chi-square test; `None` for Fisher's test or when not computed.
    pub statistic: Option<f64>,
    /// Degrees of freedom of the chi-square test.
    pub df: Option<usize>,
    /// `None` when not computed (see `warning`).
    pub p: Option<f64>,
    /// R's small-expected-count warning, or why the test was not computed.
    pub warning: Option<String>,
}

/// ORR and DCR by group, overall, and tests across groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseSummary {
    pub denominator: Denominator,
    pub method: IntervalMethod,
    pub groups: Vec<GroupResponse>,
    /// All rows together, named "overall".
    pub overall: GroupResponse,
    pub tests: Vec<GroupTest>,
}

/// Rates and tests from rows of (group index into `groups`, best response, frequency weight).
///
/// Rows whose group index is out of range, or whose weight is negative or not finite, are
/// ignored (the caller validates weights and builds the indices from `groups`). Every group is
/// reported, in the order given, even with n = 0 (then its rates are `None`).
///
/// # Errors
/// None are raised; tests that cannot be computed carry `p: None` and a `warning`.
///
/// # Examples
/// ```
/// use survcalc::response::binomial::IntervalMethod;
/// use survcalc::response::label::Response::{self, *};
/// use survcalc::response::rates::{summarise, Denominator};
/// let groups = vec!["A".to_string(), "B".to_string()];
/// let rows: Vec<(usize, Response, f64)> =
///     vec![(0, CR, 1.0), (0, PR, 1.0), (0, PD, 2.0), (1, SD, 1.0), (1, NE, 1.0)];
/// let s = summarise(&groups, &rows, Denominator::All, IntervalMethod::ClopperPearson, 0.95);
/// assert_eq!(s.groups[0].n, 4.0);
/// assert_eq!(s.groups[0].orr.estimate, Some(0.5));
/// assert_eq!(s.overall.dcr.estimate, Some(0.5));
/// // Fisher, ORR: the 2×2 table [[2, 2], [0, 2]] gives p = 7/15
/// assert!((s.tests[0].p.unwrap() - 7.0 / 15.0).abs() < 1e-14);
/// ```
pub fn summarise(
    groups: &[String],
    rows: &[(usize, Response, f64)],
    denominator: Denominator,
    method: IntervalMethod,
    level: f64,
) -> ResponseSummary {
    let mut counts = vec![ResponseCounts::default(); groups.len()];
    let mut total = ResponseCounts::default();
    for &(g, r, w) in rows {
        if g >= groups.len() || !(w.is_finite() && w >= 0.0) {
            continue;
        }
        counts[g].add(r, w);
        total.add(r, w);
    }
    let rate = |x: f64, n: f64| {
        let p = proportion_ci(x, n, level, method);
        RateEstimate {
            estimate: p.estimate,
            lower: p.lower,
            upper: p.upper,
            method,
        }
    };
    let describe = |name: &str, c: &ResponseCounts| {
        let n = c.n(denominator);
        GroupResponse {
            group: name.to_string(),
            n,
            counts: *c,
            orr: rate(c.responders(), n),
            dcr: rate(c.disease_control(), n),
        }
    };
    let group_rows: Vec<GroupResponse> = groups
        .iter()
        .zip(&counts)
        .map(|(name, c)| describe(name, c))
        .collect();
    let overall = describe("overall", &total);

    let mut tests = Vec::new();
    let tested: Vec<&ResponseCounts> = counts.iter().filter(|c| c.n(denominator) > 0.0).collect();
    if tested.len() >= 2 {
        for outcome in [Outcome::Orr, Outcome::Dcr] {
            let table: Vec<Vec<f64>> = tested
                .iter()
                .map(|c| {
                    let n = c.n(denominator);
                    let yes = match outcome {
                        Outcome::Orr => c.responders(),
                        Outcome::Dcr => c.disease_control(),
                    };
                    vec![yes, n - yes]
                })
                .collect();
            tests.push(fisher_row(&table, outcome));
            tests.push(chisq_row(&table, outcome));
        }
    }
    ResponseSummary {
        denominator,
        method,
        groups: group_rows,
        overall,
        tests,
    }
}

fn fisher_row(table: &[Vec<f64>], outcome: Outcome) -> GroupTest {
    let (p, warning) = match fisher_exact(table) {
        Ok(t) => (Some(t.p), None),
        Err(FisherError::NotCount { .. }) => (
            None,
            Some(
                "Fisher's exact test was not computed: it needs whole-number counts, and the weights are not whole numbers"
                    .to_string(),
            ),
        ),
        Err(e) => (None, Some(e.to_string())),
    };
    GroupTest {
        test: TestKind::Fisher,
        outcome,
        statistic: None,
        df: None,
        p,
        warning,
    }
}

fn chisq_row(table: &[Vec<f64>], outcome: Outcome) -> GroupTest {
    match chisq_test(table, false) {
        Ok(t) => {
            let warning = if t.statistic.is_none() {
                Some(format!(
                    "the chi-square test was not computed: every group has the same {} status (an expected count is 0)",
                    outcome.label()
                ))
            } else {
                t.warning
            };
            GroupTest {
                test: TestKind::ChiSquare,
                outcome,
                statistic: t.statistic,
                df: Some(t.df),
                p: t.p,
                warning,
            }
        }
        Err(e) => GroupTest {
            test: TestKind::ChiSquare,
            outcome,
            statistic: None,
            df: None,
            p: None,
            warning: Some(e.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Response::*;

    fn names(k: usize) -> Vec<String> {
        (0..k).map(|i| format!("g{i}")).collect()
    }

    #[test]
    fn one_group_has_no_tests() {
        let rows = vec![(0, CR, 1.0), (0, PD, 1.0)];
        let s = summarise(
            &names(1),
            &rows,
            Denominator::All,
            IntervalMethod::Wilson,
            0.95,
        );
        assert!(s.tests.is_empty());
        assert_eq!(s.overall.group, "overall");
        assert_eq!(s.overall.n, 2.0);
    }

    #[test]
    fn empty_group_is_reported_and_left_out_of_tests() {
        let rows = vec![(0, CR, 1.0), (0, PD, 1.0), (2, SD, 1.0), (2, NE, 1.0)];
        let s = summarise(
            &names(3),
            &rows,
            Denominator::All,
            IntervalMethod::ClopperPearson,
            0.95,
        );
        assert_eq!(s.groups[1].n, 0.0);
        assert_eq!(s.groups[1].orr.estimate, None);
        assert_eq!(s.groups[1].orr.lower, None);
        assert_eq!(s.tests.len(), 4);
        // the ORR table is [[1, 1], [0, 2]] (group 1 left out), Fisher p = 1
        assert_eq!(s.tests[0].p, Some(1.0));
    }

    #[test]
    fn evaluable_excludes_ne_from_n_but_counts_it() {
        let rows = vec![(0, PR, 1.0), (0, NE, 3.0), (0, PD, 1.0)];
        let s = summarise(
            &names(1),
            &rows,
            Denominator::Evaluable,
            IntervalMethod::ClopperPearson,
            0.95,
        );
        assert_eq!(s.groups[0].n, 2.0);
        assert_eq!(s.groups[0].counts.ne, 3.0);
        assert_eq!(s.groups[0].orr.estimate, Some(0.5));
    }

    #[test]
    fn only_ne_evaluable_is_not_estimable() {
        let rows = vec![(0, NE, 1.0), (1, PR, 1.0), (1, PD, 1.0)];
        let s = summarise(
            &names(2),
            &rows,
            Denominator::Evaluable,
            IntervalMethod::ClopperPearson,
            0.95,
        );
        assert_eq!(s.groups[0].orr.estimate, None);
        assert!(s.tests.is_empty());
    }

    #[test]
    fn fractional_weights_skip_fisher_only() {
        let rows = vec![(0, PR, 1.5), (0, PD, 2.0), (1, SD, 1.0), (1, PD, 3.0)];
        let s = summarise(
            &names(2),
            &rows,
            Denominator::All,
            IntervalMethod::Wilson,
            0.95,
        );
        assert_eq!(s.tests[0].test, TestKind::Fisher);
        assert_eq!(s.tests[0].p, None);
        assert!(s.tests[0]
            .warning
            .as_deref()
            .is_some_and(|w| w.contains("whole-number")));
        assert_eq!(s.tests[1].test, TestKind::ChiSquare);
        assert!(s.tests[1].p.is_some());
    }

    #[test]
    fn no_responders_anywhere() {
        let rows = vec![(0, SD, 1.0), (0, PD, 1.0), (1, PD, 2.0)];
        let s = summarise(
            &names(2),
            &rows,
            Denominator::All,
            IntervalMethod::ClopperPearson,
            0.95,
        );
        let orr: Vec<&GroupTest> = s
            .tests
            .iter()
            .filter(|t| t.outcome == Outcome::Orr)
            .collect();
        assert_eq!(orr[0].p, Some(1.0));
        assert_eq!(orr[1].p, None);
        assert!(orr[1].warning.is_some());
    }

    #[test]
    fn json_contract() {
        let rows = vec![(0, CR, 1.0), (1, PD, 1.0)];
        let s = summarise(
            &names(2),
            &rows,
            Denominator::Evaluable,
            IntervalMethod::WilsonCc,
            0.95,
        );
        let v = serde_json::to_value(&s).unwrap_or_default();
        assert_eq!(v["denominator"], "evaluable");
        assert_eq!(v["method"], "wilson-cc");
        assert_eq!(v["groups"][0]["counts"]["CR"], 1.0);
        assert_eq!(v["groups"][0]["orr"]["method"], "wilson-cc");
        assert_eq!(v["overall"]["group"], "overall");
        assert_eq!(v["tests"][0]["test"], "fisher");
        assert_eq!(v["tests"][1]["test"], "chi-square");
        assert_eq!(v["tests"][0]["outcome"], "orr");
        assert!(v["tests"][0]["statistic"].is_null());
    }
}
