// A very wide file (a registry export of 10,000 columns): the column pickers become searchable
// comboboxes and the column checklists get a filter, each listing at most 50 matches, so that
// opening the file never blocks the page for long and every column can still be found and chosen,
// with the mouse or the keyboard. The longest main-thread task is recorded (a PerformanceObserver
// of 'longtask') and printed, never asserted: timings depend on the machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { afterAnalysis, expect, FIXTURES, openPage, openSection, runs, SCREENSHOTS, tableCells, test } from './helpers.js';

const COLUMNS = 10_000;
const ROWS = 300;
/** The text column to group by and the numeric covariate, both far to the right. */
const GROUP = 'arm_far';
const COVARIATE = 'score_far';
/** What the pickers list at most (controls.ts SHOWN_MATCHES). */
const SHOWN = 50;

function columnNames(): string[] {
  const names = ['time', 'status'];
  for (let c = 2; c < COLUMNS; c += 1) names.push(c === 9990 ? GROUP : c === 9995 ? COVARIATE : `v${c}`);
  return names;
}

/** time, status, then whole numbers (v2 … v9999), a two-arm text column and a score, written
 * to the test's output folder: a path, like a file the user picks (a buffer would be copied into
 * the page by the test tool inside the file input's event, a long task that is not the page's). */
