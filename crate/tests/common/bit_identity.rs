//! Reports whose numbers must be bit-identical natively and under wasm32, with their digests
//! computed natively. Shared by `tests/bit_identity.rs` (native: the digests are current) and
//! `tests/wasm.rs` (wasm32: the same digests there), so together they show that the CLI's
//! `--json` and the page's download carry the same bits (see `crate/src/math.rs`).
//!
//! The digest is FNV-1a (64 bits) over the JSON text of every number in the computed parts of
//! the report (`endpoints`, `response`, `cohort`), keys in sorted order. Strings (the display
//! tables, the methods text, notes), the echoed settings and `null`s are left out, so rewording a
//! note or adding a setting does not move a digest; a statistic that changes does. The JSON text
//! of a number is the shortest one that reads back to the same double, so equal text is equal
//! bits.
//!
//! If a change of the statistics is intended, `cargo test --test bit_identity` prints the new
//! `EXPECTED` block to paste below; the wasm test then checks the page computes the same.

use serde_json::Value;
use survcalc::report::settings::{Categorical, ExtraTest};
use survcalc::report::{analyze, EndpointSpec, Report, Settings};
use survcalc::response::IntervalMethod;
use survcalc::survival::conf::ConfType;
use survcalc::survival::cox::Ties;
use survcalc::survival::quantile_conventions::Convention;

/// (case, how many numbers, digest), computed natively with `cargo test --test bit_identity`.
pub const EXPECTED: [(&str, usize, u64); 3] = [
    ("aml", 521, 0x326b399c1875cb57),
    ("aml-arcsin-extra-tests", 632, 0xa85f4999e56e3b59),
    ("cohort-cox-cluster-response", 2185, 0xf5f7c785d1503037),
];

/// (x, exp x, ln |x|) as the `libm` crate rounds them, on every target. At these points glibc
/// (and so `f64::exp`/`f64::ln` natively) returns the correctly rounded neighbour, 1 ulp away
/// (checked with mpmath at 40 digits: exp(−9.84) = 5.327731111854062e-5, exp(0.416) =
/// 1.515885868870569, ln 0.416 = −0.8770700187208739), while the wasm build's `f64` methods
/// agree with libm: one rounding on both sides is what makes the reports identical.
pub const LIBM_POINTS: [(f64, f64, f64); 2] = [
    (-9.84, 5.327731111854061e-5, 2.286455711064162),
    (0.416, 1.5158858688705688, -0.8770700187208738),
];

/// The acute myelogenous leukaemia data of R's `survival::aml`.
pub const AML: &str = "time,status,x\n9,1,Maintained\n13,1,Maintained\n13,0,Maintained\n18,1,Maintained\n23,1,Maintained\n28,0,Maintained\n31,1,Maintained\n34,1,Maintained\n45,0,Maintained\n48,1,Maintained\n161,0,Maintained\n5,1,Nonmaintained\n5,1,Nonmaintained\n8,1,Nonmaintained\n8,1,Nonmaintained\n12,1,Nonmaintained\n16,0,Nonmaintained\n23,1,Nonmaintained\n27,1,Nonmaintained\n30,1,Nonmaintained\n33,1,Nonmaintained\n43,1,Nonmaintained\n45,1,Nonmaintained\n";

pub struct Case {
    pub name: &'static str,
    pub csv: String,
    pub settings: Settings,
}

fn endpoint(name: &str, time: &str, event: &str) -> EndpointSpec {
    EndpointSpec {
        name: name.into(),
        time: time.into(),
        event: event.into(),
        event_values: vec!["1".into()],
        dates: None,
        plot: None,
    }
}

