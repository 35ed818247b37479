// The hostile-input corpus (crate/tests/hostile/corpus.rs, written with its expected outcomes by
// `cargo run --example make_hostile`) through the page: each broken file gives a message with the
// file, row, column, value and a hint, and the data and settings open before it stay in use;
// HTML and script in headers and cells stay text everywhere; a trap in the core while a hostile
// file is read brings the previous file back. The 200 MB file runs only with HOSTILE_BIG=1.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { afterAnalysis, expect, openPage, ROOT, runs, tableCells, test } from './helpers.js';

interface Entry {
  file: string;
  about: string;
  settings: string;
  outcome: 'loads' | 'fails' | 'loads-or-limit';
  stage: 'open' | 'analysis' | null;
  kind: string | null;
  parts: string[];
  big: boolean;
  written: boolean;
  known_failing: string | null;
}

const CORPUS = join(ROOT, 'target', 'hostile');
const BIG = process.env.HOSTILE_BIG === '1';
// The payloads of html.csv (corpus.rs): each sets window.__hostile if it ever runs.
const IMG = '<img src=x onerror="window.__hostile=1">';
const SCRIPT = '<script>window.__hostile=2</script>';
const SVG = '</text><svg onload="window.__hostile=3">';

/** Writes the corpus (a few seconds; cargo builds the generator the first time). */
function makeCorpus(): Entry[] {
  const args = ['run', '--quiet', '--example', 'make_hostile', '--', CORPUS];
  if (BIG) args.push('--big');
  execFileSync('cargo', args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as Entry[];
}

// Read at collection time, so each file is its own test; written by the first test run.
const manifestPath = join(CORPUS, 'manifest.json');
const corpus: Entry[] = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Entry[]) : makeCorpus();

test.beforeAll(() => {
  test.setTimeout(600_000);
  makeCorpus(); // refresh: the expectations follow the Rust corpus
});

/** Nothing a payload could have injected: no element, no handler run. */
async function expectNoInjection(page: Page): Promise<void> {
  const found = await page.evaluate(() => ({
    flag: (window as unknown as { __hostile?: number }).__hostile ?? null,
    elements: document.querySelectorAll('img[src="x"], script:not([src]), [onerror], [onload]').length,
  }));
  expect(found).toEqual({ flag: null, elements: 0 });
}

/** The example's state before a file is fed: its table, a setting, its source line. */
async function snapshot(page: Page): Promise<{ cells: string[][]; group: string; source: string }> {
  return {
    cells: await tableCells(page, 'endpoint-0'),
    group: await page.getByLabel('Group', { exact: true }).inputValue(),
    source: (await page.locator('#source').textContent()) ?? '',
  };
}

/** The previous data and settings are still in use, and analysing again works. */
async function expectPreviousStillWorks(page: Page, before: { cells: string[][]; group: string; source: string }): Promise<void> {
  await expect(page.locator('#source')).toHaveText(before.source);
  await expect(page.getByLabel('Group', { exact: true })).toHaveValue(before.group);
  expect(await tableCells(page, 'endpoint-0')).toEqual(before.cells);
  await afterAnalysis(page, () => page.getByLabel('Median convention', { exact: true }).selectOption('sas'));
  await expect(page.locator('#alert')).toBeEmpty();
  expect((await tableCells(page, 'endpoint-0')).length).toBeGreaterThan(0);
}

function fileInput(entry: Entry) {
  const path = join(CORPUS, entry.file);
  return entry.big ? path : { name: entry.file, mimeType: 'application/octet-stream', buffer: readFileSync(path) };
}

async function loadSettings(page: Page, entry: Entry): Promise<void> {
  await page.getByLabel('Load settings').setInputFiles({
    name: entry.settings,
    mimeType: 'application/json',
    buffer: readFileSync(join(CORPUS, entry.settings)),
  });
}

async function expectAlertHas(page: Page, parts: string[]): Promise<void> {
  const alert = page.locator('#alert');
  await expect(alert).not.toBeEmpty({ timeout: 60_000 });
  for (const part of parts) await expect(alert).toContainText(part);
}

