// survcalc page: opens a CSV/TSV from disk (or the bundled synthetic example), lets the user
// assign column roles, and shows what the Rust core (WebAssembly) computes. All statistics and
// all number formatting happen in the core; this module moves bytes and places text.
import init, { Workspace } from '../pkg/survcalc.js';
import { byId, el, messageOf } from './dom.js';
import { renderFigure, renderTable } from './render.js';
import type { ColumnInfo, ConfType, Convention, Report, Settings, WorkspaceApi } from './types.js';

const EXAMPLE_URL = 'example/netg3_example.csv';
const REPORT_FILE_NAME = 'survcalc-report.json';
/** The name the core and the CLI give an endpoint by default. */
const ENDPOINT_NAME = 'Survival';

const ui = {
  file: byId('file', HTMLInputElement),
  download: byId('download', HTMLButtonElement),
  source: byId('source', HTMLElement),
  alert: byId('alert', HTMLElement),
  form: byId('settings', HTMLFormElement),
  endpoint: byId('endpoint', HTMLSelectElement),
  endpointName: byId('endpoint-name', HTMLInputElement),
  addEndpoint: byId('add-endpoint', HTMLButtonElement),
  removeEndpoint: byId('remove-endpoint', HTMLButtonElement),
  time: byId('time', HTMLSelectElement),
  event: byId('event', HTMLSelectElement),
  eventValue: byId('event-value', HTMLSelectElement),
  eventValueHint: byId('event-value-hint', HTMLElement),
  group: byId('group', HTMLSelectElement),
  response: byId('response', HTMLSelectElement),
  landmarks: byId('landmarks', HTMLInputElement),
  confType: byId('conf-type', HTMLSelectElement),
  confLevel: byId('conf-level', HTMLSelectElement),
  convention: byId('convention', HTMLSelectElement),
  sheetField: byId('sheet-field', HTMLElement),
  sheet: byId('sheet', HTMLSelectElement),
  empty: byId('empty', HTMLElement),
  results: byId('results', HTMLElement),
  stale: byId('stale', HTMLElement),
  figures: byId('figures', HTMLElement),
  tables: byId('tables', HTMLElement),
  warnings: byId('warnings', HTMLElement),
  drop: byId('drop', HTMLElement),
};

interface State {
  workspace: WorkspaceApi;
  /** The file's bytes, kept to re-read another sheet of a workbook. */
  bytes: Uint8Array;
  fileName: string;
  example: boolean;
  /** Sheet names of a workbook (empty for CSV/TSV) and the one read. */
  sheets: string[];
  sheet: string | null;
  columns: ColumnInfo[];
  settings: Settings;
  /** Index of the endpoint the Time/Event pickers edit. */
  current: number;
  /** The report on screen, if any, and whether it still matches the settings. */
  report: Report | null;
  stale: boolean;
}

let state: State | null = null;
let runs = 0;

// ---------------------------------------------------------------------------------------------
// Messages

function showError(message: string): void {
  ui.alert.textContent = message;
}

function clearError(): void {
  ui.alert.textContent = '';
}

function showSource(fileName: string, example: boolean, sheet: string | null): void {
  ui.source.replaceChildren();
  if (example) {
    ui.source.classList.add('example');
    ui.source.append(
      el('strong', {}, 'Example data: '),
      'this is a synthetic cohort (invented patients, not real data) of lines of treatment for ' +
        'high-grade (G3) neuroendocrine tumours, file ',
      el('code', {}, fileName),
      '. Open your own file to analyse it.',
    );
  } else {
    ui.source.classList.remove('example');
    ui.source.append('Analysing ', el('code', {}, fileName));
    if (sheet !== null) ui.source.append(', sheet ', el('code', {}, sheet));
    ui.source.append(', read on this computer; nothing is uploaded.');
  }
}

// ---------------------------------------------------------------------------------------------
// Controls

const NONE = '';

function columnOption(column: ColumnInfo): HTMLOptionElement {
  const label = column.name === '' ? `(column ${column.letter})` : column.name;
  const option = el('option', { value: column.name }, `${label} (${column.letter}, ${column.kind})`);
  return option;
}

