//! Reference tests against R 4.2.2 + survival 3.5-3 (the files in shared/reference/expected):
//! Kaplan–Meier tables with CIs, quantiles, landmarks, RMST, Nelson–Aalen, follow-up and the
//! log-rank family, all through the same `analyze` call the CLI and page use.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use survcalc::report::{analyze, EndpointSpec, Report, Settings};
use survcalc::survival::conf::ConfType;

/// Closed-form quantities (KM, Greenwood, CIs, Nelson–Aalen, log-rank, RMST):
/// R `survfit()`, `summary(fit, times=)`, `survdiff()`, `print(fit, rmean=)`.
const CLOSED_FORM_REL: f64 = 1e-10;
/// Quantiles and follow-up: R `quantile(survfit(...))`.
const QUANTILE_REL: f64 = 1e-9;

fn reference_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference")
}

fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("reference file {} is missing ({e})", path.display()));
    serde_json::from_str(&text).expect("reference JSON parses")
}

struct Set {
    name: String,
    manifest: Value,
}

fn sets() -> Vec<Set> {
    let m = read_json(&reference_dir().join("expected/manifest.json"));
    m["analysis_sets"]
        .as_array()
        .expect("analysis_sets")
        .iter()
        .map(|s| Set {
            name: s["analysis_set"].as_str().expect("name").to_string(),
            manifest: s.clone(),
        })
        .collect()
}

fn run(set: &Set, conf_type: ConfType, level: f64) -> Report {
    let m = &set.manifest;
    let file = m["dataset"].as_str().expect("dataset");
    let bytes = std::fs::read(reference_dir().join("data").join(file)).expect("data file");
    let table = survcalc::read_table(&bytes, file).expect("reads");
    let ev = &m["event_value"];
    let ev = ev.as_str().map_or_else(|| ev.to_string(), str::to_string);
    let settings = Settings {
        endpoints: vec![EndpointSpec {
            name: set.name.clone(),
            time: m["time_col"].as_str().expect("time").to_string(),
            event: m["event_col"].as_str().expect("event").to_string(),
            event_values: vec![ev],
            dates: None,
            plot: None,
        }],
        group: m["group_col"].as_str().map(str::to_string),
        group_levels: m["group_levels"].as_array().map(|a| {
            a.iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect()
        }),
        strata: m["stratified_logrank_by"].as_str().map(str::to_string),
        landmarks: m["landmarks"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default(),
        tau: m["tau"].as_f64(),
        conf_level: level,
        conf_type: Some(conf_type),
        ..Settings::default()
    };
    analyze(&table, &settings).unwrap_or_else(|e| panic!("{}: {e}", set.name))
}

/// Compares an expected JSON value (number, null, "NaN", "Inf") with ours.
fn close(what: &str, expected: &Value, got: Option<f64>, rel: f64) {
    match (expected, got) {
        (Value::Null, None) => {}
        (Value::String(s), None) if s == "NaN" || s == "Inf" || s == "-Inf" => {}
        (Value::Number(n), Some(g)) => {
            let e = n.as_f64().expect("number");
            let tol = rel * e.abs().max(1e-300);
            assert!(
                (e - g).abs() <= tol || (e == 0.0 && g.abs() < 1e-14),
                "{what}: expected {e}, got {g} (rel err {:e})",
                ((e - g) / e).abs()
            );
        }
        _ => panic!("{what}: expected {expected}, got {got:?}"),
    }
}

fn conf_type_of(name: &str) -> ConfType {
    ConfType::parse(name).expect("known conf type")
}

fn curve<'a>(report: &'a Report, group: &str) -> &'a survcalc::report::types::Curve {
    let ep = &report.endpoints[0];
    if group == "pooled" {
        &ep.pooled
    } else {
        ep.curves
            .iter()
            .find(|c| c.group == group)
            .unwrap_or_else(|| panic!("no curve {group}"))
    }
}

