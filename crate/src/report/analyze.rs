//! The one core function: a table plus settings in, a report out. The CLI and the page both call
//! [`analyze`]; neither computes anything itself.

use super::cohort::{cohort_table, default_variables};
use super::compare::{comparison_tests, pairwise_tests};
use super::derive::derive;
use super::display::display_tables;
use super::prepare::{endpoint_columns, factor, weights, Exclusion, Factor};
use super::settings::{EndpointSpec, Settings};
use super::subset::{subset_reasons, Condition};
use super::types::{
    ConventionMedian, ConventionReport, CoxReport, Curve, EndpointReport, Estimate, Report,
    RmstReport, RowOutcome, Software, Step,
};
use crate::data::value::is_missing;
use crate::data::Table;
use crate::error::{Error, ErrorKind, Result};
use crate::response::{parse_response, summarise, Response};
use crate::survival::conf::z_value;
use crate::survival::cox::{self, CoxData, CoxOptions};
use crate::survival::followup::median_followup;
use crate::survival::km::KaplanMeier;
use crate::survival::landmark::landmarks;
use crate::survival::quantile_conventions::{
    convention_defaults, describe, quantiles_by, Convention,
};
use crate::survival::rmst::rmst;
use crate::survival::Sample;

/// The quantiles reported for every curve.
pub const QUANTILE_PROBS: [f64; 3] = [0.25, 0.5, 0.75];

/// Analyses `table` as `settings` say.
///
/// # Errors
/// `Settings` for contradictory or incomplete settings; `MissingColumn` / `Value` naming the
/// row, column and value of a cell that cannot be used; `Data` when no rows remain.
pub fn analyze(table: &Table, settings: &Settings) -> Result<Report> {
    analyze_with_stages(table, settings, &mut |_| {})
}

/// As [`analyze`], calling `stage` with a short name as each stage of the work ends ("subset",
/// "columns", "Survival: curves", "Survival: tests", "Survival: cox multivariable", …,
/// "response", "cohort", "methods and tables"). The CLI's `--timings` reads a clock there; the
/// core itself never does (wasm32 has no clock of its own).
///
/// # Errors
/// As [`analyze`].
pub fn analyze_with_stages(
    table: &Table,
    settings: &Settings,
    stage: &mut dyn FnMut(&str),
) -> Result<Report> {
    run(table, settings, stage).map_err(|e| e.in_file(&table.file_name))
}

