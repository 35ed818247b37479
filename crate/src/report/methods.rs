//! The statistical-methods paragraph: every method and choice of the analysis, in words a
//! manuscript can use, generated from the settings and what the report contains.

use super::settings::{ExtraTest, Settings};
use super::types::Report;
use crate::response::Denominator;
use crate::survival::conf::ConfType;
use crate::survival::cox::Ties;
use crate::survival::quantile_conventions::Convention;

fn join(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        2 => format!("{} and {}", items[0], items[1]),
        _ => format!(
            "{}, and {}",
            items[..items.len() - 1].join(", "),
            items[items.len() - 1]
        ),
    }
}

fn transform(ct: ConfType) -> &'static str {
    match ct {
        ConfType::Log => "log",
        ConfType::LogLog => "complementary log-log",
        ConfType::Plain => "linear (untransformed)",
        ConfType::Logit => "logit",
        ConfType::Arcsin => "arcsine-square-root",
    }
}

fn level(s: &Settings) -> String {
    format!("{}%", (s.conf_level * 100.0 * 1e6).round() / 1e6)
}

/// The methods paragraph for a report.
pub fn methods_text(report: &Report) -> String {
    let s = &report.settings;
    let lv = level(s);
    let mut parts: Vec<String> = Vec::new();
    if !report.endpoints.is_empty() {
        let names: Vec<String> = report.endpoints.iter().map(|e| e.name.clone()).collect();
        let mut p = format!(
            "{} {} estimated with the Kaplan–Meier method, with Greenwood variances and {lv} pointwise confidence intervals on the {} scale.",
            join(&names),
            if names.len() == 1 { "was" } else { "were" },
            transform(s.effective_conf_type())
        );
        let derived: Vec<String> = report
            .endpoints
            .iter()
            .filter_map(|e| {
                let d = e.derivation.as_ref().map(|_| e.name.clone())?;
                let spec = s.endpoints.iter().find(|x| x.name == e.name)?.dates.as_ref()?;
                Some(format!(
                    "{d} was measured from {} to the earliest of {} or, without an event, to {}{}, in {} ({})",
                    spec.start,
                    join(&spec.events),
                    spec.last_contact.as_deref().unwrap_or("the data cut-off"),
                    spec.cutoff.as_ref().map_or(String::new(), |c| format!(", with data cut-off on {c} (later events censored at the cut-off)")),
                    spec.unit.name(),
                    match spec.unit {
                        crate::data::dates::TimeUnit::Months => "1 month = 30.4375 days",
                        crate::data::dates::TimeUnit::Years => "1 year = 365.25 days",
                        crate::data::dates::TimeUnit::Weeks => "1 week = 7 days",
                        crate::data::dates::TimeUnit::Days => "calendar days",
                    }
                ))
            })
            .collect();
        if !derived.is_empty() {
            p.push(' ');
            p.push_str(&derived.join("; "));
            p.push('.');
        }
        // The unit of the endpoints read from time columns (derived ones say theirs above).
        let measured: Vec<&crate::report::types::EndpointReport> = report
            .endpoints
            .iter()
            .filter(|e| e.derivation.is_none() && !e.time_unit.is_empty())
            .collect();
        if let Some(first) = measured.first() {
            if measured.iter().all(|e| e.time_unit == first.time_unit) {
                p.push_str(&format!(" Times are in {}.", first.time_unit));
            } else {
                let each: Vec<String> = measured
                    .iter()
                    .map(|e| format!("{} in {}", e.name, e.time_unit))
                    .collect();
                p.push_str(&format!(" Times are given {}.", join(&each)));
            }
        }
        p.push_str(match s.convention {
            Convention::R => " Medians and quartiles with their confidence intervals follow R's survival package (the first time the curve is at or below the quantile, the midpoint of an exact plateau, and the interval from inverting the pointwise bands).",
            Convention::Sas => " Medians and quartiles follow SAS PROC LIFETEST (Brookmeyer–Crowley confidence intervals).",
            Convention::Prism => " Medians follow GraphPad Prism (Brookmeyer–Crowley confidence intervals with the complementary log-log transform).",
            Convention::Lifelines => " Medians follow the Python lifelines package (first time at or below the quantile; limits where the pointwise bands reach it).",
        });
        if !s.landmarks.is_empty() {
            let t: Vec<String> = s
                .landmarks
                .iter()
                .map(|x| super::format::time(Some(*x)))
                .collect();
            p.push_str(&format!(
                " Survival probabilities are reported at {} with {lv} confidence intervals.",
                join(&t)
            ));
        }
        p.push_str(" Median follow-up was estimated with the reverse Kaplan–Meier method.");
        if report.endpoints.iter().any(|e| e.pooled.rmst.is_some()) && s.tau.is_some() {
            p.push_str(&format!(
                " The restricted mean survival time was computed up to τ = {}.",
                super::format::time(s.tau)
            ));
        }
        parts.push(p);
        if let Some(g) = &s.group {
            let mut tests = vec!["the log-rank test".to_string()];
            for t in &s.tests {
                tests.push(match t {
                    ExtraTest::FlemingHarrington { p, q } => {
                        format!("the Fleming–Harrington G({p}, {q}) test")
                    }
                    ExtraTest::GehanBreslow => {
                        "the Gehan–Breslow generalised Wilcoxon test".to_string()
                    }
                    ExtraTest::TaroneWare => "the Tarone–Ware test".to_string(),
                    ExtraTest::Trend => "the log-rank test for trend".to_string(),
                });
            }
            let mut p = format!(
                "Survival curves were compared across {g} with {}",
                join(&tests)
            );
            if let Some(st) = &s.strata {
                p.push_str(&format!(", also stratified by {st}"));
            }
            p.push('.');
            if s.pairwise {
                p.push_str(" Pairwise log-rank p-values were adjusted for multiple comparisons with the Holm and Benjamini–Hochberg methods.");
            }
            parts.push(p);
        }
        let has_cox = report.endpoints.iter().any(|e| !e.cox.is_empty());
        if has_cox {
            let ties = match s.ties {
                Ties::Efron => "Efron",
                Ties::Breslow => "Breslow",
                Ties::Exact => "exact (discrete)",
            };
            let mut p = format!(
                "Hazard ratios with {lv} confidence intervals were estimated with Cox proportional-hazards regression ({ties} method for ties)"
            );
            if !s.covariates.is_empty() {
                p.push_str(&format!(
                    ", unadjusted and adjusted for {}",
                    join(&s.covariates)
                ));
            }
            if let Some(c) = &s.cluster {
                p.push_str(&format!(
                    ", with robust (sandwich) standard errors clustered by {c}"
                ));
            }
            p.push_str(". The proportional-hazards assumption was checked with the score test on scaled Schoenfeld residuals against the Kaplan–Meier-transformed time (R's cox.zph).");
            parts.push(p);
        }
    }
    if let Some(r) = &report.response {
        let denom = match r.summary.denominator {
            Denominator::All => "all treated patients (not-evaluable counted as non-response)",
            Denominator::Evaluable => "evaluable patients",
        };
        parts.push(format!(
            "The objective response rate (complete or partial response) and the disease control rate (complete or partial response or stable disease) by best overall response ({}) are given with {lv} {} confidence intervals, with {denom} as the denominator{}.",
            r.column,
            s.response_interval.label(),
            if report.settings.group.is_some() {
                "; rates were compared across groups with Fisher's exact test and Pearson's χ² test"
            } else {
                ""
            }
        ));
    }
    if report.cohort.is_some() {
        parts.push("Continuous characteristics are summarised as median (interquartile range) and categorical ones as counts and percentages.".to_string());
    }
    if !s.subset.is_empty() {
        let c: Vec<String> = s.subset.iter().map(|c| c.describe()).collect();
        parts.push(format!(
            "The analysis was restricted to rows with {}.",
            join(&c)
        ));
    }
    parts.push(format!(
        "Analyses were done with survcalc {} (its estimates reproduce R 4.2.2 with the survival package 3.5-3).",
        report.software.version
    ));
    parts.join(" ")
}
