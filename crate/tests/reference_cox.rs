//! Cox model against R 4.2.2 + survival 3.5-3 (`../shared/reference/expected/<set>/cox.json`
//! and `cox_zph.json`), hand-derived small cases, and property tests.
//!
//! The reference folder is the `shared/` sibling of the repository checkout; the tests fail
//! loudly if it is missing (CI has it).

use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;

use serde_json::Value;
use survcalc::math::ln;
use survcalc::survival::cox::{fit, CoxData, CoxFit, CoxOptions, Ties};

/// `coxph()` coefficients, `sqrt(diag(fit$var))`, robust SEs, `exp(coef ± qnorm(0.975)·se)`,
/// z and `summary(fit)$coefficients[, "Pr(>|z|)"]`: relative tolerance.
const TOL_COEF: f64 = 1e-6;
/// `fit$loglik` (null and final): relative tolerance.
const TOL_LOGLIK: f64 = 1e-8;
/// `summary(fit)$logtest / $waldtest / $sctest` and `fit$rscore` statistics and p-values.
const TOL_TEST: f64 = 1e-6;
/// `fit$concordance["concordance"]` and `["std"]`.
const TOL_CONCORDANCE: f64 = 1e-6;
/// `cox.zph(fit, transform = "km", terms = TRUE)$table` chisq and p.
const TOL_ZPH: f64 = 1e-6;

fn reference_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference");
    assert!(
        dir.join("expected/manifest.json").is_file(),
        "reference data not found at {} (the shared/ folder must sit beside the repository \
         checkout)",
        dir.display()
    );
    dir
}

fn read_json(path: PathBuf) -> Value {
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad JSON in {}: {e}", path.display()))
}

/// A CSV as columns of optional strings (empty cell = missing).
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
}

impl Csv {
    fn read(path: PathBuf) -> Csv {
        let mut rdr = csv::Reader::from_path(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let header = rdr
            .headers()
            .unwrap_or_else(|e| panic!("no header in {}: {e}", path.display()))
            .iter()
            .map(str::to_string)
            .collect();
        let rows = rdr
            .records()
            .map(|r| {
                r.unwrap_or_else(|e| panic!("bad record in {}: {e}", path.display()))
                    .iter()
                    .map(|s| {
                        let s = s.trim();
                        (!s.is_empty() && s != "NA").then(|| s.to_string())
                    })
                    .collect()
            })
            .collect();
        Csv { header, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name} not in CSV"))
    }
}

fn num(s: &str) -> f64 {
    s.parse()
        .unwrap_or_else(|_| panic!("not a number in reference CSV: {s}"))
}

/// Design matrix for one model, R style: rows with a missing value in any used column dropped.
struct Model {
    time: Vec<f64>,
    event: Vec<bool>,
    cluster: Option<Vec<usize>>,
    x: Vec<Vec<f64>>,
    names: Vec<String>,
    variables: Vec<String>,
}

fn build_model(set: &Value, csv: &Csv, covariates: &[String], cluster: Option<&str>) -> Model {
    let s = |k: &str| {
        set[k]
            .as_str()
            .unwrap_or_else(|| panic!("manifest: no {k}"))
    };
    let tcol = csv.col(s("time_col"));
    let ecol = csv.col(s("event_col"));
    let event_value = set["event_value"].as_f64().expect("manifest: event_value");
    let group = s("group_col");
    let mut levels: HashMap<String, Vec<String>> = HashMap::new();
    let lv = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("levels")
            .iter()
            .map(|l| l.as_str().expect("level").to_string())
            .collect()
    };
    levels.insert(group.to_string(), lv(&set["group_levels"]));
    if let Some(obj) = set["categorical_covariates"].as_object() {
        for (k, v) in obj {
            levels.insert(k.clone(), lv(v));
        }
    }
    let ccols: Vec<usize> = covariates.iter().map(|c| csv.col(c)).collect();
    let clcol = cluster.map(|c| csv.col(c));
    let mut used = vec![tcol, ecol];
    used.extend(&ccols);
    used.extend(clcol);
    let rows: Vec<&Vec<Option<String>>> = csv
        .rows
        .iter()
        .filter(|r| used.iter().all(|&c| r[c].is_some()))
        .collect();
    let cell = |r: &Vec<Option<String>>, c: usize| r[c].clone().unwrap_or_default();
    let time = rows.iter().map(|r| num(&cell(r, tcol))).collect();
    let event = rows
        .iter()
        .map(|r| num(&cell(r, ecol)) == event_value)
        .collect();
    let mut x = Vec::new();
    let mut names = Vec::new();
    let mut variables = Vec::new();
    for (k, cov) in covariates.iter().enumerate() {
        let c = ccols[k];
        match levels.get(cov) {
            Some(lvls) => {
                for l in &lvls[1..] {
                    x.push(
                        rows.iter()
                            .map(|r| f64::from(u8::from(&cell(r, c) == l)))
                            .collect(),
                    );
                    names.push(format!("{cov}{l}"));
                    variables.push(cov.clone());
                }
            }
            None => {
                x.push(rows.iter().map(|r| num(&cell(r, c))).collect());
                names.push(cov.clone());
                variables.push(cov.clone());
            }
        }
    }
    let cluster = clcol.map(|c| {
        let mut ids: HashMap<String, usize> = HashMap::new();
        rows.iter()
            .map(|r| {
                let k = ids.len();
                *ids.entry(cell(r, c)).or_insert(k)
            })
            .collect()
    });
    Model {
        time,
        event,
        cluster,
        x,
        names,
        variables,
    }
}

