//! Reading Excel workbooks: values, dates, positions in messages, sheets, broken files.
#![cfg(not(target_arch = "wasm32"))]

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use survcalc::report::{analyze, EndpointSpec, Settings};
use survcalc::ErrorKind;

fn aml_workbook(bad_cell: Option<&str>) -> Vec<u8> {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("Notes").expect("name");
    notes
        .write_string(0, 0, "Data are on the next sheet")
        .expect("write");
    let ws = wb.add_worksheet();
    ws.set_name("Data").expect("name");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    // Header in row 2 (a title row above), data from column B.
    ws.write_string(0, 1, "AML study").expect("write");
    for (c, h) in ["time", "status", "x", "start"].iter().enumerate() {
        ws.write_string(1, 1 + c as u16, *h).expect("write");
    }
    let rows = [
        (9, 1, "Maintained"),
        (13, 1, "Maintained"),
        (13, 0, "Maintained"),
        (18, 1, "Maintained"),
        (23, 1, "Maintained"),
        (28, 0, "Maintained"),
        (31, 1, "Maintained"),
        (34, 1, "Maintained"),
        (45, 0, "Maintained"),
        (48, 1, "Maintained"),
        (161, 0, "Maintained"),
        (5, 1, "Nonmaintained"),
        (5, 1, "Nonmaintained"),
        (8, 1, "Nonmaintained"),
        (8, 1, "Nonmaintained"),
        (12, 1, "Nonmaintained"),
        (16, 0, "Nonmaintained"),
        (23, 1, "Nonmaintained"),
        (27, 1, "Nonmaintained"),
        (30, 1, "Nonmaintained"),
        (33, 1, "Nonmaintained"),
        (43, 1, "Nonmaintained"),
        (45, 1, "Nonmaintained"),
    ];
    for (i, (t, s, x)) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        if i == 4 && bad_cell.is_some() {
            ws.write_string(r, 1, bad_cell.unwrap_or_default())
                .expect("write");
        } else {
            ws.write_number(r, 1, f64::from(*t)).expect("write");
        }
        ws.write_number(r, 2, f64::from(*s)).expect("write");
        ws.write_string(r, 3, *x).expect("write");
        let d = ExcelDateTime::from_ymd(2020, 1, 1 + (i as u8 % 28)).expect("date");
        ws.write_datetime_with_format(r, 4, &d, &date)
            .expect("write");
    }
    wb.save_to_buffer().expect("saves")
}

fn settings() -> Settings {
    Settings {
        endpoints: vec![EndpointSpec {
            name: "OS".into(),
            time: "time".into(),
            event: "status".into(),
            event_values: vec![],
            dates: None,
            plot: None,
        }],
        group: Some("x".into()),
        ..Settings::default()
    }
}

#[test]
fn reads_a_named_sheet_and_matches_the_csv() {
    let bytes = aml_workbook(None);
    assert_eq!(
        survcalc::data::workbook::sheet_names(&bytes, "aml.xlsx").expect("sheets"),
        vec!["Notes", "Data"]
    );
    let t = survcalc::read_table_sheet(&bytes, "aml.xlsx", Some("Data")).expect("reads");
    assert_eq!(t.headers, vec!["time", "status", "x", "start"]);
    assert_eq!(&t.columns[3][0], "2020-01-01");
    assert_eq!(t.row_lines[0], 3);
    let report = analyze(&t, &settings()).expect("analyses");
    let csv = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/aml.csv"
    ))
    .expect("csv");
    let from_csv = analyze(
        &survcalc::read_table(&csv, "aml.csv").expect("reads"),
        &settings(),
    )
    .expect("analyses");
    // Same statistics; the per-row outcomes (figures only, not serialised) carry each file's own
    // row numbers, so compare what the report serialises.
    assert_eq!(
        serde_json::to_value(&report.endpoints).expect("json"),
        serde_json::to_value(&from_csv.endpoints).expect("json")
    );
}