function fillColumnSelect(select: HTMLSelectElement, columns: ColumnInfo[], value: string | null, allowNone: boolean): void {
  select.replaceChildren();
  if (allowNone) select.append(el('option', { value: NONE }, '(none)'));
  else if (value === null) select.append(el('option', { value: NONE, disabled: true }, '(choose a column)'));
  for (const column of columns) select.append(columnOption(column));
  if (value !== null && !columns.some((c) => c.name === value)) {
    // A setting naming a column the file does not have: keep it visible rather than silently
    // switching columns; the core will report it.
    select.append(el('option', { value }, `${value} (not in file)`));
  }
  select.value = value ?? NONE;
}

function syncControls(s: State): void {
  const { settings, columns } = s;
  const endpoints = settings.endpoints;
  if (s.current >= endpoints.length) s.current = Math.max(0, endpoints.length - 1);
  const endpoint = endpoints[s.current];

  ui.sheetField.hidden = s.sheets.length <= 1;
  ui.sheet.replaceChildren(...s.sheets.map((name) => el('option', { value: name }, name)));
  if (s.sheet !== null) ui.sheet.value = s.sheet;

  ui.endpoint.replaceChildren(
    ...endpoints.map((e, i) => el('option', { value: String(i) }, e.name === '' ? `Endpoint ${i + 1}` : e.name)),
  );
  ui.endpoint.value = String(s.current);
  ui.endpoint.disabled = endpoints.length <= 1;
  ui.removeEndpoint.disabled = endpoints.length <= 1;
  ui.endpointName.value = endpoint?.name ?? '';

  fillColumnSelect(ui.time, columns, endpoint?.time ?? null, false);
  fillColumnSelect(ui.event, columns, endpoint?.event ?? null, false);
  syncEventValues(s);
  fillColumnSelect(ui.group, columns, settings.group, true);
  fillColumnSelect(ui.response, columns, settings.response, true);
  ui.landmarks.value = settings.landmarks.join(', ');
  ui.confType.value = settings.conf_type ?? NONE;
  ui.convention.value = settings.convention;
  const level = String(settings.conf_level);
  if (!Array.from(ui.confLevel.options).some((o) => o.value === level)) {
    ui.confLevel.append(el('option', { value: level }, level));
  }
  ui.confLevel.value = level;
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
  ui.eventValue.replaceChildren(
    ...values.map((v) => {
      const option = el('option', { value: v }, v === '' ? '(empty)' : v);
      option.selected = selected.has(v);
      return option;
    }),
  );
  ui.eventValue.size = Math.min(Math.max(values.length, 2), 5);
  const hints: string[] = [];
  if (chosen.length === 0) hints.push('None chosen: survcalc picks the event coding (1 for 0/1, 2 for 1/2).');
  if (column?.distinct_truncated) hints.push('Only the first values are listed.');
  ui.eventValueHint.textContent = hints.join(' ');
}

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

// ---------------------------------------------------------------------------------------------
// Analysis and results

function analyze(s: State): boolean {
  try {
    const report = s.workspace.analyze(s.settings);
    s.report = report;
    s.stale = false;
    clearError();
    render(s);
    return true;
  } catch (error) {
    s.stale = s.report !== null;
    // The core's message names the file, row, column and value.
    showError(`The analysis failed: ${messageOf(error)}`);
    markStale(s);
    return false;
  } finally {
    runs += 1;
    document.body.dataset.runs = String(runs);
  }
}

function markStale(s: State): void {
  ui.results.classList.toggle('stale', s.stale);
  ui.stale.hidden = !s.stale;
  ui.empty.hidden = s.report !== null;
  ui.download.disabled = s.report === null;
}

