//! The core under wasm32 (run by wasm-bindgen-test-runner in Node): the same numbers as natively,
//! to the bit (the digests of `tests/common/bit_identity.rs`, computed natively).
#![cfg(target_arch = "wasm32")]

#[path = "common/bit_identity.rs"]
mod bit_identity;

use bit_identity::{cases, numbers_digest, report, AML, EXPECTED, LIBM_POINTS};
use survcalc::report::{analyze, EndpointSpec, Settings};
use wasm_bindgen_test::wasm_bindgen_test;

fn settings() -> Settings {
    Settings {
        endpoints: vec![EndpointSpec {
            name: "OS".into(),
            time: "time".into(),
            event: "status".into(),
            event_values: vec![],
            dates: None,
            plot: None,
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

#[wasm_bindgen_test]
fn reports_are_bit_identical_to_native() {
    for (case, &(name, count, digest)) in cases().iter().zip(EXPECTED.iter()) {
        assert_eq!(case.name, name);
        let got = numbers_digest(&report(case));
        assert_eq!(
            got,
            (count, digest),
            "{name}: (numbers, digest) under wasm32 vs natively: a transcendental function \
             that is not from crate/src/math.rs?"
        );
    }
}

#[wasm_bindgen_test]
fn math_is_libm_here_too() {
    for (x, want_exp, want_ln) in LIBM_POINTS {
        assert_eq!(survcalc::math::exp(x), want_exp, "exp({x})");
        assert_eq!(survcalc::math::ln(x.abs()), want_ln, "ln({})", x.abs());
    }
}
