// Drives the dashboard page in headless Chromium (playwright-core, Debian's
// /usr/bin/chromium) against a running parcd, and checks what a manager sees
// against the gRPC answers for the same data (parcctl report --json, saved by
// dashboard_test.sh). Prints one line per check and the page's load times;
// exits 1 at the first difference.
//
// node dashboard.test.mjs --url URL --token TOKEN --grpc DIR --department D
//   --manager-token TOKEN --manager-department D --node-modules DIR --chromium PATH --out DIR
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { CHROMIUM_ARGS, axeViolations } from './browser_lib.mjs';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const REQUIRED = ['url', 'token', 'grpc', 'department', 'manager-token', 'manager-department', 'node-modules', 'chromium', 'out'];
for (const name of REQUIRED) {
  if (!args[name]) {
    console.error(`dashboard.test.mjs: --${name} is required`);
    process.exit(2);
  }
}
const require = createRequire(path.join(path.resolve(args['node-modules']), 'resolve-from-here.js'));
const { chromium } = require('playwright-core');

const DEPT = args.department;
// How long a page may take to show its numbers; raise it for a big city.
const WAIT_MS = Number(process.env.PARC_BROWSER_WAIT_MS ?? 30000);
const grpc = (report, dept) =>
  JSON.parse(fs.readFileSync(path.join(args.grpc, dept ? `${report}.${dept}.json` : `${report}.json`), 'utf8'));
const n = (v) => Number(v ?? 0);

let failures = 0;
function check(what, ok, detail = '') {
  console.log(`   ${ok ? '-' : 'FAIL'} ${what}${detail ? `: ${detail}` : ''}`);
  if (!ok) failures++;
}
function same(what, actual, expected) {
  const ok = JSON.stringify(actual) === JSON.stringify(expected);
  check(what, ok, ok ? JSON.stringify(actual) : `page ${JSON.stringify(actual)}, gRPC ${JSON.stringify(expected)}`);
}
function step(title) {
  console.log(`\n== ${title}`);
}

// The five cards' exact values (data-value), keyed by card.
async function cards(page) {
  return page.$$eval('[data-card]', (list) =>
    Object.fromEntries(list.map((c) => [c.dataset.card, Number(c.querySelector('.card-value').dataset.value)])),
  );
}

function expectedCards(dept) {
  const s = grpc('summary', dept).totals ?? {};
  return {
    devices: n(s.total),
    assigned: n(s.assignedPersonal) + n(s.inSitePools) + n(s.onLoan),
    stale: n(grpc('stale', dept).total),
    equipped: n(grpc('coverage', dept).totals?.equipped),
    trained: n(grpc('funnel', dept).totals?.completed),
  };
}

// A table's body as [row header, ...numbers from data-value].
async function tableRows(page, id) {
  return page.$$eval(`#${id} tbody tr`, (rows) =>
    rows
      .filter((r) => !r.querySelector('.empty'))
      .map((r) => [r.querySelector('th').textContent, ...[...r.querySelectorAll('td[data-value]')].map((td) => Number(td.dataset.value))]),
  );
}

// Runs axe-core (WCAG 2 A and AA rules: contrast, labels, names, ARIA) on the
// page as it is; any violation is a failure, listed with where it is.
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
async function accessibility(page, what) {
  const violations = await axeViolations(page, axeSource);
  check(`axe-core finds no WCAG A/AA violation: ${what}`, violations.length === 0, violations.join(' | '));
}