test.describe('the hostile corpus', () => {
  for (const entry of corpus) {
    test(`${entry.file}: ${entry.about}`, async ({ page }) => {
      test.skip(entry.known_failing !== null, `known to fail: ${entry.known_failing}`);
      test.skip(entry.big && !BIG, 'the 200 MB file runs with HOSTILE_BIG=1');
      test.setTimeout(entry.big ? 300_000 : 150_000);
      await openPage(page);
      const before = await snapshot(page);
      const open = page.getByLabel('Open data file');

      if (entry.outcome === 'fails' && entry.stage === 'open') {
        await open.setInputFiles(fileInput(entry));
        await expectAlertHas(page, entry.parts);
        await expectNoInjection(page);
        await expectPreviousStillWorks(page, before);
        return;
      }

      const started = await runs(page);
      await open.setInputFiles(fileInput(entry));
      if (entry.outcome === 'loads-or-limit') {
        // Either the new file's analysis appears, or a limit message with the previous data kept.
        await expect
          .poll(async () => (await runs(page)) > started || ((await page.locator('#alert').textContent()) ?? '') !== '', {
            timeout: entry.big ? 240_000 : 120_000,
          })
          .toBe(true);
        if ((await runs(page)) > started && (await page.locator('#source').textContent())?.includes(entry.file)) {
          await expect(page.locator('#alert')).toBeEmpty();
          test.info().annotations.push({ type: 'outcome', description: 'loaded' });
        } else {
          await expectAlertHas(page, entry.parts);
          await expectPreviousStillWorks(page, before);
          test.info().annotations.push({ type: 'outcome', description: 'refused with a limit message' });
        }
        await expectNoInjection(page);
        return;
      }

      // The file opens (its guessed analysis may or may not run); then its settings are applied.
      await expect(page.locator('#source')).toContainText(entry.file, { timeout: 90_000 });
      await loadSettings(page, entry);
      if (entry.outcome === 'loads') {
        await expect.poll(() => runs(page)).toBeGreaterThan(started);
        await expect(page.locator('#notice')).toContainText(`Settings loaded from ${entry.settings}`);
        await expect(page.locator('#alert')).toBeEmpty();
        expect((await tableCells(page, 'endpoint-0')).length).toBeGreaterThan(0);
      } else {
        // The page refuses settings naming absent columns itself, naming the column and the file.
        await expectAlertHas(page, entry.kind === 'missing-column' ? entry.parts.filter((p) => p !== entry.file) : entry.parts);
        // Still usable: back to the example, which analyses as before.
        await afterAnalysis(page, () => page.getByRole('button', { name: 'Start over' }).click());
        await expect(page.locator('#alert')).toBeEmpty();
      }
      await expectNoInjection(page);
    });
  }
});

test('HTML and script in headers and cells are shown as text in selects, tables and figures', async ({ page }) => {
  await openPage(page);
  const entry = corpus.find((e) => e.file === 'html.csv');
  expect(entry).toBeDefined();
  if (entry === undefined) return;
  await page.getByLabel('Open data file').setInputFiles(fileInput(entry));
  await expect(page.locator('#source')).toContainText('html.csv');
  await afterAnalysis(page, () => loadSettings(page, entry));
  await expect(page.locator('#alert')).toBeEmpty();
  // Selects: the header names are options, literally.
  const time = page.getByLabel('Time', { exact: true });
  await expect(time).toHaveValue(IMG);
  // Options read "NAME (letter, type)": the name is the payload, as text.
  expect((await time.locator('option').allTextContents()).some((t) => t.startsWith(`${IMG} (A`))).toBe(true);
  await expect(page.getByLabel('Group', { exact: true })).toHaveValue(SCRIPT);
  // Tables: the group levels (a script payload, <b>bold</b>) as text.
  const cells = (await tableCells(page, 'endpoint-0')).map((row) => row[0]);
  expect(cells).toContain(SCRIPT);
  expect(cells).toContain('<b>bold</b>');
  await expect(page.locator('table b')).toHaveCount(0);
  // Figures: the legend's text is the payload; the SVG holds no element from it.
  const figure = page.locator('figure.plot svg').first();
  await expect(figure).toContainText(SCRIPT);
  await expect(figure.locator('script, img, svg svg[onload], [onload], [onerror]')).toHaveCount(0);
  // The preview of the file (when the page shows one) holds the note cells as text.
  const body = (await page.locator('body').textContent()) ?? '';
  if (body.includes(SVG)) await expect(page.locator('svg[onload]')).toHaveCount(0);
  await expectNoInjection(page);
});

