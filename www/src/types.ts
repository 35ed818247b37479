// The parts of the core's data shapes that the page reads or edits. The core (Rust, serde) is the
// source of truth (crate/src/report/settings.rs, derive.rs, plot/km.rs, types.rs); fields not
// named here are passed through untouched, so a settings file written by a newer core still
// round-trips.

export type ColumnKind = 'number' | 'integer' | 'date' | 'text' | 'empty';

export interface ColumnInfo {
  name: string;
  /** Spreadsheet-style column letter (A, B, …, AA). */
  letter: string;
  kind: ColumnKind;
  distinct: string[];
  distinct_truncated: boolean;
  missing: number;
}

export type TimeUnit = 'days' | 'weeks' | 'months' | 'years';
export type DateOrder = 'auto' | 'day-first' | 'month-first';

/** An endpoint built from date columns (derive.rs `DateEndpoint`). */
export interface DateEndpoint {
  start: string;
  /** The earliest non-missing of these dates is the event. */
  events: string[];
  last_contact: string | null;
  unit: TimeUnit;
  /** ISO YYYY-MM-DD, or null for none. */
  cutoff: string | null;
  date_order: DateOrder;
  [other: string]: unknown;
}

export interface EndpointSpec {
  name: string;
  /** A column, or (with `dates`) the label of the derived time. */
  time: string;
  event: string;
  /** Empty: the core picks the event coding (1 for 0/1, 2 for 1/2). */
  event_values: string[];
  dates?: DateEndpoint | null;
  /** This endpoint's own figure options (plot/km.rs `KmPlotOverride`): each field set replaces
   * the shared one of `Settings.plot`. */
  plot?: PlotOverride | null;
  [other: string]: unknown;
}

export interface Categorical {
  variable: string;
  reference: string;
}

export type ExtraTest =
  | { test: 'gehan-breslow' }
  | { test: 'tarone-ware' }
  | { test: 'trend' }
  | { test: 'fleming-harrington'; p: number; q: number };

export type ConfType = 'log' | 'log-log' | 'plain' | 'logit' | 'arcsin';
export type Convention = 'r' | 'sas' | 'prism' | 'lifelines';
export type Ties = 'efron' | 'breslow' | 'exact';
export type Denominator = 'all' | 'evaluable';
export type IntervalMethod = 'clopper-pearson' | 'wilson' | 'wilson-cc' | 'jeffreys';

/** Options of the Kaplan–Meier figure (plot/km.rs `KmPlotOptions`). */
export interface PlotOptions {
  title: string | null;
  x_label: string | null;
  y_label: string | null;
  /** Legend labels in group order; an empty entry keeps the group's name. */
  legend: string[];
  ci_bands: boolean;
  median_lines: boolean;
  cumulative_incidence: boolean;
  hide_p: boolean;
  hazard_ratios: boolean;
  cumulative_events: boolean;
  x_max: number | null;
  /** Distance between the x-axis ticks; null: chosen by the core. */
  x_break: number | null;
  [other: string]: unknown;
}

/** An endpoint's own figure options: the fields it sets (absent: the shared option). */
export type PlotOverride = Partial<Pick<PlotOptions, PlotKey>>;

/** The figure options an endpoint may set for itself. */
export type PlotKey =
  | 'title'
  | 'x_label'
  | 'y_label'
  | 'legend'
  | 'ci_bands'
  | 'median_lines'
  | 'cumulative_incidence'
  | 'hide_p'
  | 'hazard_ratios'
  | 'cumulative_events'
  | 'x_max'
  | 'x_break';

/** How the file is read (data/options.rs `ReadOptions`); "auto" leaves it to the reader. */
export interface ReadOptions {
  sheet?: string | null;
  delimiter: 'auto' | ',' | ';' | 'tab' | '|';
  encoding: 'auto' | 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';
  decimal: 'auto' | 'point' | 'comma';
  thousands: 'auto' | 'none' | 'comma' | 'point' | 'space' | 'apostrophe';
  [other: string]: unknown;
}

/** The first rows of the file as read, with each column's detected type (table.rs `Preview`). */
export interface Preview {
  columns: Array<{ name: string; letter: string; kind: 'integer' | 'number' | 'date' | 'text' | 'empty'; missing: number; [other: string]: unknown }>;
  /** Each row's line in the file (1-based) and its cells as shown (missing cells empty). */
  rows: Array<{ line: number; cells: string[] }>;
  /** Data rows in the whole table. */
  n_rows: number;
  [other: string]: unknown;
}

/** How p-values are printed (format.rs `PStyle`). */
export type PStyle =
  | { style: 'default' }
  | { style: 'nejm' }
  | { style: 'jama' }
  | { style: 'lancet' }
  | { style: 'digits'; digits: number };

