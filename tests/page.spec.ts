// End-to-end tests of the page: the bundled example, opening a file, role pickers, numbers
// against R, the JSON download against the CLI, error handling, and what the page loads.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { afterAnalysis, expect, FIXTURES, openPage, ROOT, screenshot, tableCells, test } from './helpers.js';
import { makeXlsx } from './xlsx.js';

const AML = join(FIXTURES, 'aml.csv');

/** The CLI built by scripts/test.sh (`cargo build --release --bin survcalc`). */
function cliPath(): string {
  const exe = process.platform === 'win32' ? 'survcalc.exe' : 'survcalc';
  return join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'release', exe);
}

/** Opens aml.csv through the file input and assigns Time = time, Event = status, Group = x. */
async function openAmlByX(page: Page): Promise<void> {
  await afterAnalysis(page, () => page.getByLabel('Open data file').setInputFiles(AML));
  await expect(page.locator('#source')).toContainText('aml.csv');
  await afterAnalysis(page, () => page.getByLabel('Time', { exact: true }).selectOption('time'));
  await afterAnalysis(page, () => page.getByLabel('Event', { exact: true }).selectOption('status'));
  await afterAnalysis(page, () => page.getByLabel('Group', { exact: true }).selectOption('x'));
  await expect(page.locator('#alert')).toBeEmpty();
}

test('the synthetic example is analysed on load, with numbers and a plot', async ({ page, watch }) => {
  await openPage(page);
  await expect(page.locator('#source')).toContainText('synthetic');
  await expect(page.locator('#source')).toContainText('netg3_example.csv');

  // Roles guessed by the core from the example's headers.
  await expect(page.getByLabel('Time', { exact: true })).toHaveValue('pfs_months');
  await expect(page.getByLabel('Event', { exact: true })).toHaveValue('pfs_event');
  await expect(page.getByLabel('Group', { exact: true })).toHaveValue('treatment');
  await expect(page.getByLabel('Best response', { exact: true })).toHaveValue('best_response');
  await expect(page.getByLabel('Landmark times', { exact: true })).toHaveValue('6, 12');

  // A survival table per endpoint (PFS, OS) with one row per treatment plus "Overall".
  const pfs = await tableCells(page, 'endpoint-0');
  expect(pfs.map((row) => row[0]).sort()).toEqual(['CAPTEM', 'EP', 'FOLFOX', 'Overall', 'PRRT', 'everolimus']);
  expect(pfs.at(-1)?.[0]).toBe('Overall');
  expect(pfs.find((row) => row[0] === 'CAPTEM')?.slice(1, 2)).toEqual(['20']);
  for (const row of pfs) expect(row.join(' ')).toMatch(/\d/);
  await expect(page.locator('table[data-table-id="endpoint-1"] caption')).toContainText('OS');
  await expect(page.locator('table[data-table-id="response"]')).toBeVisible();
  // The statistical-methods paragraph, written by the core, as text.
  await expect(page.getByRole('heading', { name: 'Statistical methods' })).toBeVisible();
  await expect(page.locator('.methods-text')).toContainText('Kaplan–Meier method');
  await expect(page.locator('.methods-text')).toContainText('Clopper–Pearson');

  // The Kaplan–Meier figures: SVG (from the core) with curve paths.
  const figures = page.locator('figure.plot').filter({ hasText: 'Kaplan–Meier estimate' }).locator('svg');
  await expect(figures).toHaveCount(2);
  expect(await figures.first().locator('path').count()).toBeGreaterThan(0);
  await expect(figures.first()).toHaveAttribute('role', 'img');

  // What was loaded: the wasm with its proper type, and nothing from elsewhere (checked in the fixture).
  expect(watch.wasmContentTypes).toEqual(['application/wasm']);
  expect(watch.requests.some((url) => url.endsWith('/example/netg3_example.csv'))).toBe(true);

  await screenshot(page, '1-example');
});

