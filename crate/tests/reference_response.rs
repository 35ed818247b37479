//! Response statistics against R 4.2.2 (shared/reference/expected/netg3_lines/response.json,
//! made from data/netg3_lines.csv), hand-derived cases, edge cases and properties.
//!
//! The reference's "pooled" group is our `overall`, and its "all_lines" denominator our
//! `Denominator::All`. One deliberate difference: with the evaluable denominator the reference
//! lists NE = 0 (it drops NE rows before counting), while `summarise` keeps the NE count in
//! `counts` and leaves it out of n only; the test checks exactly that.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::Deserialize;
use survcalc::math::{exp, exp_m1, ln, pow};
use survcalc::response::binomial::{proportion_ci, IntervalMethod};
use survcalc::response::chisq::{chisq_test, SMALL_EXPECTED_WARNING};
use survcalc::response::dist::{pbeta, qbeta};
use survcalc::response::fisher::fisher_exact;
use survcalc::response::label::{parse_response, Response};
use survcalc::response::rates::{
    summarise, Denominator, GroupResponse, Outcome, ResponseSummary, TestKind,
};

/// R `binom.test(x, n)$conf.int` (qbeta): our beta quantile is a root of our own incomplete
/// beta function, R's is TOMS 708 + its own Newton steps; both are accurate to a few ulps.
const TOL_CLOPPER_PEARSON: f64 = 1e-13;
/// R `prop.test(x, n, correct = FALSE / TRUE)$conf.int`: the same arithmetic with AS 241's
/// `qnorm`; observed bit-identical.
const TOL_WILSON: f64 = 1e-15;
/// x/n: one division.
const TOL_ESTIMATE: f64 = 0.0;
/// R `fisher.test(tab)$p.value` (FEXACT for r×2, r > 2; `dhyper` sums for 2×2).
const TOL_FISHER: f64 = 1e-12;
/// R `chisq.test(tab, correct = FALSE / TRUE)`: `$statistic`, `$expected`, and `$p.value`
/// (`pchisq(lower.tail = FALSE)` vs statrs' regularised incomplete gamma).
const TOL_CHISQ_STAT: f64 = 1e-14;
const TOL_CHISQ_P: f64 = 1e-13;

fn reference_dir() -> std::path::PathBuf {
    std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/reference"
    ))
    .to_path_buf()
}

/// A number of the reference file, read exactly. serde_json (without its `float_roundtrip`
/// feature, which this crate does not enable) may parse a decimal to a neighbouring double:
/// here it read 0.18119182410108206 as 0.1811918241010821. So `load` quotes every number and
/// this type parses the text with Rust's correctly rounded `str::parse`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct F(f64);

impl<'de> Deserialize<'de> for F {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<F, D::Error> {
        let text = String::deserialize(d)?;
        text.parse()
            .map(F)
            .map_err(|e| serde::de::Error::custom(format!("{text:?} is not a number ({e})")))
    }
}

/// Wraps every JSON number (outside strings) in quotes.
fn quote_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let (mut in_string, mut escaped, mut in_number) = (false, false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if in_number {
            if c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-') {
                out.push(c);
                continue;
            }
            out.push('"');
            in_number = false;
        }
        if c == '"' {
            in_string = true;
        } else if c == '-' || c.is_ascii_digit() {
            in_number = true;
            out.push('"');
        }
        out.push(c);
    }
    if in_number {
        out.push('"');
    }
    out
}

