// The checks every screen of the learner app goes through in learner.test.mjs:
// axe-core's WCAG A/AA rules, the size of every touch target, no sideways
// scrolling (200 % zoom, narrow screens), a speaker button beside every
// sentence, and a screenshot at the size the test runs at.
import fs from 'node:fs';
import path from 'node:path';

import { WCAG_A_AA, axeViolations } from './browser_lib.mjs';

let failures = 0;
export const failed = () => failures;

export function check(what, ok, detail = '') {
  console.log(`   ${ok ? '-' : 'FAIL'} ${what}${detail ? `: ${detail}` : ''}`);
  if (!ok) failures++;
  return ok;
}
export function step(title) {
  console.log(`\n== ${title}`);
}

// The devices the app is tried on: a phone held upright and a tablet, both
// with touch.
export const DEVICES = {
  phone: {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36',
    metadata: { platform: 'Android', platformVersion: '14.0.0', model: 'SM-A546B', mobile: true },
  },
  tablet: {
    viewport: { width: 800, height: 1280 },
    deviceScaleFactor: 1.5,
    isMobile: true,
    hasTouch: true,
    userAgent:
      'Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    metadata: { platform: 'Android', platformVersion: '13.0.0', model: 'SM-X200', mobile: false },
  },
};

// Client hints as an Android browser sends them (Playwright's user agent
// alone leaves navigator.userAgentData saying Linux).
export async function emulateHints(cdp, device) {
  await cdp.send('Emulation.setUserAgentOverride', {
    userAgent: device.userAgent,
    userAgentMetadata: {
      brands: [{ brand: 'Chromium', version: '156' }, { brand: 'Not.A/Brand', version: '99' }],
      fullVersionList: [{ brand: 'Chromium', version: '156.0.7000.0' }],
      fullVersion: '156.0.7000.0',
      platform: device.metadata.platform,
      platformVersion: device.metadata.platformVersion,
      architecture: 'arm',
      model: device.metadata.model,
      mobile: device.metadata.mobile,
    },
  });
}

export async function accessibility(page, axeSource, what) {
  const violations = await axeViolations(page, axeSource, [...WCAG_A_AA, 'wcag22aa']);
  return check(`axe-core: no WCAG A/AA violation on ${what}`, violations.length === 0, violations.join(' | '));
}

// Every visible control is at least 48x48 CSS px.
export async function targetSizes(page, what) {
  const small = await page.$$eval('button, a[href], input, select, textarea, [role="button"], [tabindex="0"]', (nodes) =>
    nodes
      .filter((n) => n.offsetParent !== null || getComputedStyle(n).position === 'fixed')
      .map((n) => {
        const r = n.getBoundingClientRect();
        return { name: n.getAttribute('aria-label') || n.textContent.trim().slice(0, 30), w: r.width, h: r.height };
      })
      .filter((r) => r.w < 48 || r.h < 48)
      .map((r) => `"${r.name}" ${r.w.toFixed(0)}x${r.h.toFixed(0)}`),
  );
  const count = await page.$$eval('button', (b) => b.length);
  return check(`every touch target >= 48x48 px on ${what} (${count} buttons)`, small.length === 0, small.join(', '));
}

// Every sentence (.line) has its speaker button, except fragments the
// browser cannot say (none when the test gives it a voice).
export async function speakers(page, what) {
  const { lines, missing } = await page.$$eval('.line', (nodes) => ({
    lines: nodes.filter((n) => n.offsetParent !== null || n.closest('.visually-hidden')).length,
    missing: nodes.filter((n) => !n.querySelector('button.say')).map((n) => n.textContent.trim().slice(0, 40)),
  }));
  return check(`a speaker button beside each of the ${lines} sentences on ${what}`, missing.length === 0, missing.join(' | '));
}

// Sentences of at most 15 words (FALC), module titles from the server aside.
export async function shortSentences(page, what) {
  const long = await page.$$eval('.line-text', (nodes) =>
    nodes
      .flatMap((n) => n.textContent.split(/(?<=[.!?])\s+/))
      .filter((s) => s.trim().split(/\s+/).length > 15),
  );
  return check(`sentences of at most 15 words on ${what}`, long.length === 0, long.join(' | '));
}

export async function noSidewaysScroll(page, what) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  return check(`nothing wider than the screen on ${what}`, scroll <= width + 1, `${scroll} > ${width}`);
}

// All of the above, then screenshots of the screen, of the same screen at
// 200 % zoom (the viewport halved, as a browser zoomed to 200 % lays it out)
// and held sideways.
export async function screen(page, ctx, name, { sizes = true } = {}) {
  const what = `${name} (${ctx.deviceName})`;
  await page.waitForTimeout(100);
  await accessibility(page, ctx.axeSource, what);
  if (sizes) await targetSizes(page, what);
  await speakers(page, what);
  await shortSentences(page, what);
  await noSidewaysScroll(page, what);
  const file = path.join(ctx.out, `${ctx.deviceName}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: Math.round(viewport.width / 2), height: Math.round(viewport.height / 2) });
  await page.waitForTimeout(100);
  await noSidewaysScroll(page, `${what} at 200 % zoom`);
  await page.screenshot({ path: path.join(ctx.out, `${ctx.deviceName}-${name}-zoom200.png`), fullPage: true });
  // Turned sideways.
  await page.setViewportSize({ width: viewport.height, height: viewport.width });
  await page.waitForTimeout(100);
  await noSidewaysScroll(page, `${what} held sideways`);
  await page.screenshot({ path: path.join(ctx.out, `${ctx.deviceName}-${name}-landscape.png`) });
  await page.setViewportSize(viewport);
  ctx.screens.push(file);
}

export function readAxe(require) {
  return fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
}
