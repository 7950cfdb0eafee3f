// Drives the learner app (/apprendre/) in headless Chromium (playwright-core,
// Debian's /usr/bin/chromium) against a running parcd, as a phone and as a
// tablet, both with touch. Prints one line per check; exits 1 if any failed.
// Screenshots of every screen (and of each at 200 % zoom) go to --out.
//
// node learner.test.mjs --url http://127.0.0.1:PORT --parcctl PATH --video FILE --pdf FILE
//   --node-modules DIR --chromium PATH --out DIR
// (parcctl finds parcd through PARC_ADDR and PARC_TOKEN.)
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { CHROMIUM_ARGS } from './browser_lib.mjs';
import { DEVICES, check, emulateHints, failed, readAxe, screen, step } from './learner_checks.mjs';
import { phone, setUp, tablet } from './learner_journey.mjs';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
for (const name of ['url', 'parcctl', 'video', 'pdf', 'node-modules', 'chromium', 'out']) {
  if (!args[name]) {
    console.error(`learner.test.mjs: --${name} is required`);
    process.exit(2);
  }
}
const require = createRequire(path.join(path.resolve(args['node-modules']), 'resolve-from-here.js'));
const { chromium } = require('playwright-core');
const APP = `${args.url}/apprendre/`;
const WAIT_MS = 20000;
const axeSource = readAxe(require);
const BATTERY_PERCENT = 42;

// What headless Chromium lacks or cannot be told, replaced before the app
// loads: the battery's level (it reports a fixed full battery), a voice for
// speech synthesis (it has none), and on the phone a Web NFC reader (none
// either): window.__badge(text) is a badge held against it.
function emulation({ batteryPercent, nfc }) {
  Object.defineProperty(Navigator.prototype, 'getBattery', {
    value: async () => ({ level: batteryPercent / 100, charging: false, chargingTime: Infinity, dischargingTime: 7200, addEventListener() {} }),
  });
  window.__spoken = [];
  const voice = { lang: 'fr-FR', name: 'Voix de test', voiceURI: 'test', localService: true, default: true };
  window.SpeechSynthesisUtterance = class {
    constructor(text) {
      this.text = text;
    }
  };
  Object.defineProperty(window, 'speechSynthesis', {
    value: {
      getVoices: () => [voice],
      speak(u) {
        window.__spoken.push(u.text);
        setTimeout(() => u.onend?.(), 50);
      },
      cancel() {},
    },
  });
  if (!nfc) return;
  const readers = [];
  window.NDEFReader = class extends EventTarget {
    scan() {
      readers.push(this);
      return Promise.resolve();
    }
  };
  window.__badge = (text) => {
    const event = new Event('reading');
    event.message = { records: [{ recordType: 'text', encoding: 'utf-8', data: new TextEncoder().encode(text) }] };
    for (const r of readers) r.dispatchEvent(event);
  };
}