#[test]
fn kaplan_meier_tables_and_bands() {
    for set in sets() {
        let km = read_json(&reference_dir().join(format!("expected/{}/km.json", set.name)));
        for c in km["curves"].as_array().expect("curves") {
            let group = c["group"].as_str().expect("group");
            let t = &c["table"];
            for ci in c["ci"].as_array().expect("ci") {
                let ct = conf_type_of(ci["conf_type"].as_str().expect("ct"));
                let level = ci["conf_int"].as_f64().expect("level");
                let report = run(&set, ct, level);
                let ours = curve(&report, group);
                let times = t["time"].as_array().expect("time");
                assert_eq!(ours.steps.len(), times.len(), "{} {group}: rows", set.name);
                for (i, s) in ours.steps.iter().enumerate() {
                    let w = format!("{} {group} row {i} ({ct:?} {level})", set.name);
                    close(&format!("{w} time"), &times[i], Some(s.time), 0.0);
                    close(&format!("{w} n_risk"), &t["n_risk"][i], Some(s.n_risk), 0.0);
                    close(
                        &format!("{w} n_event"),
                        &t["n_event"][i],
                        Some(s.n_event),
                        0.0,
                    );
                    close(
                        &format!("{w} n_censor"),
                        &t["n_censor"][i],
                        Some(s.n_censor),
                        0.0,
                    );
                    close(
                        &format!("{w} surv"),
                        &t["surv"][i],
                        Some(s.survival),
                        CLOSED_FORM_REL,
                    );
                    close(
                        &format!("{w} se_surv"),
                        &t["se_surv"][i],
                        s.std_err,
                        CLOSED_FORM_REL,
                    );
                    close(
                        &format!("{w} cumhaz"),
                        &t["cumhaz"][i],
                        Some(s.cumhaz),
                        CLOSED_FORM_REL,
                    );
                    close(
                        &format!("{w} std_chaz"),
                        &t["std_chaz"][i],
                        Some(s.cumhaz_std_err),
                        CLOSED_FORM_REL,
                    );
                    close(
                        &format!("{w} lower"),
                        &ci["lower"][i],
                        s.lower,
                        CLOSED_FORM_REL,
                    );
                    close(
                        &format!("{w} upper"),
                        &ci["upper"][i],
                        s.upper,
                        CLOSED_FORM_REL,
                    );
                }
            }
        }
    }
}

