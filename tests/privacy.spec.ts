// Zero egress, checked: the Content-Security-Policy the page and its server declare, a forbidden
// connection refused by it, the privacy badge, and a full session (example, CSV, workbook, every
// kind of analysis, every export, a settings file loaded, start over, reload) in which every
// request, from the page, its Web Worker or the service worker, is a GET for one of the page's
// own files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Download, Page, Request } from '@playwright/test';
import { afterAnalysis, expect, FIXTURES, openPage, openSection, ROOT, screenshot, tableCells, test } from './helpers.js';
import { makeXlsx } from './xlsx.js';

test.use({ serviceWorkers: 'allow' });

/** The page's policy, exactly: in its meta tag and in the server's header (scripts/serve.mjs). */
const CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; " +
  "img-src 'self' data:; style-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'";

/** URL paths of the page's own files: everything the server can serve from www/ except the
 * TypeScript sources and the service-worker template (which nothing loads). */
function appPaths(): Set<string> {
  const www = join(ROOT, 'www');
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [relative(www, full).split(sep).join('/')];
    });
  const files = walk(www).filter((f) => !f.startsWith('src/') && !/\.ts$/.test(f) && f !== 'sw-template.js' && f !== 'tsconfig.json');
  return new Set(['/', ...files.map((f) => `/${f}`)]);
}

test('the policy is exactly the expected one, in the page and in every response header', async ({ page }) => {
  await openPage(page);
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', CSP);
  for (const path of ['', 'js/main.js', 'js/worker.js', 'pkg/survcalc_bg.wasm', 'sw.js', 'manifest.webmanifest', 'no-such-file']) {
    const response = await page.request.get(path);
    const headers = response.headers();
    if (response.ok()) expect(headers['content-security-policy'], path).toBe(CSP);
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['referrer-policy'], path).toBe('no-referrer');
    expect(headers['cross-origin-opener-policy'], path).toBe('same-origin');
  }
});

test('a connection, an image or a script from elsewhere is refused, in the page and in its worker', async ({ page, watch }) => {
  await openPage(page);
  const outcome = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
    const fetched = await fetch('http://example.invalid/upload', { method: 'POST', body: 'data' }).then(
      () => 'sent',
      (error: unknown) => (error instanceof TypeError ? 'refused' : String(error)),
    );
    const image = await new Promise<string>((resolve) => {
      const img = document.createElement('img');
      img.onload = () => resolve('loaded');
      img.onerror = () => resolve('refused');
      img.src = 'http://example.invalid/pixel.png';
      document.body.append(img);
    });
    const script = document.createElement('script');
    script.textContent = 'window.injected = true;';
    document.body.append(script);
    const beacon = navigator.sendBeacon('http://example.invalid/beacon', 'data');
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { fetched, image, injected: 'injected' in window, beacon, violations };
  });
  expect(outcome.fetched).toBe('refused');
  expect(outcome.image).toBe('refused');
  expect(outcome.injected).toBe(false);
  expect(outcome.violations).toEqual(
    expect.arrayContaining([
      'connect-src http://example.invalid/upload',
      'img-src http://example.invalid/pixel.png',
      'script-src-elem inline',
    ]),
  );
  expect(outcome.violations.some((v) => v.startsWith('connect-src http://example.invalid/beacon'))).toBe(true);

  // The engine's worker has the policy too (from the response header: a worker does not see the
  // page's meta tag).
  const engine = page.workers().find((w) => w.url().endsWith('/js/worker.js'));
  expect(engine, 'the engine worker').toBeDefined();
  const fromWorker = await engine!.evaluate(async () => {
    const violations: string[] = [];
    self.addEventListener('securitypolicyviolation', (e) => violations.push((e as SecurityPolicyViolationEvent).effectiveDirective));
    const result = await fetch('http://example.invalid/from-worker').then(
      () => 'sent',
      () => 'refused',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { result, violations };
  });
  expect(fromWorker).toEqual({ result: 'refused', violations: ['connect-src'] });
  // The browser logs each refusal: that is what this test provokes.
  watch.console = watch.console.filter((line) => !/example\.invalid|Content Security Policy|inline script/.test(line));
  watch.requests = watch.requests.filter((url) => !url.includes('example.invalid'));
});

test('the badge says where the data stays, and opens with the keyboard', async ({ page }) => {
  await openPage(page);
  const badge = page.locator('header details.privacy-badge');
  const summary = badge.locator('summary');
  await expect(summary).toHaveText('Your data stays on this computer');
  await expect(badge).not.toHaveAttribute('open', '');
  await summary.focus();
  await page.keyboard.press('Enter');
  await expect(badge).toHaveAttribute('open', '');
  const body = badge.locator('.privacy-body');
  await expect(body).toBeVisible();
  await expect(body).toContainText('Nothing is uploaded');
  await expect(body).toContainText('Content-Security-Policy');
  await expect(body).toContainText('works offline');
  await expect(body).toContainText('Network');
  await expect(body).toContainText('extensions');
  await screenshot(page, '19-privacy');
  await page.keyboard.press('Enter');
  await expect(badge).not.toHaveAttribute('open', '');
});