fn run(full_table: &Table, settings: &Settings, stage: &mut dyn FnMut(&str)) -> Result<Report> {
    // Rows outside the subset are dropped first and listed among each endpoint's exclusions.
    let reasons = subset_reasons(full_table, &settings.subset)?;
    let words: Vec<String> = settings.subset.iter().map(Condition::reason).collect();
    let outside: Vec<Exclusion> = reasons
        .iter()
        .enumerate()
        .filter_map(|(r, failed)| {
            failed.map(|c| Exclusion {
                row: full_table.row_lines[r],
                reason: words[c as usize].clone(),
            })
        })
        .collect();
    let subset_table;
    let table = if outside.is_empty() {
        full_table
    } else {
        let keep: Vec<usize> = (0..reasons.len())
            .filter(|&r| reasons[r].is_none())
            .collect();
        if keep.is_empty() {
            return Err(Error::settings("no row matches the subset conditions")
                .with_hint("check the subset's columns and values"));
        }
        subset_table = full_table.select_rows(&keep);
        &subset_table
    };
    drop(reasons);
    if settings.endpoints.is_empty() && settings.response.is_none() {
        return Err(
            Error::settings("no endpoint and no response column is chosen").with_hint(
                "choose the time and event columns of an endpoint, or a best-response column",
            ),
        );
    }
    if !(settings.conf_level > 0.0 && settings.conf_level < 1.0) {
        return Err(Error::settings(format!(
            "the confidence level must be between 0 and 1 (exclusive), not {}",
            settings.conf_level
        )));
    }
    for &t in &settings.landmarks {
        if !t.is_finite() || t < 0.0 {
            return Err(Error::settings(format!(
                "the landmark time {t} is not a time ≥ 0"
            )));
        }
    }
    if let Some(tau) = settings.tau {
        if !tau.is_finite() || tau <= 0.0 {
            return Err(Error::settings(format!(
                "τ for the restricted mean must be > 0, not {tau}"
            )));
        }
    }
    let group = match &settings.group {
        Some(g) => Some(factor(table, g, settings.group_levels.as_deref())?),
        None => None,
    };
    if let (Some(g), Some(r)) = (&group, &settings.reference) {
        if !g.levels.contains(r) {
            return Err(Error::settings(format!(
                "the reference level \"{r}\" is not a value of column \"{}\"",
                g.column
            ))
            .with_hint(format!("the levels are {}", g.levels.join(", "))));
        }
    }
    let strata = match &settings.strata {
        Some(s) => Some(factor(table, s, None)?),
        None => None,
    };
    let cluster = match &settings.cluster {
        Some(s) => Some(factor(table, s, None)?),
        None => None,
    };
    let w = weights(table, settings)?;
    stage("subset and columns");

    let mut endpoints = Vec::new();
    for spec in &settings.endpoints {
        let mut ep = endpoint(
            table,
            settings,
            spec,
            group.as_ref(),
            strata.as_ref(),
            cluster.as_ref(),
            w.as_deref(),
            stage,
        )?;
        if !outside.is_empty() {
            ep.n_rows = full_table.n_rows();
            let mut all = outside.clone();
            all.append(&mut ep.excluded);
            all.sort_by_key(|e| e.row);
            ep.excluded = all;
        }
        endpoints.push(ep);
    }
    let response = match &settings.response {
        Some(col) => Some(response(
            table,
            settings,
            col,
            group.as_ref(),
            w.as_deref(),
        )?),
        None => None,
    };
    stage("response");
    let (variables, more_variables) = match &settings.cohort {
        Some(v) => (v.clone(), false),
        None => default_variables(table, settings),
    };
    let cohort = if variables.is_empty() {
        None
    } else {
        Some(cohort_table(
            table,
            &variables,
            group.as_ref(),
            w.as_deref(),
        )?)
    };
    stage("cohort");
    let mut report = Report {
        software: Software {
            name: "survcalc".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        file: full_table.file_name.clone(),
        settings: settings.clone(),
        endpoints,
        response,
        cohort,
        warnings: if more_variables {
            vec![format!(
                "The cohort table lists the first {} columns that suit it; choose its variables (Cohort table) to describe others.",
                super::cohort::MAX_DEFAULT_VARIABLES
            )]
        } else {
            Vec::new()
        },
        methods: String::new(),
        display: super::types::Display { tables: Vec::new() },
    };
    report.methods = super::methods::methods_text(&report);
    report.display.tables = display_tables(&report);
    stage("methods and tables");
    Ok(report)
}

#[expect(clippy::too_many_arguments, reason = "internal step of run()")]
fn endpoint(
    table: &Table,
    settings: &Settings,
    spec: &EndpointSpec,
    group: Option<&Factor>,
    strata: Option<&Factor>,
    cluster: Option<&Factor>,
    w: Option<&[Option<f64>]>,
    stage: &mut dyn FnMut(&str),
) -> Result<EndpointReport> {
    let mut stage = |what: &str| stage(&format!("{}: {what}", spec.name));
    let (cols, derivation) = match &spec.dates {
        Some(d) => {
            let (cols, log) = derive(table, d)?;
            (cols, Some(log))
        }
        None => (endpoint_columns(table, spec)?, None),
    };
    let mut used = Vec::new();
    let mut excluded = Vec::new();
    for r in 0..table.n_rows() {
        // A derivation note explains only a row without a time (no clone for the others).
        let derived_note = derivation
            .as_ref()
            .filter(|_| cols.time[r].is_none())
            .and_then(|d| d[r].note.clone());
        let reason = if let Some(note) = derived_note {
            Some(note)
        } else if cols.time[r].is_none() {
            Some(format!("{} missing", spec.time))
        } else if cols.event[r].is_none() {
            Some(format!("{} missing", spec.event))
        } else if group.is_some_and(|g| g.codes[r].is_none()) {
            Some(format!(
                "{} missing",
                group.map_or("", |g| g.column.as_str())
            ))
        } else if strata.is_some_and(|s| s.codes[r].is_none()) {
            Some(format!(
                "{} missing",
                strata.map_or("", |s| s.column.as_str())
            ))
        } else if w.is_some_and(|w| w[r].is_none()) {
            Some(format!(
                "{} missing",
                settings.weight.as_deref().unwrap_or("weight")
            ))
        } else {
            None
        };
        match reason {
            Some(reason) => excluded.push(Exclusion {
                row: table.row_lines[r],
                reason,
            }),
            None => used.push(r),
        }
    }
    if used.is_empty() {
        return Err(Error::new(
            ErrorKind::Data,
            format!(
                "endpoint {}: no row has both a time and an event value",
                spec.name
            ),
        )
        .with_hint("check the chosen time and event columns"));
    }
    // Sample::new ties times equal up to floating-point noise, as R's `timefix = TRUE`.
    let sample = Sample::new(
        used.iter().map(|&r| cols.time[r].unwrap_or(0.0)).collect(),
        used.iter()
            .map(|&r| cols.event[r].unwrap_or(false))
            .collect(),
        w.map(|w| used.iter().map(|&r| w[r].unwrap_or(0.0)).collect()),
    );
    // Common τ: the smallest of the curves' last times, unless given.
    // The group of each used row, and the groups' samples (one pass, sharing the order).
    let codes: Vec<usize> = match group {
        Some(g) => used.iter().map(|&r| g.codes[r].unwrap_or(0)).collect(),
        None => Vec::new(),
    };
    let group_samples: Vec<Sample> = match group {
        Some(g) => sample.split(&codes, g.levels.len()),
        None => Vec::new(),
    };
    let tau = settings.tau.unwrap_or_else(|| {
        let last = |times: &[f64]| times.iter().copied().fold(f64::NAN, f64::max);
        if group_samples.is_empty() {
            last(&sample.time)
        } else {
            group_samples
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| last(&s.time))
                .fold(f64::INFINITY, f64::min)
        }
    });
    stage("rows");
    // Each curve is fitted once; the conventions' medians below reuse the fits.
    let (pooled, pooled_km) = curve("pooled", &sample, settings, tau);
    let (curves, group_kms): (Vec<Curve>, Vec<KaplanMeier>) = match group {
        Some(g) => g
            .levels
            .iter()
            .zip(&group_samples)
            .map(|(name, part)| curve(name, part, settings, tau))
            .unzip(),
        None => (Vec::new(), Vec::new()),
    };
    drop(group_samples);
    stage("curves");
    let mut tests = Vec::new();
    let mut pairwise = Vec::new();
    let mut cox_reports = Vec::new();
    if let Some(g) = group {
        let stratum_codes: Option<Vec<usize>> =
            strata.map(|s| used.iter().map(|&r| s.codes[r].unwrap_or(0)).collect());
        tests = comparison_tests(
            &sample,
            &codes,
            g,
            strata
                .zip(stratum_codes.as_deref())
                .map(|(s, c)| (s.column.as_str(), c)),
            settings,
        );
        if settings.pairwise {
            pairwise = pairwise_tests(&sample, &codes, g, stratum_codes.as_deref());
        }
        stage("tests");
        if g.levels.len() >= 2 {
            cox_reports.push(cox_model(
                "univariable",
                table,
                settings,
                &used,
                &sample,
                Some(g),
                &[],
                strata,
                cluster,
                &mut stage,
            )?);
        }
    }
    let covariates: Vec<String> = settings
        .covariates
        .iter()
        .filter(|c| Some(*c) != settings.group.as_ref())
        .cloned()
        .collect();
    if !covariates.is_empty() {
        cox_reports.push(cox_model(
            "multivariable",
            table,
            settings,
            &used,
            &sample,
            group,
            &covariates,
            strata,
            cluster,
            &mut stage,
        )?);
    }
    let mut kms: Vec<(String, KaplanMeier)> = match group {
        Some(g) => g.levels.iter().cloned().zip(group_kms).collect(),
        None => Vec::new(),
    };
    kms.push(("pooled".to_string(), pooled_km));
    let conventions = conventions_of(&kms, settings.conf_level);
    stage("conventions");
    Ok(EndpointReport {
        name: spec.name.clone(),
        time: spec.time.clone(),
        time_unit: settings
            .time_unit_of(spec)
            .map(|u| u.name().to_string())
            .unwrap_or_default(),
        event: spec.event.clone(),
        event_values: cols.event_values,
        group: group.map(|g| g.column.clone()),
        n_rows: table.n_rows(),
        n_used: used.len(),
        excluded,
        derivation,
        curves,
        pooled,
        tests,
        pairwise,
        cox: cox_reports,
        conventions,
        rows: used
            .iter()
            .zip(sample.time.iter().zip(&sample.event))
            .map(|(&r, (&time, &event))| RowOutcome {
                row: table.row_lines[r],
                time,
                event,
                group: group.and_then(|g| g.codes[r]).unwrap_or(0),
            })
            .collect(),
    })
}

