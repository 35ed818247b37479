//! Sensible default column roles guessed from header names (always editable on the page).

use super::settings::{EndpointSpec, Settings};
use crate::data::Table;

fn norm(h: &str) -> String {
    h.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect()
}

fn find(headers: &[String], pred: impl Fn(&str) -> bool) -> Option<&String> {
    headers.iter().find(|h| pred(&norm(h)))
}

const TIME_WORDS: &[&str] = &[
    "months", "month", "time", "days", "weeks", "years", "duration", "mo",
];
const EVENT_WORDS: &[&str] = &[
    "event", "status", "censor", "evt", "ind", "death", "dead", "prog",
];

/// An endpoint whose columns start with `prefix` (e.g. "pfs" → pfs_months + pfs_event).
fn prefixed(headers: &[String], prefix: &str, name: &str) -> Option<EndpointSpec> {
    let time = find(headers, |h| {
        h.starts_with(prefix) && TIME_WORDS.iter().any(|w| h.ends_with(w) || h == prefix)
    })?;
    let event = find(headers, |h| {
        h.starts_with(prefix) && h != norm(time) && EVENT_WORDS.iter().any(|w| h.contains(w))
    })?;
    Some(EndpointSpec {
        name: name.to_string(),
        time: time.clone(),
        event: event.clone(),
        event_values: Vec::new(),
        dates: None,
        plot: None,
    })
}

/// Guesses roles: PFS / OS (or a generic time/status pair), the group, the best response and
/// with landmarks at 6 and 12 when times are in months.
pub fn guess_settings(table: &Table) -> Settings {
    let h = &table.headers;
    let mut endpoints = Vec::new();
    for (prefix, name) in [
        ("pfs", "PFS"),
        ("os", "OS"),
        ("dfs", "DFS"),
        ("efs", "EFS"),
        ("ttp", "TTP"),
    ] {
        if let Some(e) = prefixed(h, prefix, name) {
            endpoints.push(e);
        }
    }
    if endpoints.is_empty() {
        let time = find(h, |x| {
            [
                "time",
                "futime",
                "survival_time",
                "os_time",
                "duration",
                "follow_up",
                "followup",
            ]
            .contains(&x)
        })
        .or_else(|| find(h, |x| TIME_WORDS.iter().any(|w| x.ends_with(w))));
        let event = find(h, |x| {
            [
                "status", "event", "fustat", "dead", "death", "censor", "died", "cens",
            ]
            .contains(&x)
        })
        .or_else(|| find(h, |x| EVENT_WORDS.iter().any(|w| x.contains(w))));
        if let (Some(t), Some(e)) = (time, event) {
            endpoints.push(EndpointSpec {
                name: "Survival".to_string(),
                time: t.clone(),
                event: e.clone(),
                event_values: Vec::new(),
                dates: None,
                plot: None,
            });
        }
    }
    let group = find(h, |x| {
        [
            "treatment",
            "regimen",
            "arm",
            "group",
            "trt",
            "rx",
            "therapy",
            "treatment_group",
            "cohort",
        ]
        .contains(&x)
    })
    .or_else(|| find(h, |x| x.contains("treatment") || x.contains("regimen")))
    .cloned();
    let response = find(h, |x| {
        [
            "best_response",
            "bor",
            "response",
            "best_overall_response",
            "recist",
        ]
        .contains(&x)
    })
    .or_else(|| find(h, |x| x.contains("response")))
    .cloned();
    let months = endpoints.iter().any(|e| norm(&e.time).contains("month"));
    Settings {
        endpoints,
        group,
        response,
        landmarks: if months { vec![6.0, 12.0] } else { Vec::new() },
        ..Settings::default()
    }
}
