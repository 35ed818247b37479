// survcalc page: opens a CSV/TSV/workbook from disk (or the bundled synthetic example), lets the
// user set every analysis setting, and shows what the Rust core computes. The core runs in a Web
// Worker (engine.ts, worker.ts) so that the page stays responsive. All statistics and all number
// formatting happen in the core; this module moves bytes, keeps the settings and places text.
import {
  ColumnPicker,
  columnIndex,
  fillSelect,
  ListFilter,
  NONE,
  options,
  readNumber,
  rebuild,
  setInputValue,
  syncChecklist,
} from './controls.js';
import { byId, el, formatCount, messageOf } from './dom.js';
import { Engine, EngineCrash, recordTiming } from './engine.js';
import { registerServiceWorker } from './offline.js';
import { svgToPng } from './png.js';
import type { Analysed, EndpointFigures, Export, Figure } from './protocol.js';
import { importSvg, renderFigure, renderTable } from './render.js';
import {
  cloneSettings,
  dateLabels,
  forgetSettings,
  loadStoredSettings,
  missingColumns,
  newDateEndpoint,
  storeSettings,
} from './settings.js';
import type {
  ColumnInfo,
  Condition,
  ConditionOp,
  ConfType,
  Convention,
  DateEndpoint,
  Detected,
  DisplayTable,
  DateOrder,
  Denominator,
  EndpointSpec,
  ExtraTest,
  IntervalMethod,
  PlotKey,
  PlotOptions,
  PlotOverride,
  Preview,
  PStyle,
  ReadOptions,
  Report,
  Settings,
  Ties,
  TimeUnit,
} from './types.js';

const EXAMPLE_URL = 'example/netg3_example.csv';
const REPORT_FILE_NAME = 'survcalc-report.json';
const SETTINGS_FILE_NAME = 'survcalc-settings.json';
/** The name the core and the CLI give an endpoint by default. */
const ENDPOINT_NAME = 'Survival';
/** Excluded rows listed on the page; the derivation log and the report have them all. */
const MAX_EXCLUDED_SHOWN = 500;
/** "Working…" appears only for analyses that take longer than this. */
const BUSY_DELAY_MS = 150;

const ui = {
  file: byId('file', HTMLInputElement),
  download: byId('download', HTMLButtonElement),
  print: byId('print', HTMLButtonElement),
  source: byId('source', HTMLElement),
  alert: byId('alert', HTMLElement),
  notice: byId('notice', HTMLElement),
  form: byId('settings', HTMLFormElement),
  sheetField: byId('sheet-field', HTMLElement),
  sheet: byId('sheet', HTMLSelectElement),
  // File
  readSummary: byId('read-summary', HTMLElement),
  readFields: byId('read-fields', HTMLDetailsElement),
  readDelimiter: byId('read-delimiter', HTMLSelectElement),
  readEncoding: byId('read-encoding', HTMLSelectElement),
  readDecimal: byId('read-decimal', HTMLSelectElement),
  readThousands: byId('read-thousands', HTMLSelectElement),
  preview: byId('preview', HTMLDetailsElement),
  previewTable: byId('preview-table', HTMLTableElement),
  previewMore: byId('preview-more', HTMLElement),
  // Endpoints
  endpoint: byId('endpoint', HTMLSelectElement),
  endpointName: byId('endpoint-name', HTMLInputElement),
  addEndpoint: byId('add-endpoint', HTMLButtonElement),
  removeEndpoint: byId('remove-endpoint', HTMLButtonElement),
  deriveDates: byId('derive-dates', HTMLInputElement),
  columnFields: byId('column-fields', HTMLElement),
  time: new ColumnPicker(byId('time', HTMLSelectElement)),
  event: new ColumnPicker(byId('event', HTMLSelectElement)),
  eventValue: byId('event-value', HTMLSelectElement),
  eventValueHint: byId('event-value-hint', HTMLElement),
  dateFields: byId('date-fields', HTMLElement),
  startDate: new ColumnPicker(byId('start-date', HTMLSelectElement)),
  eventDates: byId('event-dates', HTMLElement),
  lastContact: new ColumnPicker(byId('last-contact', HTMLSelectElement)),
  timeUnit: byId('time-unit', HTMLSelectElement),
  dateOrder: byId('date-order', HTMLSelectElement),
  cutoff: byId('cutoff', HTMLInputElement),
  rowsInfo: byId('rows-info', HTMLElement),
  rowsSummary: byId('rows-summary', HTMLElement),
  derivationDownload: byId('derivation-download', HTMLButtonElement),
  excluded: byId('excluded', HTMLDetailsElement),
  excludedSummary: byId('excluded-summary', HTMLElement),
  excludedTable: byId('excluded-table', HTMLTableElement),
  excludedMore: byId('excluded-more', HTMLElement),
  // Rows to analyse
  subset: byId('subset', HTMLOListElement),
  addCondition: byId('add-condition', HTMLButtonElement),
  // Comparison
  group: new ColumnPicker(byId('group', HTMLSelectElement)),
  groupDetails: byId('group-details', HTMLElement),
  groupOrder: byId('group-order', HTMLOListElement),
  groupOrderReset: byId('group-order-reset', HTMLButtonElement),
  reference: byId('reference', HTMLSelectElement),
  strata: new ColumnPicker(byId('strata', HTMLSelectElement)),
  testGehan: byId('test-gehan-breslow', HTMLInputElement),
  testTaroneWare: byId('test-tarone-ware', HTMLInputElement),
  testTrend: byId('test-trend', HTMLInputElement),
  testFh: byId('test-fleming-harrington', HTMLInputElement),
  fhP: byId('fh-p', HTMLInputElement),
  fhQ: byId('fh-q', HTMLInputElement),
  pairwise: byId('pairwise', HTMLInputElement),
  // Response
  response: new ColumnPicker(byId('response', HTMLSelectElement)),
  responseDenominator: byId('response-denominator', HTMLSelectElement),
  responseInterval: byId('response-interval', HTMLSelectElement),
  waterfall: new ColumnPicker(byId('waterfall', HTMLSelectElement)),
  // Cox model
  covariates: byId('covariates', HTMLElement),
  cluster: new ColumnPicker(byId('cluster', HTMLSelectElement)),
  ties: byId('ties', HTMLSelectElement),
  // Options
  landmarks: byId('landmarks', HTMLInputElement),
  confLevel: byId('conf-level', HTMLInputElement),
  tau: byId('tau', HTMLInputElement),
  timeUnitLabel: byId('time-unit-label', HTMLSelectElement),
  convention: byId('convention', HTMLSelectElement),
  confType: byId('conf-type', HTMLSelectElement),
  weight: new ColumnPicker(byId('weight', HTMLSelectElement)),
  pStyle: byId('p-style', HTMLSelectElement),
  pDigits: byId('p-digits', HTMLInputElement),
  cohortAuto: byId('cohort-auto', HTMLInputElement),
  cohort: byId('cohort', HTMLElement),
  // Figure
  plotScope: byId('plot-scope', HTMLSelectElement),
  plotScopeReset: byId('plot-scope-reset', HTMLButtonElement),
  figureSection: byId('section-figure', HTMLDetailsElement),
  plotTitle: byId('plot-title', HTMLInputElement),
  plotXLabel: byId('plot-x-label', HTMLInputElement),
  plotYLabel: byId('plot-y-label', HTMLInputElement),
  legendFieldset: byId('legend-fieldset', HTMLFieldSetElement),
  legendLabels: byId('legend-labels', HTMLElement),
  plotXMax: byId('plot-x-max', HTMLInputElement),
  plotXBreak: byId('plot-x-break', HTMLInputElement),
  swimmerLabel: new ColumnPicker(byId('swimmer-label', HTMLSelectElement)),
  // Settings file
  saveSettings: byId('save-settings', HTMLButtonElement),
  loadSettings: byId('load-settings', HTMLInputElement),
  startOver: byId('start-over', HTMLButtonElement),
  // Results
  results: byId('results', HTMLElement),
  busy: byId('busy', HTMLElement),
  empty: byId('empty', HTMLElement),
  stale: byId('stale', HTMLElement),
  figures: byId('figures', HTMLElement),
  tables: byId('tables', HTMLElement),
  warnings: byId('warnings', HTMLElement),
  printView: byId('print-view', HTMLElement),
  drop: byId('drop', HTMLElement),
};

/** The filters of the checklists of columns (shown for a file of many columns). */
const filters = {
  eventDates: new ListFilter(ui.eventDates, 'an event date column', () => state && syncEndpoint(state)),
  covariates: new ListFilter(ui.covariates, 'a covariate', () => state && syncCox(state)),
  cohort: new ListFilter(ui.cohort, 'a variable', () => state && syncOptions(state)),
};

/** The figure switches: each checkbox and the option it sets. */
const PLOT_SWITCHES: Array<[HTMLInputElement, PlotKey & keyof PlotOptions]> = [
  [byId('plot-ci-bands', HTMLInputElement), 'ci_bands'],
  [byId('plot-median-lines', HTMLInputElement), 'median_lines'],
  [byId('plot-cumulative-incidence', HTMLInputElement), 'cumulative_incidence'],
  [byId('plot-hide-p', HTMLInputElement), 'hide_p'],
  [byId('plot-hazard-ratios', HTMLInputElement), 'hazard_ratios'],
  [byId('plot-cumulative-events', HTMLInputElement), 'cumulative_events'],
];

/** The extra tests with a simple on/off switch. */
const TEST_SWITCHES: Array<[HTMLInputElement, ExtraTest['test']]> = [
  [ui.testGehan, 'gehan-breslow'],
  [ui.testTaroneWare, 'tarone-ware'],
  [ui.testTrend, 'trend'],
];

