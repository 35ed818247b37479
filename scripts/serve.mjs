// Tiny static file server for the page: `node scripts/serve.mjs [ROOT] [PORT]`.
// ROOT defaults to www, PORT to $PORT or 8080. Binds 127.0.0.1 only; serves files under ROOT and
// nothing else.
//
// Every response carries the page's Content-Security-Policy as an HTTP header too (the meta tag
// alone does not reach the Web Worker or the service worker, whose scripts get their policy from
// their own response). The policy is read from the meta tag of ROOT/index.html, so the page and
// the header cannot disagree; an HTML file with a meta policy of its own (the single-file build)
// is sent with that one.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const root = resolve(process.argv[2] ?? 'www');
const port = Number(process.argv[3] ?? process.env.PORT ?? 8080);
const host = '127.0.0.1';

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve: invalid port "${process.argv[3] ?? process.env.PORT}"`);
  process.exit(2);
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.csv': 'text/csv; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
};

/** Headers sent with every response. */
const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** The content of an HTML file's `<meta http-equiv="Content-Security-Policy">`, or null. */
function metaPolicy(html) {
  const tag = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i);
  return tag ? tag[1] : null;
}

/** The site's policy: ROOT/index.html's meta tag (read each time: a rebuild may change it). */
async function sitePolicy() {
  try {
    return metaPolicy(await readFile(join(root, 'index.html'), 'utf8'));
  } catch {
    return null;
  }
}

/** The policy to send with `file`: its own meta tag for an HTML file that has one. */
async function policyFor(file) {
  if (extname(file).toLowerCase() === '.html') {
    const own = metaPolicy(await readFile(file, 'utf8'));
    if (own !== null) return own;
  }
  return sitePolicy();
}

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...COMMON_HEADERS });
  res.end(`${text}\n`);
}

const server = createServer(async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'method not allowed');
  }
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    return send(res, 400, 'bad request');
  }
  if (pathname.includes('\0')) return send(res, 400, 'bad request');
  let file = resolve(join(root, pathname));
  // Refuse anything that resolves outside the root (`..`, encoded slashes, ...).
  if (file !== root && !file.startsWith(root + sep)) return send(res, 403, 'forbidden');
  try {
    let info = await stat(file);
    if (info.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file);
    }
    if (!info.isFile()) return send(res, 404, 'not found');
    const policy = await policyFor(file);
    res.writeHead(200, {
      'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-cache',
      ...COMMON_HEADERS,
      ...(policy === null ? {} : { 'Content-Security-Policy': policy }),
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  } catch {
    send(res, 404, 'not found');
  }
});

server.listen(port, host, () => {
  const { port: bound } = server.address();
  console.log(`serving ${root} at http://localhost:${bound}/ (Ctrl+C to stop)`);
});
