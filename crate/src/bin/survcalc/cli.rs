//! Argument parsing and output of the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use survcalc::plot::km::km_svg;
use survcalc::report::analyze::analyze_with_stages;
use survcalc::report::derive::DateEndpoint;
use survcalc::report::display::tables_as_text;
use survcalc::report::format::PStyle;
use survcalc::report::settings::{Categorical, Convention, ExtraTest};
use survcalc::report::subset::Condition;
use survcalc::report::{EndpointSpec, Settings};
use survcalc::survival::conf::ConfType;
use survcalc::{Error, ErrorKind};

#[derive(Parser)]
#[command(
    name = "survcalc",
    version,
    about = "Survival and tumour-response statistics matching R survival"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse a CSV/TSV file: Kaplan–Meier, medians, landmarks, log-rank, Cox, response rates.
    Analyze(AnalyzeArgs),
}

#[derive(Args)]
struct AnalyzeArgs {
    /// The data file: CSV or TSV with a header row, or a workbook (.xlsx, .xls, .ods).
    data: PathBuf,
    /// Sheet of a workbook (default: the first sheet holding a table).
    #[arg(long)]
    sheet: Option<String>,
    /// Settings file saved by the page (JSON); the flags below override it.
    #[arg(long)]
    settings: Option<PathBuf>,
    /// Delimiter of a text file: auto, ",", ";", tab or "|" (default: the settings file's, else auto).
    #[arg(long)]
    delimiter: Option<String>,
    /// Encoding of a text file: auto, utf-8, windows-1252 (Latin-1 files read as windows-1252),
    /// utf-16le or utf-16be (auto reads UTF-16 by its byte-order mark).
    #[arg(long)]
    encoding: Option<String>,
    /// Decimal mark of a text file's numbers: auto, point or comma.
    #[arg(long)]
    decimal: Option<String>,
    /// Thousands separator of a text file's numbers: auto, none, comma, point, space or apostrophe.
    #[arg(long)]
    thousands: Option<String>,
    /// Column of durations.
    #[arg(long)]
    time: Option<String>,
    /// Column of event indicators.
    #[arg(long)]
    event: Option<String>,
    /// A value of the event column meaning "event" (repeatable); default 1 for 0/1, 2 for 1/2.
    #[arg(long = "event-value")]
    event_value: Vec<String>,
    /// Name of the endpoint in the report.
    #[arg(long, default_value = "Survival")]
    endpoint_name: String,
    /// Derive the endpoint from dates: column of the start date.
    #[arg(long)]
    start_date: Option<String>,
    /// Column(s) of event dates (repeatable; the earliest is the event), with --start-date.
    #[arg(long = "event-date")]
    event_dates: Vec<String>,
    /// Column of the last-contact date, with --start-date.
    #[arg(long)]
    last_contact: Option<String>,
    /// Unit of derived durations: days, weeks, months (30.4375 days) or years.
    #[arg(long)]
    unit: Option<String>,
    /// Data cut-off date (YYYY-MM-DD): later events are censored at it.
    #[arg(long)]
    cutoff: Option<String>,
    /// Reading of dates like 04/03/2021: auto, day-first or month-first.
    #[arg(long)]
    date_order: Option<String>,
    /// Column of groups to compare.
    #[arg(long)]
    group: Option<String>,
    /// Reference level of the group for hazard ratios.
    #[arg(long)]
    reference: Option<String>,
    /// Order of the group levels, comma-separated.
    #[arg(long, value_delimiter = ',')]
    group_levels: Option<Vec<String>>,
    /// Stratifying column for the stratified tests.
    #[arg(long)]
    strata: Option<String>,
    /// Column of frequency weights.
    #[arg(long)]
    weight: Option<String>,
    /// Covariates of the multivariable Cox model, comma-separated.
    #[arg(long, value_delimiter = ',')]
    covariates: Option<Vec<String>>,
    /// Categorical covariates with their reference: VAR=REF, comma-separated.
    #[arg(long, value_delimiter = ',')]
    categorical: Option<Vec<String>>,
    /// Cluster column (patient id) for robust standard errors.
    #[arg(long)]
    cluster: Option<String>,
    /// Ties in the Cox model: efron, breslow or exact.
    #[arg(long)]
    ties: Option<String>,
    /// Column of best overall response (CR/PR/SD/PD/NE).
    #[arg(long)]
    response: Option<String>,
    /// Denominator of response rates: all or evaluable.
    #[arg(long)]
    response_denominator: Option<String>,
    /// Landmark times, comma-separated.
    #[arg(long, value_delimiter = ',')]
    landmarks: Option<Vec<f64>>,
    /// τ of the restricted mean survival time.
    #[arg(long)]
    tau: Option<f64>,
    /// Confidence level.
    #[arg(long)]
    conf_level: Option<f64>,
    /// CI transform: log, log-log, plain, logit or arcsin (default: the convention's own).
    #[arg(long)]
    conf_type: Option<String>,
    /// Median convention: r, sas, prism or lifelines (default r).
    #[arg(long)]
    convention: Option<String>,
    /// Extra comparison test (repeatable): fleming-harrington:P:Q, gehan-breslow, tarone-ware, trend.
    #[arg(long = "test")]
    tests: Vec<String>,
    /// Pairwise log-rank tests between groups (Holm and Benjamini–Hochberg adjusted).
    #[arg(long)]
    pairwise: bool,
    /// Variables of the cohort table (Table 1), comma-separated; default: all non-role columns.
    #[arg(long, value_delimiter = ',')]
    cohort: Option<Vec<String>>,
    /// Analyse only rows matching a condition (repeatable): COL=V, COL!=V, COL<N, COL<=N, COL>N,
    /// COL>=N, "COL in A|B".
    #[arg(long = "subset")]
    subset: Vec<String>,
    /// p-value style: default, nejm, jama, lancet, or a number of decimals.
    #[arg(long)]
    p_style: Option<String>,
    /// Unit of the time columns for labels: days, weeks, months or years (default: read from
    /// the column's name, e.g. os_days; else no unit is printed). Derived endpoints use --unit.
    #[arg(long)]
    time_unit: Option<String>,
    /// Column of the best % change in tumour size: adds a waterfall plot to --figures.
    #[arg(long)]
    waterfall: Option<String>,
    /// Column naming the swimmer plot's bars (e.g. patient id).
    #[arg(long)]
    swimmer_label: Option<String>,
    /// Write the figures (SVG) into this folder.
    #[arg(long)]
    figures: Option<PathBuf>,
    /// Write the tables (CSV: display tables, Kaplan–Meier steps, date derivations) into this folder.
    #[arg(long)]
    tables: Option<PathBuf>,
    /// Print the JSON report instead of tables.
    #[arg(long)]
    json: bool,
    /// Print the wall time of each stage (reading, each part of the analysis, output) to
    /// stderr, one "timing<TAB>stage<TAB>seconds" line each.
    #[arg(long)]
    timings: bool,
}

