//! The whole report ([`survcalc::report::analyze`], what the CLI and the page run) on synthetic
//! cohorts of 10⁴, 10⁵ and 10⁶ rows: `cargo bench -p survcalc --bench report`.
//!
//! The settings are the issue's: one endpoint (`time`, `status`), Kaplan–Meier curves by `group`
//! with CIs, medians and quartiles, the log-rank and Peto–Peto tests, the univariable Cox model
//! of the group and the multivariable one `group + age + x1 + sex` (Efron, with concordance and
//! the proportional-hazards test), the best-response rates and the cohort table. Reading the
//! file and writing the JSON are outside the timed region (`read` and `json` time them).

#[path = "cohort/mod.rs"]
#[expect(dead_code, reason = "the benches use the in-memory form only")]
mod cohort;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use divan::Bencher;
use survcalc::data::Table;
use survcalc::report::settings::Categorical;
use survcalc::report::{analyze, EndpointSpec, Settings};

const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

fn main() {
    divan::main();
}

fn csv(n: usize) -> Arc<Vec<u8>> {
    static CACHE: OnceLock<Mutex<HashMap<usize, Arc<Vec<u8>>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(n)
        .or_insert_with(|| {
            Arc::new(cohort::csv_bytes(
                n,
                cohort::Times::Ties,
                cohort::DEFAULT_SEED,
            ))
        })
        .clone()
}

fn table(n: usize) -> Table {
    survcalc::read_table(&csv(n), "cohort.csv").expect("the generated CSV reads")
}

/// The settings of the issue (as the CLI's `--time time --event status --group group
/// --covariates age,x1,sex --categorical sex=F --response response`).
pub fn settings() -> Settings {
    Settings {
        endpoints: vec![EndpointSpec {
            name: "Survival".to_string(),
            time: "time".to_string(),
            event: "status".to_string(),
            event_values: Vec::new(),
            dates: None,
            plot: None,
        }],
        group: Some("group".to_string()),
        covariates: ["age", "x1", "sex"].iter().map(|s| s.to_string()).collect(),
        categorical: vec![Categorical {
            variable: "sex".to_string(),
            reference: "F".to_string(),
        }],
        response: Some("response".to_string()),
        ..Settings::default()
    }
}

#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn analyze_report(bencher: Bencher, n: usize) {
    let t = table(n);
    let s = settings();
    bencher.bench(|| analyze(&t, &s).expect("a report"));
}

#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn read(bencher: Bencher, n: usize) {
    let bytes = csv(n);
    bencher.bench(|| survcalc::read_table(&bytes, "cohort.csv").expect("the CSV reads"));
}

#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn json(bencher: Bencher, n: usize) {
    let report = analyze(&table(n), &settings()).expect("a report");
    bencher.bench(|| survcalc::report_json(&report));
}