#[test]
fn quoting_keeps_strings() {
    assert_eq!(
        quote_numbers(r#"{"a-1": [1, -2.5e-3], "b": "x\"9", "c": 0}"#),
        r#"{"a-1": ["1", "-2.5e-3"], "b": "x\"9", "c": "0"}"#
    );
}

#[derive(Deserialize)]
struct RefFile {
    meta: RefMeta,
    results: Vec<RefResult>,
}

#[derive(Deserialize)]
struct RefMeta {
    group_col: String,
    group_levels: Vec<String>,
}

#[derive(Deserialize)]
struct RefResult {
    denominator: String,
    groups: Vec<RefGroup>,
    across_treatments: BTreeMap<String, RefAcross>,
    pairwise_examples: Vec<RefPairwise>,
}

#[derive(Deserialize)]
struct RefGroup {
    group: String,
    n: F,
    counts: BTreeMap<String, F>,
    orr: RefRate,
    dcr: RefRate,
}

#[derive(Deserialize)]
struct RefRate {
    x: F,
    n: F,
    estimate: F,
    clopper_pearson: RefLimits,
    wilson: RefLimits,
    wilson_cc: RefLimits,
}

#[derive(Deserialize)]
struct RefLimits {
    lower: F,
    upper: F,
}

#[derive(Deserialize)]
struct RefAcross {
    table_rows: Vec<String>,
    table: Vec<Vec<F>>,
    fisher_exact: RefFisher,
    chisq: RefChisq,
}

#[derive(Deserialize)]
struct RefFisher {
    p: F,
}

#[derive(Deserialize)]
struct RefChisq {
    statistic: F,
    df: F,
    p: F,
    #[serde(default)]
    warnings: Vec<String>,
    #[serde(default)]
    expected: Vec<Vec<F>>,
}

#[derive(Deserialize)]
struct RefPairwise {
    comparison: String,
    endpoint: String,
    table: Vec<Vec<F>>,
    fisher_exact: RefFisher,
    chisq_uncorrected: RefChisq,
    chisq_yates: RefChisq,
    warnings: Vec<String>,
}

fn floats(table: &[Vec<F>]) -> Vec<Vec<f64>> {
    table
        .iter()
        .map(|r| r.iter().map(|x| x.0).collect())
        .collect()
}

fn load() -> RefFile {
    let path = reference_dir().join("expected/netg3_lines/response.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reference file {} is missing ({e})", path.display()));
    serde_json::from_str(&quote_numbers(&text)).expect("reference JSON has the expected layout")
}

/// (group index, response, weight 1) for every line of netg3_lines.csv.
fn rows(meta: &RefMeta) -> Vec<(usize, Response, f64)> {
    let path = reference_dir().join("data/netg3_lines.csv");
    let mut reader = csv::Reader::from_path(&path)
        .unwrap_or_else(|e| panic!("data file {} is missing ({e})", path.display()));
    let headers = reader.headers().expect("header row").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name} is missing"))
    };
    let (g, r) = (col(&meta.group_col), col("best_response"));
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.expect("CSV record");
        let group = meta
            .group_levels
            .iter()
            .position(|l| l == &record[g])
            .unwrap_or_else(|| panic!("line {}: unknown group {:?}", i + 2, &record[g]));
        let response = parse_response(&record[r])
            .unwrap_or_else(|| panic!("line {}: unknown response {:?}", i + 2, &record[r]));
        out.push((group, response, 1.0));
    }
    out
}

fn denominator(name: &str) -> Denominator {
    match name {
        "all_lines" => Denominator::All,
        "evaluable" => Denominator::Evaluable,
        other => panic!("unknown denominator {other}"),
    }
}

/// The largest relative error seen per quantity, printed at the end of a test
/// (`cargo test -- --nocapture`) for the record.
#[derive(Default)]
struct Errors(RefCell<BTreeMap<&'static str, f64>>);

impl Errors {
    fn check(&self, what: &'static str, context: &str, got: f64, want: f64, tol: f64) {
        let rel = if got == want {
            0.0
        } else if want == 0.0 {
            got.abs()
        } else {
            ((got - want) / want).abs()
        };
        let mut m = self.0.borrow_mut();
        let e = m.entry(what).or_insert(0.0);
        *e = e.max(rel);
        assert!(
            rel <= tol,
            "{what} {context}: got {got:e}, R {want:e}, relative error {rel:e} > {tol:e}"
        );
    }

    fn check_opt(&self, what: &'static str, context: &str, got: Option<f64>, want: f64, tol: f64) {
        let got = got.unwrap_or_else(|| panic!("{what} {context}: got None, R {want}"));
        self.check(what, context, got, want, tol);
    }

    fn report(&self, test: &str) {
        for (what, e) in self.0.borrow().iter() {
            eprintln!("{test}: max relative error {what} = {e:e}");
        }
    }
}

fn find<'a>(s: &'a ResponseSummary, name: &str) -> &'a GroupResponse {
    if name == "pooled" {
        return &s.overall;
    }
    s.groups
        .iter()
        .find(|g| g.group == name)
        .unwrap_or_else(|| panic!("group {name} is missing"))
}

