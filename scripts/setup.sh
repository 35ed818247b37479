#!/usr/bin/env bash
# Installs what `npm start` / `npm test` need, on a fresh Debian 12 machine that has only
# rustup/cargo and Node.js/npm. Idempotent: every step checks first and is skipped when its
# tool is already present at the right version.
#
#   1. the Rust wasm32-unknown-unknown target and the rustfmt/clippy components (rustup)
#   2. wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock (cargo install)
#   3. Debian's chromium + chromium-driver, for Playwright and wasm-bindgen-test (apt-get)
#   4. node_modules from package-lock.json (npm ci)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf 'setup: %s\n' "$*"; }

# --- 1. wasm32 target ---------------------------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rust target wasm32-unknown-unknown: present"
else
  say "rust target wasm32-unknown-unknown: installing (rustup target add)"
  rustup target add wasm32-unknown-unknown
fi

for component in rustfmt clippy; do
  tool=$([ "$component" = rustfmt ] && echo fmt || echo clippy)
  if cargo "$tool" --version >/dev/null 2>&1; then
    say "rust component $component: present"
  else
    say "rust component $component: installing (rustup component add)"
    rustup component add "$component"
  fi
done

# --- 2. wasm-bindgen CLI, same version as the crate -------------------------------------------
# The CLI must equal the wasm-bindgen crate version exactly, or the bindgen step fails with a
# schema-version error. Cargo.lock is the source of truth.
if [ ! -f Cargo.lock ]; then
  say "Cargo.lock missing: resolving dependencies (cargo generate-lockfile)"
  cargo generate-lockfile
fi
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$WB_VERSION" ]; then
  echo "setup: could not read the wasm-bindgen version from Cargo.lock" >&2
  exit 1
fi
have_wb=$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2 || true)
have_runner=$(wasm-bindgen-test-runner --version 2>/dev/null | cut -d' ' -f2 || true)
if [ "$have_wb" = "$WB_VERSION" ] && [ "$have_runner" = "$WB_VERSION" ]; then
  say "wasm-bindgen-cli $WB_VERSION: present"
else
  say "wasm-bindgen-cli $WB_VERSION: installing (found '${have_wb:-none}'; takes about 2 minutes)"
  # --locked can fail when the CLI's packaged lock pins a crate version the registry index does
  # not have yet; then resolve afresh.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --locked \
    || { say "install with --locked failed; retrying without it"
         cargo install wasm-bindgen-cli --version "$WB_VERSION" --force; }
fi

# --- 3. Chromium and ChromeDriver (Debian packages) -----------------------------------------------
if [ -x /usr/bin/chromium ] && command -v chromedriver >/dev/null 2>&1; then
  say "chromium + chromedriver: present"
else
  say "chromium + chromedriver: installing (apt-get)"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends chromium chromium-driver
fi

# --- 4. node_modules ---------------------------------------------------------------------------
# npm ci writes node_modules/.package-lock.json; reinstall when the lock file is newer.
if [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
  say "node_modules: up to date"
else
  say "node_modules: installing (npm ci)"
  npm ci --no-audit --no-fund
fi

say "done"
