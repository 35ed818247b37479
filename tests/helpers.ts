// Shared fixtures for the end-to-end tests: every test also checks that the page logged no
// console errors or warnings, threw nothing, and requested nothing from another origin.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeXlsx } from './xlsx.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(ROOT, 'tests', 'fixtures');
export const SCREENSHOTS = join(ROOT, 'tests', 'screenshots');

export interface PageWatch {
  console: string[];
  requests: string[];
  wasmContentTypes: string[];
}

export const test = base.extend<{ watch: PageWatch }>({
  watch: [
    async ({ page, baseURL }, use) => {
      const watch: PageWatch = { console: [], requests: [], wasmContentTypes: [] };
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') watch.console.push(`${msg.type()}: ${msg.text()}`);
      });
      page.on('pageerror', (error) => watch.console.push(`pageerror: ${error.message}`));
      page.on('request', (request) => watch.requests.push(request.url()));
      page.on('response', (response) => {
        if (response.url().endsWith('.wasm')) watch.wasmContentTypes.push(response.headers()['content-type'] ?? '');
      });
      await use(watch);
      // After every test: a clean console, and no request left the page's origin (blob: URLs of
      // downloads are same-origin by construction).
      expect(watch.console, 'console errors or warnings').toEqual([]);
      const origin = new URL(baseURL ?? 'http://127.0.0.1/').origin;
      const foreign = watch.requests.filter((url) => !url.startsWith('blob:') && new URL(url).origin !== origin);
      expect(foreign, 'requests to other origins').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Opens the page and waits until the first analysis (the bundled example) is on screen. */
export async function openPage(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1');
}

/** The number of analyses the page has run so far (body[data-runs]). */
export async function runs(page: Page): Promise<number> {
  return Number((await page.locator('body').getAttribute('data-runs')) ?? '0');
}

/** Runs `action` and waits until the page has run at least one more analysis. */
export async function afterAnalysis(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await runs(page);
  await action();
  await expect.poll(() => runs(page)).toBeGreaterThan(before);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-full.png`), fullPage: true });
}

/** The text of every cell of the table with the given core id, row by row. */
export async function tableCells(page: Page, id: string): Promise<string[][]> {
  return page.locator(`table[data-table-id="${id}"] tbody tr`).evaluateAll((rows) =>
    rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => td.textContent ?? '')),
  );
}

/** The CLI built by scripts/test.sh (`cargo build --release --bin survcalc`). */
export function cliPath(): string {
  const exe = process.platform === 'win32' ? 'survcalc.exe' : 'survcalc';
  return join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'release', exe);
}

/** Opens a collapsible section of the settings panel (a <details> with this summary). */
export async function openSection(page: Page, name: string): Promise<void> {
  const exact = new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const section = page.locator('details.section').filter({ has: page.locator('summary', { hasText: exact }) });
  await expect(section).toHaveCount(1);
  if ((await section.getAttribute('open')) === null) await section.locator('summary').first().click();
  await expect(section).toHaveAttribute('open', '');
}

/** Reads CSV text (RFC 4180 quoting) into records of fields. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

/** R 4.2.2, survival 3.5-3: survfit(Surv(time, status) ~ x, data = aml), as the page's table
 * shows it (group, N, events, median with 95% CI). */
export const AML_BY_X = [
  ['Maintained', '11', '7', '31 (18–NR)'],
  ['Nonmaintained', '12', '11', '23 (8–NR)'],
  ['Overall', '23', '18', '27 (18–48)'],
];

/** tests/fixtures/aml.csv as a one-sheet .xlsx (whole numbers stored as numbers), for the file
 * input. */
export function amlWorkbook(): { name: string; mimeType: string; buffer: Buffer } {
  const rows = readFileSync(join(FIXTURES, 'aml.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((line, i) => line.split(',').map((v) => (i > 0 && /^\d+$/.test(v) ? Number(v) : v)));
  return {
    name: 'aml.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: makeXlsx([{ name: 'aml', rows }]),
  };
}

/** Opens tests/fixtures/aml.csv and picks its time, event and group columns. */
export async function openAmlByGroup(page: Page): Promise<void> {
  await afterAnalysis(page, () => page.getByLabel('Open data file').setInputFiles(join(FIXTURES, 'aml.csv')));
  await afterAnalysis(page, () => page.getByLabel('Time', { exact: true }).selectOption('time'));
  await afterAnalysis(page, () => page.getByLabel('Event', { exact: true }).selectOption('status'));
  await afterAnalysis(page, () => page.getByLabel('Group', { exact: true }).selectOption('x'));
}