/** The sections of the panel, and whether each starts open (restored by "Start over"). */
const SECTIONS = Array.from(ui.form.querySelectorAll<HTMLDetailsElement>('details.section'));
const SECTIONS_OPEN = SECTIONS.map((d) => d.open);

interface Source {
  bytes: Uint8Array;
  fileName: string;
  example: boolean;
  /** For a workbook: the sheet to read; null reads the first. */
  sheet: string | null;
  /** How to read it (null: detect everything). */
  options?: ReadOptions | null;
}

/** Reading options that leave everything to the reader. */
const AUTO_READ: ReadOptions = { delimiter: 'auto', encoding: 'auto', decimal: 'auto', thousands: 'auto' };

/** The reading choices of the File panel: each select and the option it sets. */
const READ_CHOICES: Array<[HTMLSelectElement, 'delimiter' | 'encoding' | 'decimal' | 'thousands']> = [
  [ui.readDelimiter, 'delimiter'],
  [ui.readEncoding, 'encoding'],
  [ui.readDecimal, 'decimal'],
  [ui.readThousands, 'thousands'],
];

/** Rows of the data shown in the File panel's preview. */
const PREVIEW_ROWS_SHOWN = 20;
/** Columns of the data shown in the preview (a file may have thousands). */
const PREVIEW_COLUMNS_SHOWN = 60;
/** The preview on screen (it is rebuilt only for another one). */
let previewShown: Preview | null = null;

interface State {
  /** The file's bytes stay here too: to read another sheet, and to re-open the file in a new
   * worker after a crash. */
  source: Source;
  /** Sheet names of a workbook (empty for CSV/TSV). */
  sheets: string[];
  columns: ColumnInfo[];
  /** What the core guessed from the headers. */
  guessed: Settings;
  settings: Settings;
  /** The settings of the last analysis that worked (what is on screen, and what is stored). */
  lastGood: Settings | null;
  /** Index of the endpoint the endpoint controls edit. */
  current: number;
  /** The report on screen, if any, and whether it still matches the settings. */
  report: Report | null;
  figures: EndpointFigures[];
  waterfall: Figure | null;
  stale: boolean;
  /** Levels of columns, in the core's order, fetched when a picker needs them. */
  levels: Map<string, string[]>;
  /** Time/event columns of endpoints switched to dates, to restore when switched back. */
  columnBackup: WeakMap<EndpointSpec, Pick<EndpointSpec, 'time' | 'event' | 'event_values'>>;
  /** What the reader detected (and what is in force). */
  detected: Detected;
  /** The first rows as read. */
  preview: Preview;
  /** The endpoint whose figure the figure options edit; null: every endpoint's. */
  plotScope: number | null;
}

let state: State | null = null;
let engine: Engine;
/** Analyses shown so far (body[data-runs], for the tests). */
let runs = 0;

// ---------------------------------------------------------------------------------------------
// Messages

function showError(message: string): void {
  ui.alert.textContent = message;
}

function clearError(): void {
  ui.alert.textContent = '';
}

function showNotice(message: string): void {
  ui.notice.textContent = message;
}

function showSource(source: Source): void {
  ui.source.replaceChildren();
  if (source.example) {
    ui.source.classList.add('example');
    ui.source.append(
      el('strong', {}, 'Example data: '),
      'this is a synthetic cohort (invented patients, not real data) of lines of treatment for ' +
        'high-grade (G3) neuroendocrine tumours, file ',
      el('code', {}, source.fileName),
      '. Open your own file to analyse it.',
    );
  } else {
    ui.source.classList.remove('example');
    ui.source.append('Analysing ', el('code', {}, source.fileName));
    if (source.sheet !== null) ui.source.append(', sheet ', el('code', {}, source.sheet));
    ui.source.append(', read on this computer; nothing is uploaded.');
  }
}

let busyTimer: number | undefined;

/** Says, after a moment, that the engine is working (`what`: on what). */
function setBusy(busy: boolean, what = 'Working…'): void {
  document.body.dataset.busy = busy ? '1' : '0';
  window.clearTimeout(busyTimer);
  if (busy) {
    busyTimer = window.setTimeout(() => {
      ui.busy.textContent = what;
      ui.results.setAttribute('aria-busy', 'true');
    }, BUSY_DELAY_MS);
  } else {
    ui.busy.textContent = '';
    ui.results.removeAttribute('aria-busy');
  }
}

/** Runs an event handler; a failure becomes a message on the page. A crash of the engine is
 * already being dealt with (see `onEngineRestart`). */
function guard(action: () => unknown): void {
  void (async () => {
    try {
      await action();
    } catch (error) {
      if (!(error instanceof EngineCrash)) showError(messageOf(error));
    }
  })();
}

// ---------------------------------------------------------------------------------------------
// Analysis

/** The analysis being computed, and the latest settings waiting for it to finish (each change
 * replaces the waiting one, so a burst of changes costs at most two analyses). */
const scheduler = { inFlight: false, queued: null as { settings: Settings; remember: boolean } | null };

/** Analyses the current settings. `remember`: the user chose them, so that they are kept in this
 * browser once they work (opening a file or starting over analyses without storing anything). */
function requestAnalysis(s: State, remember: boolean): void {
  const settings = cloneSettings(s.settings);
  if (scheduler.inFlight) {
    scheduler.queued = { settings, remember: remember || (scheduler.queued?.remember ?? false) };
    return;
  }
  void runAnalysis(s, settings, remember);
}

async function runAnalysis(s: State, settings: Settings, remember: boolean): Promise<void> {
  scheduler.inFlight = true;
  setBusy(true);
  let result: Analysed | null = null;
  let failure: unknown = null;
  try {
    result = await engine.call('analyze', { settings });
  } catch (error) {
    failure = error;
  }
  scheduler.inFlight = false;
  if (failure instanceof EngineCrash) return; // onEngineRestart recovers
  const next = scheduler.queued;
  scheduler.queued = null;
  if (next !== null && state !== null) {
    // Newer settings are waiting: this result is already out of date.
    void runAnalysis(state, next.settings, next.remember);
    return;
  }
  setBusy(false);
  if (s !== state) return; // another file was opened meanwhile
  if (result !== null) {
    s.report = result.report;
    s.figures = result.figures;
    s.waterfall = result.waterfall;
    s.stale = false;
    s.lastGood = settings;
    if (remember) storeSettings(settings);
    clearError();
    render(s);
  } else {
    s.stale = s.report !== null;
    // The core's message names the file, row, column and value.
    showError(`The analysis failed: ${messageOf(failure)}`);
    markStale(s);
  }
  syncControls(s);
  runs += 1;
  document.body.dataset.runs = String(runs);
}

/** A setting changed: re-run, and show the controls that depend on it. */
function changed(s: State): void {
  showNotice('');
  requestAnalysis(s, true);
  syncControls(s);
}

/** A value the page could not read: say so, and mark the results as not matching. */
function invalid(s: State, message: string): void {
  showError(message);
  s.stale = s.report !== null;
  markStale(s);
}

function markStale(s: State): void {
  ui.results.classList.toggle('stale', s.stale);
  ui.stale.hidden = !s.stale;
  ui.empty.hidden = s.report !== null;
  ui.download.disabled = s.report === null;
  ui.print.disabled = s.report === null;
}

// ---------------------------------------------------------------------------------------------
// Results

function render(s: State): void {
  const report = s.report;
  ui.figures.replaceChildren();
  ui.tables.replaceChildren();
  ui.warnings.replaceChildren();
  if (report === null) {
    markStale(s);
    return;
  }
  report.endpoints.forEach((endpoint, i) => {
    const n = i + 1;
    const figures = s.figures[i];
    try {
      const km = figures?.km;
      if (km === undefined || 'error' in km) throw new Error(km?.error ?? 'no figure');
      ui.figures.append(
        renderFigure(`Kaplan–Meier estimate: ${endpoint.name}`, km.svg, [
          exportButton('SVG', `Download the ${endpoint.name} Kaplan–Meier figure (SVG)`, () => km.svg, `survcalc-km-${n}.svg`),
          pngButton(`Download the ${endpoint.name} Kaplan–Meier figure (PNG, 300 dpi)`, km.svg, `survcalc-km-${n}.png`),
          exportButton('Steps (CSV)', `Download the ${endpoint.name} Kaplan–Meier steps (CSV)`, () => exportText({ kind: 'steps', endpoint: i }), `survcalc-km-steps-${n}.csv`),
          figureOptionsButton(s, endpoint.name, i),
        ]),
      );
      const forest = figures?.forest ?? null;
      if (forest !== null) {
        ui.figures.append(
          renderFigure(`Hazard ratios: ${endpoint.name}`, forest, [
            exportButton('SVG', `Download the ${endpoint.name} forest plot (SVG)`, () => forest, `survcalc-forest-${n}.svg`),
            pngButton(`Download the ${endpoint.name} forest plot (PNG, 300 dpi)`, forest, `survcalc-forest-${n}.png`),
          ]),
        );
      }
    } catch (error) {
      ui.figures.append(el('p', { class: 'plot-error' }, `No plot for ${endpoint.name}: ${messageOf(error)}`));
    }
    ui.figures.append(swimmerFigure(endpoint.name, i));
  });
  const waterfall = s.waterfall;
  if (waterfall !== null) {
    if ('svg' in waterfall) {
      ui.figures.append(
        renderFigure('Waterfall plot: best change in tumour size', waterfall.svg, [
          exportButton('SVG', 'Download the waterfall plot (SVG)', () => waterfall.svg, 'survcalc-waterfall.svg'),
          pngButton('Download the waterfall plot (PNG, 300 dpi)', waterfall.svg, 'survcalc-waterfall.png'),
        ]),
      );
    } else {
      ui.figures.append(el('p', { class: 'plot-error' }, `No waterfall plot: ${waterfall.error}`));
    }
  }
  for (const table of report.display.tables) {
    ui.tables.append(
      renderTable(table, [
        exportButton('CSV', `Download the table "${table.title}" (CSV)`, () => exportText({ kind: 'table', id: table.id }), `survcalc-${table.id}.csv`),
      ]),
    );
  }
  if (report.methods) {
    // The core writes the paragraph; it goes in as text, ready to copy into a manuscript.
    ui.tables.append(
      el('section', { class: 'methods', 'aria-labelledby': 'methods-title' },
        el('h2', { id: 'methods-title' }, 'Statistical methods'),
        el('p', { class: 'methods-text' }, report.methods)),
    );
  }
  const warnings = report.warnings ?? [];
  if (warnings.length > 0) {
    ui.warnings.append(el('h2', {}, 'Warnings'), el('ul', {}, ...warnings.map((w) => el('li', {}, w))));
  }
  renderPrintView(s, report);
  markStale(s);
  document.body.dataset.ready = '1';
}

