// The learner app's service worker (scope /apprendre/). It keeps the app's
// own files (__PRECACHE__, written by the build with a version that changes
// with any of them), so the app opens without network, and answers
// /apprendre/contenu/<sha256> from the downloaded training files
// (content.js), Range requests included, so a video can be sought offline.
// The device API (/api/) always goes to the network.
/* global __PRECACHE__, __VERSION__ */
const APP_CACHE = `parc-apprendre-${__VERSION__}`;
const CONTENT_CACHE = 'parc-contenu';
const SHELL = '/apprendre/index.html';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(APP_CACHE);
      await cache.addAll(__PRECACHE__.map((url) => new Request(url, { cache: 'no-cache' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('parc-apprendre-') && name !== APP_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// "bytes=a-b", "bytes=a-", "bytes=-n" -> [start, end] inclusive; null when
// unsatisfiable; undefined when not a single range we understand.
function parseRange(header, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start;
  let end;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return null;
  return [start, end];
}

async function fromContent(request, path) {
  const cache = await caches.open(CONTENT_CACHE);
  const cached = await cache.match(path);
  if (!cached) return new Response('not on this device yet\n', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  const type = cached.headers.get('Content-Type') ?? 'application/octet-stream';
  const blob = await cached.blob();
  const header = request.headers.get('Range');
  const range = header ? parseRange(header, blob.size) : undefined;
  if (range === null) {
    return new Response('', { status: 416, headers: { 'Content-Range': `bytes */${blob.size}` } });
  }
  if (!range) {
    return new Response(blob, {
      status: 200,
      headers: { 'Content-Type': type, 'Content-Length': String(blob.size), 'Accept-Ranges': 'bytes' },
    });
  }
  const [start, end] = range;
  return new Response(blob.slice(start, end + 1), {
    status: 206,
    headers: {
      'Content-Type': type,
      'Content-Length': String(end - start + 1),
      'Content-Range': `bytes ${start}-${end}/${blob.size}`,
      'Accept-Ranges': 'bytes',
    },
  });
}

// The app's files: from the cache first (they change only with a new version
// of the service worker), the network when one is missing.
async function fromApp(request, url) {
  const cache = await caches.open(APP_CACHE);
  const key = request.mode === 'navigate' ? SHELL : url.pathname;
  const cached = await cache.match(key);
  if (cached) return cached;
  return fetch(request);
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== 'GET') return;
  if (url.pathname.startsWith('/apprendre/contenu/')) {
    event.respondWith(fromContent(event.request, url.pathname));
  } else if (url.pathname.startsWith('/apprendre/')) {
    event.respondWith(fromApp(event.request, url));
  }
});
