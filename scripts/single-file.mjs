// Builds dist/survcalc.html: the whole page in one self-contained HTML file that works from
// file:// with no network at all. `node scripts/single-file.mjs [WWW] [OUT]` (defaults: www,
// dist/survcalc.html), run by scripts/build.sh after the page is built into www/.
//
// What goes into the file:
// - the page's JavaScript (www/js/*.js, tsc's output), bundled into one inline module script:
//   each ES module becomes a function scope, its imports become reads of the modules it imports
//   (this small bundler understands the import/export forms tsc emits, and stops the build on
//   anything else);
// - the engine's Web Worker (www/js/worker.js with the wasm-bindgen glue), bundled the same way
//   into a classic script, kept as a string in the page and started from a blob: URL. The WebAssembly module is in it
//   as base64 and is instantiated from those bytes, never fetched;
// - the stylesheet as an inline <style>, images as data: URLs, the example data as text;
// - a Content-Security-Policy derived from the page's own (www/index.html): 'self' gives way to
//   the sha256 hashes of the inline script and style, workers may come only from blob: URLs, and
//   connect-src is 'none': the page cannot fetch anything at all.
//
// It prints the file's size (raw and gzip) and SHA-256, and writes dist/SHA256SUMS (the format of
// `sha256sum -c`).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const WWW = resolve(process.argv[2] ?? 'www');
const OUT = resolve(process.argv[3] ?? join('dist', 'survcalc.html'));

function fail(message) {
  console.error(`single-file: ${message}`);
  process.exit(1);
}

const read = (path) => readFileSync(join(WWW, path), 'utf8');
const sha256 = (data) => createHash('sha256').update(data).digest();
const rel = (file) => relative(WWW, file).split(sep).join('/');

// ---------------------------------------------------------------------------------------------
// A bundler for tsc's ES module output

/** `a, b as c` → [['a', 'a'], ['b', 'c']] (exported or imported name, local name). */
function specifiers(list, file) {
  return list
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const m = part.match(/^([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/);
      if (!m) fail(`${file}: cannot bundle the import/export specifier "${part}"`);
      return [m[1], m[2] ?? m[1]];
    });
}

/**
 * Bundles the module `entry` (a path under WWW) and everything it imports.
 * `options.alias(path)` may name another module to load in its place; `options.replace(path)`
 * may return the code of a module's exports object to use instead of the module (a stub);
 * `options.adjust(path, exportsVar)` may return an expression that replaces the exports seen by
 * importers; `options.prelude` is put at the top of every module's scope; `options.edit(path,
 * code)` may change a module's code before bundling. A dynamic import() of a literal path gets
 * the module, bundled like a static one.
 */