/** An endpoint's swimmer plot, collapsed: the core draws it when it is opened (it has a bar
 * per row, and most analyses do not need it). */
function swimmerFigure(name: string, endpoint: number): HTMLElement {
  const details = el('details', { class: 'plot-more' }, el('summary', {}, `Swimmer plot: ${name}`));
  let loaded = false;
  details.addEventListener('toggle', () => {
    if (details.open) openSwimmers.add(endpoint);
    else openSwimmers.delete(endpoint);
    if (!details.open || loaded) return;
    loaded = true;
    guard(async () => {
      let svg: string;
      try {
        svg = await exportText({ kind: 'swimmer', endpoint });
      } catch (error) {
        if (error instanceof EngineCrash) throw error;
        details.append(el('p', { class: 'plot-error' }, `No swimmer plot for ${name}: ${messageOf(error)}`));
        return;
      }
      details.append(
        renderFigure(`Swimmer plot: ${name}`, svg, [
          exportButton('SVG', `Download the ${name} swimmer plot (SVG)`, () => svg, `survcalc-swimmer-${endpoint + 1}.svg`),
          pngButton(`Download the ${name} swimmer plot (PNG, 300 dpi)`, svg, `survcalc-swimmer-${endpoint + 1}.png`),
        ]),
      );
    });
  });
  // Open again after a re-run if it was open (the toggle event then draws it).
  details.open = openSwimmers.has(endpoint);
  return details;
}

/** The endpoints whose swimmer plot is open. */
const openSwimmers = new Set<number>();

/** Rows of a core table that belong to an endpoint (its first column names the endpoint),
 * without that column: the print view shows each endpoint's comparisons on its page. */
function endpointRows(table: DisplayTable, name: string): DisplayTable | null {
  if (table.columns[0] !== 'Endpoint') return null;
  const rows = table.rows.filter((row) => row[0] === name).map((row) => row.slice(1));
  if (rows.length === 0) return null;
  return { ...table, id: `${table.id}-print`, columns: table.columns.slice(1), rows, notes: table.notes ?? [] };
}

/**
 * The print view (shown only when printing, see style.css `@media print`): a page per endpoint
 * with its Kaplan–Meier figure (numbers at risk included), its median table and its
 * comparisons, then a page with the study tables and the methods paragraph. Everything is the
 * core's text and SVG, placed again.
 */
function renderPrintView(s: State, report: Report): void {
  const pages: HTMLElement[] = [];
  const tables = report.display.tables;
  const tableById = (id: string) => tables.find((t) => t.id === id);
  const printTable = (table: DisplayTable) => {
    const block = renderTable({ ...table, id: `print-${table.id}` });
    block.querySelector('.table-scroll')?.removeAttribute('tabindex');
    return block;
  };
  report.endpoints.forEach((endpoint, i) => {
    const page = el('section', { class: 'print-page' }, el('h2', {}, endpoint.name));
    const km = s.figures[i]?.km;
    if (km !== undefined && 'svg' in km) page.append(el('figure', { class: 'print-figure' }, importSvg(km.svg)));
    const median = tableById(`endpoint-${i}`);
    if (median) page.append(printTable(median));
    for (const id of ['tests', 'pairwise', 'cox']) {
      const table = tableById(id);
      const own = table ? endpointRows(table, endpoint.name) : null;
      if (own) page.append(printTable(own));
    }
    pages.push(page);
  });
  const study = el('section', { class: 'print-page' }, el('h2', {}, 'Study'));
  for (const id of ['cohort', 'response']) {
    const table = tableById(id);
    if (table) study.append(printTable(table));
  }
  if (report.methods) study.append(el('h3', {}, 'Statistical methods'), el('p', { class: 'print-methods' }, report.methods));
  const warnings = report.warnings ?? [];
  if (warnings.length > 0) study.append(el('h3', {}, 'Warnings'), el('ul', {}, ...warnings.map((w) => el('li', {}, w))));
  pages.push(study);
  ui.printView.replaceChildren(...pages);
}

/** A small button that saves a figure as a 300-dpi PNG (see png.ts for the size). */
function pngButton(label: string, svg: string, fileName: string): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'button small', 'aria-label': label }, 'PNG');
  button.addEventListener('click', () =>
    guard(async () => {
      let png: Blob;
      try {
        png = await svgToPng(svg);
      } catch (error) {
        throw new Error(`Could not export ${fileName}: ${messageOf(error)}`);
      }
      saveBlob(png, fileName);
    }),
  );
  return button;
}

/** Opens the figure options for this endpoint's figure. */
function figureOptionsButton(s: State, name: string, endpoint: number): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'button small', 'aria-label': `Figure options of ${name}` }, 'Options');
  button.addEventListener('click', () => {
    if (state !== s) return;
    s.plotScope = endpoint;
    syncFigure(s);
    ui.figureSection.open = true;
    ui.plotScope.focus();
  });
  return button;
}

function exportText(what: Export): Promise<string> {
  return engine.call('export', what);
}

const MIME_TYPES: Record<string, string> = {
  json: 'application/json',
  csv: 'text/csv',
  svg: 'image/svg+xml',
};

/** Saves text as a file, through a Blob URL (nothing leaves the computer). */
function saveText(text: string, fileName: string): void {
  const extension = fileName.split('.').pop() ?? '';
  saveBlob(new Blob([text], { type: MIME_TYPES[extension] ?? 'text/plain' }), fileName);
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A small button that saves what `produce` returns (a core export) as `fileName`. */
function exportButton(text: string, label: string, produce: () => string | Promise<string>, fileName: string): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'button small', 'aria-label': label }, text);
  button.addEventListener('click', () => guard(() => saveExport(produce, fileName)));
  return button;
}

async function saveExport(produce: () => string | Promise<string>, fileName: string): Promise<void> {
  let text: string;
  try {
    text = await produce();
  } catch (error) {
    if (error instanceof EngineCrash) throw error;
    throw new Error(`Could not export ${fileName}: ${messageOf(error)}`);
  }
  saveText(text, fileName);
}

// ---------------------------------------------------------------------------------------------
// Opening data

/** Whether reading options leave everything to the reader. */
function isAutoRead(options: ReadOptions | null | undefined): boolean {
  return (
    options === null ||
    options === undefined ||
    READ_CHOICES.every(([, key]) => (options[key] ?? 'auto') === 'auto')
  );
}

/** Records in the settings how the file is read, so that a saved settings file makes the
 * command line read it the same way (left out when everything is detected). */
function recordInput(s: State): void {
  const options = s.source.options ?? null;
  const chosen = !isAutoRead(options) || (s.source.sheet !== null && s.sheets.length > 1);
  if (chosen) {
    s.settings.input = { ...AUTO_READ, ...(options ?? {}), ...(s.source.sheet !== null ? { sheet: s.source.sheet } : {}) };
  } else {
    delete s.settings.input;
  }
}

/** Reads a file (or another sheet of the current workbook). If it cannot be read, nothing
 * changes: the previous file, settings and results stay as they were. Settings remembered from
 * an earlier visit are applied when the file has every column they name; `keep` (settings in
 * use when the same file is read again another way) wins over them when it fits. */
async function openData(source: Source, keep: Settings | null = null): Promise<boolean> {
  let opened;
  setBusy(true, `Reading ${source.fileName} (${formatBytes(source.bytes.length)})…`);
  try {
    opened = await engine.call('open', { bytes: source.bytes, fileName: source.fileName, sheet: source.sheet, options: source.options ?? null });
  } catch (error) {
    if (error instanceof EngineCrash) throw error;
    setBusy(scheduler.inFlight);
    showError(`Could not open the file: ${messageOf(error)}`);
    return false;
  }
  setBusy(scheduler.inFlight);
  // Reading a wide file's answer (its columns and their values) is a task of its own; the
  // controls are filled in the next one, so that neither blocks the page for long.
  await nextTask();
  let settings = opened.guessed;
  let restored = false;
  const stored = keep !== null && missingColumns(keep, opened.columns).length === 0 ? keep : loadStoredSettings();
  if (stored !== null && missingColumns(stored, opened.columns).length === 0) {
    try {
      // Through the core, as a settings file: fills in fields an older page did not store.
      settings = await engine.call('parseSettings', { text: JSON.stringify(stored) });
      restored = true;
    } catch (error) {
      if (error instanceof EngineCrash) throw error;
      forgetSettings(); // unreadable: start from the guess
    }
  }
  const sheet = opened.detected.sheet ?? null;
  const s: State = {
    source: { ...source, sheet },
    sheets: opened.detected.sheets ?? [],
    columns: opened.columns,
    guessed: opened.guessed,
    settings,
    lastGood: null,
    current: 0,
    report: null,
    figures: [],
    waterfall: null,
    stale: false,
    levels: new Map(),
    columnBackup: new WeakMap(),
    detected: opened.detected,
    preview: opened.preview,
    plotScope: null,
  };
  recordInput(s);
  if (state === null || state.columns.length !== s.columns.length || state.source.fileName !== s.source.fileName) {
    for (const filter of Object.values(filters)) filter.input.value = ''; // another file
  }
  state = s;
  scheduler.queued = null;
  openSwimmers.clear();
  showSource(s.source);
  clearError();
  showNotice(restored && keep === null ? 'Your last settings were applied. "Start over" goes back to the defaults.' : '');
  for (const button of [ui.saveSettings, ui.loadSettings, ui.startOver]) button.disabled = false;
  // Clear the previous file's results before analysing: they no longer match the controls.
  render(s);
  await ensureLevels(s);
  syncControls(s);
  requestAnalysis(s, false);
  return true;
}