async function openDevice(deviceName) {
  const device = DEVICES[deviceName];
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parc-learner-${deviceName}-`));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: args.chromium,
    headless: true,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: device.viewport,
    deviceScaleFactor: device.deviceScaleFactor,
    isMobile: device.isMobile,
    hasTouch: device.hasTouch,
    userAgent: device.userAgent,
    args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(WAIT_MS);
  await context.addInitScript(emulation, { batteryPercent: BATTERY_PERCENT, nfc: deviceName === 'phone' });
  const cdp = await context.newCDPSession(page);
  await emulateHints(cdp, device);
  const ctx = { deviceName, context, page, cdp, axeSource, out: args.out, screens: [], errors: [], offsite: [], userDataDir };
  page.on('pageerror', (e) => ctx.errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith(args.url) && !r.url().startsWith('data:')) ctx.offsite.push(r.url());
  });
  return ctx;
}

async function closeDevice(ctx) {
  check(`no script error on the ${ctx.deviceName}`, ctx.errors.length === 0, ctx.errors.join(' | '));
  check(`nothing fetched from another server on the ${ctx.deviceName}`, ctx.offsite.length === 0, ctx.offsite.slice(0, 3).join(' '));
  await ctx.context.close();
  fs.rmSync(ctx.userDataDir, { recursive: true, force: true });
}

const heading = (page) => page.locator('h1').first().textContent();
const screenName = (page) => page.evaluate(() => document.body.dataset.screen);
async function waitScreen(page, name) {
  await page.waitForFunction((n) => document.body.dataset.screen === n, name, { timeout: WAIT_MS });
}

// The app before any enrollment: the message, the install, the offline copy,
// the speaker buttons, English, and a token that does not work.
async function unlinked(ctx) {
  const { page, cdp } = ctx;
  step(`${ctx.deviceName}: the app before enrollment`);
  await page.goto(APP);
  await waitScreen(page, 'not-linked');
  const phone = ctx.deviceName === 'phone';
  check('it says the device is not linked yet', (await heading(page)) === (phone ? 'Ce téléphone n’est pas encore relié.' : 'Cette tablette n’est pas encore reliée.'), await heading(page));
  check('lang="fr"', (await page.evaluate(() => document.documentElement.lang)) === 'fr');
  const registered = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return reg.scope;
  });
  check('the service worker is active on /apprendre/', registered === APP, registered);
  await page.reload();
  await waitScreen(page, 'not-linked');
  check('after a reload the service worker controls the page', await page.evaluate(() => Boolean(navigator.serviceWorker.controller)));
  const { installabilityErrors: errors } = await cdp.send('Page.getInstallabilityErrors');
  check('installable: Page.getInstallabilityErrors is empty', errors.length === 0, JSON.stringify(errors));
  const manifest = await (await page.request.get(`${APP}manifest.webmanifest`)).json();
  check('the manifest is French, standalone, starts at /apprendre/', manifest.lang === 'fr' && manifest.display === 'standalone' && manifest.start_url === '/apprendre/');
  const bare = await page.request.get(`${args.url}/apprendre?enroll=abc`, { maxRedirects: 0 });
  check('/apprendre without its slash leads to /apprendre/, query kept', bare.status() === 301 && bare.headers().location === '/apprendre/?enroll=abc', `${bare.status()} ${bare.headers().location}`);
  await screen(page, ctx, 'not-linked');

  step(`${ctx.deviceName}: a sentence is heard when its speaker button is pressed, offline too`);
  await ctx.context.setOffline(true);
  await page.reload();
  await waitScreen(page, 'not-linked');
  check('offline, the app opens from its own copy', (await heading(page))?.includes('relié'));
  const sound = page.waitForResponse((r) => r.url().includes('/apprendre/audio/') && r.url().endsWith('.opus'));
  await page.locator('button.say').first().tap();
  const heard = await sound;
  check('the speaker button plays the sentence from the sound files', heard.ok() && heard.fromServiceWorker(), heard.url());
  check('nothing plays by itself: the sound started on the tap', await page.evaluate(() => Boolean(document.body.dataset.saying)));
  await ctx.context.setOffline(false);

  step(`${ctx.deviceName}: in English`);
  await page.locator('#lang').tap();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  check('the words are English', (await heading(page)).startsWith('This'), await heading(page));
  await screen(page, ctx, 'not-linked-en');
  await page.locator('#lang').tap();
  await page.waitForFunction(() => document.documentElement.lang === 'fr');

  step(`${ctx.deviceName}: a code that does not work`);
  await page.goto(`${APP}?enroll=parc_enroll_not-a-real-token`);
  await waitScreen(page, 'code-refused');
  check('it says the code does not work', (await heading(page)) === 'Ce code ne marche pas.', await heading(page));
  check('the token left the address bar', !page.url().includes('enroll'), page.url());
  const { entries } = await cdp.send('Page.getNavigationHistory');
  const kept = entries.filter((e) => e.url.includes('enroll='));
  check(`no entry of the history (${entries.length}) holds the token`, kept.length === 0, kept.map((e) => e.url).join(' '));
  await screen(page, ctx, 'code-refused');
}

// The device API is served by parcd from issue 14's server side on.
async function deviceApiPresent() {
  const resp = await fetch(`${args.url}/api/v1/device/enroll`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  return resp.status !== 404 && resp.status !== 405;
}

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const env = {
  parcctl: args.parcctl,
  app: APP,
  video: args.video,
  pdf: args.pdf,
  videoSha: sha256(args.video),
  batteryPercent: BATTERY_PERCENT,
};
const journey = await deviceApiPresent();
if (journey) setUp(env);
else console.log('\nSKIPPED: the journey (this parcd has no /api/v1/device/ routes yet)');

// The service worker alone: a file put in the content cache (as content.js
// does once its SHA-256 is checked) is served offline, whole or by Range, and
// a video from it can be sought.
async function offlineFile(ctx) {
  const { page, context } = ctx;
  step(`${ctx.deviceName}: the service worker serves a kept file by Range, offline`);
  const bytes = fs.readFileSync(args.video);
  await page.route('**/test-only/video', (route) => route.fulfill({ body: bytes, contentType: 'video/webm' }));
  const url = `/apprendre/contenu/${env.videoSha}`;
  await page.evaluate(async (u) => {
    const blob = await (await fetch('/test-only/video')).blob();
    const cache = await caches.open('parc-contenu');
    await cache.put(u, new Response(blob, { headers: { 'Content-Type': 'video/webm', 'Content-Length': String(blob.size) } }));
  }, url);
  await page.unroute('**/test-only/video');
  await context.setOffline(true);
  const answers = await page.evaluate(async (u) => {
    const get = async (range) => {
      const r = await fetch(u, range ? { headers: { Range: range } } : {});
      return { status: r.status, range: r.headers.get('Content-Range'), size: (await r.arrayBuffer()).byteLength };
    };
    return { whole: await get(), first: await get('bytes=0-99'), tail: await get('bytes=-10'), past: await get('bytes=999999999-') };
  }, url);
  const size = bytes.length;
  check('whole file: 200', answers.whole.status === 200 && answers.whole.size === size, JSON.stringify(answers.whole));
  check('bytes=0-99: 206, 100 bytes', answers.first.status === 206 && answers.first.size === 100 && answers.first.range === `bytes 0-99/${size}`);
  check('bytes=-10: 206, the last 10', answers.tail.status === 206 && answers.tail.range === `bytes ${size - 10}-${size - 1}/${size}`);
  check('past the end: 416', answers.past.status === 416 && answers.past.range === `bytes */${size}`, JSON.stringify(answers.past));
  const video = await page.evaluate(async (u) => {
    const v = document.createElement('video');
    v.muted = true;
    v.src = u;
    document.body.append(v);
    await new Promise((r, j) => { v.onloadedmetadata = r; v.onerror = () => j(new Error(v.error?.message)); });
    v.currentTime = 20;
    await new Promise((r) => v.addEventListener('seeked', r, { once: true }));
    await v.play();
    await new Promise((r) => setTimeout(r, 500));
    v.pause();
    const out = { duration: v.duration, time: v.currentTime };
    v.remove();
    return out;
  }, url);
  check(`offline, the kept video plays and is sought to 20 s (at ${video.time.toFixed(2)} of ${video.duration.toFixed(1)} s)`, video.time > 20 && video.time < 25);
  await context.setOffline(false);
  await page.evaluate(() => caches.delete('parc-contenu'));
}

let status = 0;
for (const deviceName of ['phone', 'tablet']) {
  const ctx = await openDevice(deviceName);
  try {
    await unlinked(ctx);
    if (deviceName === 'tablet') await offlineFile(ctx);
    if (journey) await (deviceName === 'phone' ? phone : tablet)(ctx, env);
  } catch (e) {
    check(`${deviceName}: the walk went through`, false, e.stack);
    await ctx.page.screenshot({ path: path.join(args.out, `${deviceName}-failure.png`), fullPage: true }).catch(() => {});
    status = 1;
  }
  await closeDevice(ctx);
}
console.log(`\nscreenshots in ${args.out}`);
process.exit(failed() || status ? 1 : 0);
