//! The core under wasm32 (run by wasm-bindgen-test-runner in Node): the same numbers as natively.
#![cfg(target_arch = "wasm32")]

use survcalc::report::{analyze, EndpointSpec, Settings};
use wasm_bindgen_test::wasm_bindgen_test;

const AML: &str = "time,status,x\n9,1,Maintained\n13,1,Maintained\n13,0,Maintained\n18,1,Maintained\n23,1,Maintained\n28,0,Maintained\n31,1,Maintained\n34,1,Maintained\n45,0,Maintained\n48,1,Maintained\n161,0,Maintained\n5,1,Nonmaintained\n5,1,Nonmaintained\n8,1,Nonmaintained\n8,1,Nonmaintained\n12,1,Nonmaintained\n16,0,Nonmaintained\n23,1,Nonmaintained\n27,1,Nonmaintained\n30,1,Nonmaintained\n33,1,Nonmaintained\n43,1,Nonmaintained\n45,1,Nonmaintained\n";

fn settings() -> Settings {
    Settings {
        endpoints: vec![EndpointSpec {
            name: "OS".into(),
            time: "time".into(),
            event: "status".into(),
            event_values: vec![],
            dates: None,
        }],
        group: Some("x".into()),
        ..Settings::default()
    }
}

#[wasm_bindgen_test]
fn aml_median_and_logrank_match_r() {
    let table = survcalc::read_table(AML.as_bytes(), "aml.csv").expect("reads");
    let report = analyze(&table, &settings()).expect("analyses");
    let ep = &report.endpoints[0];
    // R: survfit(Surv(time, status) ~ x, aml): medians 31 and 23
    assert_eq!(ep.curves[0].median.estimate, Some(31.0));
    assert_eq!(ep.curves[1].median.estimate, Some(23.0));
    // R: survdiff(Surv(time, status) ~ x, aml)$chisq
    let lr = ep
        .tests
        .iter()
        .find(|t| t.test == "log-rank")
        .expect("log-rank");
    assert!((lr.chisq.unwrap_or(0.0) - 3.396_388_698_977_601).abs() < 1e-9);
}

#[wasm_bindgen_test]
fn bad_cell_is_an_error_not_a_trap() {
    let table = survcalc::read_table(b"time,status\n1,1\nabc,0\n", "bad.csv").expect("reads");
    let err = analyze(
        &table,
        &Settings {
            group: None,
            ..settings()
        },
    )
    .expect_err("fails");
    assert_eq!(err.location.row, Some(3));
    assert_eq!(err.location.value.as_deref(), Some("abc"));
}