// Waits for the dashboard to finish the load started by `action`.
async function reloadAfter(page, action) {
  const before = await page.evaluate(() => Number(document.body.dataset.loads ?? 0));
  await action();
  await page.waitForFunction((b) => Number(document.body.dataset.loads ?? 0) > b, before, { timeout: WAIT_MS });
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parc-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: args.chromium,
  headless: true,
  acceptDownloads: true,
  locale: 'fr-FR',
  viewport: { width: 1366, height: 900 },
  args: CHROMIUM_ARGS,
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(WAIT_MS);
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
const offsite = [];
page.on('request', (r) => {
  if (!r.url().startsWith(args.url)) offsite.push(r.url());
});

try {
  step('first visit: the sign-in form, in French');
  await page.goto(args.url, { waitUntil: 'load' });
  await page.waitForSelector('#signin:not([hidden])');
  check('no sign-out button before signing in', await page.isHidden('#sign-out'));
  await page.screenshot({ path: path.join(args.out, 'signin.png') });
  const signinLoad = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return Math.round(nav.loadEventEnd - nav.startTime);
  });
  check('the sign-in page loads', true, `${signinLoad} ms to the load event`);
  same('html lang', await page.getAttribute('html', 'lang'), 'fr');
  same('heading', (await page.textContent('#signin h1')).trim(), 'Connexion au tableau de bord');
  check('the token field has a label', (await page.$$('label[for="token"]')).length === 1);
  check('explains where to get a token', (await page.textContent('#token-help')).includes('parcctl tokens create'));
  await accessibility(page, 'sign-in page');
  same('no data without a session: whoami', await page.evaluate(async () => (await fetch('/api/v1/whoami')).status), 401);

  step('keyboard: a skip link first, the sign-in reachable with Tab, a visible focus');
  same(
    'first element in the tab order',
    await page.evaluate(() => document.querySelector('a[href], button, input, select, [tabindex]').className),
    'skip-link',
  );
  same('the token field has the focus', await page.evaluate(() => document.activeElement.id), 'token');
  await page.keyboard.press('Tab');
  same('Tab from the token field', (await page.evaluate(() => document.activeElement.textContent)).trim(), 'Se connecter');
  check(
    'focus outline drawn',
    await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle !== 'none'),
  );

  step('a wrong token is refused with a message');
  await page.fill('#token', 'not-a-token');
  await page.press('#token', 'Enter');
  await page.waitForSelector('#signin-error:not([hidden])');
  check('error shown', (await page.textContent('#signin-error')).includes("n'est pas reconnu"));

  step('sign in with the admin token');
  await page.fill('#token', args.token);
  await page.press('#token', 'Enter');
  await page.waitForSelector('body[data-ready]', { timeout: WAIT_MS });
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'parc_session');
  check('parc_session cookie is HttpOnly and SameSite=Strict', session?.httpOnly && session?.sameSite === 'Strict');
  check('the token is not kept in the page', !(await page.content()).includes(args.token));

  step('first load of the dashboard, signed in, empty cache (navigation to numbers drawn)');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await page.goto(args.url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready]', { timeout: WAIT_MS });
  const firstLoad = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const ready = performance.getEntriesByName('parc-dashboard-ready')[0];
    return {
      domContentLoaded: Math.round(nav.domContentLoadedEventEnd - nav.startTime),
      load: Math.round(nav.loadEventEnd - nav.startTime),
      dashboardReady: Math.round(ready.startTime),
      transferredBytes: performance.getEntriesByType('resource').reduce((s, r) => s + r.transferSize, 0) + nav.transferSize,
    };
  });
  console.log(
    `   first load time: ${firstLoad.dashboardReady} ms to every number and chart drawn ` +
      `(DOMContentLoaded ${firstLoad.domContentLoaded} ms, load ${firstLoad.load} ms, ${firstLoad.transferredBytes} bytes)`,
  );
  fs.writeFileSync(path.join(args.out, 'first-load.json'), `${JSON.stringify(firstLoad, null, 1)}\n`);

  // Departments show by the name they were written with (Agent.department_name).
  const names = new Map(
    ((await page.evaluate(() => fetch('/api/v1/departments').then((r) => r.json()))).departments ?? []).map((d) => [d.code, d.name]),
  );
  check('the demo city names its departments ("Propreté" for PROPRETE)', names.get('PROPRETE') === 'Propreté', JSON.stringify([...names]));
  const dept = (code) => (code ? names.get(code) ?? code : '(sans service)');

  step('the numbers on the page equal the gRPC answers (whole city)');
  same('overview cards', await cards(page), expectedCards());
  const summary = grpc('summary');
  same(
    'devices by department',
    await tableRows(page, 'table-devices'),
    (summary.byDepartment ?? []).map((d) => [
      dept(d.department),
      ...['total', 'assignedPersonal', 'inSitePools', 'onLoan', 'inStock', 'inRepair', 'lost', 'retired'].map((f) => n(d.counts?.[f])),
    ]),
  );
  const coverage = grpc('coverage');
  same(
    'coverage by department',
    await tableRows(page, 'table-coverage'),
    (coverage.byDepartment ?? []).map((d) => [
      dept(d.department),
      n(d.counts?.targeted),
      n(d.counts?.equipped),
      n(d.counts?.notEquipped),
      n(d.counts?.equippedPercent),
    ]),
  );
  const overdue = grpc('overdue');
  same(
    'overdue loans (employee, days overdue)',
    await page.$$eval('#table-overdue tbody tr', (rows) =>
      rows.map((r) => [r.querySelector('th').textContent, Number(r.querySelector('td[data-value]').dataset.value)]),
    ),
    (overdue.loans ?? []).map((l) => [l.employeeNumber, n(l.daysOverdue)]),
  );
  const overdueCaption = await page.textContent('#table-overdue caption');
  check(
    'overdue caption gives the total',
    overdueCaption.includes(new Intl.NumberFormat('fr-FR').format(n(overdue.total))),
    overdueCaption,
  );
  const funnel = grpc('funnel');
  same(
    'training funnel by department',
    await tableRows(page, 'table-funnel'),
    (funnel.byDepartment ?? []).map((r) => [
      dept(r.key),
      ...['targeted', 'assessed', 'assigned', 'started', 'completed'].map((f) => n(r.counts?.[f])),
    ]),
  );

  step('accessibility of the dashboard, the chart figures opened');
  await page.$$eval('figure.chart details', (list) => list.forEach((d) => (d.open = true)));
  await accessibility(page, 'dashboard (French)');
  await page.$$eval('figure.chart details', (list) => list.forEach((d) => (d.open = false)));

  step('charts: a description for screen readers and the figures as a table');
  const charts = await page.$$eval('figure.chart', (figs) =>
    figs.map((f) => ({
      label: f.querySelector('canvas[role="img"]')?.getAttribute('aria-label') ?? '',
      rows: f.querySelectorAll('details table tbody tr').length,
      drawn: (f.querySelector('canvas')?.width ?? 0) > 0,
      empty: f.querySelector('.chart-empty')?.textContent ?? '',
    })),
  );
  same('four charts', charts.length, 4);
  check(
    'every chart is drawn and described, or says in words that it is all zeros; each has its table',
    charts.every((c) => ((c.drawn && c.label.length > 20) || c.empty.includes('zéro')) && c.rows > 0),
    `${charts.filter((c) => c.drawn).length} drawn`,
  );
  const total = new Intl.NumberFormat('fr-FR').format(n(summary.totals?.total));
  check('the devices chart names the total', charts[0].label.includes(total), charts[0].label);
  check(
    'every filter has a label',
    await page.$$eval('#filters select', (s) => s.every((x) => document.querySelector(`label[for="${x.id}"]`))),
  );
  await page.screenshot({ path: path.join(args.out, 'dashboard.png'), fullPage: true });
  await page.screenshot({ path: path.join(args.out, 'dashboard-top.png') }); // what a laptop shows first
  check('screenshots', true, `${path.join(args.out, 'dashboard.png')}, dashboard-top.png`);

  step(`filter by a department: ${DEPT}`);
  const departments = await page.$$eval('#f-department option', (o) => o.map((x) => x.value));
  check(`${DEPT} is offered`, departments.includes(DEPT), departments.join(' '));
  await reloadAfter(page, () => page.selectOption('#f-department', DEPT));
  check('the address keeps the filter', page.url().includes(`department=${DEPT}`), page.url());
  same(`overview cards (${DEPT})`, await cards(page), expectedCards(DEPT));
  const coverageDept = grpc('coverage', DEPT);
  same(
    `coverage (${DEPT})`,
    await tableRows(page, 'table-coverage'),
    (coverageDept.byDepartment ?? []).map((d) => [
      dept(d.department),
      n(d.counts?.targeted),
      n(d.counts?.equipped),
      n(d.counts?.notEquipped),
      n(d.counts?.equippedPercent),
    ]),
  );
  same(
    `overdue loans (${DEPT})`,
    await page.$$eval('#table-overdue tbody tr', (rows) =>
      rows.filter((r) => !r.querySelector('.empty')).map((r) => r.querySelector('th').textContent),
    ),
    (grpc('overdue', DEPT).loans ?? []).map((l) => l.employeeNumber),
  );

  step(`and by device kind: tablets of ${DEPT}`);
  await reloadAfter(page, () => page.selectOption('#f-kind', 'DEVICE_KIND_TABLET'));
  const tablets = (grpc('summary', DEPT).byKindLifecycle ?? [])
    .filter((c) => c.kind === 'DEVICE_KIND_TABLET')
    .reduce((sum, c) => sum + n(c.devices), 0);
  same('devices card = the tablets of the gRPC kind × lifecycle table', (await cards(page)).devices, tablets);
  await reloadAfter(page, () => page.selectOption('#f-kind', ''));

  step(`download the coverage table as CSV (${DEPT})`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#table-coverage a.csv')]);
  const csvPath = path.join(args.out, download.suggestedFilename() || 'coverage.csv');
  await download.saveAs(csvPath);
  const csv = fs.readFileSync(csvPath, 'utf8');
  const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  check('saved', true, `${csvPath} (${lines.length} lines)`);
  check('a .csv file name', csvPath.endsWith('.csv'), path.basename(csvPath));
  const row = lines.find((l) => l.split(';')[0].replace(/"/g, '') === dept(DEPT)); // by its name
  const counts = coverageDept.byDepartment?.[0]?.counts ?? {};
  check(
    `its ${DEPT} line has the gRPC counts`,
    !!row && row.split(';').slice(1, 4).map(Number).join() === [n(counts.targeted), n(counts.equipped), n(counts.notEquipped)].join(),
    row ?? lines.join(' | '),
  );
  check(
    'no other department in it',
    lines.slice(1).every((l) => [dept(DEPT), 'Total'].includes(l.split(';')[0].replace(/"/g, ''))),
    lines.join(' | '),
  );

  await page.screenshot({ path: path.join(args.out, `dashboard-${DEPT}.png`), fullPage: true });

  step('English, remembered across a reload; a tablet-sized window');
  await page.click('button[data-lang="en"]');
  same('heading', (await page.textContent('#dashboard h1')).trim(), 'The fleet and the training at a glance');
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('body[data-ready]', { timeout: WAIT_MS });
  same('html lang after reload', await page.getAttribute('html', 'lang'), 'en');
  same('filter kept after reload', await page.$eval('#f-department', (s) => s.value), DEPT);
  check(
    'nothing wider than the tablet screen',
    await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
  );
  await page.screenshot({ path: path.join(args.out, 'dashboard-tablet-en.png'), fullPage: true });
  await accessibility(page, 'dashboard (English, tablet)');
  await page.click('button[data-lang="fr"]');

  step('sign out');
  await page.click('#sign-out');
  await page.waitForSelector('#signin:not([hidden])');
  same('whoami after sign-out', await page.evaluate(async () => (await fetch('/api/v1/whoami')).status), 401);

  step(`a manager of ${args['manager-department']} sees only their service`);
  const MGR = args['manager-department'];
  await page.fill('#token', args['manager-token']);
  await page.press('#token', 'Enter');
  await page.waitForSelector('#dashboard:not([hidden])', { timeout: WAIT_MS });
  await reloadAfter(page, () => page.click('#filters button[type="reset"]'));
  same('services offered', await page.$$eval('#f-department option', (o) => o.map((x) => x.value).filter(Boolean)), [MGR]);
  const warning = await page.locator('#token-warning');
  check(
    "a token that expires within 14 days is announced on the page",
    (await warning.isVisible()) && /^(Votre jeton expire le|Your token expires on) /.test(await warning.textContent()),
    await warning.textContent(),
  );
  same('overview cards (manager)', await cards(page), expectedCards('manager'));
  same(
    'services in the devices table',
    (await tableRows(page, 'table-devices')).map((r) => r[0]),
    (grpc('summary', 'manager').byDepartment ?? []).map((d) => dept(d.department)),
  );
  await page.goto(`${args.url}?department=${DEPT}`, { waitUntil: 'load' });
  await page.waitForSelector('#status.status-problem', { timeout: WAIT_MS });
  same(
    `asking for ${DEPT} in the address`,
    (await page.textContent('#status')).trim(),
    "Vous n'avez pas accès à ce service.",
  );
  await page.goto(args.url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready]', { timeout: WAIT_MS });
  await page.click('#sign-out');
  await page.waitForSelector('#signin:not([hidden])');

  same('no script errors', pageErrors, []);
  same('no request left parcd (no CDN)', offsite, []);
} catch (e) {
  console.log(`   FAIL ${e.stack ?? e}`);
  failures++;
  await page.screenshot({ path: path.join(args.out, 'failure.png'), fullPage: true }).catch(() => {});
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

console.log(failures ? `\n${failures} browser check(s) failed` : '\nall browser checks passed');
process.exit(failures ? 1 : 0);