#[test]
fn rates_and_intervals_match_r() {
    let reference = load();
    let rows = rows(&reference.meta);
    let errors = Errors::default();
    let all_lines = reference
        .results
        .iter()
        .find(|r| r.denominator == "all_lines")
        .expect("an all_lines block");
    for block in &reference.results {
        let den = denominator(&block.denominator);
        for method in [
            IntervalMethod::ClopperPearson,
            IntervalMethod::Wilson,
            IntervalMethod::WilsonCc,
        ] {
            let s = summarise(&reference.meta.group_levels, &rows, den, method, 0.95);
            assert_eq!(s.groups.len(), reference.meta.group_levels.len());
            assert_eq!((s.denominator, s.method), (den, method));
            for want in &block.groups {
                let got = find(&s, &want.group);
                let ctx = format!("{} {} {:?}", block.denominator, want.group, method);
                assert_eq!(got.n, want.n.0, "{ctx}: n");
                let c = &got.counts;
                for (name, value) in [("CR", c.cr), ("PR", c.pr), ("SD", c.sd), ("PD", c.pd)] {
                    assert_eq!(value, want.counts[name].0, "{ctx}: {name}");
                }
                // NE: the raw count, which the reference gives under all_lines
                let raw_ne = all_lines
                    .groups
                    .iter()
                    .find(|g| g.group == want.group)
                    .map(|g| g.counts["NE"].0)
                    .expect("same groups in both blocks");
                assert_eq!(c.ne, raw_ne, "{ctx}: NE");
                if den == Denominator::Evaluable {
                    assert_eq!(
                        want.counts["NE"].0, 0.0,
                        "{ctx}: the reference drops NE rows"
                    );
                }
                for (label, ours, theirs) in
                    [("orr", &got.orr, &want.orr), ("dcr", &got.dcr, &want.dcr)]
                {
                    let ctx = format!("{ctx} {label}");
                    assert_eq!(theirs.n, want.n);
                    let x = if label == "orr" {
                        c.cr + c.pr
                    } else {
                        c.cr + c.pr + c.sd
                    };
                    assert_eq!(x, theirs.x.0, "{ctx}: x");
                    assert_eq!(ours.method, method);
                    errors.check_opt(
                        "estimate",
                        &ctx,
                        ours.estimate,
                        theirs.estimate.0,
                        TOL_ESTIMATE,
                    );
                    let (limits, what, tol) = match method {
                        IntervalMethod::ClopperPearson => (
                            &theirs.clopper_pearson,
                            "clopper-pearson",
                            TOL_CLOPPER_PEARSON,
                        ),
                        IntervalMethod::Wilson => (&theirs.wilson, "wilson", TOL_WILSON),
                        IntervalMethod::WilsonCc => (&theirs.wilson_cc, "wilson-cc", TOL_WILSON),
                        IntervalMethod::Jeffreys => unreachable!("not in the reference"),
                    };
                    errors.check_opt(what, &ctx, ours.lower, limits.lower.0, tol);
                    errors.check_opt(what, &ctx, ours.upper, limits.upper.0, tol);
                }
            }
        }
    }
    errors.report("rates_and_intervals_match_r");
}

#[test]
fn tests_across_treatments_match_r() {
    let reference = load();
    let rows = rows(&reference.meta);
    let errors = Errors::default();
    for block in &reference.results {
        let den = denominator(&block.denominator);
        let s = summarise(
            &reference.meta.group_levels,
            &rows,
            den,
            IntervalMethod::ClopperPearson,
            0.95,
        );
        // fisher and chi-square for ORR, then for DCR
        let kinds: Vec<(TestKind, Outcome)> = s.tests.iter().map(|t| (t.test, t.outcome)).collect();
        assert_eq!(
            kinds,
            [
                (TestKind::Fisher, Outcome::Orr),
                (TestKind::ChiSquare, Outcome::Orr),
                (TestKind::Fisher, Outcome::Dcr),
                (TestKind::ChiSquare, Outcome::Dcr),
            ]
        );
        for t in &s.tests {
            let want = &block.across_treatments[t.outcome.as_str()];
            let ctx = format!("{} {}", block.denominator, t.outcome.as_str());
            assert_eq!(want.table_rows, reference.meta.group_levels);
            match t.test {
                TestKind::Fisher => {
                    errors.check_opt("fisher p", &ctx, t.p, want.fisher_exact.p.0, TOL_FISHER);
                    assert_eq!((t.statistic, t.df, &t.warning), (None, None, &None));
                }
                TestKind::ChiSquare => {
                    errors.check_opt(
                        "chi-square statistic",
                        &ctx,
                        t.statistic,
                        want.chisq.statistic.0,
                        TOL_CHISQ_STAT,
                    );
                    errors.check_opt("chi-square p", &ctx, t.p, want.chisq.p.0, TOL_CHISQ_P);
                    assert_eq!(t.df.map(|d| d as f64), Some(want.chisq.df.0));
                    assert_eq!(
                        t.warning.iter().cloned().collect::<Vec<_>>(),
                        want.chisq.warnings
                    );
                }
            }
        }
        // The tables themselves and R's expected counts, through the modules directly.
        for (outcome, want) in &block.across_treatments {
            let ctx = format!("{} {outcome}", block.denominator);
            let table: Vec<Vec<f64>> = s
                .groups
                .iter()
                .map(|g| {
                    let yes = if outcome == "orr" {
                        g.counts.cr + g.counts.pr
                    } else {
                        g.counts.cr + g.counts.pr + g.counts.sd
                    };
                    vec![yes, g.n - yes]
                })
                .collect();
            assert_eq!(table, floats(&want.table), "{ctx}: table");
            let chi = chisq_test(&table, false).expect("a valid table");
            for (got_row, want_row) in chi.expected.iter().zip(&want.chisq.expected) {
                for (&got, &want) in got_row.iter().zip(want_row) {
                    errors.check("chi-square expected", &ctx, got, want.0, TOL_CHISQ_STAT);
                }
            }
        }
    }
    errors.report("tests_across_treatments_match_r");
}

