//! The survcalc command line: a thin adapter over the same core function the page calls.
//! Native only; under wasm32 (where `cargo clippy --all-targets` also builds it) it is empty.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