function render(s: State): void {
  const report = s.report;
  ui.figures.replaceChildren();
  ui.tables.replaceChildren();
  ui.warnings.replaceChildren();
  if (report === null) {
    markStale(s);
    return;
  }
  const ws = s.workspace;
  report.endpoints.forEach((endpoint, i) => {
    const n = i + 1;
    try {
      ui.figures.append(
        renderFigure(`Kaplan–Meier estimate: ${endpoint.name}`, ws.km_svg(i), [
          exportButton('SVG', `Download the ${endpoint.name} Kaplan–Meier figure (SVG)`, () => ws.km_svg(i), `survcalc-km-${n}.svg`),
          exportButton('Steps (CSV)', `Download the ${endpoint.name} Kaplan–Meier steps (CSV)`, () => ws.steps_csv(i), `survcalc-km-steps-${n}.csv`),
        ]),
      );
      const forest = ws.forest_svg(i);
      if (typeof forest === 'string') {
        ui.figures.append(
          renderFigure(`Hazard ratios: ${endpoint.name}`, forest, [
            exportButton('SVG', `Download the ${endpoint.name} forest plot (SVG)`, () => forest, `survcalc-forest-${n}.svg`),
          ]),
        );
      }
    } catch (error) {
      ui.figures.append(el('p', { class: 'plot-error' }, `No plot for ${endpoint.name}: ${messageOf(error)}`));
    }
  });
  for (const table of report.display.tables) {
    ui.tables.append(
      renderTable(table, [
        exportButton('CSV', `Download the table "${table.title}" (CSV)`, () => ws.table_csv(table.id), `survcalc-${table.id}.csv`),
      ]),
    );
  }
  const warnings = report.warnings ?? [];
  if (warnings.length > 0) {
    ui.warnings.append(el('h2', {}, 'Warnings'), el('ul', {}, ...warnings.map((w) => el('li', {}, w))));
  }
  syncEventValues(s);
  markStale(s);
  document.body.dataset.ready = '1';
}

// ---------------------------------------------------------------------------------------------
// Opening data

interface Source {
  bytes: Uint8Array;
  fileName: string;
  example: boolean;
  /** For a workbook: the sheet to read; null reads the first. */
  sheet: string | null;
}

/** Reads a file (or another sheet of the current workbook). If it cannot be read, nothing changes:
 * the previous file, settings and results stay as they were. */
function openData({ bytes, fileName, example, sheet }: Source): void {
  let workspace: WorkspaceApi | null = null;
  let columns: ColumnInfo[];
  let settings: Settings;
  let sheets: string[];
  let sheetRead: string | null;
  try {
    workspace = (
      sheet === null ? Workspace.open(bytes, fileName) : Workspace.open_sheet(bytes, fileName, sheet)
    ) as unknown as WorkspaceApi;
    columns = workspace.columns();
    settings = workspace.guess_settings();
    const detected = workspace.detected();
    sheets = detected.sheets ?? [];
    sheetRead = detected.sheet ?? null;
  } catch (error) {
    workspace?.free();
    showError(`Could not open the file: ${messageOf(error)}`);
    return;
  }
  state?.workspace.free();
  state = { workspace, bytes, fileName, example, sheets, sheet: sheetRead, columns, settings, current: 0, report: null, stale: false };
  showSource(fileName, example, sheetRead);
  // Clear the previous file's results before analysing: they no longer match the controls.
  render(state);
  syncControls(state);
  analyze(state);
}

async function openFile(file: File): Promise<void> {
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    openData({ bytes, fileName: file.name, example: false, sheet: null });
  } catch (error) {
    showError(`Could not read ${file.name}: ${messageOf(error)}`);
  }
}