#[test]
fn pairwise_examples_match_r() {
    let reference = load();
    let errors = Errors::default();
    for block in &reference.results {
        for ex in &block.pairwise_examples {
            let ctx = format!("{} {} {}", block.denominator, ex.comparison, ex.endpoint);
            let table = floats(&ex.table);
            let f = fisher_exact(&table).expect("a valid 2×2 table");
            errors.check("fisher p (2x2)", &ctx, f.p, ex.fisher_exact.p.0, TOL_FISHER);
            for (correct, want) in [(false, &ex.chisq_uncorrected), (true, &ex.chisq_yates)] {
                let t = chisq_test(&table, correct).expect("a valid 2×2 table");
                errors.check_opt(
                    "chi-square statistic (2x2)",
                    &ctx,
                    t.statistic,
                    want.statistic.0,
                    TOL_CHISQ_STAT,
                );
                errors.check_opt("chi-square p (2x2)", &ctx, t.p, want.p.0, TOL_CHISQ_P);
                assert_eq!(t.df as f64, want.df.0);
                assert_eq!(
                    t.warning.iter().cloned().collect::<Vec<_>>(),
                    ex.warnings,
                    "{ctx}"
                );
            }
        }
    }
    errors.report("pairwise_examples_match_r");
}

// ---------------------------------------------------------------------------------------------
// Hand-derived cases

/// Exact binomial coefficient (u128 is exact far beyond these sizes).
fn choose(n: u64, k: u64) -> u128 {
    (0..k).fold(1_u128, |c, i| c * u128::from(n - i) / u128::from(i + 1))
}

/// Fisher's p-value of an r×2 table (first-column count, row total) in exact integer
/// arithmetic: Σ Πᵢ C(nᵢ, aᵢ) over the tables at most as probable as the observed one, divided
/// by C(N, m) once at the end. Also returns whether any table lies within a relative 10⁻⁶ above
/// the observed probability (where R's tolerance would matter).
fn exact_fisher(rows: &[(u64, u64)]) -> (f64, bool) {
    fn walk(rows: &[(u64, u64)], s: u64, prod: u128, out: &mut Vec<u128>) {
        match rows.split_first() {
            None => {
                if s == 0 {
                    out.push(prod);
                }
            }
            Some((&(_, n), rest)) => {
                for a in 0..=n.min(s) {
                    walk(rest, s - a, prod * choose(n, a), out);
                }
            }
        }
    }
    let m: u64 = rows.iter().map(|r| r.0).sum();
    let big_n: u64 = rows.iter().map(|r| r.1).sum();
    let observed: u128 = rows.iter().map(|&(a, n)| choose(n, a)).product();
    let mut all = Vec::new();
    walk(rows, m, 1, &mut all);
    let num: u128 = all.iter().filter(|&&p| p <= observed).sum();
    let near = all
        .iter()
        .any(|&p| p > observed && (p - observed) * 1_000_000 <= observed);
    (num as f64 / choose(big_n, m) as f64, near)
}

