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
