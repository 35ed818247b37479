#!/usr/bin/env bash
# The whole check, as CI runs it (`npm test`). Stops at the first failing step.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

STEPS=10
n=0
step() {
  n=$((n + 1))
  printf '\n==> [%d/%d] %s\n' "$n" "$STEPS" "$*"
}
trap 'status=$?; if [ $status -ne 0 ]; then printf "\n==> FAILED at step %d/%d (exit %d)\n" "$n" "$STEPS" "$status" >&2; fi' EXIT

step "setup (install missing tools)"
bash scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all --check

step "build the page (wasm, bindings, wasm-opt, example data, TypeScript)"
bash scripts/build.sh

step "clippy, native"
cargo clippy --workspace --all-targets -- -D warnings

step "clippy, wasm32"
# Every target but the benches (divan and the native timers are native-only tools).
cargo clippy -p survcalc --target wasm32-unknown-unknown --lib --bins --tests --examples -- -D warnings
# The page's first module is built without the workbook feature (see scripts/build.sh).
cargo clippy -p survcalc --target wasm32-unknown-unknown --lib --no-default-features -- -D warnings

step "cargo test (native)"
cargo test --workspace

step "cargo test (wasm32, wasm-bindgen-test-runner)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown -p survcalc --test wasm

step "TypeScript type check (tsc --noEmit)"
npx --no-install tsc --noEmit -p tsconfig.json

step "build the native CLI (used by the end-to-end tests)"
cargo build --release --bin survcalc

step "Playwright end-to-end tests"
npx --no-install playwright test

printf '\n==> all %d steps passed\n' "$STEPS"
