//! The hostile-input corpus: broken, hostile and huge files with, for each, what must happen.
//!
//! Shared by `crate/tests/hostile.rs` (the CLI and the core) and `crate/examples/make_hostile.rs`
//! (writes the files and `manifest.json` for the browser test `tests/hostile.spec.ts`). Every file
//! is generated here, deterministically; the large ones are streamed to disk and never committed.
//!
//! Each case says which stage fails (`open`: reading the file; `analysis`: the settings applied to
//! it), the error kind (`crate/src/error.rs`, kebab-case as serialised) and text the message must
//! contain: the file name, and where they apply the row, the column and the value, plus a
//! `hint:` saying what to do. Or the file loads (and, for hostile text, is shown as text).

use std::io::{self, Write};

/// What must happen with a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// It opens, and the analysis of `settings` runs.
    Loads,
    /// It fails at `stage` with an error of `kind` whose message contains every part.
    Fails {
        stage: Stage,
        kind: &'static str,
        parts: Vec<String>,
    },
    /// A size case: it either loads, or is refused when opened with a `limit` error containing
    /// every part (the reader's limits decide which; it must never crash or run out of memory).
    LoadsOrLimit { parts: Vec<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Open,
    Analysis,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Open => "open",
            Stage::Analysis => "analysis",
        }
    }
}

/// How a file's bytes are made: in memory, or streamed (the big ones).
pub enum Content {
    Bytes(Vec<u8>),
    Stream(fn(&mut dyn Write) -> io::Result<()>),
}

pub struct Case {
    /// The file name (the case's id).
    pub file: &'static str,
    /// What is hostile about it.
    pub about: &'static str,
    pub content: Content,
    /// Settings JSON (the CLI's `--settings`, the page's "Load settings").
    pub settings: String,
    pub expect: Expect,
    /// Streamed and large: the browser test skips it unless asked (HOSTILE_BIG=1).
    pub big: bool,
    /// Why this case is known to fail today (the tests skip it and print the reason).
    pub known_failing: Option<&'static str>,
}

impl Case {
    pub fn write_to(&self, out: &mut dyn Write) -> io::Result<()> {
        match &self.content {
            Content::Bytes(b) => out.write_all(b),
            Content::Stream(f) => f(out),
        }
    }
}

/// Settings of one endpoint from `time`/`event` columns, event value "1".
pub fn endpoint(time: &str, event: &str) -> String {
    endpoint_with(time, event, None)
}

fn endpoint_with(time: &str, event: &str, group: Option<&str>) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let group = group.map_or("null".to_string(), q);
    format!(
        "{{\"endpoints\":[{{\"name\":\"OS\",\"time\":{},\"event\":{},\"event_values\":[\"1\"]}}],\"group\":{group}}}",
        q(time),
        q(event)
    )
}

fn fails(stage: Stage, kind: &'static str, parts: &[&str]) -> Expect {
    Expect::Fails {
        stage,
        kind,
        parts: parts.iter().map(|p| p.to_string()).collect(),
    }
}

/// A small valid table, the base of several cases.
const GOOD: &str = "time,status,arm\n5,1,A\n8,0,A\n12,1,B\n3,1,B\n15,0,B\n7,1,A\n";

/// The payloads of the HTML case: each sets a global flag if it ever runs as markup.
pub const IMG_PAYLOAD: &str = "<img src=x onerror=\"window.__hostile=1\">";
pub const SCRIPT_PAYLOAD: &str = "<script>window.__hostile=2</script>";
pub const SVG_PAYLOAD: &str = "</text><svg onload=\"window.__hostile=3\">";