#[test]
fn fisher_rx2_against_exact_integers() {
    // the netg3 tables; R's FEXACT values are 3e−14 from these, ours within 1e−15
    let reference = load();
    for block in &reference.results {
        for (outcome, want) in &block.across_treatments {
            let rows: Vec<(u64, u64)> = floats(&want.table)
                .iter()
                .map(|r| (r[0] as u64, (r[0] + r[1]) as u64))
                .collect();
            let (exact, near) = exact_fisher(&rows);
            assert!(!near, "a near-tie would make the tolerance matter");
            let got = fisher_exact(&floats(&want.table)).expect("valid").p;
            let r = want.fisher_exact.p.0;
            eprintln!(
                "{} {outcome}: ours − exact = {:e}, R − exact = {:e} (relative)",
                block.denominator,
                (got - exact) / exact,
                (r - exact) / exact
            );
            assert!(((got - exact) / exact).abs() < 1e-14);
        }
    }
}

#[test]
fn clopper_pearson_closed_forms() {
    let cp = |x: f64, n: f64| proportion_ci(x, n, 0.95, IntervalMethod::ClopperPearson);
    // x = 0: upper = 1 − 0.025^(1/n); x = n: lower = 0.025^(1/n)
    let p = cp(0.0, 10.0);
    assert_eq!((p.estimate, p.lower), (Some(0.0), Some(0.0)));
    let upper = p.upper.expect("an upper limit");
    assert!((upper - (1.0 - pow(0.025, 0.1))).abs() < 1e-15, "{upper}");
    let p = cp(10.0, 10.0);
    assert_eq!(p.upper, Some(1.0));
    assert!((p.lower.expect("a lower limit") - pow(0.025, 0.1)).abs() < 1e-15);
    // x = 1: lower = qbeta(0.025, 1, n) = 1 − 0.975^(1/n); x = n − 1: upper = 0.975^(1/n)
    for n in [2.0, 7.0, 47.0, 1000.0] {
        let lo = cp(1.0, n).lower.expect("a lower limit");
        let exact = -exp_m1(ln(0.975) / n);
        assert!(
            ((lo - exact) / exact).abs() < 1e-13,
            "n={n}: {lo} vs {exact}"
        );
        let up = cp(n - 1.0, n).upper.expect("an upper limit");
        let exact = exp(ln(0.975) / n);
        assert!(
            ((up - exact) / exact).abs() < 1e-15,
            "n={n}: {up} vs {exact}"
        );
    }
    // 5/20 at 95 %: [0.0866, 0.4910] (and to 1e-12 against a bisection on the exact binomial
    // tail, computed in Python: 0.08657146910143454, 0.4910458717079573)
    let p = cp(5.0, 20.0);
    let (lo, up) = (p.lower.expect("lower"), p.upper.expect("upper"));
    assert_eq!(
        (format!("{lo:.4}"), format!("{up:.4}")),
        ("0.0866".to_string(), "0.4910".to_string())
    );
    assert!((lo - 0.086_571_469_101_434_54).abs() < 1e-12);
    assert!((up - 0.491_045_871_707_957_3).abs() < 1e-12);
    // and the defining property: P(X ≥ 5 | p = lower) = 0.025 with X ~ Bin(20, p)
    let tail: f64 = (5..=20_u64)
        .map(|k| choose(20, k) as f64 * pow(lo, k as f64) * pow(1.0 - lo, (20 - k) as f64))
        .sum();
    assert!((tail - 0.025).abs() < 1e-15, "{tail}");
}

#[test]
fn wilson_closed_forms() {
    // x = 0: [0, z²/(n + z²)]; and a 90 % level through the same formula
    let z = 1.959_963_984_540_053_6_f64; // R: qnorm(0.975)
    let p = proportion_ci(0.0, 12.0, 0.95, IntervalMethod::Wilson);
    assert_eq!(p.lower, Some(0.0));
    let up = p.upper.expect("upper");
    assert!((up - z * z / (12.0 + z * z)).abs() < 1e-15);
    // x = n/2 is the centre: the interval is symmetric about ½
    let p = proportion_ci(6.0, 12.0, 0.9, IntervalMethod::Wilson);
    let (lo, up) = (p.lower.expect("lower"), p.upper.expect("upper"));
    assert!((lo + up - 1.0).abs() < 1e-15);
    // continuity correction with R's YATES = min(½, |x − n/2|): at x = n/2 it vanishes, at
    // |x − n/2| = ¼ it is ¼
    let cc = proportion_ci(6.0, 12.0, 0.9, IntervalMethod::WilsonCc);
    assert_eq!((cc.lower, cc.upper), (Some(lo), Some(up)));
    let quarter = proportion_ci(2.75, 5.0, 0.95, IntervalMethod::WilsonCc);
    let shifted = proportion_ci(2.5, 5.0, 0.95, IntervalMethod::Wilson);
    // lower limit of x = 2.75 with correction ¼ uses p̂ − ¼/n = 2.5/5, i.e. the Wilson lower limit at 2.5
    assert!((quarter.lower.expect("lower") - shifted.lower.expect("lower")).abs() < 1e-15);
}

