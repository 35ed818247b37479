//! The numbers of a few full reports, pinned natively by digest; `tests/wasm.rs` checks the
//! same digests under wasm32, which is how the CLI's and the page's reports are known to be
//! bit-identical (the cases and the digest are in `tests/common/bit_identity.rs`).
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/bit_identity.rs"]
mod bit_identity;

use bit_identity::{cases, fnv1a64, numbers_digest, report, EXPECTED, FNV_OFFSET, LIBM_POINTS};

#[test]
fn fnv1a64_known_values() {
    // The FNV reference test vectors (draft-eastlake-fnv): "" and "a", "foobar".
    assert_eq!(fnv1a64(b"", FNV_OFFSET), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a64(b"a", FNV_OFFSET), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv1a64(b"foobar", FNV_OFFSET), 0x8594_4171_f739_67e8);
}

#[test]
fn math_is_libm_natively() {
    for (x, want_exp, want_ln) in LIBM_POINTS {
        assert_eq!(survcalc::math::exp(x), want_exp, "exp({x})");
        assert_eq!(survcalc::math::ln(x.abs()), want_ln, "ln({})", x.abs());
    }
}

#[test]
fn digests_of_the_reports_are_current() {
    let mut fresh = String::new();
    let mut stale = Vec::new();
    let cases = cases();
    assert_eq!(cases.len(), EXPECTED.len(), "one expected digest per case");
    for (case, &(name, count, digest)) in cases.iter().zip(EXPECTED.iter()) {
        assert_eq!(case.name, name, "cases and EXPECTED in the same order");
        let got = numbers_digest(&report(case));
        fresh.push_str(&format!(
            "    (\"{}\", {}, 0x{:016x}),\n",
            case.name, got.0, got.1
        ));
        if got != (count, digest) {
            stale.push(case.name);
        }
    }
    assert!(
        stale.is_empty(),
        "the numbers of {stale:?} changed; if that is intended, replace EXPECTED in \
         crate/tests/common/bit_identity.rs with\n{fresh}and run the wasm test, which checks \
         the page computes the same bits"
    );
}

#[test]
fn the_cases_exercise_what_they_claim() {
    // The digests are only worth as much as what the reports contain.
    let reports: Vec<_> = cases().iter().map(report).collect();
    let aml = &reports[0].endpoints[0];
    assert_eq!(aml.curves.len(), 2);
    assert!(aml.tests.iter().any(|t| t.p.is_some()));
    let extra = &reports[1].endpoints[0];
    assert!(extra.curves[0].steps.iter().any(|s| s.lower.is_some()));
    assert!(extra.tests.len() >= 5, "{:?}", extra.tests.len());
    let cohort = &reports[2];
    let ep = &cohort.endpoints[0];
    let multi = ep
        .cox
        .iter()
        .find(|m| m.terms.len() >= 4)
        .expect("a multivariable Cox model (arms, age, sex)");
    assert!(multi.terms.iter().all(|t| t.robust_std_err.is_some()));
    assert!(multi.ph_test.is_some());
    assert!(!ep.pairwise.is_empty());
    let response = cohort.response.as_ref().expect("response rates");
    let json = serde_json::to_string(response).expect("serialises");
    assert!(json.contains("fisher"), "{json}");
    assert!(cohort.cohort.is_some());
}