pub fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    let good = endpoint("time", "status");

    // ---- wrong file types ------------------------------------------------------------------
    v.push(Case {
        file: "image.csv",
        about: "a PNG image renamed .csv",
        content: Content::Bytes(png()),
        settings: good.clone(),
        expect: fails(
            Stage::Open,
            "format",
            &["image.csv", "not a text table", "hint:"],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "report.csv",
        about: "a PDF renamed .csv",
        content: Content::Bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec()),
        settings: good.clone(),
        expect: fails(
            Stage::Open,
            "format",
            &["report.csv", "not a text table", "hint:"],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "truncated.xlsx",
        about: "a real workbook cut in half",
        content: Content::Bytes({
            let full = good_xlsx();
            full[..full.len() / 2].to_vec()
        }),
        settings: good.clone(),
        expect: fails(Stage::Open, "format", &["truncated.xlsx", "hint:"]),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "garbage.xlsx",
        about: "a zip signature followed by noise",
        content: Content::Bytes({
            let mut b = b"PK\x03\x04".to_vec();
            b.extend(noise(2000, 7));
            b
        }),
        settings: good.clone(),
        expect: fails(Stage::Open, "format", &["garbage.xlsx", "hint:"]),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "protected.xlsx",
        about: "a password-protected workbook (OLE container with an EncryptedPackage stream)",
        content: Content::Bytes(encrypted_ooxml()),
        settings: good.clone(),
        expect: fails(Stage::Open, "format", &["protected.xlsx", "password"]),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "loop.xls",
        about: "a 9.5 KB OLE file whose directory's sector chain points back at itself",
        content: Content::Bytes({
            // The FAT's entry for the directory sector (1), at byte 512 + 4, links to itself.
            let mut b = encrypted_ooxml();
            b[516..520].copy_from_slice(&1u32.to_le_bytes());
            b
        }),
        settings: good.clone(),
        expect: fails(Stage::Open, "format", &["loop.xls", "damaged", "hint:"]),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "bomb.xlsx",
        about: "a zip bomb: an 8 MB workbook whose sheet expands to 1 GB of cells",
        content: Content::Bytes(zip_bomb_xlsx(600_000)),
        settings: good.clone(),
        expect: fails(Stage::Open, "limit", &["bomb.xlsx", "unzip", "hint:"]),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "bomb-1000mb.xlsx",
        about: "a zip bomb under the unzipped-size limit: 8 MB expanding 129-fold to 1016 MiB of cells",
        content: Content::Bytes(zip_bomb_xlsx(590_000)),
        settings: good.clone(),
        expect: fails(Stage::Open, "limit", &["bomb-1000mb.xlsx", "unzip", "hint:"]),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "bomb-lying.xlsx",
        about: "a zip bomb whose zip headers lie: an 8 MB sheet declaring 8 MB unzipped, expanding to 1 GB of cells",
        content: Content::Bytes(zip_bomb_xlsx_declaring(600_000, Some(8 * 1024 * 1024))),
        settings: good.clone(),
        expect: fails(
            Stage::Open,
            "limit",
            &["bomb-lying.xlsx", "unzips", "header declares", "hint:"],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "far-cells.xls",
        about: "a 9.5 KB .xls sheet with cells at A1 and at row 65,536, column 65,536 (a grid of 4.3 billion cells)",
        content: Content::Bytes(far_cells_xls()),
        settings: good.clone(),
        expect: fails(
            Stage::Open,
            "limit",
            &["far-cells.xls [sheet 1]", "row 65536", "65536 rows × 65536 columns", "hint:"],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "good.xls",
        about: "a small valid .xls (BIFF8) table, read after the area checks",
        content: Content::Bytes(good_xls()),
        settings: good.clone(),
        expect: Expect::Loads,
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "good.xlsb",
        about: "a small valid .xlsb (binary Excel) table, read after the record checks",
        content: Content::Bytes(good_xlsb()),
        settings: good.clone(),
        expect: Expect::Loads,
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "string-index.xlsb",
        about: "an .xlsb cell naming shared string 999 of 5 (calamine 0.38 indexes it unchecked)",
        content: Content::Bytes(xlsb_string_index_out_of_range()),
        settings: good.clone(),
        expect: fails(
            Stage::Open,
            "format",
            &[
                "string-index.xlsb [Sheet1]",
                "row 3",
                "cell B3",
                "shared string 999",
                "save it again as .xlsx",
                "hint:",
            ],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "short-dimension.xlsb",
        about: "an .xlsb sheet whose 16-byte dimension record is cut to 4 bytes (calamine 0.38 reads 16)",
        content: Content::Bytes(xlsb_short_dimension()),
        settings: good.clone(),
        expect: fails(
            Stage::Open,
            "format",
            &["short-dimension.xlsb [Sheet1]", "cut short", "hint:"],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "short-sheet-entry.xlsb",
        about: "an .xlsb whose sheet entry is cut to 6 bytes (calamine 0.38 reads 12)",
        content: Content::Bytes(xlsb_short_sheet_entry()),
        settings: good.clone(),
        expect: fails(
            Stage::Open,
            "format",
            &["short-sheet-entry.xlsb", "sheet's entry", "hint:"],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "unknown-relationship.xlsb",
        about: "an .xlsb whose sheet entry names a relationship its relationships part lacks",
        content: Content::Bytes(xlsb_unknown_relationship()),
        settings: good.clone(),
        expect: fails(
            Stage::Open,
            "format",
            &["unknown-relationship.xlsb", "rId1", "hint:"],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "short-shared-strings.xlsb",
        about: "an .xlsb whose shared-strings header is cut to 2 bytes (calamine 0.38 reads 8)",
        content: Content::Bytes(xlsb_short_shared_strings()),
        settings: good.clone(),
        expect: fails(
            Stage::Open,
            "format",
            &["short-shared-strings.xlsb", "shared strings", "hint:"],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "repeats.ods",
        about:
            "a 1 KB .ods whose row of 100 filled cells repeats a million times (100 million cells)",
        content: Content::Bytes(repeats_ods()),
        settings: good.clone(),
        expect: fails(
            Stage::Open,
            "limit",
            &[
                "repeats.ods [Sheet1]",
                "1000001 rows × 100 columns",
                "hint:",
            ],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "workbook-named.csv",
        about: "a real workbook renamed .csv (read by its content)",
        content: Content::Bytes(good_xlsx()),
        settings: good.clone(),
        expect: Expect::Loads,
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "text-named.xlsx",
        about: "CSV text renamed .xlsx (read by its content)",
        content: Content::Bytes(GOOD.as_bytes().to_vec()),
        settings: good.clone(),
        expect: Expect::Loads,
        big: false,
        known_failing: None,
    });

    // ---- empty and header problems ---------------------------------------------------------
    v.push(Case {
        file: "empty.csv",
        about: "zero bytes",
        content: Content::Bytes(Vec::new()),
        settings: good.clone(),
        expect: fails(Stage::Open, "empty", &["empty.csv", "empty", "hint:"]),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "blank-lines.csv",
        about: "only a byte-order mark and blank lines",
        content: Content::Bytes(b"\xEF\xBB\xBF\r\n\n  \n\t\n".to_vec()),
        settings: good.clone(),
        expect: fails(Stage::Open, "empty", &["blank-lines.csv", "hint:"]),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "header-only.csv",
        about: "a header and no data rows",
        content: Content::Bytes(b"time,status,arm\n".to_vec()),
        settings: good.clone(),
        expect: fails(
            Stage::Open,
            "empty",
            &["header-only.csv", "no data rows", "hint:"],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "duplicate-header.csv",
        about: "two columns named time",
        content: Content::Bytes(b"time,status,time\n5,1,6\n8,0,9\n".to_vec()),
        settings: good.clone(),
        expect: fails(
            Stage::Open,
            "header",
            &[
                "duplicate-header.csv",
                "row 1",
                "\"time\"",
                "columns A and C",
                "hint:",
            ],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "blank-header.csv",
        about: "a blank header above a column with data (named by its letter)",
        content: Content::Bytes(b"time,,status\n5,x,1\n8,y,0\n12,z,1\n".to_vec()),
        settings: good.clone(),
        expect: Expect::Loads,
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "ragged-long.csv",
        about: "row 4 has more cells than the header",
        content: Content::Bytes(b"time,status\n5,1\n8,0\n12,1,oops\n3,1\n".to_vec()),
        settings: good.clone(),
        expect: fails(
            Stage::Open,
            "format",
            &["ragged-long.csv", "row 4", "hint:"],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "ragged-short.csv",
        about: "row 3 has fewer cells than the header (the missing ones are blank)",
        content: Content::Bytes(b"time,status,arm\n5,1,A\n8\n12,1,B\n3,1,B\n".to_vec()),
        settings: good.clone(),
        expect: Expect::Loads,
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "unterminated-quote.csv",
        about: "a quote opened on row 3 and never closed",
        content: Content::Bytes(b"time,status\n5,1\n\"8,0\n12,1\n".to_vec()),
        settings: good.clone(),
        expect: fails(
            Stage::Analysis,
            "value",
            &["unterminated-quote.csv", "row 3", "\"time\"", "8,0"],
        ),
        big: false,
        known_failing: None,
    });

    // ---- encodings ---------------------------------------------------------------------------
    v.push(Case {
        file: "mixed-encoding.csv",
        about: "UTF-8 text with one Windows-1252 byte (read as Windows-1252)",
        content: Content::Bytes(
            b"time,status,site\n5,1,M\xC3\xBCnchen\n8,0,K\xF6ln\n12,1,Z\xC3\xBCrich\n".to_vec(),
        ),
        settings: good.clone(),
        expect: Expect::Loads,
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "utf16.csv",
        about: "UTF-16 text with a byte-order mark (Excel's \"Unicode text\")",
        content: Content::Bytes({
            let mut b = vec![0xFF, 0xFE];
            for u in "time\tstatus\r\n5\t1\r\n8\t0\r\n".encode_utf16() {
                b.extend(u.to_le_bytes());
            }
            b
        }),
        settings: good.clone(),
        expect: Expect::Loads,
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "utf16-surrogate.txt",
        about: "UTF-16 text with a lone surrogate in row 3, column status",
        content: Content::Bytes({
            let mut b = vec![0xFF, 0xFE];
            for u in "time\tstatus\r\n5\t1\r\n8\t"
                .encode_utf16()
                .chain([0xD800])
                .chain("0\r\n".encode_utf16())
            {
                b.extend(u.to_le_bytes());
            }
            b
        }),
        settings: good.clone(),
        expect: fails(
            Stage::Open,
            "format",
            &[
                "utf16-surrogate.txt",
                "row 3",
                "\"status\" (B)",
                "D800",
                "hint:",
            ],
        ),
        big: false,
        known_failing: None,
    });

    // ---- bad values --------------------------------------------------------------------------
    v.push(Case {
        file: "text-time.csv",
        about: "a time that is not a number (row 4)",
        content: Content::Bytes(b"time,status\n5,1\n8,0\nabc,1\n3,1\n".to_vec()),
        settings: good.clone(),
        expect: fails(
            Stage::Analysis,
            "value",
            &["text-time.csv", "row 4", "\"time\" (A)", "\"abc\"", "hint:"],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "negative-time.csv",
        about: "a negative time (row 3)",
        content: Content::Bytes(b"time,status\n5,1\n-3,0\n12,1\n".to_vec()),
        settings: good.clone(),
        expect: fails(
            Stage::Analysis,
            "value",
            &[
                "negative-time.csv",
                "row 3",
                "\"time\" (A)",
                "\"-3\"",
                "hint:",
            ],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "infinite-time.csv",
        about: "a time too large for a number (row 2)",
        content: Content::Bytes(b"time,status\n1e999,1\n8,0\n12,1\n".to_vec()),
        settings: good.clone(),
        expect: fails(
            Stage::Analysis,
            "value",
            &[
                "infinite-time.csv",
                "row 2",
                "\"time\" (A)",
                "\"1e999\"",
                "hint:",
            ],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "event-outside.csv",
        about: "an event value outside the 0/1 coding (row 5)",
        content: Content::Bytes(b"time,status\n5,1\n8,0\n12,1\n3,2\n".to_vec()),
        settings: good.clone(),
        expect: fails(
            Stage::Analysis,
            "value",
            &[
                "event-outside.csv",
                "row 5",
                "\"status\" (B)",
                "\"2\"",
                "hint:",
            ],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "missing-column.csv",
        about: "settings naming a column the file lacks",
        content: Content::Bytes(GOOD.as_bytes().to_vec()),
        settings: endpoint("pfs_months", "status"),
        expect: fails(
            Stage::Analysis,
            "missing-column",
            &["missing-column.csv", "pfs_months"],
        ),
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "one-row-group.csv",
        about: "a group with one row",
        content: Content::Bytes(b"time,status,arm\n5,1,A\n8,0,A\n12,1,A\n3,1,B\n15,0,A\n".to_vec()),
        settings: endpoint_with("time", "status", Some("arm")),
        expect: Expect::Loads,
        big: false,
        known_failing: None,
    });

    // ---- hostile text --------------------------------------------------------------------------
    v.push(Case {
        file: "html.csv",
        about: "headers and cells holding HTML and script",
        content: Content::Bytes(html_csv().into_bytes()),
        settings: endpoint_with(IMG_PAYLOAD, "status", Some(SCRIPT_PAYLOAD)),
        expect: Expect::Loads,
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "formulas.csv",
        about: "cells starting with = + - @ tab and CR (spreadsheet formulas in exports)",
        content: Content::Bytes(formulas_csv().into_bytes()),
        settings: endpoint_with("time", "status", Some("arm")),
        expect: Expect::Loads,
        big: false,
        known_failing: None,
    });

    // ---- size ------------------------------------------------------------------------------------
    v.push(Case {
        file: "wide.csv",
        about: "10,000 columns",
        content: Content::Stream(write_wide),
        settings: good.clone(),
        expect: Expect::LoadsOrLimit {
            parts: vec!["wide.csv".into(), "hint:".into()],
        },
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "long-line.csv",
        about: "a 1 MB cell on a 1 MB line (row 3)",
        content: Content::Stream(write_long_line),
        settings: good.clone(),
        expect: Expect::LoadsOrLimit {
            parts: vec!["long-line.csv".into(), "row 3".into(), "hint:".into()],
        },
        big: false,
        known_failing: None,
    });
    v.push(Case {
        file: "big.csv",
        about: "a 200 MB file (4.9 million rows of 7 columns)",
        content: Content::Stream(write_big),
        settings: good,
        expect: Expect::LoadsOrLimit {
            parts: vec!["big.csv".into(), "hint:".into()],
        },
        big: true,
        known_failing: None,
    });
    v
}

// ---------------------------------------------------------------------------------------------
// Text files

fn html_csv() -> String {
    // The header names are the payloads; cells carry more of them, and a group level is a
    // payload too, so it reaches the legend, the tables and the selects.
    let mut s = format!(
        "\"{}\",status,\"{}\",note\n",
        IMG_PAYLOAD.replace('"', "\"\""),
        SCRIPT_PAYLOAD
    );
    let rows = [
        ("5", "1", SCRIPT_PAYLOAD),
        ("8", "0", SCRIPT_PAYLOAD),
        ("12", "1", "<b>bold</b>"),
        ("3", "1", "<b>bold</b>"),
        ("15", "0", SCRIPT_PAYLOAD),
        ("7", "1", "<b>bold</b>"),
    ];
    for (t, e, g) in rows {
        s.push_str(&format!(
            "{t},{e},{g},\"{}\"\n",
            SVG_PAYLOAD.replace('"', "\"\"")
        ));
    }
    s
}

fn formulas_csv() -> String {
    let mut s = String::from("time,status,arm\n");
    let arms = [
        "=HYPERLINK(\"\"http://x\"\",\"\"y\"\")",
        "+SUM(A1)",
        "@cmd",
        "-2+3",
        "\tTAB",
        "\rCR",
    ];
    let times = [
        "5", "8", "12", "3", "15", "7", "9", "11", "4", "6", "10", "13",
    ];
    for (i, t) in times.iter().enumerate() {
        s.push_str(&format!("{t},{},\"{}\"\n", i % 2, arms[i % arms.len()]));
    }
    s
}

fn write_wide(out: &mut dyn Write) -> io::Result<()> {
    let n = 10_000;
    let mut line = String::from("time,status");
    for c in 2..n {
        line.push_str(&format!(",v{c}"));
    }
    line.push('\n');
    out.write_all(line.as_bytes())?;
    for r in 0..20u32 {
        let mut line = format!("{},{}", 1 + r, r % 2);
        for c in 2..n {
            line.push_str(&format!(",{}", (r as usize * 31 + c) % 97));
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

fn write_long_line(out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"time,status,note\n5,1,short\n8,0,")?;
    out.write_all(&vec![b'x'; 1 << 20])?;
    out.write_all(b"\n12,1,short\n3,1,short\n")
}

/// About 200 MB: some 4.9 million rows of a time, an event, a group, an age, a site, a date and a
/// note (a wide clinical export, within the row limit), written in blocks.
fn write_big(out: &mut dyn Write) -> io::Result<()> {
    const TARGET: usize = 200 * 1024 * 1024;
    out.write_all(b"time,status,arm,age,site,start_date,note\n")?;
    let mut block = Vec::with_capacity(1 << 20);
    let mut written = 0usize;
    let mut r: u64 = 0;
    while written < TARGET {
        block.clear();
        while block.len() < (1 << 20) - 64 {
            r += 1;
            let t = (r * 7919) % 1000;
            let _ = writeln!(
                block,
                "{}.{},{},{},{},{},20{:02}-{:02}-{:02},note-{:07}",
                t / 10,
                t % 10,
                r % 3 % 2,
                ["A", "B", "C"][(r % 7 % 3) as usize],
                30 + r % 50,
                ["pancreas", "rectum", "lung", "unknown"][(r % 11 % 4) as usize],
                10 + r % 15,
                1 + r % 12,
                1 + r % 28,
                r % 10_000_000
            );
        }
        out.write_all(&block)?;
        written += block.len();
    }
    Ok(())
}

/// Deterministic noise (xorshift).
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// A PNG signature and IHDR chunk followed by noise: what an image renamed .csv starts with.
fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
    b.extend(noise(500, 3));
    b
}

// ---------------------------------------------------------------------------------------------
// Workbooks

/// A small valid workbook of the GOOD table.
pub fn good_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, line) in GOOD.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (r as u32, c as u16);
            let res = match cell.parse::<f64>() {
                Ok(x) => ws.write_number(r, c, x).map(|_| ()),
                Err(_) => ws.write_string(r, c, cell).map(|_| ()),
            };
            res.expect("write a cell");
        }
    }
    wb.save_to_buffer().expect("save the workbook")
}

pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// One zip member: its name, method (0 stored, 8 deflated), stored bytes, CRC and full size.
struct Member {
    name: &'static str,
    method: u16,
    data: Vec<u8>,
    crc: u32,
    size: u32,
}

fn stored(name: &'static str, text: &str) -> Member {
    Member {
        name,
        method: 0,
        data: text.as_bytes().to_vec(),
        crc: crc32(text.as_bytes()),
        size: text.len() as u32,
    }
}

fn zip(members: &[Member]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for m in members {
        let offset = out.len() as u32;
        let header = |sig: u32, central_dir: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central_dir {
                h.extend(20u16.to_le_bytes()); // made by
            }
            h.extend(20u16.to_le_bytes()); // needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(m.method.to_le_bytes());
            h.extend(0u16.to_le_bytes()); // time
            h.extend(0x21u16.to_le_bytes()); // date 1980-01-01
            h.extend(m.crc.to_le_bytes());
            h.extend((m.data.len() as u32).to_le_bytes());
            h.extend(m.size.to_le_bytes());
            h.extend((m.name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central_dir {
                h.extend(0u16.to_le_bytes()); // comment
                h.extend(0u16.to_le_bytes()); // disk
                h.extend(0u16.to_le_bytes()); // internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(m.name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(&m.data);
        central.extend(header(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]); // disk numbers
    out.extend((members.len() as u16).to_le_bytes());
    out.extend((members.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

/// Deflate bits, least significant first (RFC 1951 §3.1.1).
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, count: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// A Huffman code, most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        let mut rev = 0;
        for i in 0..len {
            rev |= ((code >> i) & 1) << (len - 1 - i);
        }
        self.put(rev, len);
    }
    /// A literal byte with the fixed Huffman code (RFC 1951 §3.2.6).
    fn literal(&mut self, b: u8) {
        if b < 144 {
            self.code(0x30 + u32::from(b), 8);
        } else {
            self.code(0x190 + u32::from(b) - 144, 9);
        }
    }
}

/// A workbook whose sheet1.xml (1.08 GB of `<c>` cells in one row) is stored deflated at about
/// 129:1: after the first cell, every 258 bytes are one back-reference of length 258 at
/// distance 21 (the cell's length), 16 bits with the fixed Huffman codes. A reader that trusts
/// the data expands it into tens of millions of cells. Its CRC is deliberately not computed
/// (it is checked only after the expansion, which is the danger).
pub fn zip_bomb_xlsx(sevens: usize) -> Vec<u8> {
    zip_bomb_xlsx_declaring(sevens, None)
}

/// [`zip_bomb_xlsx`] whose zip headers (local and central) declare the sheet's unzipped size as
/// `declared` instead of the truth (None): a bomb that passes a check of declared sizes.
pub fn zip_bomb_xlsx_declaring(sevens: usize, declared: Option<u32>) -> Vec<u8> {
    const CELL: &str = "<c t=\"n\"><v>1</v></c>"; // 21 bytes
                                                  // A multiple of 7 (258 · 7 = 86 · 21), so the copies end on a whole cell.
    let matches = 7 * sevens;
    let head = concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
        r#"<sheetData><row r="1"><c r="A1" t="n"><v>1</v></c>"#
    );
    let tail = "</row></sheetData></worksheet>";
    let mut bits = Bits {
        out: Vec::with_capacity(matches * 2 + 1024),
        acc: 0,
        n: 0,
    };
    bits.put(1, 1); // final block
    bits.put(1, 2); // fixed Huffman codes
    for b in head.bytes().chain(CELL.bytes()) {
        bits.literal(b);
    }
    for _ in 0..matches {
        bits.code(0xC0 + (285 - 280), 8); // length 258
        bits.code(8, 5); // distance code 8: 17–24
        bits.put(21 - 17, 3);
    }
    for b in tail.bytes() {
        bits.literal(b);
    }
    bits.code(0, 7); // end of block
    bits.put(0, 7); // flush the last byte
    let size = head.len() + CELL.len() + matches * 258 + tail.len();
    let sheet = Member {
        name: "xl/worksheets/sheet1.xml",
        method: 8,
        data: bits.out,
        crc: 0,
        size: declared.unwrap_or(size as u32),
    };
    zip(&[
        stored("[Content_Types].xml", CONTENT_TYPES),
        stored("_rels/.rels", ROOT_RELS),
        stored("xl/workbook.xml", WORKBOOK),
        stored("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        sheet,
    ])
}

/// What Excel writes for a password-protected workbook: not a zip but an OLE compound file
/// (CFB v3, 512-byte sectors) holding the streams EncryptionInfo and EncryptedPackage. Both are
/// 4,096 bytes, so they live in ordinary sectors and no mini stream is needed: sector 0 is the
/// FAT, 1 the directory, 2–9 EncryptionInfo, 10–17 EncryptedPackage.
pub fn encrypted_ooxml() -> Vec<u8> {
    // EncryptionInfo: version 4.4 (agile), flags 0x40, then the XML descriptor.
    let mut info = vec![4, 0, 4, 0, 0x40, 0, 0, 0];
    info.extend(
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"/></encryption>"#,
    );
    // EncryptedPackage: the size of the plain package, then ciphertext (noise here).
    let mut package = 6000u64.to_le_bytes().to_vec();
    package.extend(noise(4088, 11));
    ole_two_streams(("EncryptionInfo", info), ("EncryptedPackage", package))
}

/// An OLE compound file (CFB v3, 512-byte sectors) of two streams of 4,096 bytes each (each is
/// padded with zeros or cut to that size), so no mini stream is needed: sector 0 is the FAT, 1
/// the directory, 2–9 the first stream, 10–17 the second. The first name must sort before the
/// second (shorter, or as long and smaller), as a directory's red-black tree orders siblings.
pub fn ole_two_streams(first: (&str, Vec<u8>), second: (&str, Vec<u8>)) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    const FAT_SECTOR: u32 = 0xFFFF_FFFD;
    const NONE: u32 = 0xFFFF_FFFF;
    let mut out = Vec::new();
    // Header.
    out.extend([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    out.extend([0u8; 16]); // CLSID
    out.extend(0x003Eu16.to_le_bytes()); // minor version
    out.extend(0x0003u16.to_le_bytes()); // major version 3
    out.extend(0xFFFEu16.to_le_bytes()); // byte order
    out.extend(9u16.to_le_bytes()); // sector shift: 512
    out.extend(6u16.to_le_bytes()); // mini sector shift: 64
    out.extend([0u8; 6]);
    out.extend(0u32.to_le_bytes()); // directory sectors (0 in v3)
    out.extend(1u32.to_le_bytes()); // FAT sectors
    out.extend(1u32.to_le_bytes()); // first directory sector
    out.extend(0u32.to_le_bytes()); // transaction signature
    out.extend(4096u32.to_le_bytes()); // mini stream cut-off
    out.extend(END.to_le_bytes()); // first mini FAT sector
    out.extend(0u32.to_le_bytes()); // mini FAT sectors
    out.extend(END.to_le_bytes()); // first DIFAT sector
    out.extend(0u32.to_le_bytes()); // DIFAT sectors
    out.extend(0u32.to_le_bytes()); // DIFAT[0]: the FAT is sector 0
    for _ in 1..109 {
        out.extend(FREE.to_le_bytes());
    }
    assert_eq!(out.len(), 512);
    // Sector 0: the FAT.
    let mut fat = vec![FAT_SECTOR, END];
    for first in [2u32, 10] {
        for s in first..first + 7 {
            fat.push(s + 1);
        }
        fat.push(END);
    }
    fat.resize(128, FREE);
    for e in fat {
        out.extend(e.to_le_bytes());
    }
    // Sector 1: the directory (root, EncryptionInfo, EncryptedPackage, unused).
    let entry = |name: &str, kind: u8, left: u32, right: u32, child: u32, start: u32, size: u32| {
        let mut e = Vec::with_capacity(128);
        let utf16: Vec<u16> = name.encode_utf16().chain(std::iter::once(0)).collect();
        for u in &utf16 {
            e.extend(u.to_le_bytes());
        }
        e.resize(64, 0);
        e.extend(((utf16.len() * 2) as u16).to_le_bytes());
        e.push(kind);
        e.push(1); // black
        e.extend(left.to_le_bytes());
        e.extend(right.to_le_bytes());
        e.extend(child.to_le_bytes());
        e.extend([0u8; 16]); // CLSID
        e.extend(0u32.to_le_bytes()); // state
        e.extend([0u8; 16]); // times
        e.extend(start.to_le_bytes());
        e.extend(size.to_le_bytes());
        e.extend(0u32.to_le_bytes()); // size, high half
        assert_eq!(e.len(), 128);
        e
    };
    out.extend(entry("Root Entry", 5, NONE, NONE, 1, END, 0));
    // Siblings are ordered by name length first (EncryptionInfo 14 < EncryptedPackage 16).
    out.extend(entry(first.0, 2, NONE, 2, NONE, 2, 4096));
    out.extend(entry(second.0, 2, NONE, NONE, NONE, 10, 4096));
    out.extend([0u8; 128]);
    for (_, mut data) in [first, second] {
        data.resize(4096, 0);
        out.extend(data);
    }
    assert_eq!(out.len(), 512 * 19);
    out
}

/// A BIFF record: type, length, data.
fn biff_record(t: u16, data: &[u8]) -> Vec<u8> {
    let mut r = t.to_le_bytes().to_vec();
    r.extend((data.len() as u16).to_le_bytes());
    r.extend(data);
    r
}

/// A BIFF8 NUMBER record: the number 1 at a 0-based row and column.
fn biff_number(row: u16, col: u16) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend(col.to_le_bytes());
    d.extend([0u8; 2]);
    d.extend(1.0f64.to_le_bytes());
    biff_record(0x0203, &d)
}

/// A BIFF8 LABEL record: a text (Latin-1, compressed) at a 0-based row and column.
fn biff_label(row: u16, col: u16, text: &str) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend(col.to_le_bytes());
    d.extend([0u8; 2]);
    d.extend((text.len() as u16).to_le_bytes());
    d.push(0);
    d.extend(text.as_bytes());
    biff_record(0x0204, &d)
}

/// An .xls workbook (BIFF8 in an OLE file) of one sheet holding `cells` (BIFF records).
fn xls(cells: &[Vec<u8>]) -> Vec<u8> {
    let bof = |dt: u8| biff_record(0x0809, &[0, 6, dt, 0, 0, 0, 0, 0]);
    let eof = biff_record(0x000A, &[]);
    let bound = |pos: u32| {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend([0, 0, 1, 0, b'S']);
        biff_record(0x0085, &d)
    };
    let globals = bof(5).len() + bound(0).len() + eof.len();
    let mut stream = [bof(5), bound(globals as u32), eof.clone(), bof(0x10)].concat();
    for c in cells {
        stream.extend(c);
    }
    stream.extend(eof);
    ole_two_streams(("Workbook", stream), ("Padding", Vec::new()))
}

/// The GOOD table as an .xls workbook (labels and numbers), to show the checks pass real data.
pub fn good_xls() -> Vec<u8> {
    let mut cells = Vec::new();
    for (r, line) in GOOD.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (r as u16, c as u16);
            cells.push(match cell.parse::<f64>() {
                Ok(_) => {
                    let mut n = biff_number(r, c);
                    n[10..18].copy_from_slice(&cell.parse::<f64>().unwrap_or(0.0).to_le_bytes());
                    n
                }
                Err(_) => biff_label(r, c, cell),
            });
        }
    }
    xls(&cells)
}

/// An .xls workbook (BIFF8 in an OLE file) of one sheet whose cells sit at A1 and at the last
/// row and column a BIFF cell record can name: calamine would allocate 65,536 × 65,536 cells.
pub fn far_cells_xls() -> Vec<u8> {
    xls(&[biff_number(0, 0), biff_number(65_535, 65_535)])
}

/// An .ods workbook whose one sheet has a header cell and then a row of 100 filled cells
/// repeated a million times (`table:number-rows-repeated`).
pub fn repeats_ods() -> Vec<u8> {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row><table:table-cell office:value-type="string"><text:p>time</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="100"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip(&[
        stored("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        stored("content.xml", content),
        stored("META-INF/manifest.xml", manifest),
    ])
}

// ---------------------------------------------------------------------------------------------
// .xlsb workbooks: BIFF12 records in a zip

/// A BIFF12 record: its type and its size as variable-length integers (7 bits a byte, low bits
/// first, the high bit saying another byte follows), then its data.
pub fn xlsb_record(t: u16, data: &[u8]) -> Vec<u8> {
    let mut r = if t < 0x80 {
        vec![t as u8]
    } else {
        vec![(t & 0x7F) as u8 | 0x80, (t >> 7) as u8]
    };
    let mut len = data.len();
    loop {
        let b = (len & 0x7F) as u8;
        len >>= 7;
        if len == 0 {
            r.push(b);
            break;
        }
        r.push(b | 0x80);
    }
    r.extend(data);
    r
}

/// An XLWideString: a 32-bit count of UTF-16 code units, then the units.
pub fn xlsb_wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut v = (units.len() as u32).to_le_bytes().to_vec();
    v.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    v
}

/// BrtRowHdr: the row's 0-based number, then 13 bytes of formatting (no column spans).
pub fn xlsb_row(row: u32) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend([0u8; 13]);
    xlsb_record(0x0000, &d)
}

/// BrtCellIsst: the cell in column `col` holding shared string number `isst`.
pub fn xlsb_shared_string_cell(col: u32, isst: u32) -> Vec<u8> {
    let mut d = col.to_le_bytes().to_vec();
    d.extend([0u8; 4]); // style 0, no flags
    d.extend(isst.to_le_bytes());
    xlsb_record(0x0007, &d)
}

/// BrtCellReal: the cell in column `col` holding the number `x`.
pub fn xlsb_number_cell(col: u32, x: f64) -> Vec<u8> {
    let mut d = col.to_le_bytes().to_vec();
    d.extend([0u8; 4]);
    d.extend(x.to_le_bytes());
    xlsb_record(0x0005, &d)
}

/// The parts of an .xlsb workbook of one sheet, "Sheet1", to break one at a time.
pub struct Xlsb {
    /// xl/workbook.bin
    pub workbook: Vec<u8>,
    /// xl/_rels/workbook.bin.rels
    pub rels: String,
    /// xl/worksheets/sheet1.bin
    pub sheet: Vec<u8>,
    /// xl/sharedStrings.bin
    pub shared_strings: Vec<u8>,
    /// xl/styles.bin, when there is one
    pub styles: Option<Vec<u8>>,
}

impl Xlsb {
    /// A workbook whose sheet holds `cells` (row and cell records, between BrtBeginSheetData
    /// and BrtEndSheetData; BrtWsDim says A1:Z100) and whose shared strings are `strings`.
    pub fn new(cells: &[Vec<u8>], strings: &[&str]) -> Xlsb {
        let mut bundle = 0u32.to_le_bytes().to_vec(); // visible
        bundle.extend(1u32.to_le_bytes()); // tab id
        bundle.extend(xlsb_wide("rId1"));
        bundle.extend(xlsb_wide("Sheet1"));
        let workbook = [
            xlsb_record(0x0083, &[]),       // BrtBeginBook
            xlsb_record(0x0099, &[0u8; 4]), // BrtWbProp (1900 dates)
            xlsb_record(0x008F, &[]),       // BrtBeginBundleShs
            xlsb_record(0x009C, &bundle),   // BrtBundleSh
            xlsb_record(0x0090, &[]),       // BrtEndBundleShs
            xlsb_record(0x0084, &[]),       // BrtEndBook
        ]
        .concat();
        let mut dims = Vec::new();
        for v in [0u32, 99, 0, 25] {
            dims.extend(v.to_le_bytes());
        }
        let mut sheet = [
            xlsb_record(0x0081, &[]),   // BrtBeginSheet
            xlsb_record(0x0094, &dims), // BrtWsDim
            xlsb_record(0x0091, &[]),   // BrtBeginSheetData
        ]
        .concat();
        for c in cells {
            sheet.extend(c);
        }
        sheet.extend(xlsb_record(0x0092, &[])); // BrtEndSheetData
        sheet.extend(xlsb_record(0x0082, &[])); // BrtEndSheet
        let mut sst = (strings.len() as u32).to_le_bytes().to_vec();
        sst.extend((strings.len() as u32).to_le_bytes());
        let mut shared_strings = xlsb_record(0x009F, &sst); // BrtBeginSst
        for s in strings {
            let mut d = vec![0u8]; // no rich text, no phonetics
            d.extend(xlsb_wide(s));
            shared_strings.extend(xlsb_record(0x0013, &d)); // BrtSSTItem
        }
        shared_strings.extend(xlsb_record(0x00A0, &[])); // BrtEndSst
        Xlsb {
            workbook,
            rels: XLSB_WORKBOOK_RELS.to_string(),
            sheet,
            shared_strings,
            styles: None,
        }
    }

    /// Puts `records` into xl/workbook.bin just before its last record (BrtEndBook), where
    /// external sheets and defined names go.
    #[allow(dead_code)] // used by tests/workbook.rs
    pub fn add_to_workbook(&mut self, records: &[Vec<u8>]) {
        let end = self.workbook.len() - xlsb_record(0x0084, &[]).len();
        self.workbook.splice(end..end, records.concat());
    }

    /// Puts `records` into the sheet just before BrtEndSheetData.
    #[allow(dead_code)] // used by tests/workbook.rs
    pub fn add_cells(&mut self, records: &[Vec<u8>]) {
        let end = self.sheet.len() - 2 * xlsb_record(0x0092, &[]).len();
        self.sheet.splice(end..end, records.concat());
    }

    /// The zip of the parts.
    pub fn bytes(&self) -> Vec<u8> {
        let binary = |name: &'static str, data: &[u8]| Member {
            name,
            method: 0,
            data: data.to_vec(),
            crc: crc32(data),
            size: data.len() as u32,
        };
        let mut members = vec![
            stored("[Content_Types].xml", XLSB_CONTENT_TYPES),
            stored("_rels/.rels", XLSB_ROOT_RELS),
            binary("xl/workbook.bin", &self.workbook),
            stored("xl/_rels/workbook.bin.rels", &self.rels),
            binary("xl/worksheets/sheet1.bin", &self.sheet),
            binary("xl/sharedStrings.bin", &self.shared_strings),
        ];
        if let Some(styles) = &self.styles {
            members.push(binary("xl/styles.bin", styles));
        }
        zip(&members)
    }
}

/// The GOOD table as cell records and shared strings (text cells are shared strings).
pub fn good_xlsb_parts() -> Xlsb {
    let mut strings: Vec<&str> = Vec::new();
    let mut cells = Vec::new();
    for (r, line) in GOOD.lines().enumerate() {
        cells.push(xlsb_row(r as u32));
        for (c, cell) in line.split(',').enumerate() {
            cells.push(match cell.parse::<f64>() {
                Ok(x) => xlsb_number_cell(c as u32, x),
                Err(_) => {
                    let i = strings.iter().position(|s| *s == cell).unwrap_or_else(|| {
                        strings.push(cell);
                        strings.len() - 1
                    });
                    xlsb_shared_string_cell(c as u32, i as u32)
                }
            });
        }
    }
    Xlsb::new(&cells, &strings)
}

/// The GOOD table as a small valid .xlsb workbook.
pub fn good_xlsb() -> Vec<u8> {
    good_xlsb_parts().bytes()
}

/// The GOOD table as an .xlsb whose cell B3 names shared string 999 of 5, an index calamine
/// 0.38 does not check (it panics).
pub fn xlsb_string_index_out_of_range() -> Vec<u8> {
    let mut parts = good_xlsb_parts();
    let row2 = xlsb_row(2);
    let at = parts
        .sheet
        .windows(row2.len())
        .position(|w| w == row2.as_slice())
        .map_or(0, |i| i + row2.len());
    // Row 3's cells: time (a number), then status: replace status with shared string 999.
    let time = xlsb_number_cell(0, 8.0);
    let status = xlsb_number_cell(1, 0.0);
    let bad = xlsb_shared_string_cell(1, 999);
    let start = at + time.len();
    parts.sheet.splice(start..start + status.len(), bad);
    parts.bytes()
}

/// An .xlsb whose sheet's dimension record (BrtWsDim, 16 bytes) is cut to 4 bytes: calamine
/// 0.38 reads 16 bytes from it unchecked (it panics).
pub fn xlsb_short_dimension() -> Vec<u8> {
    let mut parts = good_xlsb_parts();
    let dims = {
        let mut d = Vec::new();
        for v in [0u32, 99, 0, 25] {
            d.extend(v.to_le_bytes());
        }
        xlsb_record(0x0094, &d)
    };
    let at = parts
        .sheet
        .windows(dims.len())
        .position(|w| w == dims.as_slice())
        .unwrap_or(0);
    parts
        .sheet
        .splice(at..at + dims.len(), xlsb_record(0x0094, &[0u8; 4]));
    parts.bytes()
}

/// An .xlsb whose sheet entry (BrtBundleSh) is cut to 6 bytes: calamine 0.38 reads its 12-byte
/// head unchecked (it panics).
pub fn xlsb_short_sheet_entry() -> Vec<u8> {
    let mut parts = good_xlsb_parts();
    let at = parts
        .workbook
        .windows(2)
        .position(|w| w == [0x9C, 0x01])
        .unwrap_or(0);
    let end =
        parts.workbook.len() - xlsb_record(0x0090, &[]).len() - xlsb_record(0x0084, &[]).len();
    parts
        .workbook
        .splice(at..end, xlsb_record(0x009C, &[0u8; 6]));
    parts.bytes()
}

/// An .xlsb whose sheet entry names a relationship ("rId7") its relationships part lacks:
/// calamine 0.38 looks it up unchecked (it panics).
pub fn xlsb_unknown_relationship() -> Vec<u8> {
    let mut parts = good_xlsb_parts();
    parts.rels = parts.rels.replace("rId1", "rId7");
    parts.bytes()
}

/// An .xlsb whose shared-strings header (BrtBeginSst, 8 bytes) is cut to 2: calamine 0.38
/// reads bytes 4–8 of it unchecked (it panics).
pub fn xlsb_short_shared_strings() -> Vec<u8> {
    let mut parts = good_xlsb_parts();
    let head = xlsb_record(0x009F, &[0u8; 8]).len();
    let rest = parts.shared_strings[head..].to_vec();
    parts.shared_strings = [xlsb_record(0x009F, &[0, 0]), rest].concat();
    parts.bytes()
}

const XLSB_CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/><Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/></Types>"#;
const XLSB_ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>"#;
const XLSB_WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.bin"/></Relationships>"#;
