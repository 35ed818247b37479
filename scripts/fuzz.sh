#!/usr/bin/env bash
# Fuzzes the core with cargo-fuzz (libFuzzer, nightly Rust), one target after another, each for a
# fixed time, and prints how many inputs each target ran. Not part of CI.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     # default 600 s each; targets: dates settings csv workbook xlsb
#
# Needs `rustup toolchain install nightly` and `cargo install cargo-fuzz`. The fuzz package is
# crate/fuzz (its own workspace and target directory, since it builds with sanitizers). Inputs
# found interesting are kept in crate/fuzz/corpus/TARGET (not committed), starting from the
# committed seeds in crate/fuzz/seeds/TARGET; a crash is saved in crate/fuzz/artifacts/TARGET
# and stops that target. Each target runs in one process (libFuzzer's default, the same as
# -jobs=1 without moving the output into fuzz-0.log), at low priority.
set -euo pipefail

cd "$(dirname "$0")/../crate/fuzz"
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(dates settings csv workbook xlsb)

max_len() {
  case "$1" in
    dates) echo 256 ;;
    settings) echo 4096 ;;
    csv) echo 16384 ;;
    workbook) echo 65536 ;;
    xlsb) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

# The fuzz package's lock file is not committed: it starts as a copy of the workspace's, so the
# core is fuzzed with the dependency versions it ships with (cargo adds libfuzzer-sys).
[ -f Cargo.lock ] || cp ../../Cargo.lock Cargo.lock
mkdir -p logs
summary=()
status=0
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "seeds/$target"
  log="logs/$target.log"
  echo "== $target: ${seconds}s (log in crate/fuzz/$log)"
  set +e
  start=$(date +%s)
  nice -n 10 cargo +nightly fuzz run "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 \
    -rss_limit_mb=2560 -print_final_stats=1 >"$log" 2>&1
  rc=$?
  end=$(date +%s)
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  # libFuzzer prints "Done N runs in S second(s)" only when time runs out; after a crash the
  # wall time (which includes the build) is the best there is.
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  secs=${secs:-"≤ $((end - start))"}
  if [ "$rc" -eq 0 ]; then
    result="no crash"
  else
    result="CRASH (exit $rc): $(ls -t "artifacts/$target" 2>/dev/null | head -1)"
    status=1
  fi
  line="$target: ${runs:-?} executions in ${secs} s, corpus $(ls "corpus/$target" | wc -l) inputs, $result"
  echo "$line"
  summary+=("$line")
done
echo
echo "== summary"
printf '%s\n' "${summary[@]}"
exit "$status"
