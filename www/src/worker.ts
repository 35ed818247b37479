// The calculation engine's thread: loads the WebAssembly core and holds the open file (the
// core's Workspace), so that the page stays responsive while the core works. It answers the
// requests of engine.ts one at a time, in order; it computes nothing itself.
import initFirst, * as firstModule from '../pkg-core/survcalc.js';
import type { Analysed, EndpointFigures, Export, Figure, Opened, ReplyMessage, RequestMessage } from './protocol.js';
import type { Preview, ReadOptions, Settings, WorkspaceApi } from './types.js';

/** The worker's global scope, typed by hand (the page's lib is DOM, not WebWorker). */
const scope = globalThis as unknown as {
  postMessage(message: ReplyMessage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<RequestMessage>) => void): void;
  close(): void;
};

/** The core's two builds: the first module (pkg-core/, half the size) reads CSV and TSV; the
 * full module (pkg/) also reads workbooks and is loaded only when the user opens one. Both have
 * the same API; a Workspace keeps working with the module that made it. */
type CoreModule = typeof firstModule;
let core: CoreModule = firstModule;
/** The modules' memories, for the peak memory the page reports (it only grows). */
const memories: WebAssembly.Memory[] = [];

const ready = initFirst().then((module) => {
  memories.push(module.memory);
});
ready.catch(() => undefined); // reported to the page with the first request (see `handle`)

/** Loads the full module (workbooks) once, and makes it the one used from now on. */
async function useFullModule(): Promise<void> {
  if (core.reads_workbooks()) return;
  const full = await import('../pkg/survcalc.js');
  memories.push((await full.default()).memory);
  core = full;
}

/** Bytes of WebAssembly memory in use now (the high-water mark: memory never shrinks). */
function memoryBytes(): number {
  return memories.reduce((sum, m) => sum + m.buffer.byteLength, 0);
}
let workspace: WorkspaceApi | null = null;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Rows of the preview the page shows. */
const PREVIEW_ROWS = 20;
/** Columns of the preview whose cells the page shows (main.ts `PREVIEW_COLUMNS_SHOWN`): the
 * cells of the others are not sent, so a file of 10,000 columns does not make the page decode
 * 200,000 strings it never shows (every column's name and type still go). */
const PREVIEW_CELLS_SENT = 60;

function trimPreview(preview: Preview): Preview {
  return { ...preview, rows: preview.rows.map((row) => ({ ...row, cells: row.cells.slice(0, PREVIEW_CELLS_SENT) })) };
}

function open(bytes: Uint8Array, fileName: string, sheet: string | null, options: ReadOptions | null): Opened {
  const { Workspace } = core;
  const next = (
    options !== null
      ? Workspace.open_with(bytes, fileName, { ...options, sheet })
      : sheet === null
        ? Workspace.open(bytes, fileName)
        : Workspace.open_sheet(bytes, fileName, sheet)
  ) as unknown as WorkspaceApi;
  try {
    const opened = { columns: next.columns(), detected: next.detected(), guessed: next.guess_settings(), preview: trimPreview(next.preview(PREVIEW_ROWS)) };
    // Only a file that opened replaces the previous one.
    workspace?.free();
    workspace = next;
    return opened;
  } catch (error) {
    next.free();
    throw error;
  }
}

function currentWorkspace(): WorkspaceApi {
  if (workspace === null) throw new Error('no file is open');
  return workspace;
}

/** A figure, or the core's message when it cannot draw it (a trap still stops the worker). */
function figure(draw: () => string): Figure {
  try {
    return { svg: draw() };
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) throw error;
    return { error: messageOf(error) };
  }
}

/** Milliseconds of the named stages of the request being answered (for the page's timings). */
let stages: Record<string, number> = {};

function analyze(settings: Settings): Analysed {
  const ws = currentWorkspace();
  const t0 = performance.now();
  const report = ws.analyze(settings);
  const t1 = performance.now();
  stages.analysis = t1 - t0;
  // The core's own stages ("OS: curves", "OS: tests", "OS: cox multivariable", …).
  for (const [name, ms] of ws.stage_timings()) stages[`core: ${name}`] = ms;
  const figures: EndpointFigures[] = report.endpoints.map((_, i) => ({
    km: figure(() => ws.km_svg(i)),
    forest: ws.forest_svg(i) ?? null,
  }));
  const waterfall = settings.waterfall === null ? null : figure(() => ws.waterfall_svg() ?? '');
  stages.figures = performance.now() - t1;
  return { report, figures, waterfall };
}

function exportText(what: Export): string {
  const ws = currentWorkspace();
  switch (what.kind) {
    case 'report':
      return ws.report_json();
    case 'table':
      return ws.table_csv(what.id);
    case 'steps':
      return ws.steps_csv(what.endpoint);
    case 'derivation':
      return ws.derivation_csv(what.endpoint);
    case 'swimmer':
      return ws.swimmer_svg(what.endpoint);
  }
}

function run(request: RequestMessage): unknown {
  switch (request.type) {
    case 'ping':
      return null;
    case 'open':
      return open(request.body.bytes, request.body.fileName, request.body.sheet, request.body.options ?? null);
    case 'levels':
      return currentWorkspace().levels(request.body.column);
    case 'parseSettings':
      return core.parse_settings(request.body.text) as Settings;
    case 'analyze':
      return analyze(request.body.settings);
    case 'export':
      return exportText(request.body);
  }
}

async function handle(request: RequestMessage): Promise<void> {
  try {
    await ready;
    if (request.type === 'open' && core.is_workbook(request.body.bytes)) await useFullModule();
  } catch (error) {
    scope.postMessage({ id: request.id, ok: false, message: `the WebAssembly module did not load (${messageOf(error)})`, fatal: false });
    return;
  }
  stages = {};
  const t0 = performance.now();
  try {
    const value = run(request);
    const timing = { ms: performance.now() - t0, stages, memoryBytes: memoryBytes() };
    scope.postMessage({ id: request.id, ok: true, value, timing });
  } catch (error) {
    // A trap (panic, out of memory) leaves the module's memory in an unknown state: report it as
    // fatal and stop; the page starts a fresh worker. Anything else is the core's own message.
    const fatal = error instanceof WebAssembly.RuntimeError;
    scope.postMessage({ id: request.id, ok: false, message: messageOf(error), fatal });
    if (fatal) scope.close();
  }
}

// One request at a time, in the order received (loading the full module is asynchronous).
let queue: Promise<void> = Promise.resolve();
scope.addEventListener('message', (event) => {
  queue = queue.then(() => handle(event.data));
});
