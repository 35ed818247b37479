// Messages between the page (engine.ts) and the worker that runs the core (worker.ts). Each
// request carries an id; the worker answers every request once, in the order received.
import type { ColumnInfo, Detected, Preview, ReadOptions, Report, Settings } from './types.js';

/** The figures of one endpoint, as SVG text from the core (or the core's message). */
export interface EndpointFigures {
  km: Figure;
  /** The forest plot of the endpoint's Cox model, when one was fitted. */
  forest: string | null;
}

export interface Opened {
  columns: ColumnInfo[];
  detected: Detected;
  guessed: Settings;
  /** The first rows as read. */
  preview: Preview;
}

/** An SVG figure from the core, or the core's message saying why there is none. */
export type Figure = { svg: string } | { error: string };

export interface Analysed {
  report: Report;
  figures: EndpointFigures[];
  /** The waterfall plot, when the settings name a best-change column. */
  waterfall: Figure | null;
}

/** A text export of the last report the worker computed. */
export type Export =
  | { kind: 'report' }
  | { kind: 'table'; id: string }
  | { kind: 'steps'; endpoint: number }
  | { kind: 'derivation'; endpoint: number }
  /** An endpoint's swimmer plot (SVG), made when the page shows it. */
  | { kind: 'swimmer'; endpoint: number };

/** Every request, and the type of its answer. */
export interface Requests {
  /** Waits until the WebAssembly module is ready. */
  ping: { request: Record<string, never>; answer: null };
  /** `options`: how to read it (null: detect everything). */
  open: { request: { bytes: Uint8Array; fileName: string; sheet: string | null; options?: ReadOptions | null }; answer: Opened };
  levels: { request: { column: string }; answer: string[] };
  parseSettings: { request: { text: string }; answer: Settings };
  analyze: { request: { settings: Settings }; answer: Analysed };
  export: { request: Export; answer: string };
}

export type RequestType = keyof Requests;

/** The request's fields go in `body`, apart from the id (an export names a table by its own id). */
export type RequestMessage = { [K in RequestType]: { id: number; type: K; body: Requests[K]['request'] } }[RequestType];

export type ReplyMessage =
  | { id: number; ok: true; value: unknown; timing?: WorkerTiming }
  /** `fatal`: the core trapped (a WebAssembly RuntimeError); the worker closes itself and the
   * page starts a new one. */
  | { id: number; ok: false; message: string; fatal: boolean };

/** How long the worker took to answer (milliseconds of its own clock), by named stage where the
 * request has several (an analysis: `analysis`, `figures`), and the WebAssembly memory in use
 * afterwards. */
export interface WorkerTiming {
  ms: number;
  stages: Record<string, number>;
  memoryBytes: number;
}
