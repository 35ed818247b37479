// The parts of the core's data shapes that the page reads or edits. The core (Rust, serde) is the
// source of truth; anything not named here is passed through untouched.

export type ColumnKind = 'number' | 'text' | 'empty';

export interface ColumnInfo {
  name: string;
  /** Spreadsheet-style column letter (A, B, …, AA). */
  letter: string;
  kind: ColumnKind;
  distinct: string[];
  distinct_truncated: boolean;
  missing: number;
}

export interface EndpointSpec {
  name: string;
  time: string;
  event: string;
  /** Empty: the core picks the event coding (1 for 0/1, 2 for 1/2). */
  event_values: string[];
  [other: string]: unknown;
}

export type ConfType = 'log' | 'log-log' | 'plain' | 'logit' | 'arcsin';
export type Convention = 'r' | 'sas' | 'prism' | 'lifelines';

export interface Settings {
  endpoints: EndpointSpec[];
  group: string | null;
  response: string | null;
  landmarks: number[];
  conf_level: number;
  /** null: the convention's own transform. */
  conf_type: ConfType | null;
  convention: Convention;
  [other: string]: unknown;
}

export interface DisplayTable {
  id: string;
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}

export interface EndpointReport {
  name: string;
  event_values?: string[];
  [other: string]: unknown;
}

export interface Report {
  endpoints: EndpointReport[];
  warnings?: string[];
  display: { tables: DisplayTable[] };
  [other: string]: unknown;
}

/** What the reader detected in the file. */
export interface Detected {
  format: string;
  /** The sheet read, for workbooks. */
  sheet: string | null;
  /** Every sheet of a workbook (empty for delimited text). */
  sheets: string[];
  [other: string]: unknown;
}

/** The wasm Workspace as the page uses it (generated bindings type most of it as `any`). */
export interface WorkspaceApi {
  columns(): ColumnInfo[];
  detected(): Detected;
  guess_settings(): Settings;
  analyze(settings: Settings): Report;
  report_json(): string;
  km_svg(endpoint: number): string;
  /** Forest plot of the endpoint's Cox model, if one was fitted. */
  forest_svg(endpoint: number): string | undefined;
  /** A display table as CSV (`id` from `report.display.tables`). */
  table_csv(id: string): string;
  /** The endpoint's Kaplan–Meier steps as CSV (unrounded). */
  steps_csv(endpoint: number): string;
  free(): void;
}
