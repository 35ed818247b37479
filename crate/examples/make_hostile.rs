//! Writes the hostile-input corpus (`crate/tests/hostile/corpus.rs`) into a folder, with
//! `manifest.json` listing each file's expected outcome, for the browser test
//! `tests/hostile.spec.ts` (which runs this) and for trying the files by hand.
//!
//! ```sh
//! cargo run --example make_hostile -- [FOLDER]     # default target/hostile
//! ```
//!
//! Deterministic: the same files every time. The big one (about 200 MB) is streamed to disk and
//! rewritten only when missing or of another size.

#[path = "../tests/hostile/corpus.rs"]
mod corpus;

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use corpus::{Expect, Stage};

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/hostile".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let mut manifest = Vec::new();
    for case in corpus::cases() {
        let path = dir.join(case.file);
        let mut counter = Counter(0);
        case.write_to(&mut counter)?;
        let fresh = std::fs::metadata(&path).is_ok_and(|m| m.len() == counter.0);
        if !fresh || !case.big {
            let mut out = BufWriter::new(std::fs::File::create(&path)?);
            case.write_to(&mut out)?;
            out.flush()?;
        }
        let settings_file = format!("{}.settings.json", case.file);
        std::fs::write(dir.join(&settings_file), &case.settings)?;
        let (outcome, stage, kind, parts) = match &case.expect {
            Expect::Loads => ("loads", None, None, Vec::new()),
            Expect::Fails { stage, kind, parts } => {
                ("fails", Some(*stage), Some(*kind), parts.clone())
            }
            Expect::LoadsOrLimit { parts } => (
                "loads-or-limit",
                Some(Stage::Open),
                Some("limit"),
                parts.clone(),
            ),
        };
        manifest.push(serde_json::json!({
            "file": case.file,
            "about": case.about,
            "bytes": counter.0,
            "settings": settings_file,
            "outcome": outcome,
            "stage": stage.map(Stage::name),
            "kind": kind,
            "parts": parts,
            "big": case.big,
            "known_failing": case.known_failing,
        }));
    }
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    std::fs::write(dir.join("manifest.json"), text)?;
    println!("{} files in {}", manifest.len(), dir.display());
    Ok(())
}

/// Counts bytes without keeping them (the size of a streamed file).
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