test('opening aml.csv and picking roles shows the numbers R gives', async ({ page }) => {
  await openPage(page);
  await openAmlByX(page);

  // R 4.2.2, survival 3.5-3: survfit(Surv(time, status) ~ x, data = aml) — medians 31 (18–NA)
  // and 23 (8–NA), overall 27 (18–48), log CI; survdiff: chisq = 3.4 on 1 df, p = 0.0653.
  const table = page.locator('table[data-table-id="endpoint-0"]');
  await expect(table.locator('thead th')).toHaveText(['x', 'N', 'Events', 'Median Survival (95% CI)']);
  expect(await tableCells(page, 'endpoint-0')).toEqual([
    ['Maintained', '11', '7', '31 (18–NR)'],
    ['Nonmaintained', '12', '11', '23 (8–NR)'],
    ['Overall', '23', '18', '27 (18–48)'],
  ]);
  await expect(page.locator('.table-block').first().locator('.notes')).toContainText(
    'Log-rank test: χ² = 3.40 on 1 df, p = 0.065.',
  );
  const tests = await tableCells(page, 'tests');
  expect(tests).toContainEqual(['Survival', 'log-rank', '3.40', '1', '0.065']);

  // The Kaplan–Meier plot shows both groups; the Cox model adds a forest plot.
  const km = page.locator('figure.plot').filter({ hasText: 'Kaplan–Meier estimate' }).locator('svg');
  await expect(km).toHaveCount(1);
  await expect(km.locator('path.km-curve')).toHaveCount(2);
  await expect(km).toContainText('Maintained (n = 11)');
  await expect(page.locator('figure.plot').filter({ hasText: 'Hazard ratios' }).locator('svg')).toHaveCount(1);

  // Exports come from the core as they are: a table as CSV.
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the table "Survival: survival by x" (CSV)' }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toBe('survcalc-endpoint-0.csv');
  const csvText = readFileSync(await csv.path(), 'utf8');
  expect(csvText).toContain('Maintained');
  expect(csvText).toContain('31 (18–NR)');
  await screenshot(page, '2-aml');

  // Another tool's convention: SAS PROC LIFETEST's median CI (log-log by default), as the core's
  // own comparison table lists it.
  await afterAnalysis(page, () => page.getByLabel('Median convention', { exact: true }).selectOption('sas'));
  expect((await tableCells(page, 'endpoint-0'))[0]).toEqual(['Maintained', '11', '7', '31 (13–NR)']);

});

