// End-to-end tests of the settings panel: endpoints derived from dates, comparison tests, the Cox
// model, options, figure options, settings files (checked against the CLI), persistence, the
// worker (busy status, crash recovery), and screenshots of each view.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Locator, Page } from '@playwright/test';
import {
  afterAnalysis,
  cliPath,
  expect,
  FIXTURES,
  openPage,
  openSection,
  parseCsv,
  ROOT,
  screenshot,
  SCREENSHOTS,
  tableCells,
  test,
} from './helpers.js';

const EXAMPLE = join(ROOT, 'www', 'example', 'netg3_example.csv');
/** Data rows of the example (lines minus the header). */
const EXAMPLE_ROWS = readFileSync(EXAMPLE, 'utf8').trim().split('\n').length - 1;
const OUTPUT = join(ROOT, 'test-results', 'workspace');

async function downloadText(page: Page, click: () => Promise<unknown>): Promise<{ name: string; text: string; download: Download }> {
  const event = page.waitForEvent('download');
  await click();
  const download = await event;
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8'), download };
}

/** A screenshot of one part of the page (a figure, a table, a section of the panel). */
async function screenshotOf(locator: Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await locator.scrollIntoViewIfNeeded();
  await locator.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

const tableBlock = (page: Page, id: string) =>
  page.locator('.table-block').filter({ has: page.locator(`table[data-table-id="${id}"]`) });

/** Writes a settings file for the "Load settings" input and returns its path. */
function settingsFile(name: string, settings: unknown): string {
  mkdirSync(OUTPUT, { recursive: true });
  const path = join(OUTPUT, name);
  writeFileSync(path, JSON.stringify(settings, null, 2));
  return path;
}

/** Switches the PFS endpoint of the example to dates: progression or death, cut-off 2024-03-31. */
async function pfsFromDates(page: Page): Promise<void> {
  await afterAnalysis(page, () => page.getByLabel('Derive from dates').check());
  await expect(page.getByLabel('Time', { exact: true })).toBeHidden();
  // Start and last contact are picked from the headers (start_date, last_contact_date).
  await expect(page.getByLabel('Start date', { exact: true })).toHaveValue('start_date');
  await expect(page.getByLabel('Last contact', { exact: true })).toHaveValue('last_contact_date');
  const events = page.getByRole('group', { name: 'Event dates' });
  await afterAnalysis(page, () => events.getByLabel('progression_date', { exact: true }).check());
  await afterAnalysis(page, () => events.getByLabel('death_date', { exact: true }).check());
  await afterAnalysis(page, () => page.getByLabel('Data cut-off', { exact: true }).fill('2024-03-31'));
  await expect(page.locator('#alert')).toBeEmpty();
}

test('an endpoint derived from dates with a cut-off: derivation log, excluded rows', async ({ page }) => {
  await openPage(page);
  await pfsFromDates(page);

  // Two lines of treatment start after the cut-off: the core excludes them, and says so under
  // the survival table and in the panel.
  const pfs = page.locator('.table-block').filter({ has: page.locator('table[data-table-id="endpoint-0"]') });
  await expect(pfs.locator('.notes')).toContainText(`2 of ${EXAMPLE_ROWS} rows excluded`);
  await expect(page.locator('#rows-summary')).toContainText(`PFS: ${EXAMPLE_ROWS - 2} of ${EXAMPLE_ROWS} rows analysed, 2 excluded`);
  const overall = (await tableCells(page, 'endpoint-0')).find((row) => row[0] === 'Overall');
  expect(overall?.[1]).toBe(String(EXAMPLE_ROWS - 2));

  const excluded = page.locator('#excluded');
  await excluded.locator('summary').click();
  await expect(excluded.locator('summary')).toHaveText('Excluded rows (2)');
  const rows = await excluded.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (td) => td.textContent)));
  expect(rows).toHaveLength(2);
  for (const [, reason] of rows) expect(reason).toBe('last contact (or cut-off) before the start date');

  // The derivation log: a row per data row, as the core writes it.
  const log = await downloadText(page, () => page.getByRole('button', { name: 'Download derivation log (CSV)' }).click());
  expect(log.name).toBe('survcalc-derivation-1.csv');
  const lines = log.text.trim().split(/\r?\n/);
  expect(lines[0]).toBe('row,start,event_date,event_source,last_contact,end,time,event,note');
  expect(lines).toHaveLength(EXAMPLE_ROWS + 1);
  const records = parseCsv(log.text);
  expect(records[0]).toEqual(['row', 'start', 'event_date', 'event_source', 'last_contact', 'end', 'time', 'event', 'note']);
  const data = records.slice(1);
  expect(data.map((r) => r[0])).toEqual(Array.from({ length: EXAMPLE_ROWS }, (_, i) => String(i + 2)));
  for (const [row] of rows) expect(data.find((r) => r[0] === row)?.[8]).toBe('last contact (or cut-off) before the start date');
  // Rows kept but adjusted at the cut-off (an event after it is censored there): the panel
  // counts those the log notes.
  const adjusted = data.filter((r) => r[6] !== '' && r[8] !== '');
  expect(adjusted.length).toBeGreaterThan(0);
  for (const r of adjusted) expect(r[5]).toBe('2024-03-31');
  await expect(page.locator('#rows-summary')).toHaveText(
    `PFS: ${EXAMPLE_ROWS - 2} of ${EXAMPLE_ROWS} rows analysed, 2 excluded, ${adjusted.length} adjusted (see the derivation log).`,
  );

  // The unit relabels the derived time; going back to columns restores them.
  await afterAnalysis(page, () => page.getByLabel('Unit', { exact: true }).selectOption('weeks'));
  await expect(page.locator('table[data-table-id="endpoint-0"] caption')).toContainText('PFS');
  await screenshot(page, '10-dates');
  await screenshotOf(tableBlock(page, 'endpoint-0'), '10-dates-table');
  await afterAnalysis(page, () => page.getByLabel('Derive from dates').uncheck());
  await expect(page.getByLabel('Time', { exact: true })).toHaveValue('pfs_months');
  await expect(page.getByLabel('Event', { exact: true })).toHaveValue('pfs_event');
});

