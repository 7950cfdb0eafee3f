// The assigned modules' files, kept in Cache Storage ("parc-contenu") under
// /apprendre/contenu/<sha256>, where the service worker answers the video and
// PDF viewers from them (Range requests included), offline too.
//
// A file is fetched in pieces of 4 MiB (HTTP Range); each piece is kept in
// IndexedDB as it arrives, so a download cut by the network goes on from the
// first missing piece. A file counts as ready only once the whole of it hashes
// (SHA-256) to its name; otherwise it is fetched again. Files no longer in the
// device's set are deleted.
import * as api from './api.js';
import * as db from './db.js';

export const CACHE = 'parc-contenu';
export const PIECE = 4 << 20;
const urlOf = (sha256) => `/apprendre/contenu/${sha256}`;

const TYPES = {
  mp4: 'video/mp4', m4v: 'video/mp4', webm: 'video/webm', ogv: 'video/ogg', mov: 'video/quicktime',
  pdf: 'application/pdf', mp3: 'audio/mpeg', ogg: 'audio/ogg', opus: 'audio/ogg', m4a: 'audio/mp4', wav: 'audio/wav',
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
  html: 'text/html', zip: 'application/zip',
};
export function typeOf(item) {
  const ext = /\.([a-z0-9]+)$/i.exec(item.fileName ?? '')?.[1]?.toLowerCase();
  return TYPES[ext] ?? 'application/octet-stream';
}

export async function isReady(sha256) {
  const cache = await caches.open(CACHE);
  return Boolean(await cache.match(urlOf(sha256)));
}

export async function readySet() {
  const cache = await caches.open(CACHE);
  return new Set((await cache.keys()).map((r) => new URL(r.url).pathname.split('/').pop()));
}

async function hex(buffer) {
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function storedPieces(sha256) {
  const keys = await db.keys('chunks');
  return new Set(keys.filter((k) => k[0] === sha256).map((k) => k[1]));
}

async function dropPieces(sha256) {
  const pieces = await storedPieces(sha256);
  await db.transaction('chunks', 'readwrite', async ({ chunks }, done) => {
    for (const i of pieces) await done(chunks.delete([sha256, i]));
  });
}

// Fetches one file; `onBytes(n)` is told of every piece that arrives.
// Resolves true once it is ready, false when its bytes did not hash to its
// name (the pieces are dropped: the next sync fetches it again).
async function download(credential, item, onBytes) {
  const size = Number(item.size);
  const count = Math.max(1, Math.ceil(size / PIECE));
  const have = await storedPieces(item.sha256);
  for (let i = 0; i < count; i++) {
    if (have.has(i)) continue;
    const start = i * PIECE;
    const end = Math.min(size, start + PIECE) - 1;
    const blob = size === 0 ? new Blob([]) : await api.contentRange(credential, item.sha256, start, end);
    if (blob.size !== end - start + 1) throw new api.ApiError(`piece ${i} of ${item.sha256}: ${blob.size} bytes`, { offline: true });
    await db.put('chunks', [item.sha256, i], blob);
    onBytes(blob.size);
  }
  const pieces = [];
  for (let i = 0; i < count; i++) pieces.push(await db.get('chunks', [item.sha256, i]));
  const whole = new Blob(pieces, { type: typeOf(item) });
  if ((await hex(await whole.arrayBuffer())) !== item.sha256) {
    await dropPieces(item.sha256);
    return false;
  }
  const cache = await caches.open(CACHE);
  await cache.put(
    urlOf(item.sha256),
    new Response(whole, { headers: { 'Content-Type': typeOf(item), 'Content-Length': String(whole.size) } }),
  );
  await dropPieces(item.sha256);
  return true;
}

// Brings the cache to the device's set: deletes what is not in `modules`
// any more, then fetches what is missing, smallest first. `onChange({sha256,
// received, ready})` follows the downloads. Rejects with the ApiError that
// stopped it (no network: the next sync goes on where this one stopped).
let running = null;
export function sync(credential, modules, onChange = () => {}) {
  if (running) return running;
  running = (async () => {
    const wanted = new Map();
    for (const m of modules) for (const item of m.items ?? []) wanted.set(item.sha256, item);
    const cache = await caches.open(CACHE);
    for (const req of await cache.keys()) {
      const sha = new URL(req.url).pathname.split('/').pop();
      if (!wanted.has(sha)) await cache.delete(req);
    }
    for (const key of await db.keys('chunks')) if (!wanted.has(key[0])) await db.remove('chunks', key);
    const ready = await readySet();
    const missing = [...wanted.values()].filter((i) => !ready.has(i.sha256)).sort((a, b) => Number(a.size) - Number(b.size));
    if (missing.length > 0 && navigator.storage?.persist) await navigator.storage.persist().catch(() => false);
    for (const item of missing) {
      let received = (await storedPieces(item.sha256)).size * PIECE;
      onChange({ sha256: item.sha256, received, ready: false });
      const ok = await download(credential, item, (n) => {
        received += n;
        onChange({ sha256: item.sha256, received, ready: false });
      });
      onChange({ sha256: item.sha256, received, ready: ok });
    }
  })().finally(() => {
    running = null;
  });
  return running;
}

// Forgets every file (the device is no longer linked).
export async function forgetAll() {
  await caches.delete(CACHE);
  await db.clear('chunks');
}