test('"Download report (JSON)" saves the report the CLI prints for the same file and settings', async ({ page }) => {
  const cli = cliPath();
  test.skip(!existsSync(cli), `the CLI is not built (${cli}); run: cargo build --release --bin survcalc`);
  await openPage(page);
  await openAmlByX(page);

  const downloadEvent = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download report (JSON)', exact: true }).click();
  const download = await downloadEvent;
  expect(download.suggestedFilename()).toBe('survcalc-report.json');
  const path = await download.path();
  const fromPage = readFileSync(path, 'utf8');

  const stdout = execFileSync(
    cli,
    ['analyze', join('tests', 'fixtures', 'aml.csv'), '--time', 'time', '--event', 'status', '--group', 'x', '--json'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  // Byte for byte (the CLI only ends its output with a newline): every number, unrounded ones
  // included, since the core's exp/ln/pow… come from the same libm code natively and in wasm
  // (crate/src/math.rs).
  expect(stdout.endsWith('\n')).toBe(true);
  expect(fromPage).toBe(stdout.slice(0, -1));
});

test('a malformed file shows an error naming row, column and value, and the page stays usable', async ({ page }) => {
  await openPage(page);
  const before = await tableCells(page, 'endpoint-0');

  // aml_bad_time.csv: aml with time "abc" in row 5 (rows count the lines of the file, header = 1).
  await page.getByLabel('Open data file').setInputFiles(join(FIXTURES, 'aml_bad_time.csv'));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('aml_bad_time.csv');
  await expect(alert).toContainText('abc');
  await expect(alert).toContainText('time');
  await expect(alert).toContainText(/row 5\b/);
  await screenshot(page, '3-error');

  // Still usable: the controls work and a good file opens and analyses.
  await expect(page.getByLabel('Time', { exact: true })).toBeEnabled();
  await expect(page.getByLabel('Open data file')).toBeEnabled();
  await openAmlByX(page);
  await expect(page.locator('#alert')).toBeEmpty();
  expect(await tableCells(page, 'endpoint-0')).toContainEqual(['Maintained', '11', '7', '31 (18–NR)']);
  expect(before.length).toBeGreaterThan(0);
});

test('a bad setting keeps the last results and says so; fixing it recovers', async ({ page }) => {
  await openPage(page);
  const before = await tableCells(page, 'endpoint-0');
  // A text column as the time column: the core refuses it with a message.
  await afterAnalysis(page, () => page.getByLabel('Time', { exact: true }).selectOption('treatment'));
  await expect(page.getByRole('alert')).toContainText('treatment');
  await expect(page.locator('#stale')).toBeVisible();
  expect(await tableCells(page, 'endpoint-0')).toEqual(before);
  await screenshot(page, '6-stale');
  await afterAnalysis(page, () => page.getByLabel('Time', { exact: true }).selectOption('pfs_months'));
  await expect(page.locator('#alert')).toBeEmpty();
  await expect(page.locator('#stale')).toBeHidden();
  expect(await tableCells(page, 'endpoint-0')).toEqual(before);
});

test('landmarks, event values and dropping a file re-run the analysis', async ({ page }) => {
  await openPage(page);
  const landmarks = page.getByLabel('Landmark times', { exact: true });
  await afterAnalysis(page, async () => {
    await landmarks.fill('3, 6, 12');
    await landmarks.press('Enter');
  });
  await expect(page.locator('table[data-table-id="endpoint-0"] thead th')).toHaveCount(7);

  // Not a number: a message, and no analysis with a half-read list.
  await landmarks.fill('3, six');
  await landmarks.press('Enter');
  await expect(page.getByRole('alert')).toContainText('"six" is not a number');

  // Drag and drop of a file onto the page.
  const csv = readFileSync(AML, 'utf8');
  await afterAnalysis(page, () =>
    page.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'dropped-aml.csv', { type: 'text/csv' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }
    }, csv),
  );
  await expect(page.locator('#source')).toContainText('dropped-aml.csv');
  await expect(page.locator('#alert')).toBeEmpty();
  await expect(page.locator('#drop')).toBeHidden();

  // Event value: with status coded 0/1, choosing 0 as the event counts the censored rows.
  await afterAnalysis(page, () => page.getByLabel('Event value', { exact: true }).selectOption(['0']));
  const rows = await tableCells(page, 'endpoint-0');
  expect(rows.at(-1)?.slice(0, 3)).toEqual(['Overall', '23', '5']);
});

test('a workbook opens on its first sheet, and the Sheet picker reads another', async ({ page }) => {
  await openPage(page);
  const aml = readFileSync(AML, 'utf8')
    .trim()
    .split('\n')
    .map((line, i) => line.split(',').map((v) => (i > 0 && /^\d+$/.test(v) ? Number(v) : v)));
  const workbook = makeXlsx([
    { name: 'Notes', rows: [['about'], ['the aml data are on the next sheet']] },
    { name: 'aml data', rows: aml },
  ]);
  await page.getByLabel('Open data file').setInputFiles({
    name: 'aml.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: workbook,
  });
  const sheet = page.getByLabel('Sheet', { exact: true });
  await expect(sheet).toBeVisible();
  await expect(sheet).toHaveValue('Notes');
  await expect(page.locator('#source')).toContainText('aml.xlsx');
  await screenshot(page, '4-workbook-first-sheet');

  await afterAnalysis(page, () => sheet.selectOption('aml data'));
  await expect(page.locator('#source')).toContainText('aml data');
  await afterAnalysis(page, () => page.getByLabel('Group', { exact: true }).selectOption('x'));
  await expect(page.locator('#alert')).toBeEmpty();
  expect(await tableCells(page, 'endpoint-0')).toEqual([
    ['Maintained', '11', '7', '31 (18–NR)'],
    ['Nonmaintained', '12', '11', '23 (8–NR)'],
    ['Overall', '23', '18', '27 (18–48)'],
  ]);
  await screenshot(page, '5-workbook');
});
