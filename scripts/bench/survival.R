# Times R's survival package on one cohort file made by gen_cohort (see scripts/bench-r.sh).
#
#   Rscript scripts/bench/survival.R FILE.csv [RUNS]
#
# Prints one line per stage: "timing<TAB>stage<TAB>median seconds<TAB>every run", and a few of
# the estimates ("value<TAB>name<TAB>number") so they can be set beside survcalc's.
# Stages: read (data.table::fread if installed, else read.csv; one run), survfit
# (survfit(Surv(time, status) ~ group) with quantile() and the printed medians with CIs),
# survdiff (log-rank), coxph (group + age + x1 + sex, Efron; R computes the concordance too).

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript survival.R FILE.csv [RUNS]")
file <- args[1]
runs <- if (length(args) >= 2) as.integer(args[2]) else 3L
suppressPackageStartupMessages(library(survival))

use_fread <- requireNamespace("data.table", quietly = TRUE)
read_time <- system.time({
  d <- if (use_fread) {
    as.data.frame(data.table::fread(file, showProgress = FALSE))
  } else {
    read.csv(file, stringsAsFactors = FALSE)
  }
})[["elapsed"]]
cat(sprintf("timing\tread (%s)\t%.4f\t%.4f\n",
            if (use_fread) "fread" else "read.csv", read_time, read_time))
d$group <- factor(d$group, levels = c("A", "B", "C"))
d$sex <- factor(d$sex, levels = c("F", "M"))

stages <- list(
  survfit = function() {
    fit <- survfit(Surv(time, status) ~ group, data = d)
    q <- quantile(fit, probs = c(0.25, 0.5, 0.75), conf.int = TRUE)
    invisible(capture.output(print(fit)))
    list(fit = fit, q = q)
  },
  survdiff = function() survdiff(Surv(time, status) ~ group, data = d),
  coxph = function() coxph(Surv(time, status) ~ group + age + x1 + sex, data = d,
                           ties = "efron")
)

results <- list()
for (name in names(stages)) {
  times <- numeric(runs)
  for (r in seq_len(runs)) {
    gc(verbose = FALSE)
    times[r] <- system.time(results[[name]] <- stages[[name]]())[["elapsed"]]
  }
  cat(sprintf("timing\t%s\t%.4f\t%s\n", name, median(times),
              paste(sprintf("%.4f", times), collapse = ",")))
}

q <- results$survfit$q
for (g in seq_len(nrow(q$quantile))) {
  cat(sprintf("value\tmedian %s\t%s\n", rownames(q$quantile)[g], format(q$quantile[g, "50"], digits = 15)))
}
cat(sprintf("value\tlog-rank chisq\t%s\n", format(results$survdiff$chisq, digits = 15)))
cf <- coef(results$coxph)
for (k in names(cf)) cat(sprintf("value\tcoef %s\t%s\n", k, format(cf[[k]], digits = 15)))
cat(sprintf("value\tconcordance\t%s\n", format(results$coxph$concordance[["concordance"]], digits = 15)))
