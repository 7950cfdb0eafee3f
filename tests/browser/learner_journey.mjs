// The learner's whole journey on a real parcd, driven from learner.test.mjs:
// parcctl (real, gRPC) on one side, the app in Chromium on the other.
//
// tablet(): a token's URL enrolls the tablet (its battery level reaches
//   `parcctl devices status`); given to E000104, it shows the module with a
//   20 MiB video and a PDF, downloads both (a network cut in the middle: the
//   download goes on from the pieces it has); offline, the video plays and is
//   sought, the PDF is read, the module is done; back online `parcctl progress`
//   shows it completed once. Someone else signs in on the keypad: the usage
//   session and "used by someone other than the holder" show. Revoked: the
//   app says so.
// phone(): a phone in nobody's hands (a shared device) is signed in by a
//   badge (Web NFC, mocked: headless Chromium has none) and shows the holder's
//   module.
import { execFileSync } from 'node:child_process';

import { check, screen, step } from './learner_checks.mjs';

const HOLDER = 'E000104';
const OTHER = '000123';
const MODULE = 'MESSAGERIE-1';

export function parcctl(env, ...argv) {
  // In English whatever the machine's locale: the checks read parcctl's words.
  return execFileSync(env.parcctl, argv, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' }, timeout: 30000 });
}
const parcctlJson = (env, ...argv) => JSON.parse(parcctl(env, '--json', ...argv));

async function until(what, test, { timeoutMs = 30000, everyMs = 500 } = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await test();
    if (value) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const waitScreen = (page, name, timeout = 30000) =>
  page.waitForFunction((n) => document.body.dataset.screen === n, name, { timeout });
const heading = (page) => page.locator('h1').first().textContent();

// The people, the module and its two files, as an advisor sets them up.
export function setUp(env) {
  step('parcctl: two people, a module with a 20 MiB video and a PDF, given to E000104');
  parcctl(env, 'sites', 'add', 'CTM-NORD', '--name', 'Centre technique nord');
  parcctl(env, 'agents', 'add', HOLDER, '--first-name', 'Camille', '--last-name', 'Martin', '--department', 'PROPRETE', '--site', 'CTM-NORD');
  parcctl(env, 'agents', 'add', OTHER, '--first-name', 'Dominique', '--last-name', 'Petit', '--department', 'PROPRETE', '--site', 'CTM-NORD');
  parcctl(env, 'modules', 'add', MODULE, '--title', 'Lire ses messages', '--minutes', '15');
  parcctl(env, 'modules', 'add-item', MODULE, env.video, env.pdf, '--title', 'Regarder comment faire', '--title', 'La fiche à garder');
  parcctl(env, 'modules', 'publish', MODULE);
  const due = new Date(Date.now() + 9 * 86400000).toISOString().slice(0, 10);
  parcctl(env, 'modules', 'assign', MODULE, '--agent', HOLDER, '--due', due);
  check(`${MODULE} published and assigned to ${HOLDER}, due ${due}`, true);
}

// The enrollment URL of a new single-use token (the printed sheet's QR code).
function enrollUrl(env) {
  const token = parcctlJson(env, 'enroll-token', 'create', '--uses', '1', '--expires', '1d');
  const secret = token.token ?? token.secret;
  if (token.url) check('the token comes with its /apprendre/?enroll= URL', token.url.endsWith(`/apprendre/?enroll=${secret}`), token.url);
  return `${env.app}?enroll=${encodeURIComponent(secret)}`;
}

// The serial the app gave itself.
const serialOf = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('parc-apprendre');
        req.onsuccess = () => {
          const get = req.result.transaction('kv').objectStore('kv').get('serial');
          get.onsuccess = () => resolve(get.result);
          get.onerror = () => reject(get.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
const waiting = (page, store) =>
  page.evaluate(
    (name) =>
      new Promise((resolve) => {
        const req = indexedDB.open('parc-apprendre');
        req.onsuccess = () => {
          const count = req.result.transaction(name).objectStore(name).count();
          count.onsuccess = () => resolve(count.result);
        };
      }),
    store,
  );

async function enroll(ctx, env) {
  const { page } = ctx;
  const url = enrollUrl(env);
  await page.goto(url);
  await page.waitForFunction(() => !['opening', 'linking'].includes(document.body.dataset.screen), null, { timeout: 30000 });
  check('the token left the address bar', !page.url().includes('enroll'), page.url());
  const { entries } = await ctx.cdp.send('Page.getNavigationHistory');
  check('and no history entry holds it', !entries.some((e) => e.url.includes('enroll=')));
  const serial = await serialOf(page);
  check('the app gave itself a random serial', /^PWA-[0-9A-F]{16}$/.test(serial ?? ''), serial);
  const devices = parcctlJson(env, 'devices', 'list');
  const listed = (devices.devices ?? devices).find?.((d) => d.serial === serial);
  check(`${serial} is in parcctl devices list`, Boolean(listed), JSON.stringify(listed ?? devices).slice(0, 300));
  const battery = await until('the first check-in', () => {
    const status = parcctlJson(env, 'devices', 'status', serial);
    return status.status?.batteryPercent ?? status.batteryPercent ? status : null;
  });
  const percent = battery.status?.batteryPercent ?? battery.batteryPercent;
  check(`the emulated battery level reached parcd: ${percent}%`, percent === env.batteryPercent, JSON.stringify(battery).slice(0, 300));
  return serial;
}

// Downloads with a cut: the network drops the second 4 MiB piece of the
// video half-way; the app tries again after its next check-in and asks only
// for the pieces it does not have: offset 0 once, the cut piece twice.
// Returns the function that waits for the download and checks it; called
// before the device is given the module, so no request goes unseen.
async function downloadWithCut(ctx, videoSha) {
  const { page } = ctx;
  const starts = [];
  page.on('request', (r) => {
    if (r.url().includes(`/api/v1/device/content/${videoSha}`)) starts.push(Number(/bytes=(\d+)-/.exec(r.headers().range ?? '')?.[1]));
  });
  let cut = 0;
  await page.route(`**/api/v1/device/content/${videoSha}`, (route) => {
    if (cut === 0 && route.request().headers().range?.startsWith(`bytes=${4 << 20}-`)) {
      cut++;
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  return async () => {
    await page.waitForFunction(() => document.querySelector('.card [data-files]')?.dataset.files === 'ready', null, { timeout: 90000 });
    await page.unroute(`**/api/v1/device/content/${videoSha}`);
    const counts = starts.reduce((m, s) => m.set(s, (m.get(s) ?? 0) + 1), new Map());
    const again = [...counts].filter(([, n]) => n > 1).map(([s]) => s);
    check(`the video came in ${starts.length} Range requests, from offsets ${[...counts.keys()].join(', ')}`, starts.length >= 6);
    check('the connection was cut once, in the second piece', cut === 1);
    check('after the cut it went on from the stored pieces: offset 0 asked once', counts.get(0) === 1);
    check('only the cut piece was asked twice', again.length === 1 && again[0] === 4 << 20, again.join(', '));
  };
}

async function watchOffline(ctx) {
  const { page } = ctx;
  step(`${ctx.deviceName}: offline, the video plays and is sought, the sheet is read, the module is done`);
  await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));
  await ctx.context.setOffline(true);
  await page.waitForFunction(() => document.body.dataset.online === 'false');
  await screen(page, ctx, 'home-offline');
  await page.locator(`[data-key="open-${MODULE}"]`).tap();
  await waitScreen(page, 'module');
  await screen(page, ctx, 'module');
  await page.locator('[data-key="next"]').tap();
  await waitScreen(page, 'viewer');
  const video = await page.evaluate(async () => {
    const v = document.querySelector('video');
    if (v.readyState < 1) await new Promise((r, j) => { v.onloadedmetadata = r; v.onerror = () => j(new Error(v.error?.message)); });
    v.currentTime = 20;
    await new Promise((r) => v.addEventListener('seeked', r, { once: true }));
    await v.play();
    await new Promise((r) => setTimeout(r, 700));
    v.pause();
    return { duration: v.duration, time: v.currentTime, error: v.error?.message ?? '', online: navigator.onLine };
  });
  check(`the ${video.duration.toFixed(1)} s video plays offline from the device's copy`, video.duration > 25 && !video.error, JSON.stringify(video));
  check(`sought to 20 s, it plays on: at ${video.time.toFixed(2)} s`, video.time > 20 && video.time < 25);
  check('all of it with no network: the service worker answered the Range requests', video.online === false);
  await screen(page, ctx, 'video');
  await page.locator('[data-key="done"]').tap();
  await waitScreen(page, 'module');
  await page.locator('[data-key="next"]').tap();
  await page.waitForFunction(() => document.querySelector('.viewer')?.dataset.drawn === 'true', null, { timeout: 30000 });
  check('the sheet is drawn inside the app by pdf.js: page 1 of 2', (await page.locator('.pdf-counter').textContent()) === 'Page 1 sur 2');
  const text = await page.locator('[data-pdf-text]').textContent();
  check('its text is there for screen readers', text.includes('ouvrez la messagerie'), text);
  await screen(page, ctx, 'pdf');
  await page.locator('[data-key="page-after"]').tap();
  await page.waitForFunction(() => document.querySelector('.viewer')?.dataset.page === '2');
  await page.locator('[data-key="done"]').tap();
  await waitScreen(page, 'module');
  check('the module says it is finished', (await page.locator('.bravo').count()) === 1);
  await screen(page, ctx, 'module-done');
  await page.locator('[data-key="back"]').tap();
  await waitScreen(page, 'home');
  check('the card says "Terminé"', (await page.locator('.state .line-text').first().textContent()) === 'Terminé');
  check('4 progress events wait offline (opened, 2 steps done, module done)', (await waiting(page, 'progress')) === 4, String(await waiting(page, 'progress')));
  await page.waitForTimeout(11000); // one check-in interval: a status report queues offline
  check('status reports wait offline too', (await waiting(page, 'reports')) >= 1);
}

export async function tablet(ctx, env) {
  const { page } = ctx;
  step('tablet: enrolled by opening the token URL');
  const serial = await enroll(ctx, env);
  await waitScreen(page, 'keypad');
  check('given to nobody yet, it asks who is learning', (await heading(page)) === 'Qui apprend ?');

  step(`tablet: given to ${HOLDER}; the module appears and comes onto the tablet`);
  const downloaded = await downloadWithCut(ctx, env.videoSha);
  parcctl(env, 'assign', serial, HOLDER);
  await waitScreen(page, 'home', 40000);
  check('the home screen greets the holder', (await page.locator('.hello').textContent()).includes('Camille'));
  check('the card: title, "À commencer", due date in words', (await page.locator('.card-title').textContent()) === 'Lire ses messages' &&
    (await page.locator('.state .line-text').first().textContent()) === 'À commencer' &&
    /^À finir avant le \d+ \p{L}+\.$/u.test(await page.locator('.due').first().textContent()));
  await downloaded();
  await screen(page, ctx, 'home');
  await speakTitle(ctx);

  await watchOffline(ctx);

  step('tablet: back online, the progress reaches parcd once');
  await ctx.context.setOffline(false);
  await until('the queues emptied', async () => (await waiting(page, 'progress')) === 0 && (await waiting(page, 'reports')) === 0);
  const progress = parcctlJson(env, 'progress', '--agent', HOLDER);
  const rows = (progress.rows ?? []).filter((r) => r.moduleCode === MODULE);
  check(`parcctl progress: one row for ${MODULE}, completed, 2 of 2`, rows.length === 1 && Boolean(rows[0].completedAt) && rows[0].itemsCompleted === 2, JSON.stringify(progress).slice(0, 400));

  step(`tablet: ${OTHER} signs in on the keypad`);
  await page.locator('[data-key="change-person"]').tap();
  await waitScreen(page, 'keypad');
  for (const d of '999') await page.locator(`[data-key="key-${d}"]`).tap();
  await page.locator('[data-key="confirm"]').tap();
  await page.waitForFunction(() => document.querySelector('.hint')?.textContent.includes('pas connu'));
  check('a number nobody has: the keypad stays and says so', (await page.locator('.hint .line-text').first().textContent()) === 'Ce numéro n’est pas connu.');
  await screen(page, ctx, 'keypad-unknown');
  check('and nothing was recorded for it', !parcctl(env, 'devices', 'status', serial, '--recent', '20').includes('login 999'));
  for (const d of OTHER) await page.locator(`[data-key="key-${d}"]`).tap();
  await screen(page, ctx, 'keypad');
  await page.locator('[data-key="confirm"]').tap();
  await waitScreen(page, 'home');
  check(`the app greets ${OTHER} by first name`, (await page.locator('.hello').textContent()).includes('Dominique'));
  await screen(page, ctx, 'home-other');
  const shown = await until('the usage session in parcctl devices show', () => {
    const text = parcctl(env, 'devices', 'show', serial);
    return text.includes(`used by ${OTHER}, assigned to ${HOLDER}`) ? text : null;
  });
  check(`parcctl devices show: "used by ${OTHER}, assigned to ${HOLDER}"`, Boolean(shown));
  const status = parcctl(env, 'devices', 'status', serial, '--recent', '20');
  check(`parcctl devices status: the login of ${OTHER}`, status.includes(`login ${OTHER}`));
  check('parcctl devices status: the browser and the network type of its reports', /Chrom/.test(status) && status.includes('network '), status.slice(-600));

  step(`tablet: the module taken back from ${HOLDER}: its files leave the tablet`);
  const assignments = parcctlJson(env, 'modules', 'assignments', '--module', MODULE);
  const mine = (assignments.assignments ?? []).find((a) => a.employeeNumber === HOLDER || a.agent === HOLDER) ?? assignments.assignments?.[0];
  parcctl(env, 'modules', 'unassign', String(mine.id));
  const left = await until('the files deleted', async () => {
    const n = await page.evaluate(async () => (await (await caches.open('parc-contenu')).keys()).length);
    return n === 0 ? 'none' : null;
  });
  check('the content cache holds no file any more', left === 'none');

  step('tablet: revoked, the app says so');
  parcctl(env, 'devices', 'revoke', serial, '--reason', 'browser test');
  await waitScreen(page, 'revoked', 30000);
  check('the revoked message', (await heading(page)) === 'Cette tablette n’est plus reliée.');
  await screen(page, ctx, 'revoked');
}

// A module title has no sound file: the browser's voice (mocked, headless
// Chromium has none) says it, on a tap only.
async function speakTitle(ctx) {
  const { page } = ctx;
  const before = await page.evaluate(() => window.__spoken.length);
  check('nothing was said by itself', before === 0);
  await page.locator('.card-head button.say').first().tap();
  await page.waitForFunction(() => window.__spoken.length > 0);
  check('the title is said by the voice on a tap', (await page.evaluate(() => window.__spoken[0])) === 'Lire ses messages');
}

export async function phone(ctx, env) {
  const { page } = ctx;
  step('phone: enrolled, given to nobody: a shared phone asks who is learning');
  await enroll(ctx, env);
  await waitScreen(page, 'keypad');
  await page.waitForFunction(() => !document.querySelector('.badge-read')?.hidden);
  check('the badge can be read (Web NFC)', (await page.locator('.badge-read .line-text').textContent()) === 'Ou posez votre badge derrière le téléphone.');
  await screen(page, ctx, 'keypad');
  await page.evaluate((number) => window.__badge(number), HOLDER);
  await waitScreen(page, 'home');
  await page.waitForFunction(() => document.querySelector('.card-title')?.textContent === 'Lire ses messages', null, { timeout: 30000 });
  check(`after ${HOLDER}'s badge, the phone shows their module`, true);
  await page.waitForFunction(() => document.querySelector('.card [data-files]')?.dataset.files === 'ready', null, { timeout: 90000 });
  await screen(page, ctx, 'home');
  await page.locator(`[data-key="open-${MODULE}"]`).tap();
  await waitScreen(page, 'module');
  await screen(page, ctx, 'module');
  await page.locator('[data-key="step-2"]').tap();
  await page.waitForFunction(() => document.querySelector('.viewer')?.dataset.drawn === 'true', null, { timeout: 30000 });
  await screen(page, ctx, 'pdf');
}
