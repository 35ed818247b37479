//! Deterministic synthetic cohorts, shared by `examples/gen_cohort.rs` (which writes them as
//! CSV) and the benchmarks (which analyse them in memory).
//!
//! One row per patient, with the columns of [`HEADER`]:
//!
//! | column | values |
//! |---|---|
//! | `id` | `P0`, `P1`, … |
//! | `group` | `A`, `B` or `C` (uniform; log hazard ratios 0, 0.3, −0.2 against `A`) |
//! | `age` | 40.0 to 80.0 (uniform, one decimal; log HR 0.02 per year) |
//! | `x1` | standard normal (four decimals; log HR 0.25) |
//! | `sex` | `F` or `M` (a 2-level factor, half each; log HR 0.15 for `M`) |
//! | `time` | exponential event time with baseline hazard 0.002 per day, censored by an independent exponential with hazard 0.0005: about 80% of rows have the event. [`Times::Ties`] rounds up to whole days (heavy ties, as registry data: a few thousand distinct times at 10⁶ rows); [`Times::Continuous`] keeps six decimals |
//! | `status` | 1 event, 0 censored |
//! | `weight` | 1, 2 or 3 (frequency weights, for the weighted variants) |
//! | `response` | best overall response `CR`, `PR`, `SD`, `PD` or `NE`, its rates depending on the group |
//!
//! The stream is SplitMix64 from the seed, and every transcendental goes through
//! `survcalc::math` (libm), so a given (rows, times, seed) gives the same bytes on every machine.

use std::io::Write;

use survcalc::math::{cos, exp, ln};

/// The CSV header line (without the newline).
pub const HEADER: &str = "id,group,age,x1,sex,time,status,weight,response";

/// The default seed of `gen_cohort`.
pub const DEFAULT_SEED: u64 = 20_261_125;

/// How times are recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Times {
    /// Whole days (rounded up): heavy ties.
    Ties,
    /// Six decimals: essentially no ties.
    Continuous,
}

/// SplitMix64: small, fast and reproducible everywhere.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * ln(u)).sqrt() * cos(2.0 * std::f64::consts::PI * v)
    }
}

/// Writes `rows` rows (and the header) as CSV.
///
/// # Errors
/// Those of the writer.
pub fn write_csv(w: &mut impl Write, rows: usize, times: Times, seed: u64) -> std::io::Result<()> {
    const GROUPS: [&str; 3] = ["A", "B", "C"];
    // P(CR, PR, SD, PD) per group, cumulative; the rest is NE
    const RESPONSE: [[f64; 4]; 3] = [
        [0.05, 0.25, 0.55, 0.95],
        [0.08, 0.33, 0.63, 0.96],
        [0.03, 0.20, 0.50, 0.94],
    ];
    let mut rng = Rng(seed);
    writeln!(w, "{HEADER}")?;
    for i in 0..rows {
        let g = (rng.next_u64() % 3) as usize;
        let age = 40.0 + 40.0 * rng.uniform();
        let x1 = rng.normal();
        let male = rng.next_u64() % 2 == 1;
        let lp = [0.0, 0.3, -0.2][g] + 0.02 * (age - 60.0) + 0.25 * x1 + 0.15 * f64::from(male);
        let event_time = -ln(rng.uniform()) / (0.002 * exp(lp));
        let censor_time = -ln(rng.uniform()) / 0.0005;
        let (t, status) = if event_time <= censor_time {
            (event_time, 1)
        } else {
            (censor_time, 0)
        };
        let weight = 1 + rng.next_u64() % 3;
        let u = rng.uniform();
        let response = ["CR", "PR", "SD", "PD"]
            .iter()
            .zip(RESPONSE[g])
            .find(|(_, c)| u < *c)
            .map_or("NE", |(r, _)| *r);
        let sex = if male { "M" } else { "F" };
        let group = GROUPS[g];
        match times {
            Times::Ties => writeln!(
                w,
                "P{i},{group},{age:.1},{x1:.4},{sex},{},{status},{weight},{response}",
                t.ceil()
            )?,
            Times::Continuous => writeln!(
                w,
                "P{i},{group},{age:.1},{x1:.4},{sex},{t:.6},{status},{weight},{response}"
            )?,
        }
    }
    Ok(())
}

/// The CSV text of a cohort, for in-memory use.
pub fn csv_bytes(rows: usize, times: Times, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * 48 + 64);
    // writing into a Vec cannot fail
    let _ = write_csv(&mut out, rows, times, seed);
    out
}