/// Largest relative error seen per quantity, printed at the end of each set.
#[derive(Default)]
struct Tracker {
    max: HashMap<&'static str, f64>,
    failures: Vec<String>,
}

impl Tracker {
    fn check(&mut self, what: &'static str, ctx: &str, got: Option<f64>, want: &Value, tol: f64) {
        match (got, want.as_f64()) {
            (Some(g), Some(w)) => {
                let rel = if w == 0.0 {
                    g.abs()
                } else {
                    (g - w).abs() / w.abs()
                };
                let e = self.max.entry(what).or_insert(0.0);
                *e = e.max(rel);
                if rel.is_nan() || rel > tol {
                    self.failures.push(format!(
                        "{ctx} {what}: got {g:e}, R {w:e}, rel err {rel:e} > {tol:e}"
                    ));
                }
            }
            (None, None) => {}
            (g, _) => self
                .failures
                .push(format!("{ctx} {what}: got {g:?}, R {want}")),
        }
    }

    fn finish(&self, set: &str) {
        let mut keys: Vec<_> = self.max.iter().collect();
        keys.sort_by(|a, b| a.0.cmp(b.0));
        for (k, v) in keys {
            println!("{set}: max rel err {k} = {v:.2e}");
        }
        assert!(
            self.failures.is_empty(),
            "{set}: {} mismatches:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

fn ties_of(s: &str) -> Ties {
    match s {
        "efron" => Ties::Efron,
        "breslow" => Ties::Breslow,
        "exact" => Ties::Exact,
        other => panic!("unknown ties {other}"),
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().expect("string").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn run_set(name: &str) {
    let dir = reference_dir();
    let manifest = read_json(dir.join("expected/manifest.json"));
    let set = manifest["analysis_sets"]
        .as_array()
        .expect("analysis_sets")
        .iter()
        .find(|s| s["analysis_set"] == name)
        .unwrap_or_else(|| panic!("{name} not in manifest"));
    let csv = Csv::read(
        dir.join("data")
            .join(set["dataset"].as_str().expect("dataset")),
    );
    let cox = read_json(dir.join("expected").join(name).join("cox.json"));
    let zph = read_json(dir.join("expected").join(name).join("cox_zph.json"));
    let mut tr = Tracker::default();
    let group = set["group_col"].as_str().expect("group_col").to_string();

    for m in cox["models"].as_array().expect("models") {
        let kind = m["model"].as_str().expect("model");
        let ties = m["ties"].as_str().expect("ties");
        let ctx = format!("{name} {kind} {ties}");
        let covs = if kind == "univariable" {
            vec![group.clone()]
        } else {
            strings(&set["cox_multivariable_covariates"])
        };
        let model = build_model(set, &csv, &covs, m["cluster_col"].as_str());
        assert_eq!(
            model.time.len() as f64,
            m["n"].as_f64().expect("n"),
            "{ctx}: rows after dropping missing"
        );
        let data = CoxData {
            time: &model.time,
            event: &model.event,
            weight: None,
            strata: None,
            cluster: model.cluster.as_deref(),
            x: &model.x,
            term_names: &model.names,
            variables: Some(&model.variables),
        };
        let opts = CoxOptions {
            ties: ties_of(ties),
            ..CoxOptions::default()
        };
        let result = fit(&data, &opts);
        if m["nevent"].as_f64() == Some(0.0) {
            // R returns NA coefficients and a zero loglik; we refuse with a message.
            let err = result.expect_err("no events must be an error");
            assert!(err.contains("no events"), "{ctx}: message was {err}");
            continue;
        }
        let f: CoxFit = result.unwrap_or_else(|e| panic!("{ctx}: {e}"));
        check_fit(&mut tr, &ctx, &f, m);

        let z = zph["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|r| r["model"] == kind && r["ties"] == ties)
            .unwrap_or_else(|| panic!("{ctx}: no cox_zph result"));
        let ph = f
            .ph_test
            .as_ref()
            .unwrap_or_else(|| panic!("{ctx}: no PH test"));
        let zt = &z["terms"];
        let zterms = strings(&zt["term"]);
        assert_eq!(ph.terms.len(), zterms.len(), "{ctx}: PH terms");
        for (k, t) in zterms.iter().enumerate() {
            let got = &ph.terms[k];
            assert_eq!(&got.term, t, "{ctx}: PH term order");
            assert_eq!(
                got.df as f64,
                zt["df"][k].as_f64().expect("df"),
                "{ctx} {t} df"
            );
            tr.check(
                "zph chisq",
                &format!("{ctx} {t}"),
                got.chisq,
                &zt["chisq"][k],
                TOL_ZPH,
            );
            tr.check("zph p", &format!("{ctx} {t}"), got.p, &zt["p"][k], TOL_ZPH);
        }
        let g = &z["global"];
        assert_eq!(ph.global.df as f64, g["df"].as_f64().expect("df"));
        tr.check(
            "zph chisq",
            &format!("{ctx} GLOBAL"),
            ph.global.chisq,
            &g["chisq"],
            TOL_ZPH,
        );
        tr.check(
            "zph p",
            &format!("{ctx} GLOBAL"),
            ph.global.p,
            &g["p"],
            TOL_ZPH,
        );
    }
    tr.finish(name);
}

fn check_fit(tr: &mut Tracker, ctx: &str, f: &CoxFit, m: &Value) {
    let c = &m["coefficients"];
    let terms = strings(&c["term"]);
    assert_eq!(f.terms.len(), terms.len(), "{ctx}: number of coefficients");
    assert_eq!(
        f.iterations as f64,
        m["iter"].as_f64().expect("iter"),
        "{ctx}: iterations"
    );
    for (k, t) in terms.iter().enumerate() {
        let got = &f.terms[k];
        assert_eq!(&got.term, t, "{ctx}: term order");
        let cx = format!("{ctx} {t}");
        tr.check("coef", &cx, got.coef, &c["coef"][k], TOL_COEF);
        tr.check("hr", &cx, got.hr, &c["hr"][k], TOL_COEF);
        tr.check("se", &cx, got.std_err, &c["se"][k], TOL_COEF);
        tr.check(
            "robust se",
            &cx,
            got.robust_std_err,
            &c["robust_se"][k],
            TOL_COEF,
        );
        tr.check("z", &cx, got.z, &c["z"][k], TOL_COEF);
        tr.check("p", &cx, got.p, &c["p"][k], TOL_COEF);
        tr.check("hr lower", &cx, got.lower, &c["hr_lower95"][k], TOL_COEF);
        tr.check("hr upper", &cx, got.upper, &c["hr_upper95"][k], TOL_COEF);
    }
    tr.check("loglik", ctx, f.loglik_null, &m["loglik_null"], TOL_LOGLIK);
    tr.check("loglik", ctx, f.loglik, &m["loglik"], TOL_LOGLIK);
    for (name, got, want) in [
        ("lr test", &f.lr_test, &m["lr_test"]),
        ("wald test", &f.wald_test, &m["wald_test"]),
        ("score test", &f.score_test, &m["score_test"]),
    ] {
        tr.check(name, ctx, got.statistic, &want["stat"], TOL_TEST);
        tr.check(name, ctx, got.p, &want["p"], TOL_TEST);
        assert_eq!(
            got.df as f64,
            want["df"].as_f64().expect("df"),
            "{ctx} {name} df"
        );
    }
    match (&f.robust_score_test, m["robust_score_test"].is_null()) {
        (None, true) => {}
        (Some(r), false) => {
            let want = &m["robust_score_test"];
            tr.check(
                "robust score test",
                ctx,
                r.statistic,
                &want["stat"],
                TOL_TEST,
            );
            tr.check("robust score test", ctx, r.p, &want["p"], TOL_TEST);
        }
        (got, _) => panic!(
            "{ctx}: robust score test {got:?} vs R {}",
            m["robust_score_test"]
        ),
    }
    let cc = &m["concordance"];
    tr.check(
        "concordance",
        ctx,
        f.concordance.estimate,
        &cc["concordance"],
        TOL_CONCORDANCE,
    );
    tr.check(
        "concordance se",
        ctx,
        f.concordance.std_err,
        &cc["se"],
        TOL_CONCORDANCE,
    );
    for (name, got) in [
        ("concordant", f.concordance.concordant),
        ("discordant", f.concordance.discordant),
        ("tied_x", f.concordance.tied_x),
        ("tied_y", f.concordance.tied_y),
        ("tied_xy", f.concordance.tied_xy),
    ] {
        assert_eq!(Some(got), cc[name].as_f64(), "{ctx}: concordance {name}");
    }
    let rw = strings(&m["warnings"]);
    assert_eq!(
        f.warnings.is_empty(),
        rw.is_empty(),
        "{ctx}: warnings {:?} vs R {rw:?}",
        f.warnings
    );
}

#[test]
fn reference_lung() {
    run_set("lung");
}

#[test]
fn reference_veteran() {
    run_set("veteran");
}

#[test]
fn reference_aml() {
    run_set("aml");
}

#[test]
fn reference_ovarian() {
    run_set("ovarian");
}

#[test]
fn reference_netg3_lines_pfs() {
    run_set("netg3_lines_pfs");
}

#[test]
fn reference_netg3_lines_os() {
    run_set("netg3_lines_os");
}

#[test]
fn reference_ties_heavy() {
    run_set("ties_heavy");
}

#[test]
fn reference_all_censored() {
    run_set("all_censored");
}

// ---------------------------------------------------------------------------------------------
// Hand-derived cases

fn one_covariate(
    time: &[f64],
    event: &[bool],
    x: &[f64],
    weight: Option<&[f64]>,
    ties: Ties,
) -> Result<CoxFit, String> {
    let cols = vec![x.to_vec()];
    let names = vec!["x".to_string()];
    let data = CoxData {
        time,
        event,
        weight,
        strata: None,
        cluster: None,
        x: &cols,
        term_names: &names,
        variables: None,
    };
    fit(
        &data,
        &CoxOptions {
            ties,
            ..CoxOptions::default()
        },
    )
}

/// Exact arithmetic: compare to 1e-12 relative.
const TOL_HAND: f64 = 1e-12;

fn close(a: Option<f64>, b: f64, tol: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= tol * b.abs().max(1e-300))
}

/// Times 1..4, all events, x = 1, 0, 1, 0. With r = exp(β):
/// U(β) = 2/(r+1) − r/(r+2), so β̂ = log((1+√17)/2);
/// I(β) = 2r/(r+1)² + 2r/(r+2)², U(0) = 2/3, I(0) = 13/18, score test = 8/13;
/// ℓ(0) = −log 24, ℓ(β̂) = 2β̂ − log(2r+2) − log(r+2) − log(r+1).
#[test]
fn hand_four_rows_closed_form() {
    let t = [1.0, 2.0, 3.0, 4.0];
    let e = [true; 4];
    let x = [1.0, 0.0, 1.0, 0.0];
    for ties in [Ties::Efron, Ties::Breslow, Ties::Exact] {
        let f = one_covariate(&t, &e, &x, None, ties).expect("fit");
        let r = (1.0 + 17f64.sqrt()) / 2.0;
        let b = ln(r);
        let info = 2.0 * r / ((r + 1.0) * (r + 1.0)) + 2.0 * r / ((r + 2.0) * (r + 2.0));
        assert!(
            close(f.terms[0].coef, b, 1e-9),
            "{ties:?} coef {:?}",
            f.terms[0].coef
        );
        assert!(close(f.terms[0].std_err, 1.0 / info.sqrt(), 1e-9));
        assert!(close(f.loglik_null, -ln(24.0), TOL_HAND));
        let ll = 2.0 * b - ln(2.0 * r + 2.0) - ln(r + 2.0) - ln(r + 1.0);
        assert!(close(f.loglik, ll, 1e-12));
        assert!(close(f.score_test.statistic, 8.0 / 13.0, TOL_HAND));
        assert!(f.warnings.is_empty());
    }
}

/// Two tied deaths at t = 1 (x = 1 and x = 0) and two rows censored at t = 2 (x = 0, 1).
/// At β = 0: Breslow ℓ = −2 log 4, Efron ℓ = −log 4 − log 3, exact ℓ = −log C(4,2) = −log 6.
#[test]
fn hand_tied_deaths_null_loglik() {
    let t = [1.0, 1.0, 2.0, 2.0];
    let e = [true, true, false, false];
    let x = [1.0, 0.0, 0.0, 1.0];
    let want = [
        (Ties::Breslow, -2.0 * ln(4.0)),
        (Ties::Efron, -ln(12.0)),
        (Ties::Exact, -ln(6.0)),
    ];
    for (ties, ll0) in want {
        let f = one_covariate(&t, &e, &x, None, ties).expect("fit");
        assert!(
            close(f.loglik_null, ll0, TOL_HAND),
            "{ties:?}: {:?}",
            f.loglik_null
        );
        // symmetric data: β̂ = 0
        assert!(f.terms[0].coef.is_some_and(|b| b.abs() < 1e-12));
    }
}

/// How case weights enter Efron (R `coxfit6`): same data as above, the x = 1 death with
/// weight 2. Tied deaths d = 2 rows, Σw = 3, mean weight 1.5, weighted risk of the deaths 3,
/// of the rest 2: ℓ(0) = −1.5·[log(2 + 3/2) + log(2 + 3)] = −1.5 log 17.5.
/// Two copies of the row instead give d = 3: ℓ(0) = −log(5·4·3) = −log 60. Breslow: both
/// are −3 log 5.
#[test]
fn hand_efron_weights_are_not_copies() {
    let t = [1.0, 1.0, 2.0, 2.0];
    let e = [true, true, false, false];
    let x = [1.0, 0.0, 0.0, 1.0];
    let w = [2.0, 1.0, 1.0, 1.0];
    let f = one_covariate(&t, &e, &x, Some(&w), Ties::Efron).expect("fit");
    assert!(close(f.loglik_null, -1.5 * ln(17.5), TOL_HAND));
    let t2 = [1.0, 1.0, 1.0, 2.0, 2.0];
    let e2 = [true, true, true, false, false];
    let x2 = [1.0, 1.0, 0.0, 0.0, 1.0];
    let f2 = one_covariate(&t2, &e2, &x2, None, Ties::Efron).expect("fit");
    assert!(close(f2.loglik_null, -ln(60.0), TOL_HAND));
    for (tt, ee, xx, ww) in [
        (&t[..], &e[..], &x[..], Some(&w[..])),
        (&t2, &e2, &x2, None),
    ] {
        let b = one_covariate(tt, ee, xx, ww, Ties::Breslow).expect("fit");
        assert!(close(b.loglik_null, -3.0 * ln(5.0), TOL_HAND));
    }
}

/// x = 1 only in the row that dies first; the later deaths have no x = 1 at risk, so
/// ℓ(β) = β − log(e^β + 3) − log 3 − log 2 increases to −log 6 as β → ∞.
/// Score test at 0: U = 3/4, I = 3/16, U²/I = 3.
/// R: "Loglik converged before variable 1; coefficient may be infinite."
#[test]
fn monotone_likelihood_warns() {
    let t = [1.0, 2.0, 3.0, 4.0];
    let e = [true; 4];
    let x = [1.0, 0.0, 0.0, 0.0];
    for ties in [Ties::Efron, Ties::Breslow, Ties::Exact] {
        let f = one_covariate(&t, &e, &x, None, ties).expect("fit");
        assert!(close(f.score_test.statistic, 3.0, TOL_HAND));
        assert!(
            f.warnings
                .iter()
                .any(|w| w.contains("Loglik converged before variable 1")),
            "{ties:?}: {:?}",
            f.warnings
        );
        assert!(f.converged);
        assert!(f.terms[0].coef.is_some_and(|b| b > 5.0));
        assert!(f.loglik.is_some_and(|l| (l + ln(6.0)).abs() < 1e-6));
    }
}

/// Without any other event the log-likelihood never levels off (ℓ ≈ −2e^−β): R runs out of
/// iterations and says so.
#[test]
fn divergent_fit_runs_out_of_iterations() {
    let f = one_covariate(
        &[1.0, 2.0, 3.0],
        &[true; 3],
        &[1.0, 0.0, 0.0],
        None,
        Ties::Efron,
    )
    .expect("fit");
    assert!(!f.converged);
    assert!(f
        .warnings
        .iter()
        .any(|w| w.contains("Ran out of iterations")));
    for v in [f.terms[0].coef, f.terms[0].std_err, f.loglik]
        .into_iter()
        .flatten()
    {
        assert!(v.is_finite());
    }
}

/// A column that duplicates another is dropped (R: NA coefficient) with a warning.
#[test]
fn collinear_column_is_none() {
    let t = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let e = [true, true, false, true, true, true];
    let x1 = vec![1.0, 0.0, 1.0, 0.0, 0.0, 1.0];
    let x2: Vec<f64> = x1.iter().map(|v| 2.0 * v).collect();
    let cols = vec![x1, x2];
    let names = vec!["a".to_string(), "b".to_string()];
    let data = CoxData {
        time: &t,
        event: &e,
        weight: None,
        strata: None,
        cluster: None,
        x: &cols,
        term_names: &names,
        variables: None,
    };
    let f = fit(&data, &CoxOptions::default()).expect("fit");
    assert!(f.terms[0].coef.is_some());
    assert_eq!(f.terms[1].coef, None);
    assert_eq!(f.terms[1].std_err, None);
    assert_eq!(f.wald_test.df, 1);
    assert!(f.warnings.iter().any(|w| w.contains("singular")));
}

#[test]
fn no_events_is_an_error() {
    let err = one_covariate(&[1.0, 2.0], &[false, false], &[0.0, 1.0], None, Ties::Efron)
        .expect_err("no events");
    assert!(err.contains("no events"), "{err}");
}

#[test]
fn bad_input_is_an_error_with_row() {
    let err = one_covariate(
        &[1.0, f64::NAN],
        &[true, false],
        &[0.0, 1.0],
        None,
        Ties::Efron,
    )
    .expect_err("NaN time");
    assert!(err.contains("row 2"), "{err}");
    let err = one_covariate(
        &[1.0, 2.0],
        &[true, false],
        &[0.0, 1.0],
        Some(&[1.0, 0.0]),
        Ties::Efron,
    )
    .expect_err("zero weight");
    assert!(err.contains("row 2"), "{err}");
    let err = one_covariate(
        &[1.0, 2.0],
        &[true, true],
        &[0.0, 1.0],
        Some(&[2.0, 1.0]),
        Ties::Exact,
    )
    .expect_err("weights with exact");
    assert!(err.contains("exact"), "{err}");
}

/// Strata: two strata with the four-row design each give twice the per-stratum score.
#[test]
fn strata_are_separate_risk_sets() {
    let t = [1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0];
    let e = [true; 8];
    let x = vec![vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]];
    let s = [0, 0, 0, 0, 1, 1, 1, 1];
    let names = vec!["x".to_string()];
    let data = CoxData {
        time: &t,
        event: &e,
        weight: None,
        strata: Some(&s),
        cluster: None,
        x: &x,
        term_names: &names,
        variables: None,
    };
    let f = fit(&data, &CoxOptions::default()).expect("fit");
    let r = (1.0 + 17f64.sqrt()) / 2.0;
    assert!(close(f.terms[0].coef, ln(r), 1e-9));
    assert!(close(f.loglik_null, -2.0 * ln(24.0), TOL_HAND));
    assert!(close(f.score_test.statistic, 16.0 / 13.0, TOL_HAND));
}

/// R's `timefix = TRUE` (`aeqSurv`): times within √ε are one time, so Efron sees a tie.
#[test]
fn nearly_equal_times_are_tied() {
    let x = [1.0, 0.0, 0.0, 1.0, 0.0];
    let e = [true, true, false, true, true];
    let tied = one_covariate(&[1.0, 1.0, 2.0, 3.0, 4.0], &e, &x, None, Ties::Efron).expect("fit");
    let near = one_covariate(
        &[1.0, 1.0 + 1e-12, 2.0, 3.0, 4.0],
        &e,
        &x,
        None,
        Ties::Efron,
    )
    .expect("fit");
    assert_eq!(tied.loglik_null, near.loglik_null);
    assert_eq!(tied.terms[0].coef, near.terms[0].coef);
}

/// 600 tied deaths among 1200 rows: C(1200, 600) ≈ 1e359 overflows the exact likelihood
/// (in R too); we say so instead of returning garbage.
#[test]
fn exact_overflow_is_an_error() {
    let n = 1200;
    let t = vec![1.0; n];
    let e: Vec<bool> = (0..n).map(|i| i % 2 == 0).collect();
    let x: Vec<f64> = (0..n).map(|i| f64::from(u8::from(i % 3 == 0))).collect();
    let err = one_covariate(&t, &e, &x, None, Ties::Exact).expect_err("overflow");
    assert!(err.contains("overflow"), "{err}");
    assert!(one_covariate(&t, &e, &x, None, Ties::Efron).is_ok());
}

/// Degenerate inputs give a result or an error, never a panic or a NaN.
#[test]
fn edge_cases_do_not_panic() {
    let cases: Vec<(Vec<f64>, Vec<bool>, Vec<f64>)> = vec![
        (vec![5.0], vec![true], vec![1.0]), // n = 1
        (
            vec![2.0; 4],
            vec![true, false, true, true],
            vec![1.0, 0.0, 1.0, 0.0],
        ), // one time
        (
            vec![0.0, 0.0, 1.0],
            vec![true, true, false],
            vec![0.0, 1.0, 2.0],
        ), // zero times
        (
            vec![1.0, 2.0, 3.0],
            vec![true, true, true],
            vec![7.0, 7.0, 7.0],
        ), // constant x
        (
            vec![1.0, 2.0, 3.0, 4.0],
            vec![true; 4],
            vec![1e6, -1e6, 3e6, 0.0],
        ), // huge x
    ];
    for (t, e, x) in cases {
        for ties in [Ties::Efron, Ties::Breslow, Ties::Exact] {
            if let Ok(f) = one_covariate(&t, &e, &x, None, ties) {
                for term in &f.terms {
                    for v in [term.coef, term.std_err, term.hr, term.z, term.p]
                        .into_iter()
                        .flatten()
                    {
                        assert!(v.is_finite());
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Properties

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;
    use survcalc::survival::cox_concordance::concordance;

    /// time, event, group (0/1), a numeric covariate, integer weights 1..3
    type Rows = (Vec<f64>, Vec<bool>, Vec<f64>, Vec<f64>, Vec<f64>);

    fn dataset() -> impl Strategy<Value = Rows> {
        (6usize..30).prop_flat_map(|n| {
            (
                prop::collection::vec(1u8..8, n),
                prop::collection::vec(any::<bool>(), n),
                prop::collection::vec(0u8..2, n),
                prop::collection::vec(-20i32..20, n),
                prop::collection::vec(1u8..4, n),
            )
                .prop_map(|(t, e, g, a, w)| {
                    (
                        t.into_iter().map(f64::from).collect(),
                        e,
                        g.into_iter().map(f64::from).collect(),
                        a.into_iter().map(|v| f64::from(v) / 4.0).collect(),
                        w.into_iter().map(f64::from).collect(),
                    )
                })
        })
    }

    fn fit2(
        t: &[f64],
        e: &[bool],
        g: &[f64],
        a: &[f64],
        w: Option<&[f64]>,
        ties: Ties,
    ) -> Result<CoxFit, String> {
        let cols = vec![g.to_vec(), a.to_vec()];
        let names = vec!["g".to_string(), "a".to_string()];
        let data = CoxData {
            time: t,
            event: e,
            weight: w,
            strata: None,
            cluster: None,
            x: &cols,
            term_names: &names,
            variables: None,
        };
        fit(
            &data,
            &CoxOptions {
                ties,
                ..CoxOptions::default()
            },
        )
    }

    fn near(a: Option<f64>, b: Option<f64>, tol: f64) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs())),
            (None, None) => true,
            _ => false,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn row_order_is_irrelevant((t, e, g, a, _w) in dataset(), seed in any::<u64>()) {
            prop_assume!(e.iter().any(|&x| x));
            let n = t.len();
            let mut perm: Vec<usize> = (0..n).collect();
            let mut s = seed | 1;
            for i in (1..n).rev() {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                perm.swap(i, (s % (i as u64 + 1)) as usize);
            }
            let pick = |v: &[f64]| perm.iter().map(|&i| v[i]).collect::<Vec<f64>>();
            let ep: Vec<bool> = perm.iter().map(|&i| e[i]).collect();
            for ties in [Ties::Efron, Ties::Breslow] {
                let f1 = fit2(&t, &e, &g, &a, None, ties);
                let f2 = fit2(&pick(&t), &ep, &pick(&g), &pick(&a), None, ties);
                let (f1, f2) = (f1.expect("fit"), f2.expect("fit"));
                prop_assert!(near(f1.loglik_null, f2.loglik_null, 1e-12));
                prop_assert!(near(f1.score_test.statistic, f2.score_test.statistic, 1e-9));
                // (a monotone likelihood may stop one iteration apart)
                if f1.warnings.is_empty() && f2.warnings.is_empty() {
                    prop_assert!(near(f1.loglik, f2.loglik, 1e-10));
                    for k in 0..2 {
                        prop_assert!(near(f1.terms[k].coef, f2.terms[k].coef, 1e-7));
                        prop_assert!(near(f1.terms[k].std_err, f2.terms[k].std_err, 1e-7));
                    }
                }
            }
        }

        #[test]
        fn breslow_weights_equal_copies((t, e, g, a, w) in dataset()) {
            prop_assume!(e.iter().any(|&x| x));
            let mut te = Vec::new();
            let mut ee = Vec::new();
            let mut ge = Vec::new();
            let mut ae = Vec::new();
            for i in 0..t.len() {
                for _ in 0..(w[i] as usize) {
                    te.push(t[i]); ee.push(e[i]); ge.push(g[i]); ae.push(a[i]);
                }
            }
            let fw = fit2(&t, &e, &g, &a, Some(&w), Ties::Breslow).expect("fit");
            let fx = fit2(&te, &ee, &ge, &ae, None, Ties::Breslow).expect("fit");
            prop_assert!(near(fw.loglik_null, fx.loglik_null, 1e-12));
            prop_assert!(near(fw.score_test.statistic, fx.score_test.statistic, 1e-9));
            if fw.warnings.is_empty() && fx.warnings.is_empty() {
                prop_assert!(near(fw.loglik, fx.loglik, 1e-10));
                for k in 0..2 {
                    prop_assert!(near(fw.terms[k].coef, fx.terms[k].coef, 1e-7));
                    prop_assert!(near(fw.terms[k].std_err, fx.terms[k].std_err, 1e-7));
                }
            }
        }

        /// Concordance of a fixed score: weights = copies, and row order is irrelevant. (Through
        /// a fit this can only hold approximately: a coefficient of ~1e-17 instead of 0 changes
        /// which linear predictors tie, in R too.)
        #[test]
        fn concordance_weights_and_order((t, e, _g, a, w) in dataset(), seed in any::<u64>()) {
            let c = concordance(&t, &e, &a, Some(&w), None, None);
            let mut te = Vec::new();
            let mut ee = Vec::new();
            let mut ae = Vec::new();
            for i in 0..t.len() {
                for _ in 0..(w[i] as usize) {
                    te.push(t[i]); ee.push(e[i]); ae.push(a[i]);
                }
            }
            let cx = concordance(&te, &ee, &ae, None, None, None);
            prop_assert_eq!(c.estimate, cx.estimate);
            prop_assert_eq!(c.counts.concordant, cx.counts.concordant);
            prop_assert_eq!(c.counts.discordant, cx.counts.discordant);
            prop_assert_eq!(c.counts.tied_x, cx.counts.tied_x);
            let n = t.len();
            let mut perm: Vec<usize> = (0..n).collect();
            let mut s = seed | 1;
            for i in (1..n).rev() {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                perm.swap(i, (s % (i as u64 + 1)) as usize);
            }
            let tp: Vec<f64> = perm.iter().map(|&i| t[i]).collect();
            let ep: Vec<bool> = perm.iter().map(|&i| e[i]).collect();
            let ap: Vec<f64> = perm.iter().map(|&i| a[i]).collect();
            let wp: Vec<f64> = perm.iter().map(|&i| w[i]).collect();
            let cp = concordance(&tp, &ep, &ap, Some(&wp), None, None);
            prop_assert_eq!(c.counts, cp.counts);
            prop_assert!(near(c.estimate, cp.estimate, 1e-14));
            prop_assert!(near(c.std_err, cp.std_err, 1e-12));
        }

        #[test]
        fn ci_contains_hr((t, e, g, a, _w) in dataset()) {
            prop_assume!(e.iter().any(|&x| x));
            for ties in [Ties::Efron, Ties::Breslow, Ties::Exact] {
                let f = fit2(&t, &e, &g, &a, None, ties).expect("fit");
                for term in &f.terms {
                    if let (Some(l), Some(h), Some(u)) = (term.lower, term.hr, term.upper) {
                        prop_assert!(l <= h && h <= u, "{l} {h} {u}");
                    }
                    for v in [term.coef, term.std_err, term.z, term.p].into_iter().flatten() {
                        prop_assert!(v.is_finite());
                    }
                    if let Some(p) = term.p {
                        prop_assert!((0.0..=1.0).contains(&p));
                    }
                }
                if let Some(c) = f.concordance.estimate {
                    prop_assert!((0.0..=1.0).contains(&c));
                }
            }
        }
    }
}