/// Wall-clock times of the stages of one run, for `--timings`.
struct Timings {
    on: bool,
    last: std::time::Instant,
    start: std::time::Instant,
}

impl Timings {
    fn new(on: bool) -> Timings {
        let now = std::time::Instant::now();
        Timings {
            on,
            last: now,
            start: now,
        }
    }

    /// Ends a stage: prints the time since the previous one.
    fn stage(&mut self, name: &str) {
        let now = std::time::Instant::now();
        if self.on {
            eprintln!(
                "timing\t{name}\t{:.4}",
                now.duration_since(self.last).as_secs_f64()
            );
        }
        self.last = now;
    }

    fn total(&self) {
        if self.on {
            eprintln!("timing\ttotal\t{:.4}", self.start.elapsed().as_secs_f64());
        }
    }
}

/// Parses a kebab-case option value into one of the core's enums.
fn parse_enum<T: serde::de::DeserializeOwned>(
    flag: &str,
    v: &Option<String>,
) -> Result<Option<T>, Error> {
    match v {
        None => Ok(None),
        Some(t) => serde_json::from_value(serde_json::Value::String(t.to_lowercase()))
            .map(Some)
            .map_err(|_| Error::settings(format!("{flag} does not take \"{t}\""))),
    }
}

/// Parses a reading choice (`--delimiter` …) with the settings file's JSON names.
fn parse_choice<T: serde::de::DeserializeOwned>(
    flag: &str,
    v: &Option<String>,
    choices: &str,
) -> Result<Option<T>, Error> {
    match v {
        None => Ok(None),
        Some(t) => serde_json::from_value(serde_json::Value::String(t.trim().to_lowercase()))
            .map(Some)
            .map_err(|_| Error::settings(format!("{flag} takes {choices}, not \"{t}\""))),
    }
}

/// Applies the reading flags over the settings file's `input`.
fn input_from(args: &AnalyzeArgs, s: &mut Settings) -> Result<(), Error> {
    if let Some(d) = parse_choice(
        "--delimiter",
        &args.delimiter,
        "auto, \",\", \";\", tab or \"|\"",
    )? {
        s.input.delimiter = d;
    }
    if let Some(e) = parse_choice(
        "--encoding",
        &args.encoding,
        "auto, utf-8, windows-1252, utf-16le or utf-16be",
    )? {
        s.input.encoding = e;
    }
    if let Some(d) = parse_choice("--decimal", &args.decimal, "auto, point or comma")? {
        s.input.decimal = d;
    }
    if let Some(t) = parse_choice(
        "--thousands",
        &args.thousands,
        "auto, none, comma, point, space or apostrophe",
    )? {
        s.input.thousands = t;
    }
    if args.sheet.is_some() {
        s.input.sheet = args.sheet.clone();
    }
    Ok(())
}