#[test]
fn first_sheet_by_default_and_errors_name_sheet_row_and_letter() {
    let bytes = aml_workbook(Some("n/k"));
    // The first sheet holds only a note, so the first sheet with a table is read.
    let t = survcalc::read_table(&bytes, "aml.xlsx").expect("reads");
    assert_eq!(t.detected.sheet.as_deref(), Some("Data"));
    let e = survcalc::read_table_sheet(&bytes, "aml.xlsx", Some("Notes")).expect_err("no data");
    assert_eq!(e.kind, ErrorKind::Empty);
    let e = analyze(&t, &settings()).expect_err("bad cell");
    assert_eq!(e.kind, ErrorKind::Value);
    assert_eq!(e.location.file.as_deref(), Some("aml.xlsx [Data]"));
    assert_eq!(e.location.row, Some(7));
    assert_eq!(e.location.column_letter.as_deref(), Some("B"));
    assert_eq!(e.location.value.as_deref(), Some("n/k"));
}

#[test]
fn unknown_sheet_and_broken_files() {
    let bytes = aml_workbook(None);
    let e = survcalc::read_table_sheet(&bytes, "aml.xlsx", Some("Sheet9")).expect_err("no sheet");
    assert!(e.to_string().contains("no sheet named \"Sheet9\""), "{e}");
    let truncated = &bytes[..bytes.len() / 2];
    let e = survcalc::read_table(truncated, "cut.xlsx").expect_err("truncated");
    assert_eq!(e.kind, ErrorKind::Format);
    let e = survcalc::read_table(b"PK\x03\x04garbage", "fake.xlsx").expect_err("fake");
    assert_eq!(e.kind, ErrorKind::Format);
}

#[allow(dead_code)]
#[path = "hostile/corpus.rs"]
mod corpus;

#[test]
fn a_small_xlsb_reads() {
    let t = survcalc::read_table(&corpus::good_xlsb(), "good.xlsb").expect("reads");
    assert_eq!(t.headers, ["time", "status", "arm"]);
    assert_eq!(t.n_rows(), 6);
    assert_eq!(t.detected.sheet.as_deref(), Some("Sheet1"));
}