function bundle(entry, options = {}) {
  const order = [];
  const ids = new Map();
  const visiting = new Set();
  const parts = [];
  let count = 0;

  function load(file) {
    const alias = options.alias?.(rel(file));
    if (alias !== undefined) return load(join(WWW, alias));
    const path = rel(file);
    if (ids.has(path)) return ids.get(path);
    if (visiting.has(path)) fail(`${path}: circular import`);
    visiting.add(path);
    count += 1;
    const id = `__survcalc_m${count}_${basename(path, '.js').replace(/\W/g, '_')}`;

    const stub = options.replace?.(path);
    if (stub !== undefined) {
      parts.push(`const ${id} = Object.freeze(${stub});`);
      visiting.delete(path);
      ids.set(path, id);
      order.push(path);
      return id;
    }

    let code = readFileSync(file, 'utf8');
    if (options.edit) code = options.edit(path, code);
    const lines = [];
    // Imports: side effects only, then with bindings (tsc writes each import as one statement,
    // possibly over several lines).
    code = code.replace(/^import\s+(['"])([^'"]+)\1;?[ \t]*$/gm, (_, _q, spec) => {
      load(resolve(dirname(file), spec));
      return '';
    });
    code = code.replace(/^import\s+([\s\S]*?)\s+from\s+(['"])([^'"]+)\2;?[ \t]*$/gm, (_, clause, _q, spec) => {
      if (!spec.startsWith('.')) fail(`${path}: cannot bundle the bare import "${spec}"`);
      const target = load(resolve(dirname(file), spec));
      const m = clause.match(/^(?:([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\{([\s\S]*)\}|\*\s+as\s+([A-Za-z_$][\w$]*))?$/);
      if (!m) fail(`${path}: cannot bundle the import "${clause}"`);
      const [, def, named, namespace] = m;
      if (def) lines.push(`const ${def} = ${target}.default;`);
      if (named !== undefined) {
        const names = specifiers(named, path).map(([from, local]) => (from === local ? from : `${from}: ${local}`));
        if (names.length > 0) lines.push(`const { ${names.join(', ')} } = ${target};`);
      }
      if (namespace) lines.push(`const ${namespace} = ${target};`);
      return '';
    });
    // A dynamic import of a module named by a literal: that module, already evaluated.
    code = code.replace(/\bimport\(\s*(['"])(\.[^'"]+)\1\s*\)/g, (_, _q, spec) => `Promise.resolve(${load(resolve(dirname(file), spec))})`);
    if (/^\s*import[\s{*'"]/m.test(code) || /\bimport\s*\(/.test(code)) fail(`${path}: an import form this bundler does not know`);

    // Exports.
    const exported = [];
    code = code.replace(/^export\s+\{([^}]*)\};?[ \t]*$/gm, (_, list) => {
      for (const [local, name] of specifiers(list, path)) exported.push([name, local]);
      return '';
    });
    code = code.replace(/^export\s+((?:async\s+)?function\*?|class|const)\s+([A-Za-z_$][\w$]*)/gm, (_, kind, name) => {
      exported.push([name, name]);
      return `${kind} ${name}`;
    });
    if (/^\s*export\b/m.test(code)) fail(`${path}: an export form this bundler does not know (export let/var/default/*?)`);

    const body = [options.prelude ?? '', ...lines, code.trim()].filter((s) => s !== '').join('\n');
    const object = exported.map(([name, local]) => (name === local ? name : `${JSON.stringify(name)}: ${local}`)).join(', ');
    parts.push(`// ---- ${path}\nconst ${id} = (() => {\n${body}\nreturn Object.freeze({ ${object} });\n})();`);
    const adjusted = options.adjust?.(path, id);
    let visible = id;
    if (adjusted !== undefined) {
      visible = `${id}_adjusted`;
      parts.push(`const ${visible} = Object.freeze(${adjusted});`);
    }
    visiting.delete(path);
    ids.set(path, visible);
    order.push(path);
    return visible;
  }

  load(join(WWW, entry));
  return { code: parts.join('\n'), modules: order };
}

// ---------------------------------------------------------------------------------------------
// The worker: worker.js + the wasm-bindgen glue, the module as base64

const wasm = readFileSync(join(WWW, 'pkg', 'survcalc_bg.wasm'));
const GLUE = 'pkg/survcalc.js';
const GLUE_WASM_URL = "new URL('survcalc_bg.wasm', import.meta.url)";
const worker = bundle('js/worker.js', {
  // One module in the file: the full one also stands for the smaller first module (pkg-core/,
  // the core without the workbook reader) that the served page may load first.
  alias: (path) => (/^pkg-[\w-]+\/survcalc\.js$/.test(path) ? GLUE : undefined),
  // The glue's default export fetches survcalc_bg.wasm next to itself; here it gets the bytes.
  adjust: (path, id) => (path === GLUE ? `{ ...${id}, default: () => ${id}.default({ module_or_path: __survcalcWasmBytes() }) }` : undefined),
  // A classic script has no import.meta; the glue's fallback URL is never used (see above).
  edit: (path, code) => {
    if (path === GLUE) {
      if (code.split(GLUE_WASM_URL).length !== 2) fail(`${GLUE}: expected ${GLUE_WASM_URL} exactly once`);
      code = code.replace(GLUE_WASM_URL, "new URL('survcalc_bg.wasm', self.location.href)");
    }
    if (/import\.meta/.test(code)) fail(`${path}: import.meta cannot be used in the single file's worker`);
    return code;
  },
});
if (!worker.modules.includes(GLUE)) fail(`js/worker.js no longer imports ${GLUE}`);
// A classic worker, not a module one: Chromium refuses a module worker from a blob: URL made by a
// file:// page (its origin is opaque, and module scripts are fetched in CORS mode).
const workerSource = `// survcalc's calculation engine (single-file build)
'use strict';
const __survcalcWasm = ${JSON.stringify(wasm.toString('base64'))};
function __survcalcWasmBytes() {
  return typeof Uint8Array.fromBase64 === 'function'
    ? Uint8Array.fromBase64(__survcalcWasm)
    : Uint8Array.from(atob(__survcalcWasm), (c) => c.charCodeAt(0));
}
${worker.code}
`;

// ---------------------------------------------------------------------------------------------
// The page: main.js and its modules; the worker from a blob: URL; the example data embedded

const WORKER_URL = "new Worker(new URL('./worker.js', import.meta.url), { type: 'module',";
const embedded = new Map();
for (const name of readdirSync(join(WWW, 'example'))) embedded.set(`example/${name}`, read(`example/${name}`));

const page = bundle('js/main.js', {
  // No service worker: the file has nothing to cache and nowhere to fetch from.
  replace: (path) => (path === 'js/offline.js' ? '{ registerServiceWorker() {} }' : undefined),
  edit: (path, code) => {
    if (path === 'js/engine.js') {
      if (code.split(WORKER_URL).length !== 2) fail(`js/engine.js: expected ${WORKER_URL} exactly once`);
      code = code.replace(WORKER_URL, "new Worker(__survcalcWorkerUrl(), { type: 'classic',");
    }
    if (/import\.meta/.test(code)) fail(`${path}: import.meta has no meaning in the single file`);
    return code;
  },
  // The page's own fetches (the example data) are answered from the embedded copies.
  prelude: 'const fetch = __survcalcFetch;',
});
if (!page.modules.includes('js/engine.js')) fail('js/main.js no longer imports js/engine.js');

const pageScript = `// survcalc, single-file build: the page, its engine and the example in one file.
const __survcalcWorkerSource = ${JSON.stringify(workerSource)};
let __survcalcWorkerBlobUrl = null;
function __survcalcWorkerUrl() {
  // One blob: URL for every worker the page starts (a restart after a crash reuses it).
  __survcalcWorkerBlobUrl ??= URL.createObjectURL(new Blob([__survcalcWorkerSource], { type: 'text/javascript' }));
  return __survcalcWorkerBlobUrl;
}
const __survcalcEmbedded = new Map(${JSON.stringify([...embedded])});
function __survcalcFetch(input, init) {
  const text = __survcalcEmbedded.get(String(input).replace(/^\\.\\//, ''));
  if (text === undefined) return globalThis.fetch(input, init); // refused: connect-src 'none'
  return Promise.resolve(new Response(text, { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' } }));
}
${page.code}
`;

// ---------------------------------------------------------------------------------------------
// The HTML

/** Text safe inside <script>…</script> or <style>…</style>: no end tag, no comment opener. */
function inlineSafe(text, tag) {
  const safe = text.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);
  if (/<!--/.test(safe)) fail(`the inline ${tag} contains "<!--"`);
  return safe;
}

const IMAGE_TYPES = { '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.webp': 'image/webp' };
const dataUrl = (path) => {
  const type = IMAGE_TYPES[extname(path).toLowerCase()];
  if (!type) fail(`index.html refers to ${path}, which cannot be embedded`);
  return `data:${type};base64,${readFileSync(join(WWW, path)).toString('base64')}`;
};

// The markup is changed first, with the inline script and styles kept out of it as placeholders
// (so that nothing in their text is taken for markup, and their hashes are of what is inlined).
let html = read('index.html');
const script = inlineSafe(pageScript, 'script');
const styles = [];
let scripts = 0;
html = html.replace(/[ \t]*<link rel="manifest"[^>]*>\n?/g, '');
html = html.replace(/<link rel="stylesheet" href="([^"]+)">/g, (_, href) => {
  const css = inlineSafe(read(href), 'style');
  if (/url\((?!\s*['"]?data:)/.test(css)) fail(`${href} refers to another file (url(…)); embed it first`);
  styles.push(css);
  return `<!--survcalc-style-${styles.length - 1}-->`;
});
html = html.replace(/<script type="module" src="js\/main\.js"><\/script>/g, () => {
  scripts += 1;
  return '<!--survcalc-script-->';
});
if (scripts !== 1) fail('index.html must load js/main.js exactly once, as <script type="module" src="js/main.js">');
if (/<script\b[^>]*\bsrc=/i.test(html)) fail('index.html loads another script file');
html = html.replace(/\b(src|href)="(?![a-z]+:|#)([^"]+)"/gi, (_, attr, path) => `${attr}="${dataUrl(path)}"`);
// Nothing may point outside the file.
const outside = [...html.matchAll(/\b(?:src|href)="(?!data:|#)([^"]*)"/gi)].map((m) => m[1]);
if (outside.length > 0) fail(`the file still refers to ${outside.join(', ')}`);

// The policy: the page's own, with 'self' replaced by what the single file needs.
const CSP_META = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/;
const original = html.match(CSP_META)?.[1] ?? fail('index.html has no Content-Security-Policy meta tag');
const hash = (text) => `'sha256-${sha256(text).toString('base64')}'`;
const directives = original
  .split(';')
  .map((d) => d.trim().split(/\s+/))
  .filter((d) => d[0] !== '');
const policy = [];
for (const [name, ...values] of directives) {
  const rest = values.filter((v) => v !== "'self'");
  switch (name) {
    case 'script-src':
      policy.push([name, hash(script), ...rest]);
      break;
    case 'style-src':
      policy.push([name, ...styles.map(hash), ...rest]);
      break;
    case 'worker-src':
      policy.push([name, 'blob:']);
      break;
    case 'connect-src':
      policy.push([name, "'none'"]);
      break;
    case 'manifest-src':
      break; // no manifest: default-src applies
    default:
      policy.push([name, ...(rest.length > 0 ? rest : ["'none'"])]);
  }
}
const names = policy.map(([name]) => name);
for (const needed of ['default-src', 'script-src', 'worker-src', 'connect-src', 'img-src', 'style-src']) {
  if (!names.includes(needed)) fail(`the page's policy has no ${needed}; the single file's would be looser`);
}
if (!policy.find(([n]) => n === 'img-src').includes('data:')) fail("img-src must allow data: (images are embedded)");
const csp = policy.map((d) => d.join(' ')).join('; ');
html = html.replace(CSP_META, () => `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
html = html
  .replace(/<!--survcalc-style-(\d+)-->/g, (_, i) => `<style>${styles[Number(i)]}</style>`)
  .replace('<!--survcalc-script-->', () => `<script type="module">${script}</script>`);

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, html);
const bytes = readFileSync(OUT);
const digest = sha256(bytes).toString('hex');
writeFileSync(join(dirname(OUT), 'SHA256SUMS'), `${digest}  ${basename(OUT)}\n`);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `single-file: ${relative(process.cwd(), OUT)}: ${bytes.length} bytes (${kb(bytes.length)}), ` +
    `${gzipSync(bytes, { level: 9 }).length} bytes gzipped; ${statSync(join(WWW, 'pkg', 'survcalc_bg.wasm')).size} bytes of WebAssembly inside`,
);
console.log(`single-file: SHA-256 ${digest}  ${basename(OUT)} (also in ${relative(process.cwd(), join(dirname(OUT), 'SHA256SUMS'))})`);