#[test]
fn fisher_2x2_is_a_hand_sum_of_hypergeometric_probabilities() {
    // [[7, 13], [2, 8]]: 9 responders among 20 + 10. P(a) = C(20, a) C(10, 9 − a) / C(30, 9).
    let total = choose(30, 9) as f64;
    let prob = |a: u64| (choose(20, a) * choose(10, 9 - a)) as f64 / total;
    let p_obs = prob(7);
    let hand: f64 = (0..=9)
        .map(prob)
        .filter(|&p| p <= p_obs * (1.0 + 1e-7))
        .sum();
    let got = fisher_exact(&[vec![7.0, 13.0], vec![2.0, 8.0]])
        .expect("valid")
        .p;
    assert!(((got - hand) / hand).abs() < 1e-14, "{got} vs {hand}");
    // R: fisher.test(matrix(c(7, 2, 13, 8), 2))$p.value
    assert!(((got - 0.674_903_806_837_839_9) / got).abs() < TOL_FISHER);
    // in exact integers: every table but a = 6 (P(6) = 0.325 > P(7) = 0.244)
    let num: u128 = [0, 1, 2, 3, 4, 5, 7, 8, 9]
        .iter()
        .map(|&a| choose(20, a) * choose(10, 9 - a))
        .sum();
    assert!(((got - num as f64 / total) / got).abs() < 1e-15);
    assert!(((hand - num as f64 / total) / hand).abs() < 1e-15);
}

#[test]
fn chisq_2x2_closed_forms() {
    // X² = N(ad − bc)² / (r₁r₂c₁c₂); with Yates, (|ad − bc| − N/2)² in the numerator
    let (a, b, c, d) = (13.0, 7.0, 4.0, 4.0);
    let n: f64 = a + b + c + d;
    let den = (a + b) * (c + d) * (a + c) * (b + d);
    let t = chisq_test(&[vec![a, b], vec![c, d]], false).expect("valid");
    let want = n * (a * d - b * c) * (a * d - b * c) / den;
    assert!((t.statistic.expect("X²") - want).abs() < 1e-15);
    let y = chisq_test(&[vec![a, b], vec![c, d]], true).expect("valid");
    let yates = (a * d - b * c).abs() - n / 2.0;
    let want = n * yates * yates / den;
    assert!((y.statistic.expect("X²") - want).abs() < 1e-15);
    assert_eq!(y.warning.as_deref(), Some(SMALL_EXPECTED_WARNING));
    // df = 1: p = erfc(√(X²/2)); 0.5390374331550801 → 0.46283191931412354 (R)
    assert!((t.p.expect("p") - 0.462_831_919_314_123_54).abs() < 1e-15);
}

// ---------------------------------------------------------------------------------------------
// Edge cases

#[test]
fn edge_cases() {
    for m in IntervalMethod::ALL {
        let p = proportion_ci(0.0, 0.0, 0.95, m);
        assert_eq!((p.estimate, p.lower, p.upper), (None, None, None), "{m:?}");
        let p = proportion_ci(0.0, 5.0, 0.95, m);
        assert_eq!((p.estimate, p.lower), (Some(0.0), Some(0.0)), "{m:?}");
        let p = proportion_ci(5.0, 5.0, 0.95, m);
        assert_eq!((p.estimate, p.upper), (Some(1.0), Some(1.0)), "{m:?}");
        let p = proportion_ci(6.0, 5.0, 0.95, m);
        assert_eq!(p.estimate, None, "{m:?}: x > n");
    }
    // one group: rates but no tests
    let groups = vec!["only".to_string()];
    let rows = vec![(0, Response::PR, 1.0), (0, Response::PD, 1.0)];
    let s = summarise(
        &groups,
        &rows,
        Denominator::All,
        IntervalMethod::Jeffreys,
        0.95,
    );
    assert!(s.tests.is_empty());
    assert_eq!(s.groups[0].orr.estimate, Some(0.5));
    assert_eq!(
        s.groups[0],
        GroupResponse {
            group: "only".to_string(),
            ..s.overall.clone()
        }
    );
    // no rows at all
    let s = summarise(
        &groups,
        &[],
        Denominator::Evaluable,
        IntervalMethod::ClopperPearson,
        0.95,
    );
    assert_eq!(
        (s.overall.n, s.overall.orr.estimate, s.overall.dcr.upper),
        (0.0, None, None)
    );
    // Fisher: 2×2 with a zero row total or a zero column is p = 1
    assert_eq!(
        fisher_exact(&[vec![0.0, 0.0], vec![3.0, 1.0]]).map(|t| t.p),
        Ok(1.0)
    );
    assert_eq!(
        fisher_exact(&[vec![0.0, 5.0], vec![0.0, 1.0]]).map(|t| t.p),
        Ok(1.0)
    );
    // NaN never appears in the JSON of a degenerate summary
    let rows = vec![(0, Response::NE, 1.0)];
    let s = summarise(
        &groups,
        &rows,
        Denominator::Evaluable,
        IntervalMethod::WilsonCc,
        0.95,
    );
    let json = serde_json::to_string(&s).expect("serialises");
    assert!(!json.contains("NaN"), "{json}");
}

