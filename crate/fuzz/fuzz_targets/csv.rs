//! Delimited text: arbitrary bytes read as a `.csv` file, then every cell, typed column and
//! position the rest of the core asks for.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["fuzz.csv", "fuzz.tsv"] {
        if let Ok(table) = survcalc::read_table(data, name) {
            exercise(&table);
        }
    }
});

fn exercise(table: &survcalc::data::Table) {
    let settings = survcalc::report::guess::guess_settings(table);
    let _ = survcalc::report::analyze(table, &settings);
}