test('a multivariable Cox model with a categorical covariate and a cluster: forest plot and HR rows', async ({ page }) => {
  await openPage(page);
  await openSection(page, 'Cox model');
  const covariates = page.getByRole('group', { name: 'Covariates' });
  await afterAnalysis(page, () => covariates.getByRole('checkbox', { name: 'age', exact: true }).check());
  // A text column enters as categories, against its first level unless chosen otherwise.
  await afterAnalysis(page, () => covariates.getByRole('checkbox', { name: 'sex', exact: true }).check());
  const reference = page.getByLabel('reference level of sex');
  await expect(reference).toHaveValue('F');
  await afterAnalysis(page, () => page.getByLabel('Cluster', { exact: true }).selectOption('patient_id'));
  await expect(page.locator('#alert')).toBeEmpty();

  const cox = await tableCells(page, 'cox');
  const multivariable = cox.filter((row) => row[1] === 'multivariable');
  expect(multivariable.map((row) => row[2])).toEqual(expect.arrayContaining(['age', 'sex=M']));
  await expect(page.locator('figure.plot').filter({ hasText: 'Hazard ratios: PFS' }).locator('svg')).toBeVisible();
  await expect(page.locator('figure.plot').filter({ hasText: 'Hazard ratios: PFS' }).locator('svg')).toContainText('age');

  await afterAnalysis(page, () => reference.selectOption('M'));
  expect((await tableCells(page, 'cox')).map((row) => row[2])).toContain('sex=F');
  // A number can enter as categories too.
  await afterAnalysis(page, () => covariates.getByRole('checkbox', { name: 'line_number', exact: true }).check());
  await afterAnalysis(page, () => page.getByLabel('as categories (line_number)').check());
  expect((await tableCells(page, 'cox')).map((row) => row[2])).toEqual(expect.arrayContaining(['line_number=2', 'line_number=3']));
  await afterAnalysis(page, () => page.getByLabel('Ties', { exact: true }).selectOption('breslow'));
  await expect(page.locator('#alert')).toBeEmpty();
  await page.locator('#section-cox').scrollIntoViewIfNeeded();
  await screenshot(page, '11-cox');
  await screenshotOf(page.locator('figure.plot').filter({ hasText: 'Hazard ratios: PFS' }), '11-cox-forest');
  await screenshotOf(tableBlock(page, 'cox'), '11-cox-table');
});

