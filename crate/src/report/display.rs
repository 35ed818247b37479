//! The report's tables as preformatted text cells: what the page shows and the CLI prints.

use super::cohort::{CohortTable, CohortVariable};
use super::format::{
    count, fixed2, p_value_styled, percent_ci, ratio_ci, time, time_ci_fixed, time_decimals,
};
use super::types::{Curve, DisplayTable, Report};

fn curve_row(c: &Curve, label: &str, n_landmarks: usize, dec: usize) -> Vec<String> {
    let mut row = vec![
        label.to_string(),
        count(c.n),
        count(c.events),
        time_ci_fixed(c.median.estimate, c.median.lower, c.median.upper, dec),
    ];
    for l in c.landmarks.iter().take(n_landmarks) {
        row.push(percent_ci(Some(l.survival), l.lower, l.upper));
    }
    row
}

/// Every table of the report.
pub fn display_tables(report: &Report) -> Vec<DisplayTable> {
    let s = &report.settings;
    let pv = |p: Option<f64>| p_value_styled(p, s.p_style);
    let level = format!("{}%", (s.conf_level * 100.0 * 1e6).round() / 1e6);
    let mut tables = Vec::new();
    for (i, ep) in report.endpoints.iter().enumerate() {
        let dec = time_decimals(ep.pooled.steps.iter().map(|s| s.time));
        let mut columns = vec![
            ep.group.clone().unwrap_or_else(|| "Group".to_string()),
            "N".to_string(),
            "Events".to_string(),
            format!(
                "Median {}{} ({level} CI)",
                ep.name,
                unit_after_comma(&ep.time_unit)
            ),
        ];
        for t in &s.landmarks {
            columns.push(format!(
                "{} at {}{} ({level} CI)",
                ep.name,
                time(Some(*t)),
                unit_after_space(&ep.time_unit)
            ));
        }
        let mut rows: Vec<Vec<String>> = ep
            .curves
            .iter()
            .map(|c| curve_row(c, &c.group, s.landmarks.len(), dec))
            .collect();
        rows.push(curve_row(&ep.pooled, "Overall", s.landmarks.len(), dec));
        let mut notes = vec![format!(
            "Kaplan–Meier; median and {level} CI by {}'s rule with the {} transform. NR = not reached.",
            s.convention.label(),
            s.effective_conf_type().r_name()
        )];
        if !ep.excluded.is_empty() {
            notes.push(format!(
                "{} of {} rows excluded (the report lists each with its reason).",
                ep.excluded.len(),
                ep.n_rows
            ));
        }
        for t in ep
            .tests
            .iter()
            .filter(|t| t.test == "log-rank" && t.strata.is_none())
        {
            notes.push(format!(
                "Log-rank test: χ² = {} on {} df, p = {}.",
                fixed2(t.chisq),
                t.df,
                pv(t.p)
            ));
        }
        tables.push(DisplayTable {
            id: format!("endpoint-{i}"),
            title: format!(
                "{}: survival by {}",
                ep.name,
                ep.group.as_deref().unwrap_or("all rows")
            ),
            columns,
            rows,
            notes,
        });
    }
    for (i, ep) in report.endpoints.iter().enumerate() {
        let Some(first) = ep.conventions.first() else {
            continue;
        };
        let dec = time_decimals(ep.pooled.steps.iter().map(|s| s.time));
        let mut columns = vec!["Tool (CI transform)".to_string()];
        columns.extend(first.medians.iter().map(|m| {
            if m.group == "pooled" {
                "Overall".to_string()
            } else {
                m.group.clone()
            }
        }));
        let rows = ep
            .conventions
            .iter()
            .map(|c| {
                let mut row = vec![format!("{} ({})", c.label, c.conf_type.r_name())];
                row.extend(c.medians.iter().map(|m| {
                    time_ci_fixed(m.median.estimate, m.median.lower, m.median.upper, dec)
                }));
                row
            })
            .collect();
        tables.push(DisplayTable {
            id: format!("conventions-{i}"),
            title: format!(
                "{}: median{} ({level} CI) by each tool's convention",
                ep.name,
                unit_after_comma(&ep.time_unit)
            ),
            columns,
            rows,
            notes: ep
                .conventions
                .iter()
                .map(|c| c.description.clone())
                .collect(),
        });
    }
    if let Some(r) = &report.response {
        let mut rows = Vec::new();
        let r_col = &r.column;
        let r = &r.summary;
        for g in r.groups.iter().chain(std::iter::once(&r.overall)) {
            rows.push(vec![
                if std::ptr::eq(g, &r.overall) {
                    "Overall".to_string()
                } else {
                    g.group.clone()
                },
                count(g.n),
                count(g.counts.cr),
                count(g.counts.pr),
                count(g.counts.sd),
                count(g.counts.pd),
                count(g.counts.ne),
                percent_ci(g.orr.estimate, g.orr.lower, g.orr.upper),
                percent_ci(g.dcr.estimate, g.dcr.lower, g.dcr.upper),
            ]);
        }
        let mut notes = vec![format!(
            "ORR = (CR + PR)/N, DCR = (CR + PR + SD)/N; N = {}; {level} CI: {}.",
            match s.response_denominator {
                crate::response::Denominator::All => "all treated (NE counted as non-response)",
                crate::response::Denominator::Evaluable => "evaluable (NE excluded)",
            },
            s.response_interval.label()
        )];
        for t in &r.tests {
            notes.push(format!(
                "{} across groups, {}: p = {}.",
                if t.test == "fisher" {
                    "Fisher's exact test"
                } else {
                    "χ² test"
                },
                t.outcome.label(),
                pv(t.p)
            ));
        }
        tables.push(DisplayTable {
            id: "response".to_string(),
            title: format!("Best response ({r_col})"),
            columns: ["Group", "N", "CR", "PR", "SD", "PD", "NE"]
                .iter()
                .map(|s| s.to_string())
                .chain([format!("ORR ({level} CI)"), format!("DCR ({level} CI)")])
                .collect(),
            rows,
            notes,
        });
    }
    if let Some(c) = &report.cohort {
        tables.push(cohort_display(c));
    }
    let mut test_rows = Vec::new();
    for ep in &report.endpoints {
        for t in &ep.tests {
            test_rows.push(vec![
                ep.name.clone(),
                match &t.strata {
                    Some(st) => format!("{} (stratified by {st})", t.test),
                    None => t.test.clone(),
                },
                fixed2(t.chisq),
                t.df.to_string(),
                pv(t.p),
            ]);
        }
    }
    if !test_rows.is_empty() {
        tables.push(DisplayTable {
            id: "tests".to_string(),
            title: "Comparison of survival curves".to_string(),
            columns: ["Endpoint", "Test", "χ²", "df", "p"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            rows: test_rows,
            notes: vec!["Peto–Peto is R's survdiff(rho = 1).".to_string()],
        });
    }
    let mut pair_rows = Vec::new();
    for ep in &report.endpoints {
        for t in &ep.pairwise {
            pair_rows.push(vec![
                ep.name.clone(),
                format!("{} vs {}", t.group1, t.group2),
                fixed2(t.chisq),
                pv(t.p),
                pv(t.p_holm),
                pv(t.p_bh),
            ]);
        }
    }
    if !pair_rows.is_empty() {
        tables.push(DisplayTable {
            id: "pairwise".to_string(),
            title: "Pairwise log-rank tests".to_string(),
            columns: ["Endpoint", "Comparison", "χ²", "p", "p (Holm)", "p (BH)"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            rows: pair_rows,
            notes: vec![
                "Adjusted over all pairs of the endpoint: Holm and Benjamini–Hochberg.".to_string(),
            ],
        });
    }
    let mut cox_rows = Vec::new();
    let mut cox_notes = Vec::new();
    for ep in &report.endpoints {
        for m in &ep.cox {
            if let Some(err) = &m.error {
                cox_notes.push(format!("{} {} model: {err}", ep.name, m.name));
            }
            for w in &m.warnings {
                cox_notes.push(format!("{} {} model: {w}", ep.name, m.name));
            }
            for t in &m.terms {
                cox_rows.push(vec![
                    ep.name.clone(),
                    m.name.clone(),
                    t.term.clone(),
                    ratio_ci(t.hr, t.lower, t.upper),
                    pv(t.p),
                ]);
            }
        }
    }
    if !cox_rows.is_empty() || !cox_notes.is_empty() {
        tables.push(DisplayTable {
            id: "cox".to_string(),
            title: "Hazard ratios (Cox proportional hazards)".to_string(),
            columns: [
                "Endpoint",
                "Model",
                "Term",
                &format!("HR ({level} CI)"),
                "p",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            rows: cox_rows,
            notes: cox_notes,
        });
    }
    tables
}

fn num(x: Option<f64>) -> String {
    match x {
        Some(v) if (v - v.round()).abs() < 1e-9 && v.abs() < 1e15 => format!("{}", v.round()),
        Some(v) if v.abs() < 1.0 => format!("{v:.2}"),
        Some(v) => format!("{v:.1}"),
        None => "–".to_string(),
    }
}

fn cohort_display(c: &CohortTable) -> DisplayTable {
    let mut columns = vec!["Characteristic".to_string()];
    // n per group from the first variable (all rows of the group).
    let group_n: Vec<f64> = match c.variables.first() {
        Some(CohortVariable::Continuous { groups, .. }) => {
            groups.iter().map(|g| g.n + g.missing).collect()
        }
        Some(CohortVariable::Categorical { groups, .. }) => {
            groups.iter().map(|g| g.n + g.missing).collect()
        }
        None => Vec::new(),
    };
    for (i, g) in c.groups.iter().enumerate() {
        match group_n.get(i) {
            Some(n) => columns.push(format!("{g} (N = {})", count(*n))),
            None => columns.push(g.clone()),
        }
    }
    let mut rows = Vec::new();
    for v in &c.variables {
        match v {
            CohortVariable::Continuous { variable, groups } => {
                let mut head = vec![variable.clone()];
                head.extend(groups.iter().map(|_| String::new()));
                rows.push(head);
                let mut med = vec!["  Median (IQR)".to_string()];
                let mut range = vec!["  Range".to_string()];
                let mut mean = vec!["  Mean (SD)".to_string()];
                let mut miss = vec!["  Missing".to_string()];
                for g in groups {
                    med.push(if g.n > 0.0 {
                        format!("{} ({}–{})", num(g.median), num(g.q1), num(g.q3))
                    } else {
                        "–".to_string()
                    });
                    range.push(if g.n > 0.0 {
                        format!("{}–{}", num(g.min), num(g.max))
                    } else {
                        "–".to_string()
                    });
                    mean.push(match (g.mean, g.sd) {
                        (Some(_), Some(_)) => format!("{} ({})", num(g.mean), num(g.sd)),
                        (Some(_), None) => num(g.mean),
                        _ => "–".to_string(),
                    });
                    miss.push(count(g.missing));
                }
                rows.extend([med, range, mean]);
                if groups.iter().any(|g| g.missing > 0.0) {
                    rows.push(miss);
                }
            }
            CohortVariable::Categorical {
                variable,
                levels,
                groups,
            } => {
                let mut head = vec![format!("{variable}, n (%)")];
                head.extend(groups.iter().map(|_| String::new()));
                rows.push(head);
                for (l, level) in levels.iter().enumerate() {
                    let mut row = vec![format!("  {level}")];
                    for g in groups {
                        row.push(format!(
                            "{} ({})",
                            count(g.counts[l]),
                            g.fractions[l]
                                .map_or("–".to_string(), |f| format!("{:.1}%", 100.0 * f))
                        ));
                    }
                    rows.push(row);
                }
                if groups.iter().any(|g| g.missing > 0.0) {
                    let mut row = vec!["  Missing".to_string()];
                    row.extend(groups.iter().map(|g| count(g.missing)));
                    rows.push(row);
                }
            }
        }
    }
    DisplayTable {
        id: "cohort".to_string(),
        title: "Cohort characteristics".to_string(),
        columns,
        rows,
        notes: vec![
            "Percentages of non-missing values; IQR by R's quantile type 7; SD with n − 1."
                .to_string(),
        ],
    }
}

/// The tables as aligned plain text (the CLI's default output).
pub fn tables_as_text(tables: &[DisplayTable]) -> String {
    let mut out = String::new();
    for t in tables {
        out.push_str(&t.title);
        out.push('\n');
        let ncol = t.columns.len();
        let mut widths: Vec<usize> = t.columns.iter().map(|c| c.chars().count()).collect();
        for r in &t.rows {
            for (i, c) in r.iter().enumerate().take(ncol) {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        let line = |cells: &[String]| {
            let parts: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let pad = widths[i].saturating_sub(c.chars().count());
                    if i == 0 {
                        format!("{c}{}", " ".repeat(pad))
                    } else {
                        format!("{}{c}", " ".repeat(pad))
                    }
                })
                .collect();
            format!("  {}\n", parts.join("  ").trim_end())
        };
        out.push_str(&line(&t.columns));
        for r in &t.rows {
            out.push_str(&line(r));
        }
        for n in &t.notes {
            out.push_str(&format!("  {n}\n"));
        }
        out.push('\n');
    }
    out
}

/// ", months" after a label, or nothing when the unit is not known.
pub fn unit_after_comma(unit: &str) -> String {
    if unit.is_empty() {
        String::new()
    } else {
        format!(", {unit}")
    }
}

/// " months" after a number, or nothing when the unit is not known.
pub fn unit_after_space(unit: &str) -> String {
    if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    }
}
