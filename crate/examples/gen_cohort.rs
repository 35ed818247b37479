//! Deterministic synthetic cohorts for benchmarks:
//!
//! ```text
//! cargo run --release --example gen_cohort -- ROWS [ties|continuous] [SEED] > cohort.csv
//! ```
//!
//! ROWS defaults to 1000, times to `ties` (whole days), SEED to 20261125. The same arguments give
//! the same bytes on every machine.
//!
//! Columns (`id,group,age,x1,sex,time,status,weight,response`):
//!
//! * `id`: `P0`, `P1`, …
//! * `group`: `A`, `B`, `C` (uniform; log hazard ratios 0, 0.3, −0.2 against `A`)
//! * `age`: 40.0–80.0, uniform (log HR 0.02 per year)
//! * `x1`: standard normal (log HR 0.25)
//! * `sex`: `F` / `M`, a 2-level factor (log HR 0.15 for `M`)
//! * `time`: days; with `ties` rounded up to whole days (heavy ties: a few thousand distinct times
//!   at 10⁶ rows), with `continuous` six decimals
//! * `status`: 1 event (about 80% of rows), 0 censored
//! * `weight`: 1, 2 or 3 (frequency weights)
//! * `response`: best overall response `CR`/`PR`/`SD`/`PD`/`NE`, rates depending on the group
//!
//! The generator itself is `benches/cohort/mod.rs`, shared with the benchmarks.

#[path = "../benches/cohort/mod.rs"]
#[expect(dead_code, reason = "csv_bytes is for the benchmarks")]
mod cohort;

use cohort::{write_csv, Times, DEFAULT_SEED};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let times = match args.get(2).map(String::as_str) {
        Some("continuous") => Times::Continuous,
        _ => Times::Ties,
    };
    let seed: u64 = args
        .get(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    let out = std::io::stdout();
    let mut w = std::io::BufWriter::new(out.lock());
    if let Err(e) = write_csv(&mut w, rows, times, seed) {
        eprintln!("gen_cohort: cannot write ({e})");
        std::process::exit(1);
    }
}