test('extra tests, pairwise comparisons, group order and reference', async ({ page }) => {
  await openPage(page);
  for (const name of ['Gehan–Breslow (Wilcoxon)', 'Tarone–Ware', 'Log-rank test for trend']) {
    await afterAnalysis(page, () => page.getByLabel(name, { exact: true }).check());
  }
  await afterAnalysis(page, () => page.getByLabel('Fleming–Harrington', { exact: true }).check());
  await afterAnalysis(page, async () => {
    await page.getByLabel('FH q', { exact: true }).fill('1');
    await page.getByLabel('FH q', { exact: true }).press('Enter');
  });
  const tests = (await tableCells(page, 'tests')).filter((row) => row[0] === 'PFS').map((row) => row[1]);
  expect(tests).toEqual(expect.arrayContaining(['log-rank', 'gehan-breslow', 'tarone-ware', 'fleming-harrington']));
  expect(tests.some((t) => t?.includes('trend'))).toBe(true);

  await afterAnalysis(page, () => page.getByLabel('Pairwise comparisons', { exact: true }).check());
  const pairs = (await tableCells(page, 'pairwise')).filter((row) => row[0] === 'PFS');
  expect(pairs).toHaveLength(10); // 5 treatments: 10 pairs
  expect(pairs.map((row) => row[1])).toContain('CAPTEM vs EP');

  // Group order: move PRRT to the top; the survival table follows it.
  const order = page.locator('#group-order');
  await expect(order.locator('li')).toHaveText([/CAPTEM/, /EP/, /everolimus/, /FOLFOX/, /PRRT/]);
  for (let i = 0; i < 4; i += 1) await afterAnalysis(page, () => page.getByRole('button', { name: 'Move PRRT up' }).click());
  await expect(order.locator('li').first()).toContainText('PRRT');
  await expect(page.getByRole('button', { name: 'Move PRRT up' })).toBeDisabled();
  expect((await tableCells(page, 'endpoint-0')).map((row) => row[0])).toEqual(['PRRT', 'CAPTEM', 'EP', 'everolimus', 'FOLFOX', 'Overall']);
  // The first group is the reference by default; choose another one.
  await afterAnalysis(page, () => page.getByLabel('Reference group', { exact: true }).selectOption('EP'));
  const univariable = (await tableCells(page, 'cox')).filter((row) => row[0] === 'PFS' && row[1] === 'univariable');
  expect(univariable.map((row) => row[2])).toEqual(['treatment=PRRT', 'treatment=CAPTEM', 'treatment=everolimus', 'treatment=FOLFOX']);
  // Keyboard: the focus stays on the moved level's button.
  await page.getByRole('button', { name: 'Move CAPTEM down' }).focus();
  await afterAnalysis(page, () => page.keyboard.press('Enter'));
  await expect(page.getByRole('button', { name: 'Move CAPTEM down' })).toBeFocused();
  await afterAnalysis(page, () => page.getByRole('button', { name: 'Default order' }).click());
  expect((await tableCells(page, 'endpoint-0')).map((row) => row[0])).toEqual(['CAPTEM', 'EP', 'everolimus', 'FOLFOX', 'PRRT', 'Overall']);

  // A stratum column.
  await afterAnalysis(page, () => page.getByLabel('Stratify by', { exact: true }).selectOption('line_number'));
  await expect(page.locator('#alert')).toBeEmpty();
  await page.locator('table[data-table-id="tests"]').scrollIntoViewIfNeeded();
  await screenshot(page, '12-tests');
  await screenshotOf(tableBlock(page, 'tests'), '12-tests-table');
  await screenshotOf(tableBlock(page, 'pairwise'), '12-pairwise-table');
});