async function openExample(): Promise<void> {
  const response = await fetch(EXAMPLE_URL);
  if (!response.ok) throw new Error(`the example data could not be loaded (HTTP ${response.status})`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  openData({ bytes, fileName: EXAMPLE_URL.split('/').pop() ?? EXAMPLE_URL, example: true, sheet: null });
}

// ---------------------------------------------------------------------------------------------
// Events

function onSettingsChange(target: EventTarget | null): void {
  const s = state;
  if (s === null) return;
  const { settings } = s;
  const editsEndpoint = ([ui.endpointName, ui.time, ui.event, ui.eventValue] as EventTarget[]).includes(target as EventTarget);
  if (editsEndpoint && settings.endpoints.length === 0) {
    // No endpoint was guessed from the headers: the first pick starts one.
    settings.endpoints.push({ name: ENDPOINT_NAME, time: ui.time.value, event: ui.event.value, event_values: [] });
    s.current = 0;
  }
  const endpoint = settings.endpoints[s.current];
  switch (target) {
    case ui.sheet:
      openData({ bytes: s.bytes, fileName: s.fileName, example: s.example, sheet: ui.sheet.value });
      return;
    case ui.endpoint:
      s.current = Number(ui.endpoint.value);
      syncControls(s);
      return; // choosing which endpoint to edit changes no setting
    case ui.endpointName:
      if (endpoint) endpoint.name = ui.endpointName.value.trim() || `Endpoint ${s.current + 1}`;
      break;
    case ui.time:
      if (endpoint) endpoint.time = ui.time.value;
      break;
    case ui.event:
      if (endpoint) {
        endpoint.event = ui.event.value;
        endpoint.event_values = [];
      }
      break;
    case ui.eventValue:
      if (endpoint) endpoint.event_values = selectedValues(ui.eventValue);
      break;
    case ui.group:
      settings.group = ui.group.value === NONE ? null : ui.group.value;
      break;
    case ui.response:
      settings.response = ui.response.value === NONE ? null : ui.response.value;
      break;
    case ui.landmarks:
      try {
        settings.landmarks = parseLandmarks(ui.landmarks.value);
      } catch (error) {
        showError(messageOf(error));
        s.stale = s.report !== null;
        markStale(s);
        return;
      }
      break;
    case ui.confType:
      settings.conf_type = ui.confType.value === NONE ? null : (ui.confType.value as ConfType);
      break;
    case ui.convention:
      settings.convention = ui.convention.value as Convention;
      break;
    case ui.confLevel:
      settings.conf_level = Number(ui.confLevel.value);
      break;
    default:
      return;
  }
  analyze(s);
  syncControls(s);
}

function addEndpoint(): void {
  const s = state;
  if (s === null) return;
  const base = s.settings.endpoints[s.current];
  const n = s.settings.endpoints.length + 1;
  s.settings.endpoints.push({
    name: `Endpoint ${n}`,
    time: base?.time ?? s.columns[0]?.name ?? '',
    event: base?.event ?? s.columns[0]?.name ?? '',
    event_values: [...(base?.event_values ?? [])],
  });
  s.current = s.settings.endpoints.length - 1;
  analyze(s);
  syncControls(s);
  ui.endpointName.focus();
}

function removeEndpoint(): void {
  const s = state;
  if (s === null || s.settings.endpoints.length <= 1) return;
  s.settings.endpoints.splice(s.current, 1);
  s.current = Math.max(0, s.current - 1);
  analyze(s);
  syncControls(s);
}

const MIME_TYPES: Record<string, string> = {
  json: 'application/json',
  csv: 'text/csv',
  svg: 'image/svg+xml',
};

/** Saves text the core produced as a file, through a Blob URL (nothing leaves the computer). */
function saveText(text: string, fileName: string): void {
  const extension = fileName.split('.').pop() ?? '';
  const url = URL.createObjectURL(new Blob([text], { type: MIME_TYPES[extension] ?? 'text/plain' }));
  const link = el('a', { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A small button that saves what `produce` returns (a core export) as `fileName`. */
function exportButton(text: string, label: string, produce: () => string, fileName: string): HTMLButtonElement {
  const button = el('button', { type: 'button', class: 'button small', 'aria-label': label }, text);
  button.addEventListener('click', () => {
    try {
      saveText(produce(), fileName);
    } catch (error) {
      showError(`Could not export ${fileName}: ${messageOf(error)}`);
    }
  });
  return button;
}

function download(): void {
  const s = state;
  if (s === null || s.report === null) return;
  try {
    saveText(s.workspace.report_json(), REPORT_FILE_NAME);
  } catch (error) {
    showError(`Could not write the report: ${messageOf(error)}`);
  }
}

function wireEvents(): void {
  ui.form.addEventListener('change', (event) => onSettingsChange(event.target));
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSettingsChange(document.activeElement);
  });
  ui.addEndpoint.addEventListener('click', addEndpoint);
  ui.removeEndpoint.addEventListener('click', removeEndpoint);
  ui.download.addEventListener('click', download);
  ui.file.addEventListener('change', () => {
    const file = ui.file.files?.[0];
    ui.file.value = ''; // so that choosing the same file again reloads it
    if (file) void openFile(file);
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
    if (file) void openFile(file);
  });
}

async function main(): Promise<void> {
  wireEvents();
  try {
    await init();
  } catch (error) {
    showError(`survcalc could not start its calculation engine (WebAssembly): ${messageOf(error)}`);
    return;
  }
  ui.file.disabled = false;
  try {
    await openExample();
  } catch (error) {
    showError(`Could not load the example: ${messageOf(error)}. Open a data file to start.`);
  }
}

void main();