/// A seeded cohort of 180 patients in three arms and eight sites, written with integer
/// arithmetic only (so the data cannot differ between targets): tied times, censoring, age,
/// sex and a best overall response.
pub fn synthetic_cohort() -> String {
    let mut state: u64 = 0x5eed_2026;
    let mut next = |m: u64| {
        // 64-bit LCG (Knuth's MMIX constants); the high bits are the random ones.
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % m
    };
    let mut csv = String::from("id,arm,site,age,sex,time,status,bor\n");
    for id in 1..=180 {
        let arm = next(3);
        let site = 1 + next(8);
        let age = 38 + next(45);
        let sex = if next(2) == 0 { "F" } else { "M" };
        // later arms and younger patients live longer; months, so many ties
        let scale = 14 + 9 * arm + (82 - age) / 4;
        let time = 1 + next(scale) + next(scale);
        let status = u64::from(next(10) < 7);
        let bor = ["CR", "PR", "PR", "SD", "SD", "PD", "PD", "NE"][next(8) as usize];
        let bor = if arm == 2 && next(4) == 0 { "CR" } else { bor };
        csv.push_str(&format!(
            "{id},{},S{site},{age},{sex},{time},{status},{bor}\n",
            ["control", "low dose", "high dose"][arm as usize]
        ));
    }
    csv
}

pub fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "aml",
            csv: AML.to_string(),
            settings: Settings {
                endpoints: vec![endpoint("OS", "time", "status")],
                group: Some("x".into()),
                ..Settings::default()
            },
        },
        Case {
            name: "aml-arcsin-extra-tests",
            csv: AML.to_string(),
            settings: Settings {
                endpoints: vec![endpoint("OS", "time", "status")],
                group: Some("x".into()),
                conf_type: Some(ConfType::Arcsin),
                conf_level: 0.9,
                tests: vec![
                    ExtraTest::FlemingHarrington { p: 1.0, q: 1.0 },
                    ExtraTest::FlemingHarrington { p: 0.5, q: 2.0 },
                    ExtraTest::GehanBreslow,
                    ExtraTest::TaroneWare,
                ],
                landmarks: vec![12.0, 24.0],
                tau: Some(40.0),
                ties: Ties::Exact,
                convention: Convention::Lifelines,
                ..Settings::default()
            },
        },
        Case {
            name: "cohort-cox-cluster-response",
            csv: synthetic_cohort(),
            settings: Settings {
                endpoints: vec![endpoint("OS", "time", "status")],
                group: Some("arm".into()),
                group_levels: Some(vec![
                    "control".into(),
                    "low dose".into(),
                    "high dose".into(),
                ]),
                covariates: vec!["age".into(), "sex".into()],
                categorical: vec![Categorical {
                    variable: "sex".into(),
                    reference: "F".into(),
                }],
                cluster: Some("site".into()),
                conf_type: Some(ConfType::LogLog),
                tests: vec![ExtraTest::Trend, ExtraTest::TaroneWare],
                pairwise: true,
                landmarks: vec![6.0, 12.0, 24.0],
                tau: Some(30.0),
                response: Some("bor".into()),
                response_interval: IntervalMethod::Jeffreys,
                cohort: Some(vec!["age".into(), "sex".into(), "site".into()]),
                ..Settings::default()
            },
        },
    ]
}

/// The report of a case.
pub fn report(case: &Case) -> Report {
    let file = format!("{}.csv", case.name);
    let table = survcalc::read_table(case.csv.as_bytes(), &file).expect("the case's CSV reads");
    analyze(&table, &case.settings).expect("the case analyses")
}

/// FNV-1a, 64 bits.
pub fn fnv1a64(bytes: &[u8], mut hash: u64) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// FNV-1a's offset basis (the hash of no bytes).
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// (how many numbers, digest) of the computed parts of a report (see the module docs).
pub fn numbers_digest(report: &Report) -> (usize, u64) {
    let value = serde_json::to_value(report).expect("a report serialises");
    let mut count = 0;
    let mut hash = FNV_OFFSET;
    for part in ["endpoints", "response", "cohort"] {
        walk(&value[part], &mut |n| {
            count += 1;
            hash = fnv1a64(n.to_string().as_bytes(), hash);
            hash = fnv1a64(b",", hash);
        });
    }
    (count, hash)
}

fn walk(value: &Value, visit: &mut dyn FnMut(&serde_json::Number)) {
    match value {
        Value::Number(n) => visit(n),
        Value::Array(items) => items.iter().for_each(|v| walk(v, visit)),
        Value::Object(map) => {
            // Sorted here, whatever order the map keeps.
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for k in keys {
                walk(&map[k], visit);
            }
        }
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}
