//! The estimators one at a time, on synthetic cohorts of 10⁴, 10⁵ and 10⁶ rows (whole-day times
//! with heavy ties, 3 groups; see `cohort/mod.rs`): `cargo bench -p survcalc --bench estimators`.
//!
//! The data are generated, read and split outside the timed region, once per size. What is
//! timed mirrors R's calls on the same data (`scripts/bench/survival.R`):
//!
//! * `km_medians_logrank`: the first target: Kaplan–Meier per group with pointwise CIs,
//!   the quartiles with CIs, and the log-rank test, starting from the pooled sample and the
//!   group codes (R: `survfit(Surv(time, status) ~ group)` + `quantile()` + `survdiff()`);
//! * `km_ci_per_group`, `quantiles_per_group`, `logrank`: its parts;
//! * `cox_efron`: `coxph(Surv(time, status) ~ group + age + x1 + sex)`, Efron, with the
//!   concordance (as R's `coxph` computes it) but no proportional-hazards test;
//! * `cox_efron_zph`: the same with `cox.zph` (what the report computes);
//! * `concordance`: the concordance alone, of the fitted linear predictor.

#[path = "cohort/mod.rs"]
#[expect(dead_code, reason = "the benches use the in-memory form only")]
mod cohort;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use divan::{black_box, Bencher};
use survcalc::data::value::parse_number;
use survcalc::survival::conf::ConfType;
use survcalc::survival::cox::{self, CoxData, CoxOptions};
use survcalc::survival::cox_concordance::concordance;
use survcalc::survival::km::KaplanMeier;
use survcalc::survival::logrank::g_rho_test;
use survcalc::survival::quantile::quantiles;
use survcalc::survival::Sample;

const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];
const PROBS: [f64; 3] = [0.25, 0.5, 0.75];

fn main() {
    divan::main();
}

/// One cohort, as the estimators take it.
struct Cohort {
    sample: Sample,
    group: Vec<usize>,
    names: Vec<String>,
    by_group: Vec<Sample>,
    /// groupB, groupC, age, x1, sexM
    x: Vec<Vec<f64>>,
    term_names: Vec<String>,
    variables: Vec<String>,
}

fn cohort(n: usize) -> Arc<Cohort> {
    static CACHE: OnceLock<Mutex<HashMap<usize, Arc<Cohort>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(n).or_insert_with(|| Arc::new(build(n))).clone()
}

fn build(n: usize) -> Cohort {
    let bytes = cohort::csv_bytes(n, cohort::Times::Ties, cohort::DEFAULT_SEED);
    let table = survcalc::read_table(&bytes, "cohort.csv").expect("the generated CSV reads");
    let col = |name: &str| -> Vec<&str> {
        let c = table.column_index(name).expect("a generated column");
        (0..n).map(|r| table.cell(r, c)).collect()
    };
    let num = |name: &str| -> Vec<f64> {
        col(name)
            .iter()
            .map(|s| parse_number(s).expect("a number"))
            .collect()
    };
    let time = num("time");
    let event: Vec<bool> = num("status").iter().map(|&s| s == 1.0).collect();
    let names: Vec<String> = ["A", "B", "C"].iter().map(|s| s.to_string()).collect();
    let group: Vec<usize> = col("group")
        .iter()
        .map(|g| names.iter().position(|x| x == g).expect("a group"))
        .collect();
    let male: Vec<f64> = col("sex")
        .iter()
        .map(|s| f64::from(u8::from(*s == "M")))
        .collect();
    let sample = Sample::new(time, event, None);
    let by_group = (0..names.len())
        .map(|g| {
            let rows: Vec<usize> = (0..n).filter(|&i| group[i] == g).collect();
            sample.subset(&rows)
        })
        .collect();
    let dummy = |g: usize| group.iter().map(|&x| f64::from(u8::from(x == g))).collect();
    let x = vec![dummy(1), dummy(2), num("age"), num("x1"), male];
    let term_names = ["group=B", "group=C", "age", "x1", "sex=M"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let variables = ["group", "group", "age", "x1", "sex"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    Cohort {
        sample,
        group,
        names,
        by_group,
        x,
        term_names,
        variables,
    }
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn km_medians_logrank(bencher: Bencher, n: usize) {
    let c = cohort(n);
    bencher.bench(|| {
        let mut rows: Vec<Vec<usize>> = vec![Vec::new(); c.names.len()];
        for (i, &g) in c.group.iter().enumerate() {
            rows[g].push(i);
        }
        let curves: Vec<_> = rows
            .iter()
            .map(|r| {
                let km = KaplanMeier::fit(&c.sample.subset(r));
                let bands = km.bands(0.95, ConfType::Log);
                let q = quantiles(&km, &PROBS, 0.95, ConfType::Log);
                (km, bands, q)
            })
            .collect();
        let test = g_rho_test(&c.sample, &c.group, &c.names, None, 0.0);
        black_box((curves, test))
    });
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn km_ci_per_group(bencher: Bencher, n: usize) {
    let c = cohort(n);
    bencher.bench(|| {
        c.by_group
            .iter()
            .map(|s| {
                let km = KaplanMeier::fit(s);
                let bands = km.bands(0.95, ConfType::Log);
                (km, bands)
            })
            .collect::<Vec<_>>()
    });
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn quantiles_per_group(bencher: Bencher, n: usize) {
    let c = cohort(n);
    let kms: Vec<KaplanMeier> = c.by_group.iter().map(KaplanMeier::fit).collect();
    bencher.bench(|| {
        kms.iter()
            .map(|km| quantiles(km, &PROBS, 0.95, ConfType::Log))
            .collect::<Vec<_>>()
    });
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn logrank(bencher: Bencher, n: usize) {
    let c = cohort(n);
    bencher.bench(|| g_rho_test(&c.sample, &c.group, &c.names, None, 0.0));
}

fn cox_fit(c: &Cohort, ph_test: bool) -> cox::CoxFit {
    let data = CoxData {
        time: &c.sample.time,
        event: &c.sample.event,
        weight: None,
        strata: None,
        cluster: None,
        x: &c.x,
        term_names: &c.term_names,
        variables: Some(&c.variables),
    };
    let opts = CoxOptions {
        ph_test,
        ..CoxOptions::default()
    };
    cox::fit(&data, &opts).expect("a Cox fit")
}

#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn cox_efron(bencher: Bencher, n: usize) {
    let c = cohort(n);
    bencher.bench(|| cox_fit(&c, false));
}

#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn cox_efron_zph(bencher: Bencher, n: usize) {
    let c = cohort(n);
    bencher.bench(|| cox_fit(&c, true));
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn concordance_of_lp(bencher: Bencher, n: usize) {
    let c = cohort(n);
    let fit = cox_fit(&c, false);
    let beta: Vec<f64> = fit.terms.iter().map(|t| t.coef.unwrap_or(0.0)).collect();
    let lp: Vec<f64> = (0..n)
        .map(|i| (0..beta.len()).map(|j| c.x[j][i] * beta[j]).sum())
        .collect();
    bencher.bench(|| concordance(&c.sample.time, &c.sample.event, &lp, None, None, None));
}