#[test]
fn weights_count_as_repeated_rows() {
    let groups = vec!["A".to_string(), "B".to_string()];
    let weighted = vec![
        (0, Response::PR, 3.0),
        (0, Response::PD, 2.0),
        (1, Response::SD, 4.0),
        (1, Response::PR, 1.0),
    ];
    let mut expanded = Vec::new();
    for &(g, r, w) in &weighted {
        for _ in 0..(w as usize) {
            expanded.push((g, r, 1.0));
        }
    }
    let a = summarise(
        &groups,
        &weighted,
        Denominator::All,
        IntervalMethod::ClopperPearson,
        0.95,
    );
    let b = summarise(
        &groups,
        &expanded,
        Denominator::All,
        IntervalMethod::ClopperPearson,
        0.95,
    );
    assert_eq!(a, b);
}

// ---------------------------------------------------------------------------------------------
// Properties

fn method() -> impl Strategy<Value = IntervalMethod> {
    prop::sample::select(IntervalMethod::ALL.to_vec())
}

fn response() -> impl Strategy<Value = Response> {
    prop::sample::select(Response::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn interval_contains_estimate_within_unit(n in 1_u32..400, frac in 0.0..=1.0_f64, level in 0.5..0.999_f64, m in method()) {
        let n = f64::from(n);
        let x = (frac * n).round();
        let p = proportion_ci(x, n, level, m);
        let (est, lo, up) = (p.estimate.expect("estimate"), p.lower.expect("lower"), p.upper.expect("upper"));
        prop_assert!((0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&up));
        prop_assert!(lo <= est && est <= up, "{lo} {est} {up}");
        prop_assert!(lo < up);
    }

    /// Jeffreys ⊆ Clopper–Pearson (Beta(x, n−x+1) ≤ Beta(x+½, n−x+½) ≤ Beta(x+1, n−x)
    /// stochastically), and Wilson ⊆ Wilson-cc (the score limits increase with p̂).
    #[test]
    fn nested_intervals(n in 1_u32..400, frac in 0.0..=1.0_f64, level in 0.5..0.999_f64) {
        let n = f64::from(n);
        let x = (frac * n).round();
        let cp = proportion_ci(x, n, level, IntervalMethod::ClopperPearson);
        let je = proportion_ci(x, n, level, IntervalMethod::Jeffreys);
        let w = proportion_ci(x, n, level, IntervalMethod::Wilson);
        let cc = proportion_ci(x, n, level, IntervalMethod::WilsonCc);
        prop_assert!(cp.lower <= je.lower && je.upper <= cp.upper, "{cp:?} {je:?}");
        prop_assert!(cc.lower <= w.lower && w.upper <= cc.upper, "{cc:?} {w:?}");
    }

    /// Clopper–Pearson mirrors: lower(x, n) = 1 − upper(n − x, n); wider at a higher level.
    #[test]
    fn clopper_pearson_symmetry_and_levels(n in 1_u32..2000, frac in 0.0..=1.0_f64) {
        let n = f64::from(n);
        let x = (frac * n).round();
        let a = proportion_ci(x, n, 0.95, IntervalMethod::ClopperPearson);
        let b = proportion_ci(n - x, n, 0.95, IntervalMethod::ClopperPearson);
        let (lo, up) = (a.lower.expect("lower"), b.upper.expect("upper"));
        prop_assert!((lo - (1.0 - up)).abs() <= 1e-14, "{lo} vs 1 − {up}");
        let wide = proportion_ci(x, n, 0.99, IntervalMethod::ClopperPearson);
        prop_assert!(wide.lower <= a.lower && a.upper <= wide.upper);
    }

    /// The quantile is within a few ulps of the exact one: either I(x) is within 1e-13 of p, or
    /// p lies between I at the doubles four steps either side of x (± 1e-14 for the noise of
    /// I itself). Near x = 1 with b < 1 the density is in the thousands, so one ulp of x moves
    /// I(x) by ~1e-12 and only the second can hold in double precision; R has the same limit.
    #[test]
    fn qbeta_inverts_pbeta(a in 0.5..500.0_f64, b in 0.5..500.0_f64, p in 0.001..0.999_f64) {
        let x = qbeta(p, a, b).expect("valid");
        let back = pbeta(x, a, b).expect("valid");
        if (back - p).abs() > 1e-13 {
            let (mut below, mut above) = (x, x);
            for _ in 0..4 {
                below = below.next_down();
                above = above.next_up();
            }
            let lo = pbeta(below, a, b).expect("valid");
            let hi = pbeta(above.min(1.0), a, b).expect("valid");
            prop_assert!(lo - 1e-14 <= p && p <= hi + 1e-14, "a={a} b={b} p={p}: {x} → {back}, [{lo}, {hi}]");
        }
    }

    /// Regression: a = 15.45, b = 0.5, p = 0.998 puts the quantile 1.6e-7 below 1, where an ulp
    /// of x is worth 1.2e-12 of probability (the CI failure of an earlier session).
    #[test]
    fn qbeta_near_one_with_small_b(p in 0.99..0.999_f64) {
        let (a, b) = (15.446_976_960_578_134, 0.5);
        let x = qbeta(p, a, b).expect("valid");
        let (lo, hi) = (pbeta(x.next_down().next_down(), a, b).expect("valid"), pbeta(x.next_up().next_up().min(1.0), a, b).expect("valid"));
        prop_assert!(lo - 1e-14 <= p && p <= hi + 1e-14, "p={p}: {x} → [{lo}, {hi}]");
    }

    /// Fisher p ∈ (0, 1], unchanged by the order of the rows or by transposition.
    #[test]
    fn fisher_p_in_unit_interval(rows in prop::collection::vec((0_u32..12, 0_u32..12), 2..5)) {
        let table: Vec<Vec<f64>> = rows.iter().map(|&(a, b)| vec![f64::from(a), f64::from(b)]).collect();
        let p = fisher_exact(&table).expect("valid").p;
        prop_assert!(p > 0.0 && p <= 1.0);
        let mut reversed = table.clone();
        reversed.reverse();
        let q = fisher_exact(&reversed).expect("valid").p;
        prop_assert!((p - q).abs() <= 1e-12 * p);
        let transposed: Vec<Vec<f64>> = (0..2).map(|j| table.iter().map(|r| r[j]).collect()).collect();
        let t = fisher_exact(&transposed).expect("valid").p;
        prop_assert!((p - t).abs() <= 1e-12 * p);
        // the observed table itself always counts, so p ≥ its own probability > 0;
        // and the chi-square p is a probability too
        if let Some(c) = chisq_test(&table, false).expect("valid").p {
            prop_assert!((0.0..=1.0).contains(&c));
        }
    }

    /// The summary does not depend on the order of the rows; counts add up.
    #[test]
    fn summary_ignores_row_order(rows in prop::collection::vec((0_usize..3, response()), 0..60), seed in any::<u64>(), m in method()) {
        let groups: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let rows: Vec<(usize, Response, f64)> = rows.into_iter().map(|(g, r)| (g, r, 1.0)).collect();
        let mut shuffled = rows.clone();
        // a deterministic permutation from the seed
        let len = shuffled.len();
        if len > 1 {
            let mut s = seed;
            for i in (1..len).rev() {
                s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                let j = (s >> 33) as usize % (i + 1);
                shuffled.swap(i, j);
            }
        }
        for den in [Denominator::All, Denominator::Evaluable] {
            let a = summarise(&groups, &rows, den, m, 0.95);
            let b = summarise(&groups, &shuffled, den, m, 0.95);
            prop_assert_eq!(&a, &b);
            let total: f64 = a.groups.iter().map(|g| g.n).sum();
            prop_assert_eq!(total, a.overall.n);
            for t in &a.tests {
                if let Some(p) = t.p {
                    prop_assert!((0.0..=1.0).contains(&p));
                }
            }
        }
    }
}
