//! Reading files: `cargo bench -p survcalc --bench read`.
//!
//! * `csv`: [`survcalc::read_table`] on a 6-column cohort CSV (`id,group,age,x1,time,status`,
//!   about 30 bytes a row) of 10⁴, 10⁵ and 10⁶ rows, generated in memory;
//! * `csv_typed`: the same plus what the page asks next, the column summaries and the preview
//!   (every column typed);
//! * `xlsx`: the same cohorts of 10⁴ and 10⁵ rows as an Excel workbook written with
//!   `rust_xlsxwriter` (numbers stored as numbers).
//!
//! Generating the inputs is outside the timed region.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use divan::counter::BytesCount;
use divan::{black_box, Bencher};

fn main() {
    divan::main();
}

/// SplitMix64, so the inputs are the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One row of the cohort: id, group, age, x1, time, status.
fn row(rng: &mut Rng, i: usize) -> (String, &'static str, f64, f64, f64, u8) {
    let group = ["A", "B", "C"][rng.below(3) as usize];
    let age = 40.0 + rng.below(400) as f64 / 10.0;
    let x1 = (rng.below(80_001) as f64 - 40_000.0) / 10_000.0;
    let time = 1.0 + rng.below(3_000) as f64;
    let status = u8::from(rng.below(5) != 0);
    (format!("P{i}"), group, age, x1, time, status)
}

fn csv_bytes(rows: usize) -> Vec<u8> {
    use std::fmt::Write;
    let mut rng = Rng(20_261_125);
    let mut out = String::with_capacity(rows * 32 + 64);
    out.push_str("id,group,age,x1,time,status\n");
    for i in 0..rows {
        let (id, group, age, x1, time, status) = row(&mut rng, i);
        let _ = writeln!(out, "{id},{group},{age:.1},{x1:.4},{time},{status}");
    }
    out.into_bytes()
}

fn xlsx_bytes(rows: usize) -> Vec<u8> {
    let mut rng = Rng(20_261_125);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["id", "group", "age", "x1", "time", "status"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).expect("writes");
    }
    for i in 0..rows {
        let (id, group, age, x1, time, status) = row(&mut rng, i);
        let r = i as u32 + 1;
        ws.write_string(r, 0, id).expect("writes");
        ws.write_string(r, 1, group).expect("writes");
        ws.write_number(r, 2, age).expect("writes");
        ws.write_number(r, 3, x1).expect("writes");
        ws.write_number(r, 4, time).expect("writes");
        ws.write_number(r, 5, f64::from(status)).expect("writes");
    }
    wb.save_to_buffer().expect("saves")
}

/// Inputs are generated once per size and kept for every sample.
fn cached(kind: &'static str, n: usize, make: fn(usize) -> Vec<u8>) -> Arc<Vec<u8>> {
    type Cache = Mutex<HashMap<(&'static str, usize), Arc<Vec<u8>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    map.entry((kind, n))
        .or_insert_with(|| Arc::new(make(n)))
        .clone()
}

#[divan::bench(args = [10_000, 100_000, 1_000_000], sample_count = 10)]
fn csv(bencher: Bencher, n: usize) {
    let bytes = cached("csv", n, csv_bytes);
    bencher
        .counter(BytesCount::new(bytes.len()))
        .bench(|| survcalc::read_table(black_box(&bytes), "cohort.csv").expect("reads"));
}

#[divan::bench(args = [10_000, 100_000, 1_000_000], sample_count = 10)]
fn csv_typed(bencher: Bencher, n: usize) {
    let bytes = cached("csv", n, csv_bytes);
    bencher.counter(BytesCount::new(bytes.len())).bench(|| {
        let t = survcalc::read_table(black_box(&bytes), "cohort.csv").expect("reads");
        (t.column_info(), t.preview(20))
    });
}

#[divan::bench(args = [10_000, 100_000], sample_count = 5)]
fn xlsx(bencher: Bencher, n: usize) {
    let bytes = cached("xlsx", n, xlsx_bytes);
    bencher
        .counter(BytesCount::new(bytes.len()))
        .bench(|| survcalc::read_table(black_box(&bytes), "cohort.xlsx").expect("reads"));
}