// ---------------------------------------------------------------------------------------------
// A full session

/** What an export button saves, from its accessible name; the same kind for every table/endpoint. */
function exportKind(name: string): string {
  const kinds: Array<[RegExp, string]> = [
    [/^Download report \(JSON\)$/, 'report JSON'],
    [/^Download the table .* \(CSV\)$/, 'table CSV'],
    [/Kaplan–Meier figure \(SVG\)$/, 'KM SVG'],
    [/Kaplan–Meier figure \(PNG/, 'KM PNG'],
    [/Kaplan–Meier steps \(CSV\)$/, 'KM steps CSV'],
    [/forest plot \(SVG\)$/, 'forest SVG'],
    [/forest plot \(PNG/, 'forest PNG'],
    [/waterfall plot \(SVG\)$/, 'waterfall SVG'],
    [/waterfall plot \(PNG/, 'waterfall PNG'],
    [/swimmer plot \(SVG\)$/, 'swimmer SVG'],
    [/swimmer plot \(PNG/, 'swimmer PNG'],
    [/^Download derivation log \(CSV\)$/, 'derivation log CSV'],
    [/^Save settings$/, 'settings JSON'],
    [/^Print/, 'print view'],
  ];
  return kinds.find(([re]) => re.test(name))?.[1] ?? name;
}

/** The exports at HEAD when this test was written; the page may offer more, never fewer. */
const KNOWN_EXPORTS = [
  'report JSON',
  'table CSV',
  'KM SVG',
  'KM steps CSV',
  'forest SVG',
  'swimmer SVG',
  'waterfall SVG',
  'derivation log CSV',
  'settings JSON',
];

/** Where the last export of each kind was saved. */
const savedFiles = new Map<string, string>();

/** Clicks every visible, enabled export button (download or print) and returns their kinds. */
async function exportEverything(page: Page): Promise<Set<string>> {
  // Figures drawn on demand (swimmer plots): open them, and wait until each is drawn.
  const closed = page.locator('details.plot-more:not([open]) > summary');
  while ((await closed.count()) > 0) await closed.first().click();
  for (const more of await page.locator('details.plot-more').all()) await expect(more.locator('svg, .plot-error').first()).toBeVisible();
  const names = await page.locator('button').evaluateAll((buttons) =>
    buttons.map((b, i) => {
      const button = b as HTMLButtonElement;
      button.dataset.privacyTest = String(i);
      const name = (button.getAttribute('aria-label') ?? button.textContent ?? '').trim();
      return { i, name, usable: button.offsetParent !== null && !button.disabled };
    }),
  );
  const kinds = new Set<string>();
  for (const { i, name, usable } of names) {
    if (!usable || !/^(Download|Save settings$|Print)/.test(name)) continue;
    const button = page.locator(`button[data-privacy-test="${i}"]`);
    const kind = exportKind(name);
    kinds.add(kind);
    if (kind === 'print view') {
      const before = await page.evaluate(() => (window as unknown as { printed: number }).printed);
      await button.click();
      await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(before + 1);
      continue;
    }
    // Chromium now and then drops a download that starts right after another one (its limit on
    // automatic downloads); a person would click again, and so does this test.
    let saved: Download | null = null;
    for (let attempt = 0; attempt < 3 && saved === null; attempt += 1) {
      const download = page.waitForEvent('download', { timeout: 5_000 }).catch(() => null);
      await button.click();
      saved = await download;
    }
    expect(saved, `"${name}" saved a file`).not.toBeNull();
    const path = (await saved?.path()) ?? '';
    expect(statSync(path).size, name).toBeGreaterThan(0);
    savedFiles.set(kind, path);
  }
  return kinds;
}

test('a whole session sends nothing anywhere: every request is a GET for one of the page\'s files', async ({ page, context, baseURL }) => {
  test.setTimeout(180_000);
  const requests: Request[] = [];
  // Every request of the context: the page, its dedicated worker and the service worker.
  context.on('request', (request) => requests.push(request));
  // The print dialog would wait for a person; count the calls instead.
  await context.addInitScript(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed += 1;
    };
  });
  await openPage(page);
  await page.evaluate(() => navigator.serviceWorker.ready);

  // The example, with every kind of analysis switched on.
  for (const name of ['Gehan–Breslow (Wilcoxon)', 'Tarone–Ware', 'Log-rank test for trend', 'Fleming–Harrington', 'Pairwise comparisons']) {
    await afterAnalysis(page, () => page.getByLabel(name, { exact: true }).check());
  }
  await openSection(page, 'Cox model');
  const covariates = page.getByRole('group', { name: 'Covariates' });
  await afterAnalysis(page, () => covariates.getByRole('checkbox', { name: 'age', exact: true }).check());
  await afterAnalysis(page, () => covariates.getByRole('checkbox', { name: 'sex', exact: true }).check());
  await afterAnalysis(page, () => page.getByLabel('Cluster', { exact: true }).selectOption('patient_id'));
  await afterAnalysis(page, async () => {
    await page.getByLabel('Landmark times', { exact: true }).fill('3, 6, 12, 24');
    await page.getByLabel('Landmark times', { exact: true }).press('Enter');
  });
  await afterAnalysis(page, () => page.getByLabel('Response denominator', { exact: true }).selectOption('evaluable'));
  const cohort = page.getByRole('group', { name: 'Cohort table' });
  await afterAnalysis(page, () => cohort.getByLabel('Automatic').uncheck());
  await openSection(page, 'Figure options');
  for (const name of ['Confidence bands', 'Median lines', 'Hazard ratios']) {
    await afterAnalysis(page, () => page.getByLabel(name, { exact: true }).check());
  }
  await openSection(page, 'Rows to analyse');
  await afterAnalysis(page, () => page.getByRole('button', { name: 'Add condition' }).click());
  await afterAnalysis(page, () => page.getByLabel('Condition 1: column').selectOption('line_number'));
  await afterAnalysis(page, () => page.getByLabel('Derive from dates').check());
  const events = page.getByRole('group', { name: 'Event dates' });
  await afterAnalysis(page, () => events.getByLabel('progression_date', { exact: true }).check());
  await afterAnalysis(page, () => events.getByLabel('death_date', { exact: true }).check());
  await expect(page.locator('#alert')).toBeEmpty();
  for (const id of ['tests', 'pairwise', 'cox', 'response', 'cohort']) {
    expect((await tableCells(page, id)).length, `table ${id}`).toBeGreaterThan(0);
  }
  const found = await exportEverything(page);

  // A CSV of one's own, with a tumour-size column for a waterfall plot.
  const aml = readFileSync(join(FIXTURES, 'aml.csv'), 'utf8').trim().split('\n');
  const csv = aml.map((line, i) => `${line},${i === 0 ? 'best_change' : String(((i * 37) % 140) - 90)}`).join('\n');
  await afterAnalysis(page, () =>
    page.getByLabel('Open data file').setInputFiles({ name: 'aml-size.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }),
  );
  await afterAnalysis(page, () => page.getByLabel('Group', { exact: true }).selectOption('x'));
  await afterAnalysis(page, () => page.getByLabel('Best % change (waterfall)', { exact: true }).selectOption('best_change'));
  await expect(page.locator('#alert')).toBeEmpty();
  for (const kind of await exportEverything(page)) found.add(kind);

  // A workbook.
  const rows = aml.map((line, i) => line.split(',').map((v) => (i > 0 && /^\d+$/.test(v) ? Number(v) : v)));
  await afterAnalysis(page, () =>
    page.getByLabel('Open data file').setInputFiles({
      name: 'aml.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: makeXlsx([{ name: 'aml', rows }]),
    }),
  );
  await afterAnalysis(page, () => page.getByLabel('Group', { exact: true }).selectOption('x'));
  await expect(page.locator('#alert')).toBeEmpty();
  expect((await tableCells(page, 'endpoint-0'))[0]).toEqual(['Maintained', '11', '7', '31 (18–NR)']);
  for (const kind of await exportEverything(page)) found.add(kind);

  // The settings file just saved, loaded back; then "Start over" (the example again).
  const settings = savedFiles.get('settings JSON');
  expect(settings).toBeDefined();
  await afterAnalysis(page, () => page.getByLabel('Load settings').setInputFiles(settings ?? ''));
  await expect(page.locator('#alert')).toBeEmpty();
  await afterAnalysis(page, () => page.getByRole('button', { name: 'Start over' }).click());
  await expect(page.locator('#source')).toContainText('synthetic');

  // A reload (the settings come back from this browser's storage; the data does not).
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1');

  expect([...found], 'export kinds found on the page').toEqual(expect.arrayContaining(KNOWN_EXPORTS));
  console.log(`privacy: exports clicked: ${[...found].sort().join(', ')}`);

  // What left the page. blob: URLs are the downloads the page makes from memory (same origin,
  // never sent anywhere); data: URLs are inline images. Everything else must be a GET for one of
  // the page's own files, from its own origin.
  const origin = new URL(baseURL ?? '').origin;
  const own = appPaths();
  const offending = requests
    .filter((r) => {
      const url = r.url();
      if (url.startsWith(`blob:${origin}/`) || url.startsWith('data:')) return r.method() !== 'GET';
      const parsed = new URL(url);
      return r.method() !== 'GET' || r.postData() !== null || parsed.origin !== origin || !own.has(parsed.pathname) || parsed.search !== '';
    })
    .map((r) => `${r.method()} ${r.url()}`);
  expect(offending, 'requests other than GETs of the page\'s own files').toEqual([]);
  const paths = [...new Set(requests.filter((r) => r.url().startsWith(origin)).map((r) => new URL(r.url()).pathname))].sort();
  expect(paths.filter((p) => !own.has(p))).toEqual([]);
  // The recording did see the workers: the engine loads the WebAssembly, the service worker its cache.
  expect(paths).toEqual(expect.arrayContaining(['/', '/js/worker.js', '/pkg/survcalc_bg.wasm', '/sw.js']));
  expect(requests.some((r) => r.serviceWorker() !== null)).toBe(true);
  console.log(`privacy: ${requests.length} requests, ${paths.length} distinct paths: ${paths.join(' ')}`);
});
