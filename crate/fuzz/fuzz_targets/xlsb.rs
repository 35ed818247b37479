//! .xlsb workbooks: the input is split at each `\xFE\xFD` into the binary parts of an .xlsb
//! (xl/workbook.bin, xl/worksheets/sheet1.bin, xl/sharedStrings.bin, xl/styles.bin; missing
//! ones are left out), which are zipped (stored, so every byte reaches the reader) with a fixed
//! relationships part naming rId1 → worksheets/sheet1.bin; the workbook is then read and
//! analysed with the guessed settings. Fuzzing the raw zip mostly breaks its checksums; this
//! reaches the BIFF12 records themselves.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/></Relationships>"#;

const PARTS: [&str; 4] = [
    "xl/workbook.bin",
    "xl/worksheets/sheet1.bin",
    "xl/sharedStrings.bin",
    "xl/styles.bin",
];

/// `data` split at each `\xFE\xFD`.
fn pieces(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < data.len() {
        if data[i] == 0xFE && data[i + 1] == 0xFD {
            out.push(&data[start..i]);
            i += 2;
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(&data[start..]);
    out
}

fuzz_target!(|data: &[u8]| {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut parts = vec![("xl/_rels/workbook.bin.rels", RELS.as_bytes())];
    parts.extend(PARTS.iter().copied().zip(pieces(data)));
    for (name, bytes) in parts {
        if w.start_file(name, stored).is_err() || w.write_all(bytes).is_err() {
            return;
        }
    }
    let Ok(cursor) = w.finish() else {
        return;
    };
    let bytes = cursor.into_inner();
    let _ = survcalc::data::workbook::sheet_names(&bytes, "fuzz.xlsb");
    if let Ok(table) = survcalc::read_table(&bytes, "fuzz.xlsb") {
        let settings = survcalc::report::guess::guess_settings(&table);
        let _ = survcalc::report::analyze(&table, &settings);
    }
});
