// survcalc's service worker, so that the page works offline once it has been opened.
//
// This is the template: scripts/service-worker.mjs (run by scripts/build.sh) writes www/sw.js
// from it, with FILES set to the exact list of the page's own files and VERSION to a hash of
// their contents, so that any change to the page installs a new cache and deletes the old one.
//
// What it does, and all it does:
// - on install, it stores those files in a cache named after VERSION;
// - it answers a GET request for one of those files (or for the directory, i.e. index.html)
//   from that cache, and goes to the network only if the file is missing from it;
// - every other request passes through untouched: the worker does not cache it, look at it or
//   answer it. The data files you analyse are never requested at all: the page reads them from
//   your disk with the browser's file API, so they never reach this worker.
/* global self, caches */
'use strict';

const VERSION = '__SURVCALC_VERSION__';
/** Paths relative to this worker's directory (the page's root). */
const FILES = __SURVCALC_FILES__;
const CACHE = `survcalc-${VERSION}`;

const scopeUrl = new URL('./', self.location.href);
/** Absolute URL (without query or fragment) → the path stored in the cache. */
const OWN = new Map(FILES.map((path) => [new URL(path, scopeUrl).href, path]));
const INDEX = FILES.includes('index.html') ? 'index.html' : null;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `no-cache`: revalidate with the server, so the cache never starts from a stale copy.
      await cache.addAll(FILES.map((path) => new Request(new URL(path, scopeUrl), { cache: 'no-cache' })));
      // The first worker takes over at once (there is no older page to disturb). A newer one
      // also does, so that a reload after an update shows the new version.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name.startsWith('survcalc-') && name !== CACHE).map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

/** The cached path for a request URL, or null when the URL is not one of the page's files. */
function ownPath(href) {
  const url = new URL(href);
  url.search = '';
  url.hash = '';
  if (url.href === scopeUrl.href && INDEX !== null) return INDEX;
  return OWN.get(url.href) ?? null;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const path = ownPath(request.url);
  if (path === null) return; // not ours: the browser handles it as if there were no worker
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const cached = await cache.match(new URL(path, scopeUrl).href);
      return cached ?? fetch(request);
    })(),
  );
});
