#!/usr/bin/env node
// Browser benchmark: loads the built page (www/) in Debian's Chromium, opens generated cohorts
// through the page's own file input and settings loader, and prints the page's own timings per
// stage (read, parse, each analysis, figures), medians over repeated runs, next to the native CLI
// on the same files and settings in the same run.
//
//   bash scripts/build.sh && cargo build --release --bin survcalc   # once
//   node scripts/bench-browser.mjs [ROWS ...] [--reps N] [--port P]
//
// ROWS defaults to 100000 1000000. The cohorts come from `cargo run --release --example
// gen_cohort` (deterministic) and are written under target/bench-data/ (never committed).
// Nothing here is part of `npm test`; timings are printed, never asserted.
import { chromium } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target');
const DATA = join(TARGET, 'bench-data');

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}
const REPS = Number(option('--reps', '5'));
const PORT = Number(option('--port', '8170'));
const SIZES = args.length > 0 ? args.map(Number) : [100_000, 1_000_000];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => (x === undefined || Number.isNaN(x) ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** The analyses timed: the two targets, then the page's default for the file. */
const SETTINGS = {
  'KM + medians + log-rank': {
    endpoints: [{ name: 'Survival', time: 'time', event: 'status', event_values: ['1'] }],
    group: 'group',
    cohort: [],
    landmarks: [],
    covariates: [],
  },
  'Cox Efron, 4 terms (+ KM, log-rank)': {
    endpoints: [{ name: 'Survival', time: 'time', event: 'status', event_values: ['1'] }],
    group: 'group',
    cohort: [],
    landmarks: [],
    covariates: ['age', 'x1'],
    ties: 'efron',
  },
};

function cohort(rows) {
  mkdirSync(DATA, { recursive: true });
  const file = join(DATA, `cohort_${rows}.csv`);
  if (!existsSync(file)) {
    process.stderr.write(`bench: generating ${file}\n`);
    const out = spawnSync('cargo', ['run', '-q', '--release', '--example', 'gen_cohort', '--', String(rows), 'ties'], {
      cwd: ROOT,
      maxBuffer: 1 << 30,
    });
    if (out.status !== 0) throw new Error(`gen_cohort failed: ${out.stderr}`);
    writeFileSync(file, out.stdout);
  }
  return file;
}

function settingsFile(name, settings) {
  const file = join(DATA, `settings_${name.replace(/[^a-z0-9]+/gi, '_')}.json`);
  writeFileSync(file, JSON.stringify(settings, null, 2));
  return file;
}

/** The native CLI on the same file and settings, `--timings`: per stage (the same names as the
 * page's core stages) and in all, medians over the runs, in milliseconds. */
function native(file, settings) {
  const cli = join(TARGET, 'release', 'survcalc');
  if (!existsSync(cli)) return undefined;
  const runs = [];
  for (let i = 0; i < Math.max(3, Math.min(REPS, 5)); i++) {
    const t0 = process.hrtime.bigint();
    const out = spawnSync(cli, ['analyze', file, '--settings', settings, '--json', '--timings'], { maxBuffer: 1 << 30 });
    const t1 = process.hrtime.bigint();
    if (out.status !== 0) throw new Error(`CLI failed: ${out.stderr}`);
    const stages = { wall: Number(t1 - t0) / 1e6 };
    for (const line of String(out.stderr).split('\n')) {
      const [tag, stage, seconds] = line.split('\t');
      if (tag === 'timing' && stage !== undefined) stages[stage] = Number(seconds) * 1000;
    }
    runs.push(stages);
  }
  const result = {};
  for (const key of Object.keys(runs[0])) result[key] = median(runs.map((r) => r[key] ?? Number.NaN));
  return result;
}

/** The stages the targets name, summed: Kaplan–Meier with CIs and medians (rows, curves)
 * and the log-rank family (tests); the multivariable Cox fit with its concordance (what R's
 * coxph computes); apart, cox.zph of that model (R computes it with a separate call). */
const TARGET_STAGES = {
  'KM + CIs + medians + log-rank': (st) => sumStages(st, ['rows', 'curves', 'tests']),
  'Cox multivariable (Efron) with concordance': (st) => sumStages(st, ['cox multivariable']),
  'cox.zph of that model': (st) => sumStages(st, ['cox multivariable: cox.zph']),
};

function sumStages(stages, names) {
  let total = 0;
  let found = false;
  for (const [key, ms] of Object.entries(stages)) {
    const short = key.replace(/^core: /, '').replace(/^[^:]+: /, '');
    if (names.includes(short)) {
      total += ms;
      found = true;
    }
  }
  return found ? total : undefined;
}

async function startServer() {
  const server = spawn(process.execPath, [join(ROOT, 'scripts', 'serve.mjs'), join(ROOT, 'www'), String(PORT)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${PORT}/`);
      if (r.ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill();
  throw new Error('the static server did not start');
}

/** Injected before the page's scripts: the longest main-thread task (the UI must never block
 * for more than 100 ms) and when the first result appeared. */
function probe() {
  new MutationObserver(() => {
    if (document.body?.dataset.ready === '1' && window.benchFirstResult === undefined) {
      window.benchFirstResult = performance.now();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  window.benchLongTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.benchLongTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    window.benchLongTasks = [Number.NaN];
  }
}

async function timingsSince(page, index) {
  return page.evaluate((i) => (window.survcalcTimings ?? []).slice(i), index);
}

async function timingCount(page) {
  return page.evaluate(() => (window.survcalcTimings ?? []).length);
}

async function runs(page) {
  return Number((await page.locator('body').getAttribute('data-runs')) ?? '0');
}

async function waitForRun(page, before, timeout = 600_000) {
  const t0 = Date.now();
  while ((await runs(page)) <= before) {
    if (Date.now() - t0 > timeout) throw new Error('the analysis did not finish');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main() {
  if (!existsSync(join(ROOT, 'www', 'js', 'main.js'))) throw new Error('build the page first: bash scripts/build.sh');
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-gpu', '--disable-quic'] });
  const rows = [];
  const add = (stage, size, values, nativeMs, note = '') => rows.push({ stage, size, browser: median(values), n: values.length, nativeMs, note });
  try {
    // Start-up: page load to the first result on screen (the bundled example), fresh context
    // each time so nothing is cached.
    const firsts = [];
    for (let i = 0; i < REPS; i++) {
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      page.on('pageerror', (e) => process.stderr.write(`bench: page error: ${e.message}\n`));
      await page.addInitScript(probe);
      await page.goto(`http://127.0.0.1:${PORT}/`);
      await page.waitForFunction(() => window.benchFirstResult !== undefined, null, { timeout: 60_000 });
      firsts.push(await page.evaluate(() => window.benchFirstResult));
      await context.close();
    }
    add('first result on screen (example, cold load)', '-', firsts, undefined);

    for (const size of SIZES) {
      const file = cohort(size);
      const bytes = statSync(file).size;
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.addInitScript(probe);
      await page.goto(`http://127.0.0.1:${PORT}/`);
      await page.waitForFunction(() => window.benchFirstResult !== undefined, null, { timeout: 60_000 });
      const label = `${(size / 1e6).toString()}M rows`;

      // Open the file (the page then runs its default analysis on the guessed settings).
      const opens = [];
      const reads = [];
      let memory = 0;
      for (let i = 0; i < REPS; i++) {
        const t = await timingCount(page);
        const before = await runs(page);
        await page.locator('#file').setInputFiles(file);
        await waitForRun(page, before);
        for (const e of await timingsSince(page, t)) {
          if (e.op === 'read') reads.push(e.ms);
          if (e.op === 'open') opens.push(e.workerMs ?? e.ms);
          memory = Math.max(memory, e.memoryBytes ?? 0);
        }
      }
      add('read the file (File.arrayBuffer)', label, reads, undefined, `${(bytes / 1e6).toFixed(1)} MB`);
      add('parse + type the table', label, opens, undefined);

      for (const [name, settings] of Object.entries(SETTINGS)) {
        const path = settingsFile(name, settings);
        const analyses = [];
        const figures = [];
        const perStage = {};
        for (let i = 0; i < REPS; i++) {
          const t = await timingCount(page);
          const before = await runs(page);
          await page.locator('#load-settings').setInputFiles(path);
          await waitForRun(page, before);
          for (const e of await timingsSince(page, t)) {
            if (e.op === 'analyze') {
              analyses.push(e.stages?.analysis ?? e.workerMs ?? e.ms);
              if (e.stages?.figures !== undefined) figures.push(e.stages.figures);
              for (const [target, pick] of Object.entries(TARGET_STAGES)) {
                const v = pick(e.stages ?? {});
                if (v !== undefined) (perStage[target] ??= []).push(v);
              }
            }
            memory = Math.max(memory, e.memoryBytes ?? 0);
          }
        }
        const nat = native(file, path);
        add(`${name}: whole analysis`, label, analyses, nat ? nat.wall - (nat.read ?? 0) - (nat.json ?? 0) : undefined, 'native: CLI wall − read − JSON');
        for (const [target, values] of Object.entries(perStage)) {
          if ((target.startsWith('Cox') || target.startsWith('cox.zph')) && !name.startsWith('Cox')) continue;
          add(`  ${target}`, label, values, nat ? TARGET_STAGES[target](nat) : undefined, 'core stages');
        }
        if (figures.length > 0) add(`  figures`, label, figures, undefined);
      }
      const longest = await page.evaluate(() => Math.max(0, ...window.benchLongTasks));
      rows.push({
        stage: 'longest main-thread task',
        size: label,
        browser: longest > 0 ? longest : undefined,
        n: 1,
        // The browser reports tasks of 50 ms or more only.
        note: longest > 0 ? 'target < 100 ms' : 'none of 50 ms or more (target < 100 ms)',
      });
      rows.push({
        stage: 'peak wasm memory',
        size: label,
        browser: undefined,
        n: 1,
        note: memory ? `${(memory / 1e6).toFixed(0)} MB = ${(memory / bytes).toFixed(2)} × file` : 'not reported',
      });
      await context.close();
    }
  } finally {
    await browser.close();
    server.kill();
  }

  const header = ['stage', 'data', 'browser median ms', 'runs', 'native ms', 'browser/native', 'note'];
  const lines = rows.map((r) => [
    r.stage,
    r.size,
    ms(r.browser),
    String(r.n),
    ms(r.nativeMs),
    r.nativeMs && r.browser ? (r.browser / r.nativeMs).toFixed(2) : '—',
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (l) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(fmt(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(fmt(l));
  console.log(`\nChromium ${browser.version()}, ${REPS} runs per stage, medians; times from the page's own timings (window.survcalcTimings).`);
}

main().catch((error) => {
  console.error(`bench-browser: ${error.message}`);
  process.exit(1);
});