test('options and figure options reach the core and its figure', async ({ page }) => {
  await openPage(page);
  const confLevel = page.getByLabel('Confidence level', { exact: true });
  await expect(confLevel).toHaveValue('0.95');
  await afterAnalysis(page, async () => {
    await confLevel.fill('0.9');
    await confLevel.press('Enter');
  });
  await expect(page.locator('table[data-table-id="endpoint-0"] thead')).toContainText('90% CI');
  await afterAnalysis(page, () => page.getByLabel('CI transform', { exact: true }).selectOption('log-log'));
  await afterAnalysis(page, async () => {
    await page.getByLabel('τ for RMST', { exact: true }).fill('12');
    await page.getByLabel('τ for RMST', { exact: true }).press('Enter');
  });
  await afterAnalysis(page, () => page.getByLabel('Response denominator', { exact: true }).selectOption('evaluable'));
  await afterAnalysis(page, () => page.getByLabel('Response rate interval', { exact: true }).selectOption('wilson'));
  await expect(page.locator('.table-block').filter({ has: page.locator('table[data-table-id="response"]') }).locator('.notes')).toContainText('Wilson');
  // Cohort table: from automatic to a chosen list.
  const cohort = page.getByRole('group', { name: 'Cohort table' });
  await expect(cohort.getByLabel('age', { exact: true })).toBeChecked();
  await expect(cohort.getByLabel('age', { exact: true })).toBeDisabled();
  await afterAnalysis(page, () => cohort.getByLabel('Automatic').uncheck());
  await afterAnalysis(page, () => cohort.getByLabel('age', { exact: true }).uncheck());
  await expect(page.locator('table[data-table-id="cohort"]')).not.toContainText('age');
  await expect(page.locator('table[data-table-id="cohort"]')).toContainText('sex');
  // A bad number: a message, and no analysis.
  await confLevel.fill('95');
  await afterAnalysis(page, () => confLevel.press('Enter'));
  await expect(page.getByRole('alert')).toContainText('between 0 and 1');
  await afterAnalysis(page, async () => {
    await confLevel.fill('0.95');
    await confLevel.press('Enter');
  });
  await expect(page.locator('#alert')).toBeEmpty();

  await openSection(page, 'Figure options');
  const title = page.getByLabel('Figure title', { exact: true });
  await afterAnalysis(page, async () => {
    await title.fill('Progression-free survival by regimen');
    await title.press('Enter');
  });
  const km = page.locator('figure.plot').filter({ hasText: 'Kaplan–Meier estimate: PFS' }).locator('svg');
  await expect(km).toContainText('Progression-free survival by regimen');
  const legend = page.getByLabel('Legend label for CAPTEM', { exact: true });
  await afterAnalysis(page, async () => {
    await legend.fill('CAPTEM (cap + tem)');
    await legend.press('Enter');
  });
  await expect(km).toContainText('CAPTEM (cap + tem)');
  await afterAnalysis(page, async () => {
    await page.getByLabel('X-axis label', { exact: true }).fill('Months since start of line');
    await page.getByLabel('X-axis label', { exact: true }).press('Enter');
  });
  await expect(km).toContainText('Months since start of line');
  const before = await km.innerHTML();
  for (const name of ['Confidence bands', 'Median lines', 'Cumulative events', 'Hazard ratios']) {
    await afterAnalysis(page, () => page.getByLabel(name, { exact: true }).check());
  }
  await afterAnalysis(page, async () => {
    await page.getByLabel('X-axis maximum', { exact: true }).fill('36');
    await page.getByLabel('X-axis maximum', { exact: true }).press('Enter');
  });
  expect(await km.innerHTML()).not.toBe(before);
  await expect(page.locator('#alert')).toBeEmpty();
  await page.locator('#section-figure').scrollIntoViewIfNeeded();
  await screenshot(page, '13-figure');
  await screenshotOf(page.locator('figure.plot').first(), '13-figure-km');
});

