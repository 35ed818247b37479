//! UTF-16 text files (Excel's "Unicode text": UTF-16LE with a byte-order mark, tab-separated)
//! read as the same table as their UTF-8 original, through the core and the CLI.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::Command;

use survcalc::data::delimited::{read_delimited, read_delimited_with};
use survcalc::data::options::{Encoding, ReadOptions};
use survcalc::error::ErrorKind;

const AML: &str = include_str!("fixtures/aml.csv");

/// `text` as UTF-16 (big-endian if asked), with a byte-order mark if asked.
fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut b = Vec::new();
    if bom {
        b.extend(if big_endian {
            [0xFE, 0xFF]
        } else {
            [0xFF, 0xFE]
        });
    }
    for u in text.encode_utf16() {
        b.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    b
}

/// The aml table as Excel saves "Unicode text": tabs and CRLF line ends.
fn aml_unicode_text() -> String {
    AML.lines()
        .map(|l| l.replace(',', "\t"))
        .collect::<Vec<_>>()
        .join("\r\n")
        + "\r\n"
}

#[test]
fn utf16_files_read_as_their_utf8_original() {
    let plain = survcalc::read_table(AML.as_bytes(), "aml.csv").expect("reads UTF-8");
    let text = aml_unicode_text();
    for (big_endian, name) in [(false, "UTF-16LE"), (true, "UTF-16BE")] {
        let t = survcalc::read_table_with(
            &utf16(&text, big_endian, true),
            "aml.txt",
            &ReadOptions::default(),
        )
        .expect("reads UTF-16");
        assert_eq!(t.headers, plain.headers);
        assert_eq!(t.columns, plain.columns);
        assert_eq!(t.row_lines, plain.row_lines);
        assert_eq!(t.detected.encoding, name);
        assert_eq!(t.detected.delimiter.as_deref(), Some("tab"));
        // The same text without its mark, with the encoding chosen.
        let options = ReadOptions {
            encoding: if big_endian {
                Encoding::Utf16Be
            } else {
                Encoding::Utf16Le
            },
            ..ReadOptions::default()
        };
        let t = survcalc::read_table_with(&utf16(&text, big_endian, false), "aml.txt", &options)
            .expect("reads forced UTF-16");
        assert_eq!(t.columns, plain.columns);
        assert!(!t.detected.bom);
    }
}

/// A fresh folder under the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn survcalc_json(args: &[&std::ffi::OsStr]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_survcalc"))
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn the_cli_analyses_a_utf16_file_as_its_utf8_original() {
    let dir = TempDir(std::env::temp_dir().join(format!("survcalc-utf16-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).expect("temporary folder");
    let csv = dir.0.join("aml.csv");
    let txt = dir.0.join("aml.txt");
    let bare = dir.0.join("aml-no-bom.txt");
    std::fs::write(&csv, AML).expect("write");
    std::fs::write(&txt, utf16(&aml_unicode_text(), false, true)).expect("write");
    std::fs::write(&bare, utf16(&aml_unicode_text(), false, false)).expect("write");
    let run = |path: &PathBuf, extra: &[&str]| {
        let mut args: Vec<&std::ffi::OsStr> = vec!["analyze".as_ref(), path.as_os_str()];
        for a in [
            "--time", "time", "--event", "status", "--group", "x", "--json",
        ]
        .iter()
        .chain(extra)
        {
            args.push(a.as_ref());
        }
        survcalc_json(&args)
    };
    let plain = run(&csv, &[]);
    let wide = run(&txt, &[]);
    assert!(plain["endpoints"].is_array());
    assert_eq!(plain["endpoints"], wide["endpoints"]);
    let forced = run(&bare, &["--encoding", "utf-16le"]);
    assert_eq!(plain["endpoints"], forced["endpoints"]);
    // Without its mark and without the flag, the file is refused (it holds NUL bytes).
    let out = Command::new(env!("CARGO_BIN_EXE_survcalc"))
        .args([
            "analyze".as_ref(),
            bare.as_os_str(),
            "--time".as_ref(),
            "time".as_ref(),
            "--event".as_ref(),
            "status".as_ref(),
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn utf16_with_a_bom_reads_as_the_utf8_text() {
    let text = "name\tsite\tdose\r\nJosé\tZürich 🏥\t1,5\r\n\r\n\"Ana\"\t東京\t2\r\n";
    let plain = read_delimited(text.as_bytes(), "u.txt").expect("reads UTF-8");
    for (big_endian, name) in [(false, "UTF-16LE"), (true, "UTF-16BE")] {
        let t = read_delimited(&utf16(text, big_endian, true), "u.txt").expect("reads");
        assert_eq!(t.headers, plain.headers);
        assert_eq!(t.columns, plain.columns);
        assert_eq!(t.row_lines, vec![2, 4]);
        assert_eq!(t.detected.encoding, name);
        assert!(t.detected.bom);
        assert_eq!(t.detected.delimiter.as_deref(), Some("tab"));
        assert_eq!(&t.columns[1][0], "Zürich 🏥");
    }
    // Forced, with or without the mark.
    for bom in [false, true] {
        let o = ReadOptions {
            encoding: Encoding::Utf16Be,
            ..ReadOptions::default()
        };
        let t = read_delimited_with(&utf16(text, true, bom), "u.txt", &o).expect("reads");
        assert_eq!(t.columns, plain.columns);
        assert_eq!(t.detected.bom, bom);
    }
    // Without a mark, auto does not guess: the NUL bytes make it binary.
    let e = read_delimited(&utf16(text, false, false), "u.txt").expect_err("no mark");
    assert_eq!(e.kind, ErrorKind::Format);
}

#[test]
fn a_lone_surrogate_names_its_line_and_column() {
    let mut b = utf16("time\tstatus\n5\t1\n8\tx", false, true);
    b.extend(0xD800u16.to_le_bytes()); // a high surrogate followed by a tab, not a low one
    b.extend(utf16("\n", false, false));
    let e = read_delimited(&b, "u.txt").expect_err("lone surrogate");
    assert_eq!(e.kind, ErrorKind::Format);
    assert_eq!(e.location.row, Some(3));
    assert_eq!(e.location.column.as_deref(), Some("status"));
    assert_eq!(e.location.column_letter.as_deref(), Some("B"));
    assert!(e.message.contains("UTF-16LE"), "{}", e.message);
    assert!(e.message.contains("D800"), "{}", e.message);
    assert!(e.hint.is_some());
    // A lone low surrogate, big-endian, in the first column.
    let mut b = utf16("a,b\n", true, true);
    b.extend(0xDC00u16.to_be_bytes());
    let e = read_delimited(&b, "u.csv").expect_err("lone low surrogate");
    assert_eq!(e.location.row, Some(2));
    assert_eq!(e.location.column.as_deref(), Some("a"));
    assert!(e.message.contains("DC00"), "{}", e.message);
    // An odd length: cut inside a character.
    let mut b = utf16("a,b\n1,2\n", false, true);
    b.push(b'3');
    let e = read_delimited(&b, "u.csv").expect_err("odd length");
    assert_eq!(e.kind, ErrorKind::Format);
    assert!(e.message.contains("odd"), "{}", e.message);
    assert_eq!(e.location.row, Some(3));
}