function wideCsv(): string {
  const names = columnNames();
  const lines = [names.join(',')];
  for (let r = 0; r < ROWS; r += 1) {
    const cells = [String(1 + ((r * 7) % 60)), r % 3 === 0 ? '0' : '1'];
    for (let c = 2; c < COLUMNS; c += 1) {
      if (c === 9990) cells.push(r % 2 === 0 ? 'drug A' : 'drug B');
      else if (c === 9995) cells.push(String(((r * 13) % 41) / 4));
      else cells.push(String((r * 31 + c) % 97));
    }
    lines.push(cells.join(','));
  }
  const path = test.info().outputPath('wide.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

interface Watched {
  __longTasks: Array<{ start: number; duration: number }>;
  __fileChosen?: number;
  __runsChanged?: number;
}

/** Records every long task (50 ms or more) of the page's main thread from the start. */
async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as Watched;
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** Chooses the wide file through the file input and waits for its first results; returns the
 * longest main-thread task and the time from the file chosen to the results (ms). */
async function openWide(page: Page): Promise<{ longestTaskMs: number; toResultsMs: number }> {
  await page.evaluate(() => {
    const w = window as unknown as Watched;
    document.getElementById('file')?.addEventListener('change', () => void (w.__fileChosen = performance.now()), { capture: true, once: true });
    new MutationObserver((_, observer) => {
      w.__runsChanged = performance.now();
      observer.disconnect();
    }).observe(document.body, { attributes: true, attributeFilter: ['data-runs'] });
  });
  const before = await runs(page);
  await page.getByLabel('Open data file').setInputFiles(wideCsv());
  await expect.poll(() => runs(page), { timeout: 60_000 }).toBeGreaterThan(before);
  await expect(page.locator('#source')).toContainText('wide.csv');
  await expect(page.locator('#alert')).toBeEmpty();
  // Let any work after the results (the controls) finish before reading the long tasks.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
  return page.evaluate(() => {
    const w = window as unknown as Watched;
    const t0 = w.__fileChosen ?? 0;
    // Every task that ran while the file was being chosen, opened and analysed.
    const tasks = w.__longTasks.filter((t) => t.start + t.duration >= t0);
    return {
      longestTaskMs: Math.round(Math.max(0, ...tasks.map((t) => t.duration))),
      toResultsMs: Math.round((w.__runsChanged ?? Number.NaN) - t0),
    };
  });
}

function report(figures: { longestTaskMs: number; toResultsMs: number }): void {
  const text = `10,000 columns × ${ROWS} rows: longest main-thread task ${figures.longestTaskMs} ms (0: none of 50 ms or more), file chosen to results ${figures.toResultsMs} ms`;
  console.log(text);
  test.info().annotations.push({ type: 'timing', description: text });
}

/** The listbox a combobox controls. */
async function listOf(combobox: Locator): Promise<Locator> {
  const id = await combobox.getAttribute('aria-controls');
  expect(id).toBeTruthy();
  return combobox.page().locator(`[id="${id}"]`);
}

test.describe('a file of 10,000 columns', () => {
  test.beforeEach(async ({ page }) => {
    test.setTimeout(120_000);
    await watchLongTasks(page);
    await openPage(page);
  });

  test('opens; a column far to the right is found by typing, grouped by and used as a covariate', async ({ page }) => {
    report(await openWide(page));

    // Every role picker is a combobox now, showing the guessed columns.
    const time = page.getByRole('combobox', { name: 'Time', exact: true });
    await expect(time).toHaveValue(/^time \(A, (integer|number)\)$/);
    await expect(time).toHaveAttribute('data-value', 'time');
    for (const name of ['Time', 'Event', 'Group', 'Stratify by', 'Best response', 'Best % change (waterfall)', 'Cluster', 'Frequency weights', 'Swimmer plot bar labels']) {
      await expect(page.getByLabel(name, { exact: true })).toHaveAttribute('role', 'combobox');
    }
    // No <select> lists the columns: the page holds no element per column.
    expect(await page.locator('option').count()).toBeLessThan(200);

    // The group: typed, listed alone, chosen with the pointer.
    const group = page.getByRole('combobox', { name: 'Group', exact: true });
    await group.click();
    await group.fill('v1');
    const list = await listOf(group);
    const matches = columnNames().filter((n) => n.toLowerCase().includes('v1')).length;
    await expect(list.getByRole('option')).toHaveCount(SHOWN);
    await expect(list.locator('xpath=..').locator('.picker-more')).toHaveText(
      `${(matches - SHOWN).toLocaleString('en')} more — type to narrow.`,
    );
    await group.fill('arm_f');
    await expect(list.getByRole('option')).toHaveCount(1);
    await expect(list.getByRole('option')).toHaveText(/^arm_far \(\w+, text\)$/);
    await afterAnalysis(page, () => list.getByRole('option').click());
    await expect(list).toBeHidden();
    await expect(group).toHaveAttribute('data-value', GROUP);
    await expect(group).toHaveValue(/^arm_far \(\w+, text\)$/);
    await expect(page.locator('#alert')).toBeEmpty();
    expect((await tableCells(page, 'endpoint-0')).map((row) => row[0])).toEqual(['drug A', 'drug B', 'Overall']);

    // A condition on the rows: its column picker is searchable too, and gets the focus.
    await openSection(page, 'Rows to analyse');
    await afterAnalysis(page, () => page.getByRole('button', { name: 'Add condition' }).click());
    const condition = page.getByRole('combobox', { name: 'Condition 1: column', exact: true });
    await expect(condition).toBeFocused();
    await expect(condition).toHaveAttribute('data-value', GROUP);
    await condition.fill('v9876');
    await afterAnalysis(page, () => condition.press('Enter'));
    await expect(condition).toHaveAttribute('data-value', 'v9876');
    await expect(page.getByLabel('Condition 1: value', { exact: true })).not.toHaveValue('');
    await expect(page.locator('#alert')).toBeEmpty();
    await afterAnalysis(page, () => page.getByRole('button', { name: 'Remove condition 1' }).click());

    // A covariate: the Cox list shows a filter and at most 50 columns, the chosen ones kept.
    await openSection(page, 'Cox model');
    const covariates = page.getByRole('group', { name: 'Covariates' });
    const picks = page.locator('#covariates input.covariate-pick');
    await expect(picks).toHaveCount(SHOWN);
    const find = page.getByLabel('Find a covariate', { exact: true });
    await find.fill('score');
    await expect(picks).toHaveCount(1);
    await expect(page.locator('#covariates-filter-status')).toHaveText('1 match, all listed.');
    await afterAnalysis(page, () => covariates.getByRole('checkbox', { name: COVARIATE, exact: true }).check());
    await expect(page.locator('#alert')).toBeEmpty();
    await expect(page.locator('table[data-table-id="cox"]')).toContainText(COVARIATE);
    await find.fill('');
    await expect(covariates.getByRole('checkbox', { name: COVARIATE, exact: true })).toBeChecked();
    await expect(picks).toHaveCount(SHOWN + 1); // the first 50, and the chosen one

    // The cohort table's variables: a column far to the right ticked by name.
    await openSection(page, 'Options');
    await afterAnalysis(page, () => page.getByLabel('Automatic', { exact: true }).uncheck());
    await page.getByLabel('Find a variable', { exact: true }).fill('v9876');
    const cohort = page.getByRole('group', { name: 'Cohort table' });
    await afterAnalysis(page, () => cohort.getByRole('checkbox', { name: 'v9876', exact: true }).check());
    await expect(page.locator('#alert')).toBeEmpty();
    await expect(page.locator('table[data-table-id="cohort"]')).toContainText('v9876');

    // The picker open, at 1280×800: nothing cut off or overlapping.
    await group.click();
    await group.fill('v99');
    await expect(list.getByRole('option')).toHaveCount(SHOWN);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.locator('#section-comparison').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, '50-wide-picker.png') });
    await page.locator('#section-comparison').screenshot({ path: join(SCREENSHOTS, '51-wide-picker-panel.png') });
    const box = await list.boundingBox();
    const panel = await page.locator('#settings').boundingBox();
    expect(box !== null && panel !== null && box.x >= panel.x && box.x + box.width <= panel.x + panel.width).toBe(true);

    // Back to an ordinary file: the native <select> is back, with its options.
    await afterAnalysis(page, () => page.getByLabel('Open data file').setInputFiles(join(FIXTURES, 'aml.csv')));
    await expect(page.locator('select#group')).toBeVisible();
    await afterAnalysis(page, () => page.getByLabel('Group', { exact: true }).selectOption('x'));
    await expect(page.getByLabel('Group', { exact: true })).toHaveValue('x');
    await expect(page.locator('.picker')).toHaveCount(0);
    await expect(page.locator('#covariates-filter')).toBeHidden();
  });

  test('the searchable picker works with the keyboard alone', async ({ page }) => {
    report(await openWide(page));
    const strata = page.getByRole('combobox', { name: 'Stratify by', exact: true });
    await expect(strata).toHaveValue('(none)');
    await strata.focus();
    await expect(strata).toHaveAttribute('aria-expanded', 'false');

    // ↓ opens the list on the current choice, ↓ moves on; the active option is announced.
    await page.keyboard.press('ArrowDown');
    await expect(strata).toHaveAttribute('aria-expanded', 'true');
    const list = await listOf(strata);
    const active = async () => page.locator(`[id="${(await strata.getAttribute('aria-activedescendant')) ?? ''}"]`);
    await expect(await active()).toHaveText('(none)');
    await expect(await active()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowDown');
    await expect(await active()).toHaveText(/^time \(A, /);
    await page.keyboard.press('PageDown');
    await expect(await active()).toHaveText(/^v10 \(/);

    // Escape closes and keeps the choice; nothing is analysed.
    const before = await runs(page);
    await page.keyboard.press('Escape');
    await expect(list).toBeHidden();
    await expect(strata).toHaveValue('(none)');

    // Typing filters; the first match is active; Enter chooses it and keeps the focus.
    await page.keyboard.type(GROUP);
    await expect(list.getByRole('option')).toHaveCount(1);
    await expect(await active()).toHaveText(/^arm_far /);
    await afterAnalysis(page, () => page.keyboard.press('Enter'));
    expect(await runs(page)).toBe(before + 1);
    await expect(strata).toBeFocused();
    await expect(strata).toHaveAttribute('data-value', GROUP);
    await expect(page.locator('#alert')).toBeEmpty();

    // No match says so; Escape goes back to the choice; a name typed in full is chosen on Tab.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('no such column');
    await expect(list.getByRole('option')).toHaveCount(0);
    await expect(list.locator('xpath=..').locator('.picker-more')).toHaveText('No column name contains "no such column".');
    await page.keyboard.press('Escape');
    await expect(strata).toHaveValue(/^arm_far /);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('none');
    await expect(list.getByRole('option')).toHaveCount(1);
    await expect(await active()).toHaveText('(none)');
    await afterAnalysis(page, () => page.keyboard.press('Enter'));
    await expect(strata).toHaveAttribute('data-value', '');

    await page.keyboard.press('Control+A');
    await page.keyboard.type('v42');
    await afterAnalysis(page, () => page.keyboard.press('Tab'));
    await expect(strata).toHaveAttribute('data-value', 'v42');
    await expect(strata).not.toBeFocused();
    // Tab goes on to the next control, not to the list's button.
    expect(await page.evaluate(() => document.activeElement?.classList.contains('picker-toggle'))).toBe(false);

    // The cohort filter and its checkboxes with the keyboard.
    await openSection(page, 'Options');
    await page.getByLabel('Automatic', { exact: true }).focus();
    await afterAnalysis(page, () => page.keyboard.press('Space'));
    await page.getByLabel('Find a variable', { exact: true }).focus();
    await page.keyboard.type('v9990');
    await expect(page.locator('#cohort-filter-status')).toHaveText('No column name contains "v9990".');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('v9989');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('checkbox', { name: 'v9989', exact: true })).toBeFocused();
    await afterAnalysis(page, () => page.keyboard.press('Space'));
    await expect(page.getByRole('checkbox', { name: 'v9989', exact: true })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'v9989', exact: true })).toBeFocused();
  });
});

test.describe('a file of 10,000 columns at 200% (device scale 2)', () => {
  test.use({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });

  test('the open picker fits the page and its text is not cut off', async ({ page }) => {
    test.setTimeout(120_000);
    await watchLongTasks(page);
    await openPage(page);
    await openWide(page);
    const group = page.getByRole('combobox', { name: 'Group', exact: true });
    await group.click();
    await group.fill('arm_');
    const list = await listOf(group);
    await expect(list.getByRole('option')).toHaveCount(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const clipped = await list.getByRole('option').evaluate((li) => li.scrollWidth > li.clientWidth);
    expect(clipped).toBe(false);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await group.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, '52-wide-picker-zoom-200.png') });
  });
});
