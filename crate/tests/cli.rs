//! The command line: exit codes, messages and the JSON report (text snapshots, no floats).
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

fn survcalc(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_survcalc"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn json_report_has_the_contract_fields() {
    let (code, out, err) = survcalc(&[
        "analyze",
        "tests/fixtures/aml.csv",
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "x",
        "--landmarks",
        "12,24",
        "--json",
    ]);
    assert_eq!(code, 0, "stderr: {err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let ep = &v["endpoints"][0];
    for key in [
        "name", "time", "event", "group", "curves", "pooled", "tests", "cox",
    ] {
        assert!(ep.get(key).is_some(), "endpoint lacks {key}");
    }
    let c = &ep["curves"][0];
    assert_eq!(c["group"], "Maintained");
    for key in [
        "n",
        "events",
        "median",
        "quantiles",
        "landmarks",
        "rmst",
        "followup",
        "steps",
    ] {
        assert!(c.get(key).is_some(), "curve lacks {key}");
    }
    assert_eq!(c["median"]["estimate"], 31.0);
    assert_eq!(c["median"]["upper"], serde_json::Value::Null);
    assert_eq!(ep["tests"][0]["test"], "log-rank");
    assert_eq!(ep["tests"][1]["test"], "peto-peto");
    assert_eq!(c["landmarks"][1]["time"], 24.0);
}

#[test]
fn text_output_is_a_table() {
    let (code, out, _) = survcalc(&[
        "analyze",
        "tests/fixtures/aml.csv",
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "x",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("Maintained"), "{out}");
    assert!(out.contains("31 (18–NR)"), "{out}");
    assert!(
        out.contains("Log-rank test: χ² = 3.40 on 1 df, p = 0.065."),
        "{out}"
    );
}

#[test]
fn time_unit_labels_only_when_known() {
    let base = [
        "analyze",
        "tests/fixtures/aml.csv",
        "--time",
        "time",
        "--event",
        "status",
    ];
    // "time" names no unit: none is printed (aml's times are weeks, not months).
    let (code, out, _) = survcalc(&base);
    assert_eq!(code, 0);
    assert!(out.contains("Median Survival (95% CI)"), "{out}");
    let (code, out, _) = survcalc(&[&base[..], &["--time-unit", "weeks"]].concat());
    assert_eq!(code, 0);
    assert!(out.contains("Median Survival, weeks (95% CI)"), "{out}");
    let (code, _, err) = survcalc(&[&base[..], &["--time-unit", "fortnights"]].concat());
    assert_eq!(code, 2);
    assert!(
        err.contains("--time-unit") && err.contains("fortnights"),
        "{err}"
    );
}

#[test]
fn bad_cell_names_row_column_and_value() {
    let (code, out, err) = survcalc(&[
        "analyze",
        "tests/fixtures/bad_time.csv",
        "--time",
        "time",
        "--event",
        "status",
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(
        err.lines().next().unwrap_or_default(),
        "error: bad_time.csv, row 4, column \"time\" (A): the time is not a number (found \"1x3\")"
    );
    assert!(err.contains("hint:"));
}

#[test]
fn missing_column_lists_the_columns() {
    let (code, _, err) = survcalc(&[
        "analyze",
        "tests/fixtures/aml.csv",
        "--time",
        "days",
        "--event",
        "status",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("there is no column named \"days\""), "{err}");
    assert!(err.contains("\"time\", \"status\", \"x\""), "{err}");
}

#[test]
fn missing_file_is_an_error() {
    let (code, _, err) = survcalc(&[
        "analyze",
        "tests/fixtures/nope.csv",
        "--time",
        "t",
        "--event",
        "e",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn settings_file_runs_several_endpoints_and_flags_override_it() {
    let dir = std::env::temp_dir().join(format!("survcalc-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let settings = dir.join("settings.json");
    std::fs::write(
        &settings,
        r#"{"endpoints": [
              {"name": "OS", "time": "time", "event": "status", "event_values": ["1"]},
              {"name": "OS2", "time": "time", "event": "status"}],
            "group": "x", "landmarks": [12], "conf_type": "log-log", "unknown_field": 1}"#,
    )
    .expect("writes");
    let s = settings.to_string_lossy().to_string();
    let (code, out, err) = survcalc(&[
        "analyze",
        "tests/fixtures/aml.csv",
        "--settings",
        &s,
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["endpoints"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["settings"]["conf_type"], "log-log");
    assert_eq!(v["endpoints"][0]["curves"], v["endpoints"][1]["curves"]);
    // A flag overrides the file.
    let (_, out2, _) = survcalc(&[
        "analyze",
        "tests/fixtures/aml.csv",
        "--settings",
        &s,
        "--conf-type",
        "log",
        "--json",
    ]);
    let v2: serde_json::Value = serde_json::from_str(&out2).expect("json");
    assert_eq!(v2["settings"]["conf_type"], "log");
    // The report's own settings reproduce it.
    std::fs::write(&settings, v2["settings"].to_string()).expect("writes");
    let (_, out3, _) = survcalc(&[
        "analyze",
        "tests/fixtures/aml.csv",
        "--settings",
        &s,
        "--json",
    ]);
    assert_eq!(out3, out2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_settings_file_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("survcalc-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let settings = dir.join("s.json");
    std::fs::write(&settings, "{\"conf_level\": \"high\"}").expect("writes");
    let s = settings.to_string_lossy().to_string();
    let (code, _, err) = survcalc(&["analyze", "tests/fixtures/aml.csv", "--settings", &s]);
    assert_eq!(code, 2);
    assert!(err.contains("is not valid"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn subset_and_p_style() {
    let (code, out, err) = survcalc(&[
        "analyze",
        "tests/fixtures/aml.csv",
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "x",
        "--subset",
        "time<=40",
        "--p-style",
        "jama",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let ep = &v["endpoints"][0];
    assert_eq!(ep["n_rows"], 23);
    assert_eq!(ep["n_used"], 18);
    assert_eq!(ep["excluded"][0]["reason"], "not in the subset (time ≤ 40)");
    let notes = ep["excluded"].as_array().map(Vec::len);
    assert_eq!(notes, Some(5));
    let (_, text, _) = survcalc(&[
        "analyze",
        "tests/fixtures/aml.csv",
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "x",
        "--p-style",
        "jama",
    ]);
    assert!(text.contains("p = .07."), "{text}");
    let (code, _, err) = survcalc(&[
        "analyze",
        "tests/fixtures/aml.csv",
        "--time",
        "time",
        "--event",
        "status",
        "--subset",
        "time<x",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("not a number"), "{err}");
}

#[test]
fn methods_paragraph_names_the_choices() {
    let (code, out, err) = survcalc(&[
        "analyze",
        "tests/fixtures/aml.csv",
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "x",
        "--conf-type",
        "log-log",
        "--ties",
        "breslow",
        "--test",
        "gehan-breslow",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let m = v["methods"].as_str().unwrap_or_default();
    for phrase in [
        "Kaplan–Meier method",
        "complementary log-log scale",
        "R's survival package",
        "log-rank test and the Gehan–Breslow generalised Wilcoxon test",
        "Breslow method for ties",
        "reverse Kaplan–Meier",
        "survcalc 0.1.0",
    ] {
        assert!(m.contains(phrase), "missing {phrase:?} in {m}");
    }
}

/// `--timings` prints one `timing<TAB>stage<TAB>seconds` line per stage on stderr, in the
/// order the work is done, with the Cox fit and its `cox.zph` as separate stages (the browser
/// and R benchmarks compare the fit alone with R's `coxph`).
#[test]
fn timings_name_every_stage_in_order() {
    let dir = std::env::temp_dir().join(format!("survcalc-timings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("cohort.csv");
    let mut csv = String::from("time,status,group,age\n");
    for i in 0..60_u32 {
        let group = ["A", "B", "C"][(i % 3) as usize];
        csv.push_str(&format!(
            "{},{},{group},{}\n",
            1 + (i * 7) % 50,
            u32::from(i % 4 != 0),
            40 + (i * 13) % 37
        ));
    }
    std::fs::write(&file, csv).expect("writes");
    let path = file.to_str().expect("utf-8 path");
    let (code, _, err) = survcalc(&[
        "analyze",
        path,
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "group",
        "--covariates",
        "age",
        "--json",
        "--timings",
    ]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, 0, "stderr: {err}");
    let stages: Vec<(&str, f64)> = err
        .lines()
        .filter_map(|l| {
            let mut f = l.split('\t');
            (f.next() == Some("timing")).then(|| {
                let stage = f.next().expect("a stage name");
                let seconds: f64 = f.next().expect("seconds").parse().expect("a number");
                (stage, seconds)
            })
        })
        .collect();
    assert!(stages.iter().all(|&(_, s)| s >= 0.0), "{stages:?}");
    let names: Vec<&str> = stages.iter().map(|&(n, _)| n).collect();
    let expected = [
        "read",
        "subset and columns",
        "Survival: rows",
        "Survival: curves",
        "Survival: tests",
        "Survival: cox univariable",
        "Survival: cox univariable: cox.zph",
        "Survival: cox multivariable",
        "Survival: cox multivariable: cox.zph",
    ];
    assert_eq!(&names[..expected.len()], expected, "{names:?}");
    assert_eq!(names.last(), Some(&"total"), "{names:?}");
}
