//! Writes the hostile-input corpus (`crate/tests/hostile/corpus.rs`) into a folder, with
//! `manifest.json` listing each file's expected outcome, for the browser test
//! `tests/hostile.spec.ts` (which runs this) and for trying the files by hand.
//!
//! ```sh
//! cargo run --example make_hostile -- [FOLDER] [--big]     # default target/hostile
//! ```
//!
//! Deterministic: the same files every time. The big one (about 200 MB) is written only with
//! `--big`, streamed to disk, and rewritten only when missing or of another size.

// Native only (it writes files, and rust_xlsxwriter is a native dev-dependency); the wasm32
// build of the examples gets an empty main.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/hostile/corpus.rs"]
mod corpus;

#[cfg(not(target_arch = "wasm32"))]
use std::io::{BufWriter, Write};
#[cfg(not(target_arch = "wasm32"))]
use std::path::PathBuf;

#[cfg(not(target_arch = "wasm32"))]
use corpus::{Expect, Stage};

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let big = args.iter().any(|a| a == "--big");
    let dir = PathBuf::from(
        args.iter()
            .find(|a| !a.starts_with("--"))
            .map_or("target/hostile", String::as_str),
    );
    std::fs::create_dir_all(&dir)?;
    let mut manifest = Vec::new();
    for case in corpus::cases() {
        let path = dir.join(case.file);
        let size = if case.big && !big {
            None
        } else {
            let mut counter = Counter(0);
            case.write_to(&mut counter)?;
            let fresh = std::fs::metadata(&path).is_ok_and(|m| m.len() == counter.0);
            if !(case.big && fresh) {
                let mut out = BufWriter::new(std::fs::File::create(&path)?);
                case.write_to(&mut out)?;
                out.flush()?;
            }
            Some(counter.0)
        };
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
            "bytes": size,
            "written": size.is_some(),
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
#[cfg(not(target_arch = "wasm32"))]
struct Counter(u64);

#[cfg(not(target_arch = "wasm32"))]
impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
