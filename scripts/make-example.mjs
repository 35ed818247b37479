// Writes the bundled example: a SYNTHETIC cohort (no real patients) shaped like a retrospective
// study of well-differentiated high-grade (G3) neuroendocrine tumours, one row per line of
// treatment. Deterministic (seeded PRNG), so the file is reproducible byte for byte.
//
//   node scripts/make-example.mjs [OUT.csv]      (default: www/example/netg3_example.csv)
//
// Planned lines: CAPTEM 20, PRRT 10, platinum-etoposide (EP) 8, FOLFOX 7, everolimus 2.
// Progression-free times come from exponential distributions whose medians are roughly
// CAPTEM 13.5, PRRT 10, EP 4, FOLFOX 6 and everolimus 2.5 months, with censoring at the
// cut-off and some loss to follow-up.
// Dates are consistent: lines of one patient follow each other, progression <= death <= last
// contact. Months = days / 30.4375, rounded to 2 decimals.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const OUT = process.argv[2] ?? 'www/example/netg3_example.csv';
const SEED = 20240630;
const DAYS_PER_MONTH = 30.4375;
const CUTOFF = Date.UTC(2024, 5, 30); // data cut-off 2024-06-30
const EARLIEST = Date.UTC(2016, 0, 1);
const DAY = 86_400_000;

// mulberry32: small, well-known 32-bit seeded PRNG.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const uniform = (lo, hi) => lo + (hi - lo) * rand();
const int = (lo, hi) => Math.floor(uniform(lo, hi + 1));
const pick = (weights) => {
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  let u = rand() * total;
  for (const [k, w] of Object.entries(weights)) {
    if ((u -= w) < 0) return k;
  }
  return Object.keys(weights).at(-1);
};
// Exponential time in days with the given median in months.
const expDays = (medianMonths) => Math.max(14, Math.round((-Math.log(1 - rand()) * medianMonths * DAYS_PER_MONTH) / Math.LN2));