#[test]
fn damaged_xlsb_files_are_refused_without_a_panic() {
    let mut failures = Vec::new();
    for (name, bytes) in [
        ("index.xlsb", corpus::xlsb_string_index_out_of_range()),
        ("dims.xlsb", corpus::xlsb_short_dimension()),
        ("entry.xlsb", corpus::xlsb_short_sheet_entry()),
        ("rels.xlsb", corpus::xlsb_unknown_relationship()),
        ("sst.xlsb", corpus::xlsb_short_shared_strings()),
    ] {
        let got = std::panic::catch_unwind(|| survcalc::read_table(&bytes, name));
        match got {
            Ok(Err(e)) => {
                eprintln!("{name}: {e}");
                if e.kind != ErrorKind::Format || !e.message.contains("is damaged") {
                    failures.push(format!("{name}: {e}"));
                }
            }
            Ok(Ok(_)) => failures.push(format!("{name}: read")),
            Err(_) => failures.push(format!("{name}: panicked")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The error for an .xlsb built from `parts`, which must be a refusal (not a panic, not a read).
fn xlsb_refused(parts: &corpus::Xlsb) -> survcalc::Error {
    xlsb_refused_bytes(&parts.bytes())
}

/// BrtExternSheet of `n` sheets (all this workbook's first sheet).
fn extern_sheets(n: u32) -> Vec<u8> {
    let mut d = n.to_le_bytes().to_vec();
    for _ in 0..n {
        d.extend([0u8; 4]);
        d.extend(0i32.to_le_bytes());
        d.extend(0i32.to_le_bytes());
    }
    corpus::xlsb_record(0x016A, &d)
}

/// BrtName "x" whose formula is `rgce`.
fn defined_name(rgce: &[u8]) -> Vec<u8> {
    let mut d = vec![0u8; 9];
    d.extend(corpus::xlsb_wide("x"));
    d.extend((rgce.len() as u32).to_le_bytes());
    d.extend(rgce);
    corpus::xlsb_record(0x0027, &d)
}

#[test]
fn xlsb_defined_names_are_checked_as_calamine_parses_them() {
    // Sheet1!$A$1 (PtgRef3d: sheet 0, row 0, column 0) with one external sheet reads.
    let ref3d = [0x3A, 0, 0, 0, 0, 0, 0, 0, 0];
    let mut parts = corpus::good_xlsb_parts();
    parts.add_to_workbook(&[extern_sheets(1), defined_name(&ref3d)]);
    let t = survcalc::read_table(&parts.bytes(), "w.xlsb").expect("reads");
    assert_eq!(t.n_rows(), 6);
    // The same reference with no external sheets listed (calamine indexes them unchecked).
    let mut parts = corpus::good_xlsb_parts();
    parts.add_to_workbook(&[defined_name(&ref3d)]);
    let e = xlsb_refused(&parts);
    assert!(e.message.contains("defined name"), "{e}");
    // Cut short, function 485 (one past calamine's table), row 2³² − 1 (+1 overflows), name 0.
    for rgce in [
        &ref3d[..5],
        &[0x21, 0xE5, 0x01][..],
        &[0x22, 0, 0xE5, 0x01][..],
        &[0x24, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0][..],
        &[0x23, 0, 0, 0, 0][..],
        &[0x17, 5, 0, b'a', 0][..],
    ] {
        let mut parts = corpus::good_xlsb_parts();
        parts.add_to_workbook(&[extern_sheets(1), defined_name(rgce)]);
        xlsb_refused(&parts);
    }
    // PtgMemFunc nested 40 deep (calamine recurses once a level).
    let mut rgce = vec![0x1E, 1, 0];
    for _ in 0..40 {
        let mut outer = vec![0x29];
        outer.extend((rgce.len() as u16).to_le_bytes());
        outer.extend(&rgce);
        rgce = outer;
    }
    let mut parts = corpus::good_xlsb_parts();
    parts.add_to_workbook(&[defined_name(&rgce)]);
    assert!(xlsb_refused(&parts).message.contains("nests too deeply"));
    // A list of external sheets shorter than its count.
    let mut parts = corpus::good_xlsb_parts();
    parts.add_to_workbook(&[corpus::xlsb_record(0x016A, &3u32.to_le_bytes())]);
    xlsb_refused(&parts);
}

#[test]
fn xlsb_styles_are_scanned_as_calamine_scans_them() {
    let styles = |xf: &[u8]| {
        [
            corpus::xlsb_record(0x0116, &[]), // BrtBeginStyleSheet
            corpus::xlsb_record(0x0269, &1u32.to_le_bytes()),
            corpus::xlsb_record(0x002F, xf),
            corpus::xlsb_record(0x026A, &[]),
            corpus::xlsb_record(0x0117, &[]),
        ]
        .concat()
    };
    let mut parts = corpus::good_xlsb_parts();
    parts.styles = Some(styles(&[0u8; 16]));
    survcalc::read_table(&parts.bytes(), "w.xlsb").expect("reads");
    // A cell format (BrtXF) of 2 bytes: calamine reads bytes 2–4.
    parts.styles = Some(styles(&[0u8; 2]));
    let e = xlsb_refused(&parts);
    assert!(e.message.contains("styles.bin"), "{e}");
    // A styles part without its list of cell formats: calamine fails at the end of the part.
    parts.styles = Some(corpus::xlsb_record(0x0116, &[]));
    xlsb_refused(&parts);
}

#[test]
fn xlsb_cells_must_hold_what_calamine_reads() {
    // A number cell (BrtCellReal, 16 bytes) of 6 bytes in row 8, column D: calamine would read
    // the rest from the previous record.
    let mut d = 3u32.to_le_bytes().to_vec();
    d.extend([0, 0]);
    let mut parts = corpus::good_xlsb_parts();
    parts.add_cells(&[corpus::xlsb_row(7), corpus::xlsb_record(0x0005, &d)]);
    let e = xlsb_refused(&parts);
    assert_eq!(e.location.file.as_deref(), Some("w.xlsb [Sheet1]"));
    assert_eq!(e.location.row, Some(8));
    assert_eq!(e.location.column_letter.as_deref(), Some("D"));
    assert!(e.message.contains("cell D8"), "{e}");
    // A text cell whose string runs past its record.
    let mut d = 0u32.to_le_bytes().to_vec();
    d.extend([0u8; 4]);
    d.extend(corpus::xlsb_wide("abc"));
    d.truncate(d.len() - 2);
    let mut parts = corpus::good_xlsb_parts();
    parts.add_cells(&[corpus::xlsb_row(7), corpus::xlsb_record(0x0006, &d)]);
    xlsb_refused(&parts);
    // A record whose size runs past the end of the part (calamine would reserve 256 MiB).
    let mut parts = corpus::good_xlsb_parts();
    let cut = parts.sheet.len() - 4;
    parts.sheet.truncate(cut);
    parts.sheet.extend([0x05, 0xFF, 0xFF, 0xFF, 0x7F]);
    xlsb_refused(&parts);
    // A text cell (BrtCellSt) that fits reads.
    let mut d = 2u32.to_le_bytes().to_vec();
    d.extend([0u8; 4]);
    d.extend(corpus::xlsb_wide("B"));
    let mut parts = corpus::good_xlsb_parts();
    parts.add_cells(&[
        corpus::xlsb_row(7),
        corpus::xlsb_number_cell(0, 4.0),
        corpus::xlsb_number_cell(1, 1.0),
        corpus::xlsb_record(0x0006, &d),
    ]);
    let t = survcalc::read_table(&parts.bytes(), "w.xlsb").expect("reads");
    assert_eq!(t.n_rows(), 7);
}

#[test]
fn a_zip_without_a_workbook_part_is_checked_too() {
    // calamine's .xlsb reader reads the shared strings before it looks for xl/workbook.bin: a
    // zip holding only a damaged xl/sharedStrings.bin would panic it.
    let mut parts = corpus::good_xlsb_parts();
    parts.workbook.clear();
    parts.shared_strings = corpus::xlsb_record(0x009F, &[0, 0]);
    let bytes = parts.bytes();
    let name = "xl/workbook.bin";
    let at = bytes
        .windows(name.len())
        .position(|w| w == name.as_bytes())
        .expect("the part's name");
    let mut renamed = bytes.clone();
    // Rename the part in the local and central headers ("xl/workbook.bin" → "xl/workbook.xyz").
    for i in [
        at,
        at + bytes[at + 1..]
            .windows(name.len())
            .position(|w| w == name.as_bytes())
            .expect("central")
            + 1,
    ] {
        renamed[i + 12..i + 15].copy_from_slice(b"xyz");
    }
    let e = xlsb_refused_bytes(&renamed);
    assert!(e.message.contains("shared strings"), "{e}");
}

/// [`xlsb_refused`] for bytes.
fn xlsb_refused_bytes(bytes: &[u8]) -> survcalc::Error {
    match std::panic::catch_unwind(|| survcalc::read_table(bytes, "w.xlsb")) {
        Ok(Err(e)) => {
            assert_eq!(e.kind, ErrorKind::Format, "{e}");
            assert!(e.to_string().contains("hint: "), "{e}");
            // Refused by the checks, not by the native-only guard around a calamine panic.
            assert!(e.message.contains("is damaged"), "{e}");
            e
        }
        Ok(Ok(_)) => panic!("read"),
        Err(_) => panic!("panicked"),
    }
}

#[test]
fn xlsb_relationships_are_read_as_calamine_reads_them() {
    // Blanks around '=' and single quotes: calamine reads the id, so does the check.
    let mut parts = corpus::good_xlsb_parts();
    parts.rels = parts.rels.replace("Id=\"rId1\"", "Id = 'rId1'");
    let t = survcalc::read_table(&parts.bytes(), "w.xlsb").expect("reads");
    assert_eq!(t.n_rows(), 6);
    // A second Id before Target: calamine stops at two matches and never sees the target.
    let mut parts = corpus::good_xlsb_parts();
    parts.rels = parts.rels.replace("Id=\"rId1\"", "Id=\"rId1\" Id=\"rId1\"");
    xlsb_refused(&parts);
    // An attribute without a value: calamine fails on the part.
    let mut parts = corpus::good_xlsb_parts();
    parts.rels = parts.rels.replace("Id=\"rId1\"", "Id=\"rId1\" broken=x");
    let e = xlsb_refused(&parts);
    assert!(e.message.contains("workbook.bin.rels"), "{e}");
}
