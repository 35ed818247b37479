//! Tumour-response statistics: RECIST best-response labels, response rates with confidence
//! intervals, and tests of equal rates across groups. One statistic per file:
//!
//! * [`label`]: the RECIST categories and the spellings accepted for them.
//! * [`binomial`]: intervals for a proportion (Clopper–Pearson = R `binom.test`, Wilson with and
//!   without continuity correction = R `prop.test`, Jeffreys).
//! * [`fisher`]: Fisher's exact test for r×2 tables (R `fisher.test`).
//! * [`chisq`]: Pearson's chi-square test for r×c tables (R `chisq.test`).
//! * [`rates`]: ORR and DCR per group and overall, with the tests across groups.
//! * [`dist`]: the normal, beta, binomial and χ² functions these need, to R's accuracy.

pub mod binomial;
pub mod chisq;
pub mod dist;
pub mod fisher;
pub mod label;
pub mod rates;

pub use binomial::{proportion_ci, IntervalMethod, Proportion};
pub use label::{parse_response, Response};
pub use rates::{
    summarise, Denominator, GroupResponse, GroupTest, Outcome, RateEstimate, ResponseCounts,
    ResponseSummary, TestKind,
};
