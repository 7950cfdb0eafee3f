// Builds the learner app (src/learner/) into <out>/apprendre/, which parcd
// serves at /apprendre/:
//   index.html, app.js (+ chunks/, pdf.js loaded only to read a sheet),
//   app.css, sw.js (the service worker, with the list of files it keeps),
//   manifest.webmanifest, icons/*.png, pdf.worker.mjs,
//   audio/<lang>.json + audio/*.opus: every sentence of src/learner/i18n.js
//   said by espeak-ng, so each one can be heard offline.
// Called by build.mjs. Sound files are cached in <cacheDir> by a hash of the
// voice and the text, so a rebuild only speaks the sentences that changed.
//
// Why Opus in Ogg: a sentence is ~200 KB as espeak-ng's WAV and ~10 KB as
// 24 kbit/s Opus, and the app keeps them all offline (they are embedded in
// parcd too); Chromium, Firefox and Android's browsers play it, and so does
// Safari from version 18.4.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const run = promisify(execFile);
const VOICES = { fr: 'fr', en: 'en-gb' };
const SPEED = 140; // words a minute: espeak-ng's default (175) is fast for beginners
const APP_VERSION = '0.1.0';

export async function buildLearner({ esbuild, nodeModules, outDir, src, cacheDir }) {
  const app = path.join(src, 'learner');
  const out = path.join(outDir, 'apprendre');
  fs.mkdirSync(path.join(out, 'icons'), { recursive: true });
  fs.mkdirSync(path.join(out, 'audio'), { recursive: true });

  await esbuild.build({
    entryPoints: { app: path.join(app, 'app.js'), app_style: path.join(app, 'style.css') },
    outdir: out,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    target: ['es2022'], // pdf.js needs it; tablets' browsers of the last few years have it
    nodePaths: [nodeModules],
    define: { __APP_VERSION__: JSON.stringify(APP_VERSION) },
    legalComments: 'eof', // pdf.js's Apache-2.0 notice stays in the bundle
    logLevel: 'warning',
  });
  fs.renameSync(path.join(out, 'app_style.css'), path.join(out, 'app.css'));
  fs.copyFileSync(path.join(nodeModules, 'pdfjs-dist/build/pdf.worker.min.mjs'), path.join(out, 'pdf.worker.mjs'));
  fs.copyFileSync(path.join(app, 'index.html'), path.join(out, 'index.html'));
  fs.copyFileSync(path.join(app, 'icon.svg'), path.join(out, 'icons/icon.svg'));
  writeIcons(path.join(out, 'icons'));
  fs.writeFileSync(path.join(out, 'manifest.webmanifest'), JSON.stringify(manifest(), null, 2));

  const { spokenTexts, LANGUAGES } = await import(path.join(app, 'i18n.js'));
  for (const lang of LANGUAGES) {
    const index = await speakAll(spokenTexts(lang), lang, path.join(out, 'audio'), cacheDir);
    fs.writeFileSync(path.join(out, 'audio', `${lang}.json`), JSON.stringify(index));
  }

  // The service worker keeps every file above; its version changes with any of them.
  const files = listFiles(out).filter((f) => f !== 'sw.js');
  const hash = crypto.createHash('sha256');
  for (const f of files) hash.update(f).update(fs.readFileSync(path.join(out, f)));
  await esbuild.build({
    entryPoints: [path.join(app, 'sw.js')],
    outfile: path.join(out, 'sw.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2022'],
    define: {
      __PRECACHE__: JSON.stringify(files.map((f) => `/apprendre/${f}`)),
      __VERSION__: JSON.stringify(hash.digest('hex').slice(0, 16)),
    },
    logLevel: 'warning',
  });
}

function manifest() {
  return {
    name: 'Apprendre',
    short_name: 'Apprendre',
    description: 'Vos formations sur la tablette ou le téléphone.',
    lang: 'fr',
    dir: 'ltr',
    id: '/apprendre/',
    start_url: '/apprendre/',
    scope: '/apprendre/',
    display: 'standalone',
    orientation: 'any',
    background_color: '#ffffff',
    theme_color: '#1e3a8a',
    icons: [
      { src: '/apprendre/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/apprendre/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/apprendre/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: '/apprendre/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ],
  };
}

function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}