test('rows to analyse (subset conditions) and the p-value style', async ({ page }) => {
  await openPage(page);
  await openSection(page, 'Rows to analyse');
  await afterAnalysis(page, () => page.getByRole('button', { name: 'Add condition' }).click());
  // A new condition is complete at once: the group column and its first value.
  await expect(page.getByLabel('Condition 1: column')).toHaveValue('treatment');
  await expect(page.getByLabel('Condition 1: value')).toHaveValue('CAPTEM');
  expect((await tableCells(page, 'endpoint-0')).map((row) => row[0])).toEqual(['CAPTEM', 'Overall']);
  await afterAnalysis(page, () => page.getByLabel('Condition 1: column').selectOption('line_number'));
  await expect(page.getByLabel('Condition 1: value')).toHaveValue('1'); // the column's first value
  const lines = readFileSync(EXAMPLE, 'utf8').trim().split('\n').slice(1);
  const column = readFileSync(EXAMPLE, 'utf8').split('\n')[0]?.split(',').indexOf('line_number') ?? -1;
  const firstLines = lines.filter((l) => l.split(',')[column] === '1').length;
  const overall = async () => (await tableCells(page, 'endpoint-0')).find((row) => row[0] === 'Overall')?.[1];
  expect(await overall()).toBe(String(firstLines));
  await expect(page.locator('#rows-summary')).toContainText(`${firstLines} of ${EXAMPLE_ROWS} rows analysed, ${EXAMPLE_ROWS - firstLines} excluded`);
  await page.locator('#excluded summary').click();
  await expect(page.locator('#excluded tbody tr').first()).toContainText('not in the subset (line_number = 1)');
  await afterAnalysis(page, () => page.getByLabel('Condition 1: comparison').selectOption('in'));
  await afterAnalysis(page, async () => {
    await page.getByLabel('Condition 1: value').fill('1 | 2');
    await page.getByLabel('Condition 1: value').press('Enter');
  });
  const firstOrSecond = lines.filter((l) => ['1', '2'].includes(l.split(',')[column] ?? '')).length;
  expect(await overall()).toBe(String(firstOrSecond));
  await page.locator('#section-subset').scrollIntoViewIfNeeded();
  await screenshotOf(page.locator('#section-subset'), '17-subset');
  await afterAnalysis(page, () => page.getByRole('button', { name: 'Remove condition 1' }).click());
  expect(await overall()).toBe(String(EXAMPLE_ROWS));
  await expect(page.getByRole('button', { name: 'Add condition' })).toBeFocused();

  // p-values as a journal prints them; the core formats them.
  const logRankP = async () => (await tableCells(page, 'tests')).find((row) => row[0] === 'PFS' && row[1] === 'log-rank')?.[4];
  expect(await logRankP()).toMatch(/^0\.\d{3}$/);
  await afterAnalysis(page, () => page.getByLabel('p-value style', { exact: true }).selectOption('digits'));
  await afterAnalysis(page, async () => {
    await page.getByLabel('p decimals', { exact: true }).fill('4');
    await page.getByLabel('p decimals', { exact: true }).press('Enter');
  });
  expect(await logRankP()).toMatch(/^0\.\d{4}$/);
  await afterAnalysis(page, () => page.getByLabel('p-value style', { exact: true }).selectOption('jama'));
  expect(await logRankP()).toMatch(/^\.\d+$/);
  await expect(page.locator('#alert')).toBeEmpty();
});

