// The page starts with the small WebAssembly module (pkg-core/: CSV and TSV) and loads the full
// one (pkg/: also workbooks) only when the user opens a workbook; the page's timings (read by
// scripts/bench-browser.mjs) record each step.
import { join } from 'node:path';
import { afterAnalysis, amlWorkbook, expect, FIXTURES, openPage, tableCells, test } from './helpers.js';

interface Timing {
  op: string;
  ms: number;
  workerMs?: number;
  stages?: Record<string, number>;
  memoryBytes?: number;
}

const wasmPaths = (requests: string[]): string[] =>
  requests.filter((url) => url.endsWith('.wasm')).map((url) => new URL(url).pathname);

test('the first module reads CSV; the full module is loaded for a workbook only', async ({ page, watch }) => {
  await openPage(page);
  expect(wasmPaths(watch.requests)).toEqual(['/pkg-core/survcalc_bg.wasm']);

  // A CSV: still only the first module.
  await afterAnalysis(page, () => page.getByLabel('Open data file').setInputFiles(join(FIXTURES, 'aml.csv')));
  expect(wasmPaths(watch.requests)).toEqual(['/pkg-core/survcalc_bg.wasm']);

  // A workbook: the full module is fetched once and reads it.
  await afterAnalysis(page, () => page.getByLabel('Open data file').setInputFiles(amlWorkbook()));
  await expect(page.locator('#source')).toContainText('aml.xlsx');
  expect(wasmPaths(watch.requests)).toEqual(['/pkg-core/survcalc_bg.wasm', '/pkg/survcalc_bg.wasm']);
  await afterAnalysis(page, () => page.getByLabel('Group', { exact: true }).selectOption('x'));
  expect((await tableCells(page, 'endpoint-0')).at(-1)).toEqual(['Overall', '23', '18', '27 (18–48)']);

  // A CSV afterwards opens with the module already loaded.
  await afterAnalysis(page, () => page.getByLabel('Open data file').setInputFiles(join(FIXTURES, 'aml.csv')));
  await expect(page.locator('#source')).toContainText('aml.csv');
  expect(wasmPaths(watch.requests)).toHaveLength(2);

  // The page's own timings: reading, opening, analysing (with its stages) and memory.
  const timings = (await page.evaluate(() => (window as unknown as { survcalcTimings: Timing[] }).survcalcTimings)) ?? [];
  const ops = new Set(timings.map((t) => t.op));
  for (const op of ['read', 'open', 'analyze']) expect(ops, `a timing of "${op}"`).toContain(op);
  const analysis = timings.filter((t) => t.op === 'analyze').at(-1);
  expect(analysis?.stages?.analysis).toBeGreaterThanOrEqual(0);
  expect(analysis?.stages?.figures).toBeGreaterThanOrEqual(0);
  expect(analysis?.memoryBytes).toBeGreaterThan(0);
  for (const t of timings) expect(t.ms).toBeGreaterThanOrEqual(t.workerMs ?? 0);
});