#[test]
fn quantiles_with_confidence_limits() {
    for set in sets() {
        let q = read_json(&reference_dir().join(format!("expected/{}/quantiles.json", set.name)));
        for r in q["results"].as_array().expect("results") {
            let group = r["group"].as_str().expect("group");
            for ci in r["ci"].as_array().expect("ci") {
                let ct = conf_type_of(ci["conf_type"].as_str().expect("ct"));
                let level = ci["conf_int"].as_f64().expect("level");
                let report = run(&set, ct, level);
                let ours = curve(&report, group);
                for (i, p) in r["probs"].as_array().expect("probs").iter().enumerate() {
                    let p = p.as_f64().expect("p");
                    let oq = ours.quantiles.iter().find(|x| x.p == p).expect("prob");
                    let w = format!("{} {group} p={p} {ct:?} {level}", set.name);
                    close(
                        &format!("{w} estimate"),
                        &r["quantile"][i],
                        oq.estimate,
                        QUANTILE_REL,
                    );
                    close(
                        &format!("{w} lower"),
                        &ci["lower"][i],
                        oq.lower,
                        QUANTILE_REL,
                    );
                    close(
                        &format!("{w} upper"),
                        &ci["upper"][i],
                        oq.upper,
                        QUANTILE_REL,
                    );
                    if p == 0.5 {
                        close(
                            &format!("{w} median"),
                            &r["quantile"][i],
                            ours.median.estimate,
                            QUANTILE_REL,
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn landmark_survival() {
    for set in sets() {
        let l = read_json(&reference_dir().join(format!("expected/{}/landmarks.json", set.name)));
        for r in l["results"].as_array().expect("results") {
            let group = r["group"].as_str().expect("group");
            for ci in r["ci"].as_array().expect("ci") {
                let ct = conf_type_of(ci["conf_type"].as_str().expect("ct"));
                let level = ci["conf_int"].as_f64().expect("level");
                let report = run(&set, ct, level);
                let ours = curve(&report, group);
                for (i, lm) in ours.landmarks.iter().enumerate() {
                    let w = format!("{} {group} t={} {ct:?} {level}", set.name, lm.time);
                    close(&format!("{w} time"), &r["time"][i], Some(lm.time), 0.0);
                    close(
                        &format!("{w} n_risk"),
                        &r["n_risk"][i],
                        Some(lm.n_risk),
                        0.0,
                    );
                    close(
                        &format!("{w} n_event"),
                        &r["n_event"][i],
                        Some(lm.n_event),
                        0.0,
                    );
                    close(
                        &format!("{w} n_censor"),
                        &r["n_censor"][i],
                        Some(lm.n_censor),
                        0.0,
                    );
                    close(
                        &format!("{w} surv"),
                        &r["surv"][i],
                        Some(lm.survival),
                        CLOSED_FORM_REL,
                    );
                    close(
                        &format!("{w} se"),
                        &r["se_surv"][i],
                        lm.std_err,
                        CLOSED_FORM_REL,
                    );
                    close(
                        &format!("{w} cumhaz"),
                        &r["cumhaz"][i],
                        Some(lm.cumhaz),
                        CLOSED_FORM_REL,
                    );
                    close(
                        &format!("{w} std_chaz"),
                        &r["std_chaz"][i],
                        Some(lm.cumhaz_std_err),
                        CLOSED_FORM_REL,
                    );
                    close(
                        &format!("{w} lower"),
                        &ci["lower"][i],
                        lm.lower,
                        CLOSED_FORM_REL,
                    );
                    close(
                        &format!("{w} upper"),
                        &ci["upper"][i],
                        lm.upper,
                        CLOSED_FORM_REL,
                    );
                }
            }
        }
    }
}

#[test]
fn restricted_mean() {
    for set in sets() {
        let j = read_json(&reference_dir().join(format!("expected/{}/rmst.json", set.name)));
        let report = run(&set, ConfType::Log, 0.95);
        for r in j["results"].as_array().expect("results") {
            let group = r["group"].as_str().expect("group");
            let ours = curve(&report, group).rmst.as_ref().expect("rmst");
            let w = format!("{} {group}", set.name);
            close(&format!("{w} tau"), &r["tau"], Some(ours.tau), 0.0);
            close(
                &format!("{w} rmean"),
                &r["rmean"],
                ours.estimate,
                CLOSED_FORM_REL,
            );
            close(
                &format!("{w} se"),
                &r["se_rmean"],
                ours.std_err,
                CLOSED_FORM_REL,
            );
        }
    }
}

#[test]
fn nelson_aalen() {
    for set in sets() {
        let j = read_json(&reference_dir().join(format!("expected/{}/cumhaz.json", set.name)));
        let report = run(&set, ConfType::Log, 0.95);
        for r in j["results"].as_array().expect("results") {
            let group = r["group"].as_str().expect("group");
            let ours = curve(&report, group);
            let t = &r["table"];
            for (i, s) in ours.steps.iter().enumerate() {
                let w = format!("{} {group} row {i}", set.name);
                close(&format!("{w} time"), &t["time"][i], Some(s.time), 0.0);
                close(
                    &format!("{w} cumhaz"),
                    &t["cumhaz"][i],
                    Some(s.cumhaz),
                    CLOSED_FORM_REL,
                );
                close(
                    &format!("{w} std"),
                    &t["std_chaz"][i],
                    Some(s.cumhaz_std_err),
                    CLOSED_FORM_REL,
                );
            }
        }
    }
}

#[test]
fn median_followup() {
    for set in sets() {
        let j = read_json(&reference_dir().join(format!("expected/{}/followup.json", set.name)));
        for r in j["results"].as_array().expect("results") {
            let group = r["group"].as_str().expect("group");
            let i = r["probs"]
                .as_array()
                .expect("probs")
                .iter()
                .position(|p| p.as_f64() == Some(0.5))
                .expect("median");
            for ci in r["ci"].as_array().expect("ci") {
                let ct = conf_type_of(ci["conf_type"].as_str().expect("ct"));
                let level = ci["conf_int"].as_f64().expect("level");
                let report = run(&set, ct, level);
                let ours = &curve(&report, group).followup;
                let w = format!("{} {group} {ct:?} {level}", set.name);
                close(
                    &format!("{w} estimate"),
                    &r["quantile"][i],
                    ours.estimate,
                    QUANTILE_REL,
                );
                close(
                    &format!("{w} lower"),
                    &ci["lower"][i],
                    ours.lower,
                    QUANTILE_REL,
                );
                close(
                    &format!("{w} upper"),
                    &ci["upper"][i],
                    ours.upper,
                    QUANTILE_REL,
                );
            }
        }
    }
}

#[test]
fn log_rank_family() {
    for set in sets() {
        let j = read_json(&reference_dir().join(format!("expected/{}/logrank.json", set.name)));
        let report = run(&set, ConfType::Log, 0.95);
        for t in j["tests"].as_array().expect("tests") {
            let rho = t["rho"].as_f64().expect("rho");
            let stratified = t["stratified"].as_bool().unwrap_or(false);
            let ours = report.endpoints[0]
                .tests
                .iter()
                .find(|o| {
                    o.rho == Some(rho) && o.gamma == Some(0.0) && o.strata.is_some() == stratified
                })
                .unwrap_or_else(|| {
                    panic!("{}: no test rho={rho} stratified={stratified}", set.name)
                });
            let w = format!("{} rho={rho} stratified={stratified}", set.name);
            close(
                &format!("{w} chisq"),
                &t["chisq"],
                ours.chisq,
                CLOSED_FORM_REL,
            );
            // R reports df = -1 when no group has expected events; we report 0 (and p = null).
            let df = t["df"].as_i64().expect("df").max(0);
            assert_eq!(df, ours.df as i64, "{w} df");
            close(&format!("{w} p"), &t["p"], ours.p, 1e-8);
            for (i, g) in t["groups"].as_array().expect("groups").iter().enumerate() {
                let name = g.as_str().map_or_else(|| g.to_string(), str::to_string);
                let og = ours.groups.iter().find(|x| x.group == name).expect("group");
                close(
                    &format!("{w} {name} observed"),
                    &t["observed"][i],
                    Some(og.observed),
                    CLOSED_FORM_REL,
                );
                close(
                    &format!("{w} {name} expected"),
                    &t["expected"][i],
                    Some(og.expected),
                    CLOSED_FORM_REL,
                );
            }
        }
    }
}
