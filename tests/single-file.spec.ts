// The single self-contained file, dist/survcalc.html (built by scripts/single-file.mjs, which
// scripts/build.sh runs): opened from file:// with the network off, it analyses the example, a
// CSV and a workbook, and nothing it does leaves file:, blob: or data: URLs.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test as base, expect } from '@playwright/test';
import { afterAnalysis, AML_BY_X, amlWorkbook, openAmlByGroup, ROOT, tableCells } from './helpers.js';

const FILE = join(ROOT, 'dist', 'survcalc.html');
const LOCAL = /^(file|blob|data):/;

interface Watch {
  console: string[];
  requests: string[];
}

/** Every test: a context with the network off and every non-local request aborted, a record of
 * the requests, and a clean console at the end. */
const test = base.extend<{ watch: Watch }>({
  watch: [
    async ({ page, context }, use) => {
      expect(existsSync(FILE), `${FILE} is missing: run bash scripts/build.sh`).toBe(true);
      const watch: Watch = { console: [], requests: [] };
      await context.setOffline(true);
      await context.route('**/*', (route) => (LOCAL.test(route.request().url()) ? route.continue() : route.abort()));
      context.on('request', (request) => watch.requests.push(request.url()));
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') watch.console.push(`${msg.type()}: ${msg.text()}`);
      });
      page.on('pageerror', (error) => watch.console.push(`pageerror: ${error.message}`));
      await use(watch);
      expect(watch.console, 'console errors or warnings').toEqual([]);
      expect(watch.requests.filter((url) => !LOCAL.test(url)), 'requests that left file:, blob: and data:').toEqual([]);
    },
    { auto: true },
  ],
});

test('from file:// with no network: the example, then a CSV, with the numbers R gives', async ({ page, watch }) => {
  const start = Date.now();
  await page.goto(pathToFileURL(FILE).href);
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1');
  const firstResultMs = Date.now() - start;
  test.info().annotations.push({ type: 'file:// to first result', description: `${firstResultMs} ms` });
  console.log(`single file: file:// to the example's first result took ${firstResultMs} ms`);
  // The example is inside the file.
  await expect(page.locator('#source')).toContainText('synthetic');
  expect((await tableCells(page, 'endpoint-0')).length).toBeGreaterThan(1);

  await openAmlByGroup(page);
  await expect(page.locator('#alert')).toBeEmpty();
  expect(await tableCells(page, 'endpoint-0')).toEqual(AML_BY_X);
  const km = page.locator('figure.plot').filter({ hasText: 'Kaplan–Meier estimate' }).locator('svg');
  await expect(km.locator('path.km-curve')).toHaveCount(2);

  // A workbook (the served page loads a second module for these; here the one module reads both).
  await afterAnalysis(page, () => page.getByLabel('Open data file').setInputFiles(amlWorkbook()));
  await expect(page.locator('#source')).toContainText('aml.xlsx');
  await afterAnalysis(page, () => page.getByLabel('Group', { exact: true }).selectOption('x'));
  await expect(page.locator('#alert')).toBeEmpty();
  expect((await tableCells(page, 'endpoint-0'))[0]).toEqual(['Maintained', '11', '7', '31 (18–NR)']);

  // The report downloads (a blob: URL, made and read on this computer).
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download report (JSON)', exact: true }).click();
  const report = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { endpoints: unknown[] };
  expect(report.endpoints).toHaveLength(1);

  // The engine ran in a worker started from a blob: URL; the page itself is the only file.
  expect(watch.requests.filter((url) => url.startsWith('file:'))).toEqual([pathToFileURL(FILE).href]);
  expect(page.workers().map((worker) => worker.url().split(':')[0])).toEqual(['blob']);
});

test('its policy allows nothing to be fetched; its hashes match its inline script and style', async ({ page, watch }) => {
  const html = readFileSync(FILE, 'utf8');
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)?.[1] ?? '';
  const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
  expect(directives.get('default-src')).toEqual(["'none'"]);
  expect(directives.get('connect-src')).toEqual(["'none'"]);
  expect(directives.get('worker-src')).toEqual(['blob:']);
  expect(directives.get('img-src')).toEqual(['data:']);
  expect(csp).not.toContain("'self'");
  expect(csp).not.toContain('unsafe-inline');
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  const scripts = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => hash(m[1] ?? ''));
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => hash(m[1] ?? ''));
  expect(scripts).toHaveLength(1);
  expect(directives.get('script-src')).toEqual([...scripts, "'wasm-unsafe-eval'"]);
  expect(directives.get('style-src')).toEqual(styles);
  // Nothing in the markup refers to another file.
  const markup = html.replace(/<script type="module">[\s\S]*?<\/script>|<style>[\s\S]*?<\/style>/g, '');
  expect([...markup.matchAll(/\b(?:src|href)="(?!data:|#)([^"]*)"/g)].map((m) => m[1])).toEqual([]);
  expect(markup).not.toMatch(/<link rel="(?:manifest|stylesheet)"/);

  // dist/SHA256SUMS holds the file's checksum, as `sha256sum -c` reads it.
  const sums = readFileSync(join(ROOT, 'dist', 'SHA256SUMS'), 'utf8');
  expect(sums).toBe(`${createHash('sha256').update(readFileSync(FILE)).digest('hex')}  survcalc.html\n`);

  // In the browser: a fetch, even of a data: URL, is refused by the policy itself.
  await page.goto(pathToFileURL(FILE).href);
  await expect(page.locator('body')).toHaveAttribute('data-ready', '1');
  const outcome = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
    const attempts = await Promise.all(
      ['http://example.invalid/', 'data:text/plain,x'].map((url) =>
        fetch(url).then(
          () => 'fetched',
          (error: unknown) => (error instanceof TypeError ? 'refused' : String(error)),
        ),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { attempts, violations };
  });
  expect(outcome.attempts).toEqual(['refused', 'refused']);
  expect(outcome.violations).toEqual(expect.arrayContaining(['connect-src http://example.invalid/', 'connect-src data']));
  // The browser logs each refusal; that is the point of this test.
  watch.console = watch.console.filter((line) => !/Refused to connect|Content Security Policy/.test(line));
});
