//! UTF-16 text files (Excel's "Unicode text": UTF-16LE with a byte-order mark, tab-separated)
//! read as the same table as their UTF-8 original, through the core and the CLI.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::Command;

use survcalc::data::options::{Encoding, ReadOptions};

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
