// Writes the page's service worker, www/sw.js, from www/sw-template.js: `node scripts/service-worker.mjs [ROOT]`.
// Run by scripts/build.sh after everything else in www/ is built. The worker caches exactly the
// files listed here, and its version is a hash of their names and contents, so any change to the
// page makes browsers install the new files (and drop the old ones) on their next visit.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const root = resolve(process.argv[2] ?? 'www');
const TEMPLATE = 'sw-template.js';
const OUTPUT = 'sw.js';

/** Files of ROOT the page does not load: its sources, the worker itself, type declarations. */
function skipped(path) {
  return (
    path === TEMPLATE ||
    path === OUTPUT ||
    path === 'tsconfig.json' ||
    path.startsWith('src/') ||
    path.split('/').some((part) => part.startsWith('.')) ||
    /\.(ts|map)$/.test(path)
  );
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return entry.isFile() ? [relative(root, full).split(sep).join('/')] : [];
  });
}

const files = walk(root)
  .filter((path) => !skipped(path))
  .sort();
for (const needed of ['index.html', 'js/main.js', 'js/worker.js', 'pkg/survcalc_bg.wasm', 'pkg-core/survcalc_bg.wasm']) {
  if (!files.includes(needed)) {
    console.error(`service-worker: ${needed} is missing from ${root}; build the page first`);
    process.exit(1);
  }
}

const hash = createHash('sha256');
for (const path of files) {
  hash.update(path);
  hash.update('\0');
  hash.update(readFileSync(join(root, path)));
  hash.update('\0');
}
const version = hash.digest('hex').slice(0, 16);

const template = readFileSync(join(root, TEMPLATE), 'utf8');
const placeholders = ["'__SURVCALC_VERSION__'", '__SURVCALC_FILES__'];
for (const placeholder of placeholders) {
  if (template.split(placeholder).length !== 2) {
    console.error(`service-worker: ${TEMPLATE} must contain ${placeholder} exactly once`);
    process.exit(1);
  }
}
const worker = template
  .replace("'__SURVCALC_VERSION__'", JSON.stringify(version))
  .replace('__SURVCALC_FILES__', JSON.stringify(files, null, 2));
writeFileSync(join(root, OUTPUT), worker);
console.log(`service-worker: www/${OUTPUT}, version ${version}, ${files.length} files cached`);