test('a trap in the core while a hostile file is read brings back the previous file and settings', async ({ page }) => {
  await openPage(page);
  const good = corpus.find((e) => e.file === 'one-row-group.csv');
  expect(good).toBeDefined();
  if (good === undefined) return;
  await afterAnalysis(page, () =>
    page.getByLabel('Open data file').setInputFiles({ name: 'study.csv', mimeType: 'text/csv', buffer: readFileSync(join(CORPUS, good.file)) }),
  );
  await afterAnalysis(page, () => page.getByLabel('Group', { exact: true }).selectOption('arm'));
  const before = await tableCells(page, 'endpoint-0');
  // The worker traps (as an out-of-memory or a panic in wasm does) on the next file it opens:
  // a capturing listener runs before the worker's own and throws a RuntimeError out of it.
  const worker = page.workers().find((w) => w.url().endsWith('/worker.js'));
  expect(worker).toBeDefined();
  await worker?.evaluate(() => {
    self.addEventListener(
      'message',
      (event: MessageEvent<{ type?: string }>) => {
        if (event.data?.type !== 'open') return;
        event.stopImmediatePropagation();
        throw new WebAssembly.RuntimeError('unreachable');
      },
      { capture: true },
    );
  });
  await page.getByLabel('Open data file').setInputFiles({ name: 'bomb-like.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\u0003\u0004') });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The calculation engine crashed');
  await expect(alert).toContainText('study.csv was opened again');
  await expect(page.locator('#source')).toContainText('study.csv');
  await expect(page.getByLabel('Group', { exact: true })).toHaveValue('arm');
  expect(await tableCells(page, 'endpoint-0')).toEqual(before);
  // The new worker works, and opens files again.
  await afterAnalysis(page, () => page.getByLabel('Median convention', { exact: true }).selectOption('sas'));
  await expect(page.locator('#alert')).toBeEmpty();
  await expectNoInjection(page);
});

test('a table exported from the page starts no spreadsheet formula, whatever the group names', async ({ page }) => {
  await openPage(page);
  const entry = corpus.find((e) => e.file === 'formulas.csv');
  expect(entry).toBeDefined();
  if (entry === undefined) return;
  await page.getByLabel('Open data file').setInputFiles(fileInput(entry));
  await expect(page.locator('#source')).toContainText('formulas.csv');
  await afterAnalysis(page, () => loadSettings(page, entry));
  await expect(page.locator('#alert')).toBeEmpty();
  const block = page.locator('.table-block').filter({ has: page.locator('table[data-table-id="endpoint-0"]') });
  const event = page.waitForEvent('download');
  await block.getByRole('button', { name: /\(CSV\)$/ }).click();
  const text = readFileSync(await (await event).path(), 'utf8');
  // The levels =HYPERLINK(…), +SUM(A1), @cmd, -2+3 reach the table, each behind a quote.
  for (const level of ['=HYPERLINK(', '+SUM(A1)', '@cmd', '-2+3']) expect(text).toContain(`'${level}`);
  // No field (quoted or not) starts with = + - @ unless it is a plain number.
  const fields = text.split(/\r?\n/).flatMap((line) => line.split(',')).map((f) => f.replace(/^"/, ''));
  const risky = fields.filter((f) => /^[=+\-@\t\r]/.test(f) && !/^[+-]?\d+(\.\d+)?%?$/.test(f));
  expect(risky).toEqual([]);
});
