//! Peak heap memory per stage, for the memory target of the speed work (peak ≤ 3× the file):
//!
//! ```text
//! cargo run --release --example gen_cohort -- 1000000 > cohort.csv
//! cargo run --release --example peak_memory -- cohort.csv
//! ```
//!
//! Does what the page does with a file, in the same order: reads the bytes, opens the table,
//! guesses the settings and runs that default analysis, then the two analyses of the browser
//! benchmark (Kaplan–Meier + medians + log-rank by `group`; the same plus a Cox model with
//! `age` and `x1`, Efron). dhat's heap profiler records the bytes live at the end of each stage
//! and the highest count reached so far (the stage that raises it set the peak); the table
//! prints both in MB and as a multiple of the file's size, and `dhat-heap.json` lists the
//! allocation sites live at the peak. The page's WebAssembly memory is this peak plus the allocator's
//! fragmentation (it never shrinks), so this is the part the code controls.

use survcalc::report::settings::Settings;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

struct Row {
    stage: String,
    peak: usize,
    live: usize,
}

fn mark(rows: &mut Vec<Row>, stage: &str) {
    let stats = dhat::HeapStats::get();
    rows.push(Row {
        stage: stage.to_string(),
        peak: stats.max_bytes,
        live: stats.curr_bytes,
    });
}

fn settings(json: &str) -> Settings {
    serde_json::from_str(json).expect("the benchmark's settings parse")
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: peak_memory FILE.csv (e.g. from the gen_cohort example)");
        std::process::exit(2);
    };
    // Writes dhat-heap.json: the allocation sites live at the peak (open it in dhat's viewer).
    let profiler = dhat::Profiler::new_heap();
    let mut rows = Vec::new();
    mark(&mut rows, "start");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("peak_memory: cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let file = bytes.len();
    mark(&mut rows, "file bytes");
    let table = match survcalc::read_table(&bytes, &path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("peak_memory: {e}");
            std::process::exit(1);
        }
    };
    mark(&mut rows, "open the table");
    // The page keeps the file's bytes in JavaScript, not in the module's memory.
    drop(bytes);
    mark(&mut rows, "file bytes released");
    let analyses = [
        (
            "default analysis (guessed settings)",
            survcalc::report::guess::guess_settings(&table),
        ),
        (
            "KM + medians + log-rank",
            settings(
                r#"{"endpoints":[{"name":"Survival","time":"time","event":"status","event_values":["1"]}],
                   "group":"group","cohort":[],"landmarks":[],"covariates":[]}"#,
            ),
        ),
        (
            "Cox Efron, 4 terms (+ KM, log-rank)",
            settings(
                r#"{"endpoints":[{"name":"Survival","time":"time","event":"status","event_values":["1"]}],
                   "group":"group","cohort":[],"landmarks":[],"covariates":["age","x1"],"ties":"efron"}"#,
            ),
        ),
    ];
    let mut last = None;
    for (name, settings) in analyses {
        // The workspace keeps the last report until the next one is made.
        let report = survcalc::report::analyze::analyze_with_stages(&table, &settings, &mut |s| {
            mark(&mut rows, &format!("  {name}: {s}"));
        });
        match report {
            Ok(r) => last = Some(r),
            Err(e) => eprintln!("peak_memory: {name}: {e}"),
        }
        mark(&mut rows, &format!("{name}: report kept"));
    }
    drop(last);
    drop(profiler);
    let mb = |b: usize| b as f64 / 1e6;
    println!("file: {path}, {:.1} MB", mb(file));
    println!(
        "{:<70} {:>10} {:>8} {:>10}",
        "stage", "peak so far MB", "× file", "live MB"
    );
    let mut overall = 0;
    for r in &rows {
        overall = overall.max(r.peak);
        println!(
            "{:<70} {:>10.1} {:>8.2} {:>10.1}",
            r.stage,
            mb(r.peak),
            r.peak as f64 / file as f64,
            mb(r.live)
        );
    }
    println!(
        "overall peak: {:.1} MB = {:.2} × the file",
        mb(overall),
        overall as f64 / file as f64
    );
}