export type ConditionOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'in';

/** A subset condition (subset.rs `Condition`): one value, or several for `in`. */
export interface Condition {
  column: string;
  op: ConditionOp;
  values: string[];
}

export interface Settings {
  endpoints: EndpointSpec[];
  group: string | null;
  /** Order of the group levels; null: sorted by the core. */
  group_levels: string[] | null;
  /** Reference group for hazard ratios; null: the first level. */
  reference: string | null;
  strata: string | null;
  weight: string | null;
  covariates: string[];
  categorical: Categorical[];
  cluster: string | null;
  ties: Ties;
  response: string | null;
  response_denominator: Denominator;
  response_interval: IntervalMethod;
  tests: ExtraTest[];
  pairwise: boolean;
  landmarks: number[];
  /** Cohort-table variables; null: chosen by the core. */
  cohort: string[] | null;
  tau: number | null;
  conf_level: number;
  /** null: the convention's own transform. */
  conf_type: ConfType | null;
  convention: Convention;
  plot: PlotOptions;
  /** Column of the best % change in tumour size (waterfall plot). */
  waterfall: string | null;
  /** Column naming the swimmer plot's bars; null: the file row. */
  swimmer_label: string | null;
  p_style: PStyle;
  /** Rows to analyse: every condition must hold (empty: all rows). */
  subset: Condition[];
  /** The unit of the time columns, for labels; null: from the column's name, else months. */
  time_unit: TimeUnit | null;
  /** How the file was read (absent or all "auto": detected). */
  input?: ReadOptions | null;
  [other: string]: unknown;
}

export interface DisplayTable {
  id: string;
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}

export interface Exclusion {
  /** 1-based row of the file. */
  row: number;
  reason: string;
}

/** One row of a date endpoint's derivation (derive.rs `DerivationRow`). */
export interface DerivationRow {
  row: number;
  /** null when the row was excluded. */
  time: number | null;
  /** Why the row was excluded, or what was adjusted (e.g. censored at the cut-off). */
  note: string | null;
  [other: string]: unknown;
}

export interface EndpointReport {
  name: string;
  /** The unit of the times ("months"). */
  time_unit?: string;
  event_values?: string[];
  n_rows: number;
  n_used: number;
  excluded: Exclusion[];
  /** Present for an endpoint derived from dates. */
  derivation?: DerivationRow[];
  [other: string]: unknown;
}

export interface CohortReport {
  variables: Array<{ variable: string; [other: string]: unknown }>;
  [other: string]: unknown;
}

export interface Report {
  endpoints: EndpointReport[];
  cohort?: CohortReport | null;
  warnings?: string[];
  /** The statistical-methods paragraph, written by the core. */
  methods?: string;
  display: { tables: DisplayTable[] };
  [other: string]: unknown;
}

/** What the reader detected in the file (and, with overrides, what is in force). */
export interface Detected {
  format: string;
  delimiter?: string | null;
  encoding?: string | null;
  /** Columns whose decimal commas were read as points. */
  decimal_comma_columns?: string[];
  /** Columns read with a thousands separator, and the separator. */
  thousands?: Array<{ column: string; separator: string }>;
  /** The missing-value codes seen, with counts ("" counts empty cells). */
  missing_codes?: Array<{ code: string; count: number }>;
  /** The reading choices in force ("auto" where detected). */
  options?: ReadOptions;
  /** The sheet read, for workbooks. */
  sheet: string | null;
  /** Every sheet of a workbook (empty for delimited text). */
  sheets: string[];
  [other: string]: unknown;
}

/** The wasm Workspace as the worker uses it (generated bindings type most of it as `any`). */
export interface WorkspaceApi {
  columns(): ColumnInfo[];
  detected(): Detected;
  guess_settings(): Settings;
  levels(column: string): string[];
  analyze(settings: Settings): Report;
  /** Milliseconds of each stage of the last analysis, in order. */
  stage_timings(): Array<[string, number]>;
  report_json(): string;
  km_svg(endpoint: number): string;
  /** Forest plot of the endpoint's Cox model, if one was fitted. */
  forest_svg(endpoint: number): string | undefined;
  /** A display table as CSV (`id` from `report.display.tables`). */
  table_csv(id: string): string;
  /** The endpoint's Kaplan–Meier steps as CSV (unrounded). */
  steps_csv(endpoint: number): string;
  /** The endpoint's per-row date derivation as CSV. */
  derivation_csv(endpoint: number): string;
  /** The waterfall plot of `settings.waterfall`, if set. */
  waterfall_svg(): string | undefined;
  /** The endpoint's swimmer plot. */
  swimmer_svg(endpoint: number): string;
  /** The first rows as read (present once the core has it). */
  preview(maxRows: number): Preview;
  free(): void;
}