// ---- sound -------------------------------------------------------------------

async function speakAll(texts, lang, outDir, cacheDir) {
  fs.mkdirSync(cacheDir, { recursive: true });
  const index = {};
  const todo = [];
  for (const text of texts) {
    const name = `${crypto.createHash('sha256').update(`${VOICES[lang]}|${SPEED}|${text}`).digest('hex').slice(0, 16)}.opus`;
    index[text] = name;
    todo.push({ text, name });
  }
  // Two at a time: the machine has two cores.
  const worker = async () => {
    for (let job = todo.shift(); job; job = todo.shift()) {
      const cached = path.join(cacheDir, job.name);
      if (!fs.existsSync(cached)) await speak(job.text, lang, cached);
      fs.copyFileSync(cached, path.join(outDir, job.name));
    }
  };
  await Promise.all([worker(), worker()]);
  return index;
}

async function speak(text, lang, file) {
  const wav = `${file}.wav`;
  try {
    await run('espeak-ng', ['-v', VOICES[lang], '-s', String(SPEED), '-w', wav, '--', text]);
    await run('opusenc', ['--quiet', '--bitrate', '24', '--downmix-mono', wav, `${file}.tmp`]);
    fs.renameSync(`${file}.tmp`, file);
  } catch (e) {
    if (e.code === 'ENOENT') {
      throw new Error('espeak-ng and opusenc are needed to build the learner app: run deploy/install-deps.sh');
    }
    throw e;
  } finally {
    fs.rmSync(wav, { force: true });
  }
}

// ---- icons: drawn here, so no image tool is needed ------------------------------

// A tablet (white, rounded) showing a play sign, on the app's blue.
function iconPixel(x, y, maskable) {
  const blue = [30, 58, 138, 255];
  const white = [255, 255, 255, 255];
  const yellow = [250, 204, 21, 255];
  const inset = maskable ? 0.2 : 0.12; // maskable icons keep their drawing in the middle 80 %
  const roundedBox = (x0, y0, x1, y1, r) => {
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
  if (!maskable && !roundedBox(0, 0, 1, 1, 0.18)) return [0, 0, 0, 0];
  const [a, b] = [inset + 0.06, 1 - inset - 0.06];
  if (roundedBox(a, a + 0.05, b, b - 0.05, 0.07)) {
    if (roundedBox(a + 0.05, a + 0.1, b - 0.05, b - 0.1, 0.02)) {
      // The play sign, a triangle pointing right.
      const [tx, ty, s] = [0.44, 0.5, 0.17];
      if (x >= tx && x <= tx + s * 1.2 && Math.abs(y - ty) <= s * (1 - (x - tx) / (s * 1.2))) return yellow;
      return blue;
    }
    return white;
  }
  return blue;
}

function drawIcon(size, maskable) {
  const rgba = Buffer.alloc(size * size * 4);
  const samples = [0.25, 0.75];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sum = [0, 0, 0, 0];
      for (const sy of samples) {
        for (const sx of samples) {
          const p = iconPixel((x + sx) / size, (y + sy) / size, maskable);
          for (let i = 0; i < 4; i++) sum[i] += p[i];
        }
      }
      for (let i = 0; i < 4; i++) rgba[(y * size + x) * 4 + i] = Math.round(sum[i] / 4);
    }
  }
  return png(size, size, rgba);
}

function writeIcons(dir) {
  fs.writeFileSync(path.join(dir, 'icon-192.png'), drawIcon(192, false));
  fs.writeFileSync(path.join(dir, 'icon-512.png'), drawIcon(512, false));
  fs.writeFileSync(path.join(dir, 'icon-maskable-512.png'), drawIcon(512, true));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function png(width, height, rgba) {
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
