#!/usr/bin/env bash
# Times survcalc's native CLI against R's survival package on the same synthetic files, in the
# same run, and prints a table of medians and ratios. Not part of `npm test`.
#
#   bash scripts/bench-r.sh                  # 1e5 and 1e6 rows, 3 runs each
#   SIZES="10000 100000" RUNS=5 bash scripts/bench-r.sh
#
# Needs R with the survival package (Debian: apt-get install r-base-core r-cran-survival); if R
# is missing it says how to install it and exits 0 without installing anything. R reads the CSV
# with data.table::fread when installed (r-cran-data.table), else read.csv; reading is timed
# apart from the estimators on both sides.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100000 1000000"}
RUNS=${RUNS:-3}

if ! command -v Rscript >/dev/null 2>&1 || ! Rscript -e 'quit(status = !requireNamespace("survival", quietly = TRUE))' >/dev/null 2>&1; then
  echo "bench-r: R with the survival package is not installed; nothing to compare against."
  echo "  Debian/Ubuntu: sudo apt-get install -y --no-install-recommends r-base-core r-cran-survival"
  echo "  (optional, faster CSV reading in R: r-cran-data.table)"
  exit 0
fi

echo "bench-r: building the CLI and the generator (release)..." >&2
cargo build --release --quiet --bin survcalc --example gen_cohort
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
cli="$target_dir/release/survcalc"
gen="$target_dir/release/examples/gen_cohort"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# median of numbers on stdin
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# the median over runs of survcalc's stages named $2.. (summed within a run), from file $1
stage_median() {
  local file=$1
  shift
  awk -F'\t' -v names="$*" '
    BEGIN { n = split(names, want, "|") }
    $1 == "run" { run = $2 }
    $1 == "timing" { for (i = 1; i <= n; i++) if ($2 == want[i]) sum[run] += $3 }
    END { for (r in sum) print sum[r] }' "$file" | median
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || b == 0) print "NA"; else printf "%.3f", a / b }'; }

rversion=$(Rscript -e 'cat(R.version$major, ".", R.version$minor, " + survival ", as.character(packageVersion("survival")), sep = "")')
echo
echo "survcalc native CLI vs R ${rversion}; medians of ${RUNS} runs, wall seconds, same machine, same run"
echo "(machine: $(nproc) cores, $(uname -m))"

for n in $SIZES; do
  csv="$work/cohort_$n.csv"
  "$gen" "$n" ties >"$csv"
  echo "bench-r: $n rows: R..." >&2
  Rscript scripts/bench/survival.R "$csv" "$RUNS" >"$work/r_$n.tsv"
  echo "bench-r: $n rows: survcalc..." >&2
  : >"$work/s_$n.tsv"
  for run in $(seq 1 "$RUNS"); do
    echo "run	$run" >>"$work/s_$n.tsv"
    "$cli" analyze "$csv" --time time --event status --group group \
      --covariates age,x1,sex --categorical sex=F --response response --json --timings \
      >"$work/report_$n.json" 2>>"$work/s_$n.tsv"
  done

  r_read=$(awk -F'\t' '$1 == "timing" && $2 ~ /^read/ { print $3 }' "$work/r_$n.tsv")
  r_survfit=$(awk -F'\t' '$1 == "timing" && $2 == "survfit" { print $3 }' "$work/r_$n.tsv")
  r_survdiff=$(awk -F'\t' '$1 == "timing" && $2 == "survdiff" { print $3 }' "$work/r_$n.tsv")
  r_coxph=$(awk -F'\t' '$1 == "timing" && $2 == "coxph" { print $3 }' "$work/r_$n.tsv")
  r_reader=$(awk -F'\t' '$1 == "timing" && $2 ~ /^read/ { sub(/^read /, "", $2); gsub(/[()]/, "", $2); print $2 }' "$work/r_$n.tsv")
  r_all=$(awk -v a="$r_survfit" -v b="$r_survdiff" -v c="$r_coxph" 'BEGIN { print a + b + c }')

  s_read=$(stage_median "$work/s_$n.tsv" "read")
  s_km=$(stage_median "$work/s_$n.tsv" "Survival: rows|Survival: curves")
  s_tests=$(stage_median "$work/s_$n.tsv" "Survival: tests")
  s_cox=$(stage_median "$work/s_$n.tsv" "Survival: cox multivariable")
  s_zph=$(stage_median "$work/s_$n.tsv" "Survival: cox multivariable: cox.zph")
  s_three=$(stage_median "$work/s_$n.tsv" "Survival: rows|Survival: curves|Survival: tests|Survival: cox multivariable")
  s_total=$(stage_median "$work/s_$n.tsv" "total")

  echo
  echo "## $n rows (whole-day times, 3 groups)"
  printf '%-64s %10s %10s %8s\n' "stage" "survcalc" "R" "ratio"
  row() { printf '%-64s %10s %10s %8s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
  row "read the CSV (R: $r_reader)" "$s_read" "$r_read"
  row "KM per group + CIs + quartiles with CIs (R: survfit+quantile)" "$s_km" "$r_survfit"
  row "log-rank + Peto-Peto (R: survdiff, log-rank only)" "$s_tests" "$r_survdiff"
  row "Cox group+age+x1+sex, Efron, with concordance (R: coxph)" "$s_cox" "$r_coxph"
  printf '%-64s %10s\n' "survcalc: cox.zph of that model (R: not timed)" "$s_zph"
  row "the three above" "$s_three" "$r_all"
  printf '%-64s %10s\n' "survcalc: the whole report (read, all stages, JSON)" "$s_total"
  echo "survcalc stages (median seconds):"
  awk -F'\t' '$1 == "timing" { print $2 }' "$work/s_$n.tsv" | awk '!seen[$0]++' | while read -r stage; do
    printf '  %-40s %8s\n' "$stage" "$(stage_median "$work/s_$n.tsv" "$stage")"
  done

  echo "estimates (R | survcalc):"
  node -e '
    const fs = require("fs");
    const r = {};
    for (const line of fs.readFileSync(process.argv[1], "utf8").split("\n")) {
      const [kind, name, value] = line.split("\t");
      if (kind === "value") r[name] = value;
    }
    const e = JSON.parse(fs.readFileSync(process.argv[2], "utf8")).endpoints[0];
    const mine = {};
    for (const c of e.curves) mine["median group=" + c.group] = c.median.estimate;
    mine["log-rank chisq"] = e.tests.find((t) => t.test === "log-rank").chisq;
    const cox = e.cox.find((c) => c.name === "multivariable");
    const rename = { "group=B": "groupB", "group=C": "groupC", "sex=M": "sexM", age: "age", x1: "x1" };
    for (const t of cox.terms) mine["coef " + rename[t.term]] = t.coef;
    mine.concordance = cox.concordance.estimate;
    for (const [k, v] of Object.entries(r)) console.log("  " + k.padEnd(22) + String(v).padEnd(22) + " | " + mine[k]);
  ' "$work/r_$n.tsv" "$work/report_$n.json"
done
