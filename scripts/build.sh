#!/usr/bin/env bash
# Builds the page into www/: the Rust core as WebAssembly (www/pkg/: full; www/pkg-core/: the
# first module, without workbooks), the TypeScript (www/js/),
# the synthetic example data (www/example/) and the service worker (www/sw.js); then the
# self-contained single file dist/survcalc.html. Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"

t0=$SECONDS
last=$SECONDS
step() {
  printf '\nbuild: %s  (previous step %ds)\n' "$*" $((SECONDS - last))
  last=$SECONDS
}

step "cargo build (wasm32, release)"
cargo build --release --target wasm32-unknown-unknown -p survcalc --lib

step "wasm-bindgen --target web -> www/pkg/"
rm -rf www/pkg
wasm-bindgen --target web --out-dir www/pkg "$TARGET_DIR/wasm32-unknown-unknown/release/survcalc.wasm"

WASM=www/pkg/survcalc_bg.wasm
before=$(stat -c %s "$WASM")
step "wasm-opt -Oz (binaryen from node_modules)"
npx --no-install wasm-opt -Oz "$WASM" -o "$WASM"

# The page's first module: the same core without the workbook reader (calamine, zip, XML and
# the legacy encodings are half the module). The worker loads www/pkg/ (the full module) only
# when the user opens a workbook. Its own target directory, so neither build undoes the other.
step "cargo build (wasm32, release, CSV/TSV only) -> www/pkg-core/"
CORE_TARGET_DIR="$TARGET_DIR/wasm-core"
cargo build --release --target wasm32-unknown-unknown -p survcalc --lib --no-default-features \
  --target-dir "$CORE_TARGET_DIR"
rm -rf www/pkg-core
wasm-bindgen --target web --out-dir www/pkg-core "$CORE_TARGET_DIR/wasm32-unknown-unknown/release/survcalc.wasm"
CORE_WASM=www/pkg-core/survcalc_bg.wasm
core_before=$(stat -c %s "$CORE_WASM")
npx --no-install wasm-opt -Oz "$CORE_WASM" -o "$CORE_WASM"

step "example data -> www/example/"
node scripts/make-example.mjs www/example/netg3_example.csv

step "TypeScript -> www/js/"
rm -rf www/js
npx --no-install tsc -p www/tsconfig.json

step "service worker -> www/sw.js (offline copy of the page's own files)"
node scripts/service-worker.mjs www

step "single file -> dist/survcalc.html (+ dist/SHA256SUMS)"
node scripts/single-file.mjs www dist/survcalc.html

raw=$(stat -c %s "$WASM")
gz=$(gzip -9 -c "$WASM" | wc -c)
js=$(stat -c %s www/pkg/survcalc.js)
jsgz=$(gzip -9 -c www/pkg/survcalc.js | wc -c)
printf '\nbuild: %s: %s bytes (%s before wasm-opt), %s bytes gzipped\n' "$WASM" "$raw" "$before" "$gz"
printf 'build: www/pkg/survcalc.js: %s bytes, %s bytes gzipped\n' "$js" "$jsgz"
core_raw=$(stat -c %s "$CORE_WASM")
core_gz=$(gzip -9 -c "$CORE_WASM" | wc -c)
printf 'build: %s (first module, no workbooks): %s bytes (%s before wasm-opt), %s bytes gzipped\n' "$CORE_WASM" "$core_raw" "$core_before" "$core_gz"
printf 'build: done in %ds (last step %ds)\n' $((SECONDS - t0)) $((SECONDS - last))