fn settings_from(args: &AnalyzeArgs) -> Result<Settings, Error> {
    let mut s = match &args.settings {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Error::new(
                    ErrorKind::Io,
                    format!("cannot read the settings file {} ({e})", path.display()),
                )
            })?;
            serde_json::from_str::<Settings>(&text).map_err(|e| {
                Error::settings(format!(
                    "the settings file {} is not valid ({e})",
                    path.display()
                ))
            })?
        }
        None => Settings::default(),
    };
    input_from(args, &mut s)?;
    match (&args.time, &args.event) {
        (Some(t), Some(e)) => {
            s.endpoints = vec![EndpointSpec {
                name: args.endpoint_name.clone(),
                time: t.clone(),
                event: e.clone(),
                event_values: args.event_value.clone(),
                dates: None,
                plot: None,
            }]
        }
        (None, None) => {}
        _ => return Err(Error::settings("give both --time and --event")),
    }
    if let Some(start) = &args.start_date {
        let dates = DateEndpoint {
            start: start.clone(),
            events: args.event_dates.clone(),
            last_contact: args.last_contact.clone(),
            unit: parse_enum("--unit", &args.unit)?.unwrap_or_default(),
            cutoff: args.cutoff.clone(),
            date_order: parse_enum("--date-order", &args.date_order)?.unwrap_or_default(),
        };
        let unit = dates.unit.name();
        s.endpoints = vec![EndpointSpec {
            name: args.endpoint_name.clone(),
            time: format!("{} ({unit})", args.endpoint_name),
            event: format!("{} event", args.endpoint_name),
            event_values: Vec::new(),
            dates: Some(dates),
            plot: None,
        }];
    }
    if args.group.is_some() {
        s.group = args.group.clone();
    }
    if args.reference.is_some() {
        s.reference = args.reference.clone();
    }
    if args.group_levels.is_some() {
        s.group_levels = args.group_levels.clone();
    }
    if args.strata.is_some() {
        s.strata = args.strata.clone();
    }
    if args.weight.is_some() {
        s.weight = args.weight.clone();
    }
    if let Some(c) = &args.covariates {
        s.covariates = c.clone();
    }
    if let Some(cats) = &args.categorical {
        s.categorical = cats
            .iter()
            .map(|c| match c.split_once('=') {
                Some((v, r)) => Ok(Categorical {
                    variable: v.to_string(),
                    reference: r.to_string(),
                }),
                None => Err(Error::settings(format!(
                    "--categorical takes VAR=REF, not \"{c}\""
                ))),
            })
            .collect::<Result<_, _>>()?;
    }
    if args.cluster.is_some() {
        s.cluster = args.cluster.clone();
    }
    if let Some(t) = &args.ties {
        s.ties =
            serde_json::from_value(serde_json::Value::String(t.to_lowercase())).map_err(|_| {
                Error::settings(format!("--ties takes efron, breslow or exact, not \"{t}\""))
            })?;
    }
    if args.response.is_some() {
        s.response = args.response.clone();
    }
    if let Some(d) = &args.response_denominator {
        s.response_denominator =
            serde_json::from_value(serde_json::Value::String(d.to_lowercase())).map_err(|_| {
                Error::settings(format!(
                    "--response-denominator takes all or evaluable, not \"{d}\""
                ))
            })?;
    }
    if let Some(l) = &args.landmarks {
        s.landmarks = l.clone();
    }
    if args.tau.is_some() {
        s.tau = args.tau;
    }
    if let Some(c) = args.conf_level {
        s.conf_level = c;
    }
    if let Some(c) = &args.conf_type {
        s.conf_type = Some(ConfType::parse(c).ok_or_else(|| {
            Error::settings(format!(
                "--conf-type takes log, log-log, plain, logit or arcsin, not \"{c}\""
            ))
        })?);
    }
    if !args.tests.is_empty() {
        s.tests = args
            .tests
            .iter()
            .map(|t| {
                ExtraTest::parse(t).ok_or_else(|| {
                    Error::settings(format!(
                        "--test takes fleming-harrington:P:Q, gehan-breslow, tarone-ware or trend, not \"{t}\""
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
    }
    if !args.subset.is_empty() {
        s.subset = args
            .subset
            .iter()
            .map(|c| {
                Condition::parse(c).ok_or_else(|| {
                    Error::settings(format!(
                        "--subset takes COLUMN=VALUE (or !=, <, <=, >, >=, in), not \"{c}\""
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
    }
    if let Some(p) = &args.p_style {
        s.p_style = match p.trim().parse::<usize>() {
            Ok(digits) => PStyle::Digits { digits },
            Err(_) => serde_json::from_value(serde_json::json!({ "style": p.trim().to_lowercase() }))
                .map_err(|_| {
                    Error::settings(format!(
                        "--p-style takes default, nejm, jama, lancet or a number of decimals, not \"{p}\""
                    ))
                })?,
        };
    }
    if let Some(unit) = parse_enum("--time-unit", &args.time_unit)? {
        s.time_unit = Some(unit);
    }
    if args.waterfall.is_some() {
        s.waterfall = args.waterfall.clone();
    }
    if args.swimmer_label.is_some() {
        s.swimmer_label = args.swimmer_label.clone();
    }
    if args.pairwise {
        s.pairwise = true;
    }
    if let Some(c) = &args.cohort {
        s.cohort = Some(c.clone());
    }
    if let Some(c) = &args.convention {
        s.convention = Convention::parse(c).ok_or_else(|| {
            Error::settings(format!(
                "--convention: expected r, sas, prism or lifelines, not \"{c}\""
            ))
        })?;
    }
    Ok(s)
}

fn run(args: &AnalyzeArgs) -> Result<String, Error> {
    let mut timings = Timings::new(args.timings);
    let settings = settings_from(args)?;
    let file_name = args
        .data
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let bytes = std::fs::read(&args.data).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("cannot read {} ({e})", args.data.display()),
        )
    })?;
    let table = survcalc::read_table_with(&bytes, &file_name, &settings.input)?;
    timings.stage("read");
    let report = analyze_with_stages(&table, &settings, &mut |s| timings.stage(s))?;
    if let Some(dir) = &args.figures {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("cannot create the folder {} ({e})", dir.display()),
            )
        })?;
        if let Some(col) = &report.settings.waterfall {
            let svg = survcalc::plot::waterfall::waterfall_svg(
                &table,
                col,
                report.settings.group.as_deref(),
            )?;
            let path = dir.join("waterfall.svg");
            std::fs::write(&path, svg).map_err(|e| {
                Error::new(
                    ErrorKind::Io,
                    format!("cannot write {} ({e})", path.display()),
                )
            })?;
        }
        for (i, ep) in report.endpoints.iter().enumerate() {
            let name: String = ep
                .name
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { '_' })
                .collect();
            let path = dir.join(format!("{name}_km.svg"));
            let write = |path: std::path::PathBuf, text: String| {
                std::fs::write(&path, text).map_err(|e| {
                    Error::new(
                        ErrorKind::Io,
                        format!("cannot write {} ({e})", path.display()),
                    )
                })
            };
            write(
                path,
                km_svg(ep, &report.settings.plot_for(i), report.settings.p_style),
            )?;
            let swimmer = survcalc::plot::waterfall::swimmer_svg(
                &table,
                ep,
                report.settings.swimmer_label.as_deref(),
            )?;
            write(dir.join(format!("{name}_swimmer.svg")), swimmer)?;
            if let Some(svg) = survcalc::plot::forest::forest_svg(ep, report.settings.p_style) {
                write(dir.join(format!("{name}_forest.svg")), svg)?;
            }
        }
    }
    if let Some(dir) = &args.tables {
        use survcalc::report::export::{derivation_csv, steps_csv, table_csv};
        let mut files: Vec<(String, String)> = report
            .display
            .tables
            .iter()
            .map(|t| (format!("{}.csv", t.id), table_csv(t)))
            .collect();
        for (i, ep) in report.endpoints.iter().enumerate() {
            files.push((format!("endpoint-{i}-km-steps.csv"), steps_csv(ep)));
            if ep.derivation.is_some() {
                files.push((format!("endpoint-{i}-derivation.csv"), derivation_csv(ep)));
            }
        }
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("cannot create the folder {} ({e})", dir.display()),
            )
        })?;
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(|e| {
                Error::new(
                    ErrorKind::Io,
                    format!("cannot write {} ({e})", path.display()),
                )
            })?;
        }
    }
    timings.stage("figures and tables");
    let out = if args.json {
        survcalc::report_json(&report)
    } else {
        tables_as_text(&report.display.tables)
    };
    timings.stage(if args.json { "json" } else { "text" });
    timings.total();
    Ok(out)
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Analyze(args) => match run(&args) {
            Ok(out) => {
                println!("{}", out.trim_end());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}