/// The medians of every curve under each tool's convention and default transform.
/// `curves`: each group's Kaplan–Meier fit, then the pooled one.
fn conventions_of(curves: &[(String, KaplanMeier)], conf_level: f64) -> Vec<ConventionReport> {
    Convention::ALL
        .iter()
        .map(|&c| {
            let ct = convention_defaults(c);
            ConventionReport {
                convention: c,
                label: c.label().to_string(),
                conf_type: ct,
                description: describe(c).to_string(),
                medians: curves
                    .iter()
                    .map(|(name, km)| {
                        let q = quantiles_by(km, &[0.5], conf_level, ct, c)[0];
                        ConventionMedian {
                            group: name.clone(),
                            median: Estimate {
                                estimate: q.estimate,
                                lower: q.lower,
                                upper: q.upper,
                            },
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// One curve of the report, and its Kaplan–Meier fit.
fn curve(name: &str, sample: &Sample, settings: &Settings, tau: f64) -> (Curve, KaplanMeier) {
    let km = KaplanMeier::fit(sample);
    let conf_type = settings.effective_conf_type();
    let z = z_value(settings.conf_level);
    let q = quantiles_by(
        &km,
        &QUANTILE_PROBS,
        settings.conf_level,
        conf_type,
        settings.convention,
    );
    let median = q.iter().find(|q| q.p == 0.5).map_or(
        Estimate {
            estimate: None,
            lower: None,
            upper: None,
        },
        |q| Estimate {
            estimate: q.estimate,
            lower: q.lower,
            upper: q.upper,
        },
    );
    let fu = median_followup(sample, settings.conf_level, conf_type);
    let steps = km
        .steps
        .iter()
        .map(|s| {
            let (lower, upper) = s.band(z, conf_type);
            Step {
                time: s.time,
                n_risk: s.n_risk,
                n_event: s.n_event,
                n_censor: s.n_censor,
                survival: s.surv,
                std_err: s.se_surv(),
                lower,
                upper,
                cumhaz: s.cumhaz,
                cumhaz_std_err: s.se_cumhaz,
            }
        })
        .collect();
    let rmst = (tau.is_finite() && tau > 0.0 && !sample.is_empty()).then(|| {
        let r = rmst(&km, tau);
        RmstReport {
            tau,
            estimate: Some(r.estimate),
            std_err: r.std_err,
        }
    });
    let curve = Curve {
        group: name.to_string(),
        n: km.n,
        events: km.events,
        median,
        quantiles: q,
        landmarks: landmarks(&km, &settings.landmarks, settings.conf_level, conf_type),
        rmst,
        followup: Estimate {
            estimate: fu.estimate,
            lower: fu.lower,
            upper: fu.upper,
        },
        steps,
    };
    (curve, km)
}

#[allow(clippy::too_many_arguments)]
fn cox_model(
    name: &str,
    table: &Table,
    settings: &Settings,
    used: &[usize],
    sample: &Sample,
    group: Option<&Factor>,
    covariates: &[String],
    strata: Option<&Factor>,
    cluster: Option<&Factor>,
    stage: &mut dyn FnMut(&str),
) -> Result<CoxReport> {
    // Design matrix: the group (treatment coding against the reference), then each covariate.
    // One `f64` column per term over the used rows, NaN where the row's value is missing (no
    // `Option` columns and no second copy: at a million rows each column is 8 MB).
    let mut columns: Vec<Vec<f64>> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut variables: Vec<String> = Vec::new();
    fn add_factor(
        f: &Factor,
        reference: &str,
        used: &[usize],
        names: &mut Vec<String>,
        variables: &mut Vec<String>,
        columns: &mut Vec<Vec<f64>>,
    ) {
        for (l, level) in f.levels.iter().enumerate() {
            if level == reference {
                continue;
            }
            names.push(format!("{}={}", f.column, level));
            variables.push(f.column.clone());
            columns.push(
                used.iter()
                    .map(|&r| match f.codes[r] {
                        Some(c) if c == l => 1.0,
                        Some(_) => 0.0,
                        None => f64::NAN,
                    })
                    .collect(),
            );
        }
    }
    if let Some(g) = group {
        let reference = settings
            .reference
            .clone()
            .unwrap_or_else(|| g.levels[0].clone());
        add_factor(
            g,
            &reference,
            used,
            &mut names,
            &mut variables,
            &mut columns,
        );
    }
    for cov in covariates {
        if let Some(cat) = settings.categorical.iter().find(|c| &c.variable == cov) {
            let f = factor(table, cov, None)?;
            if !f.levels.contains(&cat.reference) {
                return Err(Error::settings(format!(
                    "the reference level \"{}\" is not a value of column \"{cov}\"",
                    cat.reference
                ))
                .with_hint(format!("the levels are {}", f.levels.join(", "))));
            }
            add_factor(
                &f,
                &cat.reference,
                used,
                &mut names,
                &mut variables,
                &mut columns,
            );
        } else {
            let c = table.column_index(cov)?;
            // The numbers are parsed once per table; only a NaN (missing or not a number)
            // needs its cell looked at.
            let numbers = table.numbers(c);
            let mut col = Vec::with_capacity(used.len());
            for &r in used {
                let v = numbers[r];
                if v.is_nan() && !is_missing(table.cell(r, c)) {
                    return Err(Error::new(
                        ErrorKind::Value,
                        format!("the covariate \"{cov}\" is not a number"),
                    )
                    .with_hint(format!("mark \"{cov}\" as categorical, or fix the cell"))
                    .at(table.location(r, c)));
                }
                col.push(v);
            }
            names.push(cov.clone());
            variables.push(cov.clone());
            columns.push(col);
        }
    }
    // Complete cases only (R's na.omit), including the cluster id when there is one.
    let complete = |i: usize| {
        columns.iter().all(|c| !c[i].is_nan()) && cluster.is_none_or(|c| c.codes[used[i]].is_some())
    };
    let keep: Vec<usize> = (0..used.len()).filter(|&i| complete(i)).collect();
    let all_rows = keep.len() == used.len();
    let mut x = columns;
    if !all_rows {
        // Compacted in place, column by column.
        for col in &mut x {
            for (k, &i) in keep.iter().enumerate() {
                col[k] = col[i];
            }
            col.truncate(keep.len());
            col.shrink_to_fit();
        }
    }
    let subset;
    let sub = if all_rows {
        sample
    } else {
        subset = sample.subset(&keep);
        &subset
    };
    let strata_codes: Option<Vec<usize>> = strata.map(|s| {
        keep.iter()
            .map(|&i| s.codes[used[i]].unwrap_or(0))
            .collect()
    });
    let cluster_codes: Option<Vec<usize>> = cluster.map(|c| {
        keep.iter()
            .map(|&i| c.codes[used[i]].unwrap_or(usize::MAX))
            .collect()
    });
    drop(keep);
    let data = CoxData {
        time: &sub.time,
        event: &sub.event,
        weight: sub.weights.as_deref(),
        strata: strata_codes.as_deref(),
        cluster: cluster_codes.as_deref(),
        x: &x,
        term_names: &names,
        variables: Some(&variables),
    };
    let opts = CoxOptions {
        ties: settings.ties,
        conf_level: settings.conf_level,
        ..CoxOptions::default()
    };
    // Two stages: the design, the fit and its concordance (what R's `coxph` computes), then
    // `cox.zph` (which R computes apart, with `cox.zph(fit)`).
    let fitted = cox::fit_with_stages(&data, &opts, &mut |_| stage(&format!("cox {name}")));
    stage(&format!("cox {name}: cox.zph"));
    Ok(match fitted {
        Ok(fit) => CoxReport {
            name: name.to_string(),
            ties: settings.ties,
            n: Some(fit.n),
            events: Some(fit.events),
            terms: fit.terms,
            loglik_null: fit.loglik_null,
            loglik: fit.loglik,
            lr_test: Some(fit.lr_test),
            wald_test: Some(fit.wald_test),
            score_test: Some(fit.score_test),
            concordance: Some(fit.concordance),
            ph_test: fit.ph_test,
            warnings: fit.warnings,
            error: None,
        },
        Err(message) => CoxReport {
            name: name.to_string(),
            ties: settings.ties,
            n: Some(sub.len() as f64),
            events: None,
            terms: Vec::new(),
            loglik_null: None,
            loglik: None,
            lr_test: None,
            wald_test: None,
            score_test: None,
            concordance: None,
            ph_test: None,
            warnings: Vec::new(),
            error: Some(message),
        },
    })
}

fn response(
    table: &Table,
    settings: &Settings,
    column: &str,
    group: Option<&Factor>,
    w: Option<&[Option<f64>]>,
) -> Result<super::types::ResponseReport> {
    let c = table.column_index(column)?;
    let mut rows: Vec<(usize, Response, f64)> = Vec::new();
    for r in 0..table.n_rows() {
        let cell = table.cell(r, c);
        if is_missing(cell) {
            continue;
        }
        let g = match group {
            Some(g) => match g.codes[r] {
                Some(code) => code,
                None => continue,
            },
            None => 0,
        };
        let weight = match w {
            Some(w) => match w[r] {
                Some(x) => x,
                None => continue,
            },
            None => 1.0,
        };
        let resp = parse_response(cell).ok_or_else(|| {
            Error::new(ErrorKind::Value, "the best response is not a RECIST category")
                .with_hint("use CR, PR, SD, PD or NE (or complete response, partial response, stable disease, progressive disease, not evaluable)")
                .at(table.location(r, c))
        })?;
        rows.push((g, resp, weight));
    }
    let names: Vec<String> = match group {
        Some(g) => g.levels.clone(),
        None => vec!["all".to_string()],
    };
    Ok(super::types::ResponseReport {
        column: column.to_string(),
        summary: summarise(
            &names,
            &rows,
            settings.response_denominator,
            settings.response_interval,
            settings.conf_level,
        ),
    })
}
