//! Workbooks: arbitrary bytes read as an `.xlsx` file (calamine decides the format from the
//! content: zip for xlsx/ods, OLE for xls), then analysed with the guessed settings.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = survcalc::data::workbook::sheet_names(data, "fuzz.xlsx");
    if let Ok(table) = survcalc::read_table(data, "fuzz.xlsx") {
        let settings = survcalc::report::guess::guess_settings(&table);
        let _ = survcalc::report::analyze(&table, &settings);
    }
});