/** Resolves in a later task of the event loop (after any input waiting to be handled). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A file size in words: "930 KB", "9.1 MB". */
function formatBytes(n: number): string {
  if (n < 1e6) return `${formatCount(Math.max(1, Math.round(n / 1e3)))} KB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}

async function openFile(file: File): Promise<void> {
  let bytes: Uint8Array;
  try {
    const t0 = performance.now();
    bytes = new Uint8Array(await file.arrayBuffer());
    recordTiming({ op: 'read', ms: performance.now() - t0 });
  } catch (error) {
    showError(`Could not read ${file.name}: ${messageOf(error)}`);
    return;
  }
  await openData({ bytes, fileName: file.name, example: false, sheet: null });
}

async function openExample(): Promise<void> {
  const response = await fetch(EXAMPLE_URL);
  if (!response.ok) throw new Error(`the example data could not be loaded (HTTP ${response.status})`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  await openData({ bytes, fileName: EXAMPLE_URL.split('/').pop() ?? EXAMPLE_URL, example: true, sheet: null });
}

/** Fetches the levels the pickers need (group, categorical covariates) that are not known yet. */
async function ensureLevels(s: State): Promise<void> {
  const { settings } = s;
  const wanted = [settings.group, ...settings.categorical.map((c) => c.variable)];
  const missing = [...new Set(wanted)].filter(
    (c): c is string => c !== null && !s.levels.has(c) && s.columns.some((col) => col.name === c),
  );
  for (const column of missing) {
    try {
      s.levels.set(column, await engine.call('levels', { column }));
    } catch (error) {
      if (error instanceof EngineCrash) throw error;
      s.levels.set(column, []);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The worker crashed, or cannot start

function onEngineRestart(message: string): void {
  scheduler.inFlight = false;
  scheduler.queued = null;
  setBusy(false);
  const s = state;
  guard(async () => {
    if (s === null) {
      await openExample();
      showError(`The calculation engine crashed (${message}) and was restarted.`);
      return;
    }
    await engine.call('open', { bytes: s.source.bytes, fileName: s.source.fileName, sheet: s.source.sheet, options: s.source.options ?? null });
    const good = s.lastGood ?? s.guessed;
    s.settings = cloneSettings(good);
    s.current = Math.min(s.current, Math.max(0, good.endpoints.length - 1));
    syncControls(s);
    await runAnalysis(s, cloneSettings(good), false);
    showError(
      `The calculation engine crashed (${message}) and was restarted: ${s.source.fileName} was opened again ` +
        'and the last settings that worked are back. If it happens again with the same settings, please report it.',
    );
  });
}

function onEngineGiveUp(message: string): void {
  setBusy(false);
  showError(`The calculation engine stopped (${message}) and could not be restarted. Reload the page to continue.`);
  ui.file.disabled = true;
}

// ---------------------------------------------------------------------------------------------
// Controls: from the settings to the form

function syncControls(s: State): void {
  const endpoints = s.settings.endpoints;
  if (s.current >= endpoints.length) s.current = Math.max(0, endpoints.length - 1);
  ui.sheetField.hidden = s.sheets.length <= 1;
  fillSelect(ui.sheet, options(s.sheets.map((n) => [n, n])), s.source.sheet ?? s.sheets[0] ?? '');
  syncRead(s);
  syncEndpoint(s);
  syncRowsInfo(s);
  syncSubset(s);
  syncComparison(s);
  syncResponse(s);
  syncCox(s);
  syncOptions(s);
  syncFigure(s);
}

const DELIMITER_NAMES: Record<string, string> = { tab: 'tab', ',': 'comma ,', ';': 'semicolon ;', '|': 'bar |' };

/** What the File panel says the reader detected (and what is in force), as label and text. */
function detectedItems(d: Detected): Array<[string, string]> {
  const items: Array<[string, string]> = [['Format', d.format]];
  if (d.delimiter) items.push(['Delimiter', DELIMITER_NAMES[d.delimiter] ?? d.delimiter]);
  if (d.delimiter && typeof d.encoding === 'string') items.push(['Encoding', d.bom === true ? `${d.encoding} (with BOM)` : d.encoding]);
  if (d.sheet) items.push(['Sheet', d.sheet]);
  const commas = d.decimal_comma_columns ?? [];
  if (commas.length > 0) items.push(['Decimal commas in', commas.join(', ')]);
  const thousands = d.thousands ?? [];
  if (thousands.length > 0) items.push(['Thousands separators in', thousands.map((t) => `${t.column} (${t.separator})`).join(', ')]);
  const missing = d.missing_codes ?? [];
  if (missing.length > 0) {
    items.push(['Missing values', missing.map((m) => `${m.code === '' ? '(empty)' : `"${m.code}"`} × ${m.count}`).join(', ')]);
  }
  return items;
}

/** The File panel: what was detected, the reading choices (when the core can re-read), and
 * the first rows as read, each column with its detected type. All of it is text. */
function syncRead(s: State): void {
  const pairs: Array<[string, string]> = [['File', s.source.fileName], ...detectedItems(s.detected)];
  rebuild(ui.readSummary, pairs.flat().join('\u0001'), () => pairs.flatMap(([label, text]) => [el('dt', {}, label), el('dd', {}, text)]));
  const text = s.detected.delimiter !== null && s.detected.delimiter !== undefined;
  ui.readFields.hidden = !text;
  const chosen = s.source.options ?? AUTO_READ;
  for (const [select, key] of READ_CHOICES) select.value = chosen[key] ?? 'auto';
  const preview = s.preview;
  ui.preview.hidden = false;
  const head = ui.previewTable.tHead;
  const body = ui.previewTable.tBodies[0];
  if (previewShown === preview) return;
  previewShown = preview;
  const shown = preview.rows.slice(0, PREVIEW_ROWS_SHOWN);
  const columns = preview.columns.slice(0, PREVIEW_COLUMNS_SHOWN);
  head?.replaceChildren(
    el(
      'tr',
      {},
      el('th', { scope: 'col' }, 'Line'),
      ...columns.map((c) =>
        el(
          'th',
          { scope: 'col' },
          c.name === '' ? `(column ${c.letter})` : c.name,
          el('span', { class: 'kind' }, `${c.letter} · ${c.kind}${c.missing > 0 ? ` · ${c.missing} missing` : ''}`),
        ),
      ),
    ),
  );
  body?.replaceChildren(
    ...shown.map((row) =>
      el('tr', {}, el('th', { scope: 'row' }, String(row.line)), ...row.cells.slice(0, columns.length).map((cell) => el('td', {}, cell))),
    ),
  );
  const rows = preview.n_rows > shown.length ? `The first ${shown.length} of ${preview.n_rows} rows` : `All ${preview.n_rows} rows`;
  const more = preview.columns.length > columns.length ? ` (the first ${columns.length} of ${preview.columns.length} columns)` : '';
  ui.previewMore.textContent = `${rows}${more} as read.`;
}

/** Reads the file again with the reading choices of the File panel, keeping the settings
 * when the columns they name are still there. */
async function reread(s: State): Promise<void> {
  const options: ReadOptions = { ...AUTO_READ, ...(s.source.options ?? {}) };
  for (const [select, key] of READ_CHOICES) (options as Record<string, unknown>)[key] = select.value;
  const read = await openData({ ...s.source, options: isAutoRead(options) ? null : options }, cloneSettings(s.settings));
  // Not readable that way: the file stays as it was read, and the choices say so again.
  if (!read && state === s) syncRead(s);
}

function syncEndpoint(s: State): void {
  const { columns } = s;
  const endpoints = s.settings.endpoints;
  const endpoint = endpoints[s.current];
  fillSelect(
    ui.endpoint,
    options(endpoints.map((e, i) => [String(i), e.name === '' ? `Endpoint ${i + 1}` : e.name])),
    String(s.current),
  );
  ui.endpoint.disabled = endpoints.length <= 1;
  ui.removeEndpoint.disabled = endpoints.length <= 1;
  setInputValue(ui.endpointName, endpoint?.name ?? '');

  const dates = endpoint?.dates ?? null;
  ui.deriveDates.checked = dates !== null;
  ui.columnFields.hidden = dates !== null;
  ui.dateFields.hidden = dates === null;
  if (dates === null) {
    ui.time.fill(columns, endpoint?.time ?? null, false);
    ui.event.fill(columns, endpoint?.event ?? null, false);
    syncEventValues(s);
  } else {
    ui.startDate.fill(columns, dates.start, false);
    syncChecklist(
      ui.eventDates,
      'event-date',
      columns.map((c) => ({ value: c.name, label: c.name })),
      new Set(dates.events),
      false,
      (column, on) => editDates(s, (d) => {
        d.events = on ? [...d.events, column] : d.events.filter((e) => e !== column);
      }),
      filters.eventDates,
    );
    ui.lastContact.fill(columns, dates.last_contact, true);
    ui.timeUnit.value = dates.unit;
    ui.dateOrder.value = dates.date_order;
    setInputValue(ui.cutoff, dates.cutoff ?? '');
  }
}

/** The Event value list: the event column's distinct values. With nothing chosen, the core picks
 * the coding; the values it used (from the last report) are shown selected. */
function syncEventValues(s: State): void {
  const endpoint = s.settings.endpoints[s.current];
  const column = s.columns.find((c) => c.name === endpoint?.event);
  const chosen = endpoint?.event_values ?? [];
  const used = s.report?.endpoints[s.current]?.event_values ?? [];
  const selected = new Set(chosen.length > 0 ? chosen : used);
  const values = column?.distinct ?? [];
  fillSelect(
    ui.eventValue,
    values.map((v) => el('option', { value: v }, v === '' ? '(empty)' : v)),
    '',
  );
  for (const option of Array.from(ui.eventValue.options)) option.selected = selected.has(option.value);
  ui.eventValue.size = Math.min(Math.max(values.length, 2), 5);
  const hints: string[] = [];
  if (chosen.length === 0) hints.push('None chosen: survcalc picks the event coding (1 for 0/1, 2 for 1/2).');
  if (column?.distinct_truncated) hints.push('Only the first values are listed.');
  ui.eventValueHint.textContent = hints.join(' ');
}

/** Rows used and excluded for the current endpoint, from the report on screen. */
function syncRowsInfo(s: State): void {
  const spec = s.settings.endpoints[s.current];
  const endpoint = s.report?.endpoints[s.current];
  if (spec === undefined || endpoint === undefined || endpoint.name !== spec.name) {
    ui.rowsInfo.hidden = true;
    return;
  }
  ui.rowsInfo.hidden = false;
  const excluded = endpoint.excluded;
  // Rows the derivation kept but adjusted (an event after the cut-off, say): the log says how.
  const adjusted = endpoint.derivation?.filter((d) => d.time !== null && d.note !== null).length ?? 0;
  ui.rowsSummary.textContent =
    `${endpoint.name}: ${endpoint.n_used} of ${endpoint.n_rows} rows analysed, ${excluded.length} excluded` +
    (adjusted > 0 ? `, ${adjusted} adjusted (see the derivation log)` : '') +
    (s.stale ? ' (last analysis that worked).' : '.');
  ui.derivationDownload.hidden = endpoint.derivation === undefined;
  ui.excluded.hidden = excluded.length === 0;
  ui.excludedSummary.textContent = `Excluded rows (${excluded.length})`;
  const shown = excluded.slice(0, MAX_EXCLUDED_SHOWN);
  const body = ui.excludedTable.tBodies[0];
  body?.replaceChildren(...shown.map((x) => el('tr', {}, el('td', { class: 'num' }, String(x.row)), el('td', {}, x.reason))));
  ui.excludedMore.textContent =
    excluded.length > shown.length ? `The first ${shown.length} are listed; the report lists them all.` : '';
}

/** The group's levels in the order in force (the chosen order, else the core's). */
function groupOrder(s: State): string[] {
  const group = s.settings.group;
  if (group === null) return [];
  return s.settings.group_levels ?? s.levels.get(group) ?? [];
}

function syncComparison(s: State): void {
  const { settings, columns } = s;
  ui.group.fill(columns, settings.group, true);
  const order = groupOrder(s);
  ui.groupDetails.hidden = settings.group === null || order.length === 0;
  const defaults = settings.group === null ? [] : (s.levels.get(settings.group) ?? []);
  rebuild(ui.groupOrder, `${settings.group ?? ''}\u0000${order.join('\u0001')}`, () =>
    order.map((level, i) => {
      // Ids follow the level, not its position, so focus stays on the moved level's button.
      const k = Math.max(0, defaults.indexOf(level));
      const up = el('button', { type: 'button', class: 'button icon', id: `order-up-${k}`, 'aria-label': `Move ${level} up`, disabled: i === 0 }, '↑');
      const down = el('button', { type: 'button', class: 'button icon', id: `order-down-${k}`, 'aria-label': `Move ${level} down`, disabled: i === order.length - 1 }, '↓');
      up.addEventListener('click', () => moveLevel(s, i, i - 1));
      down.addEventListener('click', () => moveLevel(s, i, i + 1));
      return el('li', {}, el('span', { class: 'level' }, level), up, down);
    }),
  );
  ui.groupOrderReset.disabled = settings.group_levels === null;
  fillSelect(
    ui.reference,
    [el('option', { value: NONE }, order.length > 0 ? `first in order (${order[0]})` : 'first in order'), ...options(order.map((l) => [l, l]))],
    settings.reference ?? NONE,
  );
  ui.strata.fill(columns, settings.strata, true);
  for (const [input, name] of TEST_SWITCHES) input.checked = settings.tests.some((t) => t.test === name);
  const fh = settings.tests.find((t) => t.test === 'fleming-harrington');
  ui.testFh.checked = fh !== undefined;
  if (fh !== undefined) {
    setInputValue(ui.fhP, String(fh.p));
    setInputValue(ui.fhQ, String(fh.q));
  }
  ui.fhP.disabled = fh === undefined;
  ui.fhQ.disabled = fh === undefined;
  ui.pairwise.checked = settings.pairwise;
}

/** A number for each list of columns (each file opened), to key what is built from them. */
const columnIds = new WeakMap<ColumnInfo[], number>();
let lastColumnsId = 0;
function columnsId(columns: ColumnInfo[]): number {
  const known = columnIds.get(columns);
  if (known !== undefined) return known;
  lastColumnsId += 1;
  columnIds.set(columns, lastColumnsId);
  return lastColumnsId;
}

/** The subset conditions: a row of pickers per condition. */
function syncSubset(s: State): void {
  const conditions = s.settings.subset;
  const key = `${columnsId(s.columns)}\u0000${conditions.length}`;
  rebuild(ui.subset, key, () => conditions.map((_, k) => conditionItem(s, k)));
  conditions.forEach((condition, k) => {
    const item = ui.subset.children[k];
    if (!(item instanceof HTMLElement)) return;
    const column = conditionPickers.get(item);
    const op = item.querySelector<HTMLSelectElement>('select.condition-op');
    const value = item.querySelector<HTMLInputElement>('input.condition-value');
    column?.fill(s.columns, condition.column, false);
    if (op) op.value = condition.op;
    if (value) setInputValue(value, condition.values.join(' | '));
    const list = item.querySelector('datalist');
    const distinct = s.columns.find((c) => c.name === condition.column)?.distinct ?? [];
    if (list && list.dataset.column !== condition.column) {
      list.replaceChildren(...distinct.map((v) => el('option', { value: v })));
      list.dataset.column = condition.column;
    }
  });
}

const CONDITION_OPS: Array<[ConditionOp, string]> = [
  ['=', 'is'],
  ['!=', 'is not'],
  ['in', 'is one of'],
  ['<', '<'],
  ['<=', '≤'],
  ['>', '>'],
  ['>=', '≥'],
];

/** The column picker of each condition's list item. */
const conditionPickers = new WeakMap<Element, ColumnPicker>();

function conditionItem(s: State, k: number): HTMLElement {
  const n = k + 1;
  const column = new ColumnPicker(el('select', { class: 'condition-column', id: `condition-${k}-column`, 'aria-label': `Condition ${n}: column` }));
  // Filled now, so that the picker is placed in its final form (a combobox for a wide file).
  column.fill(s.columns, s.settings.subset[k]?.column ?? null, false);
  const op = el('select', { class: 'condition-op', id: `condition-${k}-op`, 'aria-label': `Condition ${n}: comparison` }, ...options(CONDITION_OPS));
  const value = el('input', {
    type: 'text',
    class: 'condition-value',
    id: `condition-${k}-value`,
    list: `condition-${k}-values`,
    autocomplete: 'off',
    'aria-label': `Condition ${n}: value`,
    'aria-describedby': `condition-${k}-hint`,
  });
  const remove = el('button', { type: 'button', class: 'button icon', id: `condition-${k}-remove`, 'aria-label': `Remove condition ${n}` }, '×');
  const edit = (apply: (c: Condition) => void) => {
    const condition = s.settings.subset[k];
    if (condition === undefined) return;
    apply(condition);
    changed(s);
  };
  column.onChange(() =>
    edit((c) => {
      c.column = column.value;
      c.values = [s.columns.find((x) => x.name === column.value)?.distinct[0] ?? ''];
    }),
  );
  op.addEventListener('change', () => edit((c) => void (c.op = op.value as ConditionOp)));
  value.addEventListener('change', () => edit((c) => void (c.values = conditionValues(value.value, c.op))));
  remove.addEventListener('click', () => {
    s.settings.subset.splice(k, 1);
    changed(s);
    (ui.subset.querySelector<HTMLElement>('button') ?? ui.addCondition).focus();
  });
  const item = el(
    'li',
    { class: 'condition' },
    el('div', { class: 'condition-row' }, column.element, remove),
    el('div', { class: 'condition-row' }, op, value),
    el('datalist', { id: `condition-${k}-values` }),
    el('p', { class: 'hint', id: `condition-${k}-hint` }, 'For "is one of", separate the values with |.'),
  );
  conditionPickers.set(item, column);
  return item;
}

/** The value field: one value, or for "is one of" the values between | signs. */
function conditionValues(text: string, op: ConditionOp): string[] {
  if (op !== 'in') return [text.trim()];
  return text
    .split('|')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function addCondition(s: State): void {
  // A complete condition from the start: the group's (or first) column and its first value.
  const column = s.columns.find((c) => c.name === s.settings.group) ?? s.columns[0];
  if (column === undefined) return;
  s.settings.subset.push({ column: column.name, op: '=', values: [column.distinct[0] ?? ''] });
  changed(s);
  document.getElementById(`condition-${s.settings.subset.length - 1}-column`)?.focus();
}

function syncResponse(s: State): void {
  const { settings } = s;
  ui.response.fill(s.columns, settings.response, true);
  ui.waterfall.fill(s.columns, settings.waterfall, true);
  ui.responseDenominator.value = settings.response_denominator;
  ui.responseInterval.value = settings.response_interval;
  ui.responseDenominator.disabled = settings.response === null;
  ui.responseInterval.disabled = settings.response === null;
}

function syncCox(s: State): void {
  const { settings, columns } = s;
  // The group is in the model already. Ids follow the column's place in the file, so they stay
  // the same whatever the filter lists.
  const candidates = columns.flatMap((c, k) => (c.name === settings.group ? [] : [{ column: c, k }]));
  const chosenSet = new Set(settings.covariates);
  const shown = filters.covariates
    .pick(candidates.map((c) => c.column.name), (i) => chosenSet.has(candidates[i]?.column.name ?? ''))
    .flatMap((i) => candidates[i] ?? []);
  rebuild(ui.covariates, shown.map(({ column, k }) => `${k}\u0000${column.name}\u0000${column.kind}`).join('\u0001'), () =>
    shown.map(({ column, k }) => covariateItem(s, column, k)),
  );
  const { byName } = columnIndex(columns);
  for (const item of Array.from(ui.covariates.querySelectorAll<HTMLElement>('.covariate'))) {
    const name = item.dataset.column ?? '';
    const column = byName.get(name);
    const chosen = chosenSet.has(name);
    const categorical = settings.categorical.find((c) => c.variable === name);
    const box = item.querySelector<HTMLInputElement>('input.covariate-pick');
    if (box) box.checked = chosen;
    const asCategories = item.querySelector<HTMLInputElement>('input.covariate-categorical');
    if (asCategories) asCategories.checked = categorical !== undefined;
    const options_ = item.querySelector<HTMLElement>('.covariate-options');
    if (options_) options_.hidden = !chosen;
    const refField = item.querySelector<HTMLElement>('.covariate-reference');
    const select = item.querySelector<HTMLSelectElement>('select');
    if (refField) refField.hidden = categorical === undefined;
    // The reference picker is filled only where it is shown (a wide file has thousands).
    if (refField && select && categorical !== undefined) {
      const levels = s.levels.get(name) ?? [];
      const value = categorical?.reference ?? levels[0] ?? '';
      const list = levels.includes(value) || value === '' ? levels : [...levels, value];
      fillSelect(select, options(list.map((l) => [l, l])), value);
    }
    if (column?.kind === 'text' && asCategories) asCategories.disabled = true;
  }
  ui.cluster.fill(columns, settings.cluster, true);
  ui.ties.value = settings.ties;
}

/** One covariate: its checkbox; once chosen, "as categories" (numbers) and the reference level. */
function covariateItem(s: State, column: ColumnInfo, k: number): HTMLElement {
  const name = column.name;
  const pick = el('input', { type: 'checkbox', id: `covariate-${k}`, class: 'covariate-pick', value: name });
  pick.addEventListener('change', () => guard(() => toggleCovariate(s, column, pick.checked)));
  const categories = el('input', { type: 'checkbox', id: `covariate-${k}-categorical`, class: 'covariate-categorical' });
  categories.addEventListener('change', () => guard(() => setCategorical(s, name, categories.checked)));
  const reference = el('select', { id: `covariate-${k}-reference` });
  reference.addEventListener('change', () => {
    const entry = s.settings.categorical.find((c) => c.variable === name);
    if (entry) entry.reference = reference.value;
    changed(s);
  });
  const label = column.kind === 'text' ? 'categories' : 'as categories';
  return el(
    'div',
    { class: 'covariate', 'data-column': name },
    el(
      'div',
      { class: 'check' },
      pick,
      // The kind is shown for sighted users; for everyone, text columns say "categories" below.
      el('label', { for: pick.id }, name, el('span', { class: 'kind', 'aria-hidden': 'true' }, ` ${column.kind}`)),
    ),
    el(
      'div',
      { class: 'covariate-options', hidden: true },
      el('div', { class: 'check' }, categories, el('label', { for: categories.id }, label, el('span', { class: 'visually-hidden' }, ` (${name})`))),
      el(
        'div',
        { class: 'covariate-reference' },
        el('label', { for: reference.id }, 'reference', el('span', { class: 'visually-hidden' }, ` level of ${name}`)),
        reference,
      ),
    ),
  );
}

function syncOptions(s: State): void {
  const { settings, columns } = s;
  setInputValue(ui.landmarks, settings.landmarks.join(', '));
  setInputValue(ui.confLevel, String(settings.conf_level));
  setInputValue(ui.tau, settings.tau === null ? '' : String(settings.tau));
  ui.timeUnitLabel.value = settings.time_unit ?? '';
  ui.convention.value = settings.convention;
  ui.confType.value = settings.conf_type ?? NONE;
  ui.weight.fill(columns, settings.weight, true);
  ui.pStyle.value = settings.p_style.style;
  if (settings.p_style.style === 'digits') setInputValue(ui.pDigits, String(settings.p_style.digits));
  ui.pDigits.disabled = settings.p_style.style !== 'digits';
  const automatic = settings.cohort === null;
  ui.cohortAuto.checked = automatic;
  const used = s.report?.cohort?.variables.map((v) => v.variable) ?? [];
  syncChecklist(
    ui.cohort,
    'cohort',
    columns.map((c) => ({ value: c.name, label: c.name })),
    new Set(settings.cohort ?? used),
    automatic,
    (column, on) => {
      const list = s.settings.cohort ?? [];
      // Keep the file's column order, which is the table's row order.
      const next = new Set(on ? [...list, column] : list.filter((c) => c !== column));
      s.settings.cohort = s.columns.map((c) => c.name).filter((c) => next.has(c));
      changed(s);
    },
    filters.cohort,
  );
}

/** The endpoint the figure options edit (undefined: every endpoint's, `settings.plot`). */
function scopedEndpoint(s: State): EndpointSpec | undefined {
  return s.plotScope === null ? undefined : s.settings.endpoints[s.plotScope];
}

/** The figure options in force for the scope: the shared ones, with the endpoint's own. */
function scopedPlot(s: State): PlotOptions {
  const own = scopedEndpoint(s)?.plot ?? {};
  return { ...s.settings.plot, ...own } as PlotOptions;
}

/** Sets a figure option for the scope. For one endpoint, null removes its own choice (its
 * figure then follows the shared option); for every endpoint, null is "automatic". */
function setPlot<K extends PlotKey>(s: State, key: K, value: PlotOptions[K] | null): void {
  const endpoint = scopedEndpoint(s);
  if (endpoint === undefined) {
    (s.settings.plot as Record<string, unknown>)[key] = value;
    return;
  }
  const own: PlotOverride = { ...(endpoint.plot ?? {}) };
  if (value === null) delete own[key];
  else own[key] = value as PlotOverride[K];
  if (Object.keys(own).length === 0) delete endpoint.plot;
  else endpoint.plot = own;
}

function syncFigure(s: State): void {
  const endpoints = s.settings.endpoints;
  if (s.plotScope !== null && s.plotScope >= endpoints.length) s.plotScope = null;
  fillSelect(
    ui.plotScope,
    [
      el('option', { value: '' }, 'every endpoint'),
      ...options(endpoints.map((e, i) => [String(i), `${e.name === '' ? `Endpoint ${i + 1}` : e.name} only${e.plot ? ' (own options)' : ''}`])),
    ],
    s.plotScope === null ? '' : String(s.plotScope),
  );
  const own = scopedEndpoint(s)?.plot;
  ui.plotScopeReset.hidden = own === undefined || own === null;
  const plot = scopedPlot(s);
  setInputValue(ui.plotTitle, plot.title ?? '');
  setInputValue(ui.plotXLabel, plot.x_label ?? '');
  setInputValue(ui.plotYLabel, plot.y_label ?? '');
  setInputValue(ui.plotXMax, plot.x_max === null || plot.x_max === undefined ? '' : String(plot.x_max));
  setInputValue(ui.plotXBreak, plot.x_break === null || plot.x_break === undefined ? '' : String(plot.x_break));
  for (const [input, key] of PLOT_SWITCHES) input.checked = plot[key] === true;
  ui.swimmerLabel.fill(s.columns, s.settings.swimmer_label, true, '(the file row)');
  const order = groupOrder(s);
  ui.legendFieldset.hidden = order.length === 0;
  rebuild(ui.legendLabels, order.join('\u0001'), () =>
    order.map((level, i) => {
      const input = el('input', { type: 'text', id: `legend-${i}`, autocomplete: 'off', placeholder: level, 'aria-label': `Legend label for ${level}` });
      input.addEventListener('change', () => {
        const legend = [...scopedPlot(s).legend];
        while (legend.length < order.length) legend.push('');
        legend[i] = input.value.trim();
        setPlot(s, 'legend', trimLegend(legend));
        changed(s);
      });
      return el('div', { class: 'field legend-field' }, el('label', { for: input.id, 'aria-hidden': 'true' }, level), input);
    }),
  );
  order.forEach((_, i) => {
    const input = document.getElementById(`legend-${i}`);
    if (input instanceof HTMLInputElement) setInputValue(input, plot.legend[i] ?? '');
  });
}

/** Drops trailing empty legend entries, so that "no labels" is saved as []. */
function trimLegend(legend: string[]): string[] {
  const out = [...legend];
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Controls: from the form to the settings

function selectedValues(select: HTMLSelectElement): string[] {
  return Array.from(select.selectedOptions, (o) => o.value);
}

/** Reads the landmark text ("3, 6, 12"); throws with a message for anything not a number. */
function parseLandmarks(text: string): number[] {
  const parts = text.split(/[,;\s]+/).filter((p) => p !== '');
  return parts.map((p) => {
    const value = Number(p);
    if (!Number.isFinite(value)) throw new Error(`Landmark times: "${p}" is not a number (write e.g. "3, 6, 12").`);
    return value;
  });
}

const nullable = (value: string): string | null => (value === NONE ? null : value);

/** The endpoint the controls edit; with none (no endpoint was guessed), the first edit makes one. */
function editedEndpoint(s: State): EndpointSpec {
  let endpoint = s.settings.endpoints[s.current];
  if (endpoint === undefined) {
    endpoint = { name: ENDPOINT_NAME, time: ui.time.value, event: ui.event.value, event_values: [] };
    s.settings.endpoints.push(endpoint);
    s.current = s.settings.endpoints.length - 1;
  }
  return endpoint;
}

function editDates(s: State, edit: (dates: DateEndpoint) => void): void {
  const endpoint = editedEndpoint(s);
  if (!endpoint.dates) return;
  edit(endpoint.dates);
  Object.assign(endpoint, dateLabels(endpoint.name, endpoint.dates.unit));
  changed(s);
}

function setDerive(s: State, on: boolean): void {
  const endpoint = editedEndpoint(s);
  if (on && !endpoint.dates) {
    s.columnBackup.set(endpoint, { time: endpoint.time, event: endpoint.event, event_values: endpoint.event_values });
    endpoint.dates = newDateEndpoint(s.columns);
    Object.assign(endpoint, dateLabels(endpoint.name, endpoint.dates.unit), { event_values: [] });
  } else if (!on && endpoint.dates) {
    delete endpoint.dates;
    const first = s.guessed.endpoints[0];
    const backup = s.columnBackup.get(endpoint) ?? {
      time: first?.time ?? '',
      event: first?.event ?? '',
      event_values: [],
    };
    Object.assign(endpoint, backup);
  }
  changed(s);
}

function addEndpoint(s: State): void {
  const base = s.settings.endpoints[s.current];
  const n = s.settings.endpoints.length + 1;
  const name = `Endpoint ${n}`;
  const endpoint: EndpointSpec = {
    name,
    time: base?.time ?? s.columns[0]?.name ?? '',
    event: base?.event ?? s.columns[0]?.name ?? '',
    event_values: [...(base?.event_values ?? [])],
  };
  if (base?.dates) {
    endpoint.dates = structuredClone(base.dates);
    Object.assign(endpoint, dateLabels(name, base.dates.unit));
  }
  s.settings.endpoints.push(endpoint);
  s.current = s.settings.endpoints.length - 1;
  changed(s);
  ui.endpointName.focus();
}

function removeEndpoint(s: State): void {
  if (s.settings.endpoints.length <= 1) return;
  s.settings.endpoints.splice(s.current, 1);
  s.current = Math.max(0, s.current - 1);
  changed(s);
}

/** Sets the group order (null: the core's), carrying each level's legend label along. */
function setGroupOrder(s: State, order: string[] | null): void {
  const before = groupOrder(s);
  const labels = new Map(before.map((level, i) => [level, s.settings.plot.legend[i] ?? '']));
  s.settings.group_levels = order;
  s.settings.plot.legend = trimLegend(groupOrder(s).map((level) => labels.get(level) ?? ''));
  changed(s);
}

function moveLevel(s: State, from: number, to: number): void {
  const order = [...groupOrder(s)];
  if (to < 0 || to >= order.length) return;
  const [level] = order.splice(from, 1);
  if (level === undefined) return;
  order.splice(to, 0, level);
  setGroupOrder(s, order);
}

async function setGroup(s: State, group: string | null): Promise<void> {
  const { settings } = s;
  settings.group = group;
  // The order, reference and legend labels were the old group's levels.
  settings.group_levels = null;
  settings.reference = null;
  settings.plot.legend = [];
  await ensureLevels(s);
  changed(s);
}

function setTest(s: State, test: ExtraTest | null, name: ExtraTest['test']): void {
  const tests = s.settings.tests.filter((t) => t.test !== name);
  if (test !== null) tests.push(test);
  s.settings.tests = tests;
  changed(s);
}

function readFlemingHarrington(): ExtraTest {
  const p = readNumber(ui.fhP, 'Fleming–Harrington p') ?? 0;
  const q = readNumber(ui.fhQ, 'Fleming–Harrington q') ?? 0;
  return { test: 'fleming-harrington', p, q };
}

async function toggleCovariate(s: State, column: ColumnInfo, on: boolean): Promise<void> {
  const { settings } = s;
  const name = column.name;
  const chosen = new Set(on ? [...settings.covariates, name] : settings.covariates.filter((c) => c !== name));
  // In the file's column order, as the model lists its terms.
  settings.covariates = s.columns.map((c) => c.name).filter((c) => chosen.has(c));
  if (!on) {
    settings.categorical = settings.categorical.filter((c) => c.variable !== name);
  } else if (column.kind === 'text' && !settings.categorical.some((c) => c.variable === name)) {
    // Text enters the model only as categories: against its first level unless chosen otherwise.
    await addCategorical(s, name);
  }
  changed(s);
}

async function addCategorical(s: State, name: string): Promise<void> {
  s.settings.categorical.push({ variable: name, reference: '' });
  await ensureLevels(s);
  const entry = s.settings.categorical.find((c) => c.variable === name);
  if (entry) entry.reference = s.levels.get(name)?.[0] ?? '';
}

async function setCategorical(s: State, name: string, on: boolean): Promise<void> {
  if (on) {
    if (!s.settings.categorical.some((c) => c.variable === name)) await addCategorical(s, name);
  } else {
    s.settings.categorical = s.settings.categorical.filter((c) => c.variable !== name);
  }
  changed(s);
}

/** Applies a settings file the user chose, unless it names columns the file does not have. */
async function loadSettingsFile(s: State, file: File): Promise<void> {
  let loaded: Settings;
  try {
    loaded = await engine.call('parseSettings', { text: await file.text() });
  } catch (error) {
    if (error instanceof EngineCrash) throw error;
    showError(`Could not load ${file.name}: ${messageOf(error)}. The previous settings are kept.`);
    return;
  }
  const input = loaded.input;
  if (input && !isAutoRead(input) && JSON.stringify({ ...AUTO_READ, ...(s.source.options ?? {}) }) !== JSON.stringify({ ...AUTO_READ, ...input, sheet: undefined })) {
    // The file says how the data was read: read it that way, then apply it.
    const { sheet, ...options } = input;
    await openData({ ...s.source, sheet: sheet ?? s.source.sheet, options: { ...AUTO_READ, ...options } }, loaded);
    showNotice(`Settings loaded from ${file.name}; the file was read again as they say.`);
    return;
  }
  const missing = missingColumns(loaded, s.columns);
  if (missing.length > 0) {
    const list = missing.map((c) => `"${c}"`).join(', ');
    showError(
      `${file.name} names ${missing.length === 1 ? 'a column' : 'columns'} that ${s.source.fileName} does not have: ${list}. ` +
        'The previous settings are kept.',
    );
    return;
  }
  s.settings = loaded;
  recordInput(s); // the file is read as it is now
  s.current = 0;
  s.plotScope = null;
  await ensureLevels(s);
  changed(s);
  showNotice(`Settings loaded from ${file.name}.`);
}

async function startOver(): Promise<void> {
  forgetSettings();
  SECTIONS.forEach((section, i) => {
    section.open = SECTIONS_OPEN[i] ?? false;
  });
  await openExample();
  showNotice('Started over: the example data with the default settings.');
}

function download(s: State): void {
  if (s.report === null) return;
  guard(() => saveExport(() => exportText({ kind: 'report' }), REPORT_FILE_NAME));
}

/** Wires a control: on change, `apply` edits the settings (or throws a message), then re-runs. */
function onChange(control: HTMLElement | ColumnPicker, apply: (s: State) => void | Promise<void>): void {
  listen(control, 'change', () =>
    guard(async () => {
      const s = state;
      if (s === null) return;
      try {
        await apply(s);
      } catch (error) {
        if (error instanceof EngineCrash) throw error;
        invalid(s, messageOf(error));
        return;
      }
      changed(s);
    }),
  );
}

/** Runs `handler` on an event of a control (a column picker's 'change': the user chose). */
function listen(control: HTMLElement | ColumnPicker, type: string, handler: () => void): void {
  if (control instanceof ColumnPicker) {
    if (type !== 'change') throw new Error(`a column picker has no ${type} event`);
    control.onChange(handler);
  } else {
    control.addEventListener(type, handler);
  }
}

/** Like `onChange`, for handlers that re-run themselves (or do not change a setting). */
function onEvent(control: HTMLElement | ColumnPicker, type: string, action: (s: State) => unknown): void {
  listen(control, type, () =>
    guard(() => {
      const s = state;
      return s === null ? undefined : action(s);
    }),
  );
}

function wireEvents(): void {
  ui.form.addEventListener('submit', (event) => event.preventDefault());
  onEvent(ui.sheet, 'change', (s) => openData({ ...s.source, sheet: ui.sheet.value }));
  for (const [select] of READ_CHOICES) onEvent(select, 'change', reread);
  ui.print.addEventListener('click', () => window.print());

  // Endpoints
  onEvent(ui.endpoint, 'change', (s) => {
    s.current = Number(ui.endpoint.value);
    syncControls(s); // choosing which endpoint to edit changes no setting
  });
  onEvent(ui.addEndpoint, 'click', addEndpoint);
  onEvent(ui.removeEndpoint, 'click', removeEndpoint);
  onChange(ui.endpointName, (s) => {
    const endpoint = editedEndpoint(s);
    endpoint.name = ui.endpointName.value.trim() || `Endpoint ${s.current + 1}`;
    if (endpoint.dates) Object.assign(endpoint, dateLabels(endpoint.name, endpoint.dates.unit));
  });
  onEvent(ui.deriveDates, 'change', (s) => setDerive(s, ui.deriveDates.checked));
  onChange(ui.time, (s) => {
    editedEndpoint(s).time = ui.time.value;
  });
  onChange(ui.event, (s) => {
    const endpoint = editedEndpoint(s);
    endpoint.event = ui.event.value;
    endpoint.event_values = [];
  });
  onChange(ui.eventValue, (s) => {
    editedEndpoint(s).event_values = selectedValues(ui.eventValue);
  });
  onEvent(ui.startDate, 'change', (s) => editDates(s, (d) => void (d.start = ui.startDate.value)));
  onEvent(ui.lastContact, 'change', (s) => editDates(s, (d) => void (d.last_contact = nullable(ui.lastContact.value))));
  onEvent(ui.timeUnit, 'change', (s) => editDates(s, (d) => void (d.unit = ui.timeUnit.value as TimeUnit)));
  onEvent(ui.dateOrder, 'change', (s) => editDates(s, (d) => void (d.date_order = ui.dateOrder.value as DateOrder)));
  onEvent(ui.cutoff, 'change', (s) => editDates(s, (d) => void (d.cutoff = ui.cutoff.value === '' ? null : ui.cutoff.value)));
  onEvent(ui.derivationDownload, 'click', (s) =>
    saveExport(() => exportText({ kind: 'derivation', endpoint: s.current }), `survcalc-derivation-${s.current + 1}.csv`),
  );

  // Rows to analyse
  onEvent(ui.addCondition, 'click', addCondition);

  // Comparison
  onEvent(ui.group, 'change', (s) => setGroup(s, nullable(ui.group.value)));
  onEvent(ui.groupOrderReset, 'click', (s) => setGroupOrder(s, null));
  onChange(ui.reference, (s) => {
    s.settings.reference = nullable(ui.reference.value);
  });
  onChange(ui.strata, (s) => {
    s.settings.strata = nullable(ui.strata.value);
  });
  for (const [input, name] of TEST_SWITCHES) {
    onEvent(input, 'change', (s) => setTest(s, input.checked ? ({ test: name } as ExtraTest) : null, name));
  }
  onChange(ui.testFh, (s) => {
    s.settings.tests = s.settings.tests.filter((t) => t.test !== 'fleming-harrington');
    if (ui.testFh.checked) s.settings.tests.push(readFlemingHarrington());
  });
  for (const input of [ui.fhP, ui.fhQ]) {
    onChange(input, (s) => {
      const test = readFlemingHarrington();
      s.settings.tests = s.settings.tests.map((t) => (t.test === 'fleming-harrington' ? test : t));
    });
  }
  onChange(ui.pairwise, (s) => {
    s.settings.pairwise = ui.pairwise.checked;
  });

  // Response
  onChange(ui.response, (s) => {
    s.settings.response = nullable(ui.response.value);
  });
  onChange(ui.responseDenominator, (s) => {
    s.settings.response_denominator = ui.responseDenominator.value as Denominator;
  });
  onChange(ui.responseInterval, (s) => {
    s.settings.response_interval = ui.responseInterval.value as IntervalMethod;
  });
  onChange(ui.waterfall, (s) => {
    s.settings.waterfall = nullable(ui.waterfall.value);
  });

  // Cox model
  onChange(ui.cluster, (s) => {
    s.settings.cluster = nullable(ui.cluster.value);
  });
  onChange(ui.ties, (s) => {
    s.settings.ties = ui.ties.value as Ties;
  });

  // Options
  onChange(ui.landmarks, (s) => {
    s.settings.landmarks = parseLandmarks(ui.landmarks.value);
  });
  onChange(ui.confLevel, (s) => {
    const level = readNumber(ui.confLevel, 'Confidence level');
    if (level === null) throw new Error('Confidence level: write a number between 0 and 1, e.g. 0.95.');
    s.settings.conf_level = level;
  });
  onChange(ui.tau, (s) => {
    s.settings.tau = readNumber(ui.tau, 'τ for RMST');
  });
  onChange(ui.timeUnitLabel, (s) => {
    s.settings.time_unit = ui.timeUnitLabel.value === '' ? null : (ui.timeUnitLabel.value as TimeUnit);
  });
  onChange(ui.convention, (s) => {
    s.settings.convention = ui.convention.value as Convention;
  });
  onChange(ui.confType, (s) => {
    s.settings.conf_type = nullable(ui.confType.value) as ConfType | null;
  });
  onChange(ui.weight, (s) => {
    s.settings.weight = nullable(ui.weight.value);
  });
  const readPStyle = (): PStyle => {
    const style = ui.pStyle.value as PStyle['style'];
    if (style !== 'digits') return { style };
    const digits = readNumber(ui.pDigits, 'p decimals') ?? 3;
    if (!Number.isInteger(digits) || digits < 1) throw new Error('p decimals: write a whole number, 1 or more.');
    return { style, digits };
  };
  onChange(ui.pStyle, (s) => {
    s.settings.p_style = readPStyle();
  });
  onChange(ui.pDigits, (s) => {
    s.settings.p_style = readPStyle();
  });
  onChange(ui.cohortAuto, (s) => {
    // Unticked: start from the variables the core chose, so the table does not change yet.
    s.settings.cohort = ui.cohortAuto.checked ? null : (s.report?.cohort?.variables.map((v) => v.variable) ?? []);
  });

  // Figure
  onEvent(ui.plotScope, 'change', (s) => {
    s.plotScope = ui.plotScope.value === '' ? null : Number(ui.plotScope.value);
    syncFigure(s); // choosing whose options to edit changes no setting
  });
  onEvent(ui.plotScopeReset, 'click', (s) => {
    const endpoint = scopedEndpoint(s);
    if (endpoint === undefined) return;
    delete endpoint.plot;
    changed(s);
    ui.plotScope.focus();
  });
  const text = (input: HTMLInputElement): string | null => (input.value.trim() === '' ? null : input.value.trim());
  onChange(ui.plotTitle, (s) => setPlot(s, 'title', text(ui.plotTitle)));
  onChange(ui.plotXLabel, (s) => setPlot(s, 'x_label', text(ui.plotXLabel)));
  onChange(ui.plotYLabel, (s) => setPlot(s, 'y_label', text(ui.plotYLabel)));
  onChange(ui.plotXMax, (s) => setPlot(s, 'x_max', readNumber(ui.plotXMax, 'X-axis maximum')));
  onChange(ui.plotXBreak, (s) => {
    const step = readNumber(ui.plotXBreak, 'X-axis tick step');
    if (step !== null && !(step > 0)) throw new Error('X-axis tick step: write a number above 0, or leave it empty.');
    setPlot(s, 'x_break', step);
  });
  onChange(ui.swimmerLabel, (s) => {
    s.settings.swimmer_label = nullable(ui.swimmerLabel.value);
  });
  for (const [input, key] of PLOT_SWITCHES) {
    onChange(input, (s) => setPlot(s, key, input.checked));
  }

  // Settings file and downloads
  onEvent(ui.saveSettings, 'click', (s) => saveText(`${JSON.stringify(s.settings, null, 2)}\n`, SETTINGS_FILE_NAME));
  ui.loadSettings.addEventListener('change', () => {
    const file = ui.loadSettings.files?.[0];
    ui.loadSettings.value = ''; // so that choosing the same file again reloads it
    const s = state;
    if (file && s) guard(() => loadSettingsFile(s, file));
  });
  ui.startOver.addEventListener('click', () => guard(startOver));
  onEvent(ui.download, 'click', download);
  ui.file.addEventListener('change', () => {
    const file = ui.file.files?.[0];
    ui.file.value = ''; // so that choosing the same file again reloads it
    if (file) guard(() => openFile(file));
  });

  // Drag and drop anywhere on the page.
  let depth = 0;
  const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
  window.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth += 1;
    ui.drop.hidden = false;
  });
  window.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('dragleave', (event) => {
    if (!hasFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) ui.drop.hidden = true;
  });
  window.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth = 0;
    ui.drop.hidden = true;
    const file = event.dataTransfer?.files[0];
    if (file) guard(() => openFile(file));
  });
}

async function main(): Promise<void> {
  engine = new Engine(onEngineRestart, onEngineGiveUp);
  wireEvents();
  try {
    await engine.call('ping', {});
  } catch (error) {
    showError(`survcalc could not start its calculation engine (WebAssembly): ${messageOf(error)}`);
    return;
  }
  ui.file.disabled = false;
  try {
    await openExample();
  } catch (error) {
    if (!(error instanceof EngineCrash)) showError(`Could not load the example: ${messageOf(error)}. Open a data file to start.`);
  }
  // Only now: the offline copy's downloads do not compete with the first result.
  registerServiceWorker();
}

void main();
