//! Deterministic synthetic cohorts for benchmarks: `cargo run --release --example gen_cohort --
//! ROWS [ties|continuous] [SEED] > cohort.csv`.
//!
//! Columns: id, group (A/B/C), age, x1 (standard normal), time, status, weight. With `ties`
//! (default) times are whole days (heavy ties, as registry data); with `continuous` they are
//! not rounded. Hazards depend on group, age and x1; about 80% of rows have the event.

use std::io::Write;

use survcalc::math::{cos, exp, ln};

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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let ties = args.get(2).is_none_or(|s| s != "continuous");
    let seed: u64 = args
        .get(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_125);
    let mut rng = Rng(seed);
    let out = std::io::stdout();
    let mut w = std::io::BufWriter::new(out.lock());
    let _ = writeln!(w, "id,group,age,x1,time,status,weight");
    for i in 0..rows {
        let g = (rng.next_u64() % 3) as usize;
        let age = 40.0 + 40.0 * rng.uniform();
        let x1 = rng.normal();
        let lp = [0.0, 0.3, -0.2][g] + 0.02 * (age - 60.0) + 0.25 * x1;
        let event_time = -ln(rng.uniform()) / (0.002 * exp(lp));
        let censor_time = -ln(rng.uniform()) / 0.0005;
        let (mut t, status) = if event_time <= censor_time {
            (event_time, 1)
        } else {
            (censor_time, 0)
        };
        if ties {
            t = t.ceil();
        }
        let weight = 1 + rng.next_u64() % 3;
        let _ = if ties {
            writeln!(
                w,
                "P{i},{},{age:.1},{x1:.4},{t},{status},{weight}",
                ["A", "B", "C"][g]
            )
        } else {
            writeln!(
                w,
                "P{i},{},{age:.1},{x1:.4},{t:.6},{status},{weight}",
                ["A", "B", "C"][g]
            )
        };
    }
}