test('waterfall and swimmer plots', async ({ page }) => {
  await openPage(page);
  // The example has no tumour-size column: add one (best % change from baseline) to aml.
  const aml = readFileSync(join(FIXTURES, 'aml.csv'), 'utf8').trim().split('\n');
  const changes = [-100, -65, -42, -30, -28, -12, -5, 0, 4, 9, 15, 22, 35, -80, -55, -31, -20, -10, 3, 12, 20, 41, 60];
  const csv = aml.map((line, i) => `${line},${i === 0 ? 'patient,best_change' : `P${String(i).padStart(2, '0')},${changes[i - 1]}`}`).join('\n');
  await afterAnalysis(page, () =>
    page.getByLabel('Open data file').setInputFiles({ name: 'aml-size.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }),
  );
  await afterAnalysis(page, () => page.getByLabel('Group', { exact: true }).selectOption('x'));
  await afterAnalysis(page, () => page.getByLabel('Best % change (waterfall)', { exact: true }).selectOption('best_change'));
  const waterfall = page.locator('figure.plot').filter({ hasText: 'Waterfall plot' });
  await expect(waterfall.locator('svg')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Download the waterfall plot (SVG)' })).toBeVisible();
  await screenshotOf(waterfall, '18-waterfall');

  // The swimmer plot is drawn when opened, and stays open when the analysis re-runs.
  const swimmer = page.locator('details.plot-more').filter({ hasText: 'Swimmer plot: Survival' });
  await swimmer.locator('summary').click();
  await expect(swimmer.locator('svg')).toBeVisible();
  await openSection(page, 'Figure options');
  await afterAnalysis(page, () => page.getByLabel('Swimmer plot bar labels', { exact: true }).selectOption('patient'));
  await expect(swimmer.locator('svg')).toContainText('P01');
  await screenshotOf(swimmer, '18-swimmer');
  await expect(page.locator('#alert')).toBeEmpty();
});

// ---------------------------------------------------------------------------------------------
// Settings files and the CLI

test('"Save settings" writes a file with which the CLI reproduces the page\'s report', async ({ page }) => {
  const cli = cliPath();
  test.skip(!existsSync(cli), `the CLI is not built (${cli}); run: cargo build --release --bin survcalc`);
  await openPage(page);
  // A bit of everything: a date endpoint, extra tests, pairwise, a Cox model, options, figure.
  await pfsFromDates(page);
  await afterAnalysis(page, () => page.getByLabel('Gehan–Breslow (Wilcoxon)', { exact: true }).check());
  await afterAnalysis(page, () => page.getByLabel('Pairwise comparisons', { exact: true }).check());
  await afterAnalysis(page, () => page.getByLabel('Reference group', { exact: true }).selectOption('PRRT'));
  await openSection(page, 'Cox model');
  const covariates = page.getByRole('group', { name: 'Covariates' });
  await afterAnalysis(page, () => covariates.getByRole('checkbox', { name: 'ki67_percent', exact: true }).check());
  await afterAnalysis(page, () => covariates.getByRole('checkbox', { name: 'primary_site', exact: true }).check());
  await afterAnalysis(page, () => page.getByLabel('Cluster', { exact: true }).selectOption('patient_id'));
  await afterAnalysis(page, () => page.getByLabel('CI transform', { exact: true }).selectOption('log-log'));
  await afterAnalysis(page, () => page.getByLabel('Response rate interval', { exact: true }).selectOption('jeffreys'));
  await afterAnalysis(page, () => page.getByLabel('p-value style', { exact: true }).selectOption('nejm'));
  await openSection(page, 'Rows to analyse');
  await afterAnalysis(page, () => page.getByRole('button', { name: 'Add condition' }).click());
  await afterAnalysis(page, () => page.getByLabel('Condition 1: column').selectOption('line_number'));
  await afterAnalysis(page, () => page.getByLabel('Condition 1: comparison').selectOption('<='));
  await afterAnalysis(page, async () => {
    await page.getByLabel('Condition 1: value').fill('2');
    await page.getByLabel('Condition 1: value').press('Enter');
  });
  await openSection(page, 'Figure options');
  await afterAnalysis(page, () => page.getByLabel('Confidence bands', { exact: true }).check());
  await expect(page.locator('#alert')).toBeEmpty();

  const saved = await downloadText(page, () => page.getByRole('button', { name: 'Save settings' }).click());
  expect(saved.name).toBe('survcalc-settings.json');
  const settingsPath = join(OUTPUT, 'saved-settings.json');
  mkdirSync(OUTPUT, { recursive: true });
  await saved.download.saveAs(settingsPath);
  const report = await downloadText(page, () => page.getByRole('button', { name: 'Download report (JSON)', exact: true }).click());
  // The report records the settings it ran with: the file's, completed by the core's defaults.
  const fromPage = JSON.parse(report.text) as { settings: unknown };
  expect(fromPage.settings).toMatchObject(JSON.parse(saved.text) as Record<string, unknown>);

  const stdout = execFileSync(cli, ['analyze', join('www', 'example', 'netg3_example.csv'), '--settings', settingsPath, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  // Byte for byte, as page.spec.ts compares them (the CLI only ends its output with a newline).
  expect(stdout.endsWith('\n')).toBe(true);
  expect(report.text).toBe(stdout.slice(0, -1));
});

test('"Load settings" restores the controls, and refuses a file naming absent columns', async ({ page }) => {
  await openPage(page);
  // Start from what the page saves for the example, then change it as a user would in an editor.
  const saved = await downloadText(page, () => page.getByRole('button', { name: 'Save settings' }).click());
  const base = JSON.parse(saved.text) as Record<string, unknown> & { plot: Record<string, unknown> };
  const edited = {
    ...base,
    conf_level: 0.9,
    pairwise: true,
    tests: [{ test: 'tarone-ware' }, { test: 'fleming-harrington', p: 0, q: 1 }],
    covariates: ['age'],
    ties: 'breslow',
    response_interval: 'wilson',
    plot: { ...base.plot, title: 'From a settings file', median_lines: true },
  };
  await afterAnalysis(page, () => page.getByLabel('Load settings').setInputFiles(settingsFile('edited.json', edited)));
  await expect(page.locator('#alert')).toBeEmpty();
  await expect(page.locator('#notice')).toHaveText('Settings loaded from edited.json.');
  await expect(page.getByLabel('Confidence level', { exact: true })).toHaveValue('0.9');
  await expect(page.getByLabel('Pairwise comparisons', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Tarone–Ware', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Gehan–Breslow (Wilcoxon)', { exact: true })).not.toBeChecked();
  await expect(page.getByLabel('Fleming–Harrington', { exact: true })).toBeChecked();
  await expect(page.getByLabel('FH p', { exact: true })).toHaveValue('0');
  await expect(page.getByLabel('FH q', { exact: true })).toHaveValue('1');
  await expect(page.getByLabel('Response rate interval', { exact: true })).toHaveValue('wilson');
  await openSection(page, 'Cox model');
  await expect(page.getByRole('group', { name: 'Covariates' }).getByRole('checkbox', { name: 'age', exact: true })).toBeChecked();
  await expect(page.getByLabel('Ties', { exact: true })).toHaveValue('breslow');
  await openSection(page, 'Figure options');
  await expect(page.getByLabel('Figure title', { exact: true })).toHaveValue('From a settings file');
  await expect(page.getByLabel('Median lines', { exact: true })).toBeChecked();
  await expect(page.locator('table[data-table-id="pairwise"]')).toBeVisible();

  // A file naming columns this data lacks: a message naming them; nothing changes.
  const runsBefore = await page.locator('body').getAttribute('data-runs');
  const foreign = { ...edited, group: 'arm', covariates: ['age', 'ecog'], conf_level: 0.99 };
  await page.getByLabel('Load settings').setInputFiles(settingsFile('other-study.json', foreign));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('other-study.json names columns that netg3_example.csv does not have: "arm", "ecog"');
  await expect(alert).toContainText('The previous settings are kept.');
  await expect(page.getByLabel('Confidence level', { exact: true })).toHaveValue('0.9');
  await expect(page.getByLabel('Group', { exact: true })).toHaveValue('treatment');
  expect(await page.locator('body').getAttribute('data-runs')).toBe(runsBefore);

  // Not a settings file at all: the core's message.
  await page.getByLabel('Load settings').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"conf_level": "high"}') });
  await expect(alert).toContainText('Could not load notes.json: the settings file is not valid');
  await openSection(page, 'Settings file');
  await page.locator('#section-file').scrollIntoViewIfNeeded();
  await screenshot(page, '14-settings-file');
});

test('settings persist across a reload; "Start over" forgets them', async ({ page }) => {
  await openPage(page);
  await afterAnalysis(page, () => page.getByLabel('Pairwise comparisons', { exact: true }).check());
  await afterAnalysis(page, () => page.getByLabel('Median convention', { exact: true }).selectOption('sas'));
  await afterAnalysis(page, () => page.getByLabel('Group', { exact: true }).selectOption('primary_site'));
  // Only settings are stored, under a key that says nothing about the file.
  const stored = await page.evaluate(() => Object.entries(window.localStorage));
  expect(stored.map(([key]) => key)).toEqual(['survcalc.settings.v1']);
  const text = stored[0]?.[1] ?? '';
  expect(text).toContain('"pairwise":true');
  expect(text).not.toContain('NET001'); // no data
  expect(text).not.toContain('2022-09-29');

  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1');
  await expect(page.getByLabel('Pairwise comparisons', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Median convention', { exact: true })).toHaveValue('sas');
  await expect(page.getByLabel('Group', { exact: true })).toHaveValue('primary_site');
  await expect(page.locator('#notice')).toContainText('Your last settings were applied');
  await expect(page.locator('table[data-table-id="pairwise"]')).toBeVisible();

  // Another file without these columns starts from its own guess, and does not lose them.
  await afterAnalysis(page, () => page.getByLabel('Open data file').setInputFiles(join(FIXTURES, 'aml.csv')));
  await expect(page.getByLabel('Group', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('Pairwise comparisons', { exact: true })).not.toBeChecked();

  await afterAnalysis(page, () => page.getByRole('button', { name: 'Start over' }).click());
  await expect(page.locator('#source')).toContainText('synthetic');
  await expect(page.getByLabel('Group', { exact: true })).toHaveValue('treatment');
  await expect(page.getByLabel('Pairwise comparisons', { exact: true })).not.toBeChecked();
  await expect(page.getByLabel('Median convention', { exact: true })).toHaveValue('r');
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1');
  await expect(page.getByLabel('Median convention', { exact: true })).toHaveValue('r');
  await expect(page.locator('#notice')).toBeEmpty();
});

// ---------------------------------------------------------------------------------------------
// The worker

/** Serves the worker with its core patched: analyze() sleeps for a figure titled "SLOW" and
 * traps (a WebAssembly RuntimeError, as a panic does) for one titled "TRAP". */
async function patchWorker(page: Page): Promise<void> {
  await page.route('**/js/worker.js', async (route) => {
    const response = await route.fetch();
    const original = await response.text();
    // Both builds of the core (the first module without workbooks, and the full one).
    const patch = `import { Workspace as FullWorkspace } from '../pkg/survcalc.js';
import { Workspace as FirstWorkspace } from '../pkg-core/survcalc.js';
for (const PatchedWorkspace of [FullWorkspace, FirstWorkspace]) {
  const realAnalyze = PatchedWorkspace.prototype.analyze;
  PatchedWorkspace.prototype.analyze = function (settings) {
    const title = settings && settings.plot ? settings.plot.title : null;
    if (title === 'TRAP') throw new WebAssembly.RuntimeError('unreachable');
    if (title === 'SLOW') { const end = Date.now() + 1500; while (Date.now() < end) { /* busy */ } }
    return realAnalyze.call(this, settings);
  };
}
`;
    await route.fulfill({ response, body: patch + original });
  });
}

test('the analysis runs in a worker: "Working…" while it runs, the page stays responsive', async ({ page, watch }) => {
  await patchWorker(page);
  await openPage(page);
  expect(watch.requests.some((url) => url.endsWith('/js/worker.js'))).toBe(true);
  await openSection(page, 'Figure options');
  const title = page.getByLabel('Figure title', { exact: true });
  await title.fill('SLOW');
  await title.press('Enter');
  await expect(page.locator('#busy')).toHaveText('Working…');
  // The main thread is free: a section opens while the core works.
  await openSection(page, 'Cox model');
  await expect(page.locator('#busy')).toBeEmpty({ timeout: 10_000 });
  await expect(page.locator('figure.plot').first().locator('svg')).toContainText('SLOW');
});

test('a crash of the core restarts the worker, re-opens the file and restores the last good settings', async ({ page }) => {
  await patchWorker(page);
  await openPage(page);
  await afterAnalysis(page, () => page.getByLabel('Open data file').setInputFiles(join(FIXTURES, 'aml.csv')));
  await afterAnalysis(page, () => page.getByLabel('Group', { exact: true }).selectOption('x'));
  const before = await tableCells(page, 'endpoint-0');
  await openSection(page, 'Figure options');
  const title = page.getByLabel('Figure title', { exact: true });
  await afterAnalysis(page, async () => {
    await title.fill('TRAP');
    await title.press('Enter');
  });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The calculation engine crashed (unreachable) and was restarted');
  await expect(alert).toContainText('aml.csv was opened again');
  await expect(title).toHaveValue('');
  await expect(page.getByLabel('Group', { exact: true })).toHaveValue('x');
  expect(await tableCells(page, 'endpoint-0')).toEqual(before);
  await expect(page.locator('#stale')).toBeHidden();
  await screenshot(page, '15-crash');
  // The new worker works.
  await afterAnalysis(page, () => page.getByLabel('Median convention', { exact: true }).selectOption('sas'));
  await expect(page.locator('#alert')).toBeEmpty();
  expect((await tableCells(page, 'endpoint-0'))[0]).toEqual(['Maintained', '11', '7', '31 (13–NR)']);
});

test('a worker whose script fails to load is started again', async ({ page, watch }) => {
  let failures = 0;
  await page.route('**/js/worker.js', async (route) => {
    if (failures === 0) {
      failures += 1;
      await route.fulfill({ status: 503, contentType: 'text/plain', body: 'busy' });
    } else {
      await route.continue();
    }
  });
  await openPage(page);
  expect(failures).toBe(1);
  await expect(page.locator('#alert')).toBeEmpty();
  expect((await tableCells(page, 'endpoint-0')).length).toBeGreaterThan(0);
  // The browser reports the failed load itself; nothing else went wrong.
  watch.console = watch.console.filter((line) => !/503|worker\.js/.test(line));
});

test('the page allows workers only from itself, and keeps default-src none', async ({ page }) => {
  await openPage(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("worker-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  await expect(page.locator('script:not([src])')).toHaveCount(0);
});

test.describe('at 200% zoom', () => {
  // 200% zoom of a 1280×800 window: the same CSS layout as a 640×400 viewport at scale 2.
  test.use({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });

  test('the panel and results stack, and nothing overflows sideways', async ({ page }) => {
    await openPage(page);
    await openSection(page, 'Cox model');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const panel = await page.locator('#settings').boundingBox();
    const results = await page.locator('#results').boundingBox();
    expect(panel !== null && results !== null && results.y >= panel.y + panel.height).toBe(true);
    await screenshot(page, '16-zoom-200');
    await screenshotOf(page.locator('#section-cox'), '16-zoom-200-cox');
    await screenshotOf(page.locator('#section-endpoints'), '16-zoom-200-endpoints');
    await screenshotOf(page.locator('figure.plot').first(), '16-zoom-200-figure');
    await screenshotOf(tableBlock(page, 'endpoint-0'), '16-zoom-200-table');
  });
});