const TREATMENTS = {
  CAPTEM: { lines: 20, rank: 1, median: 14, orr: 0.45 },
  EP: { lines: 8, rank: 1, median: 4, orr: 0.4 },
  PRRT: { lines: 10, rank: 2, median: 11, orr: 0.3 },
  FOLFOX: { lines: 7, rank: 2, median: 6, orr: 0.3 },
  everolimus: { lines: 2, rank: 3, median: 2.5, orr: 0 },
};
// Progression-free times per treatment, stratified over the exponential's quantiles (one draw per
// n-th of the distribution, then shuffled) so that a cohort this small still shows the intended
// medians.
const pfsPool = Object.fromEntries(
  Object.entries(TREATMENTS).map(([name, t]) => {
    const pool = [];
    for (let i = 0; i < t.lines; i++) {
      const q = (i + uniform(0.2, 0.8)) / t.lines;
      pool.push(Math.max(35, Math.round((-Math.log(1 - q) * t.median * DAYS_PER_MONTH) / Math.LN2)));
    }
    for (let i = pool.length - 1; i > 0; i--) {
      const j = int(0, i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return [name, pool];
  }),
);
// Best response, consistent with the progression-free time: progression before the first
// restaging scan (about 12 weeks) is PD; otherwise a response with probability `orr`, else SD;
// a few are not evaluable.
function bestResponse(spec, pfsDays) {
  if (rand() < 0.05) return 'NE';
  if (pfsDays < 84) return 'PD';
  if (rand() < spec.orr * (pfsDays > 270 ? 1.4 : 0.8)) return rand() < 0.08 ? 'CR' : 'PR';
  return 'SD';
}

// 30 patients: 16 with one line, 11 with two, 3 with three = 47 lines.
const LINES_PER_PATIENT = [...Array(16).fill(1), ...Array(11).fill(2), ...Array(3).fill(3)];

// Deal treatments to patients so that nobody gets the same treatment twice; retry (still
// deterministic) in the rare case the greedy deal paints itself into a corner.
function deal() {
  for (;;) {
    const left = Object.fromEntries(Object.entries(TREATMENTS).map(([k, t]) => [k, t.lines]));
    const order = [...LINES_PER_PATIENT].sort((a, b) => b - a);
    const out = [];
    let ok = true;
    for (const k of order) {
      const mine = [];
      for (let i = 0; i < k; i++) {
        const w = Object.fromEntries(Object.entries(left).filter(([t, n]) => n > 0 && !mine.includes(t)));
        if (Object.keys(w).length === 0) { ok = false; break; }
        const t = pick(w);
        left[t] -= 1;
        mine.push(t);
      }
      if (!ok) break;
      mine.sort((a, b) => TREATMENTS[a].rank - TREATMENTS[b].rank);
      out.push(mine);
    }
    if (ok) {
      // Shuffle patients (Fisher-Yates) so line counts are not ordered by patient id.
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    }
  }
}

const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const months = (days) => (days / DAYS_PER_MONTH).toFixed(2);

const rows = [];
deal().forEach((plan, p) => {
  const patient = {
    id: `NET${String(p + 1).padStart(3, '0')}`,
    age: int(34, 79),
    sex: rand() < 0.55 ? 'M' : 'F',
    site: pick({ pancreas: 62, 'small bowel': 12, rectum: 9, stomach: 7, 'unknown primary': 10 }),
    ki67: int(20, 55),
  };
  // Relative timeline in days from the start of line 1. Every line but the last ends in
  // progression (that is why there is a next line); the last line's progression and the death
  // are latent times, censored below at the last contact.
  const lines = [];
  let t = 0;
  plan.forEach((treatment, i) => {
    const spec = TREATMENTS[treatment];
    const pfs = pfsPool[treatment].pop();
    const response = bestResponse(spec, pfs);
    lines.push({ treatment, number: i + 1, start: t, pfs, response, progressed: i < plan.length - 1 });
    if (i < plan.length - 1) t += pfs + int(14, 56);
  });
  const last = lines.at(-1);
  const lastProgression = last.start + last.pfs;
  // About one PFS event in eight is a death without documented progression.
  const deathLatent = rand() < 0.12 ? lastProgression : lastProgression + expDays(12);
  const lostLatent = rand() < 0.1 ? last.start + int(30, 720) : Infinity;
  // Calendar placement: the last line starts at least two months before the cut-off; alive
  // patients were last seen in the two months before the cut-off unless lost to follow-up.
  const latestOrigin = CUTOFF - (last.start + 60) * DAY;
  const origin = Math.round(uniform(EARLIEST, Math.max(EARLIEST, latestOrigin)) / DAY) * DAY;
  const seenLast = Math.min(Math.round((CUTOFF - origin) / DAY) - int(0, 60), lostLatent);
  const death = deathLatent <= seenLast ? deathLatent : null;
  const end = death ?? seenLast; // last contact
  last.progressed = lastProgression <= end && lastProgression < (death ?? Infinity);
  const date = (d) => iso(origin + d * DAY);
  for (const line of lines) {
    const progressionDay = line.progressed ? line.start + line.pfs : null;
    const diedFirst = line === last && !line.progressed && death !== null;
    const pfsEnd = progressionDay ?? end;
    rows.push([
      patient.id,
      patient.age,
      patient.sex,
      patient.site,
      patient.ki67,
      line.treatment,
      line.number,
      date(line.start),
      progressionDay === null ? '' : date(progressionDay),
      death === null ? '' : date(death),
      date(end),
      months(pfsEnd - line.start),
      progressionDay !== null || diedFirst ? 1 : 0,
      months(end - line.start),
      death === null ? 0 : 1,
      line.response,
    ]);
  }
});

const header = [
  'patient_id', 'age', 'sex', 'primary_site', 'ki67_percent', 'treatment', 'line_number',
  'start_date', 'progression_date', 'death_date', 'last_contact_date',
  'pfs_months', 'pfs_event', 'os_months', 'os_event', 'best_response',
];
const csv = [header, ...rows].map((r) => r.join(',')).join('\n') + '\n';
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, csv);
console.log(`make-example: wrote ${OUT} (${rows.length} lines of treatment, synthetic)`);
