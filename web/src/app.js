// The dashboard page: sign in with a token, then six reports from parcd drawn
// as cards, charts and tables, filtered by department, site, device kind, wave
// and advisor. The filters live in the address (?department=…), so a page can
// be bookmarked or sent to a colleague; the language is remembered.
import './style.css';

import { ApiError, REPORTS, departments, report, signIn, signOut, whoami } from './api.js';
import { drawCoverage, drawFunnel, drawHealth, drawStates } from './charts.js';
import { departmentLabel, el, setDepartmentNames } from './dom.js';
import { initialLanguage, language, setLanguage, t } from './i18n.js';
import { renderCards, renderTables } from './render.js';

const $ = (id) => document.getElementById(id);

const FILTERS = ['department', 'site', 'kind', 'wave', 'advisor', 'days'];
const KINDS = ['DEVICE_KIND_TABLET', 'DEVICE_KIND_SMARTPHONE', 'DEVICE_KIND_SHARED_PC'];
const DAYS = ['7', '14', '30', '90'];
// Which filters each report understands (proto/parc/v1/dashboard.proto).
const APPLIES = {
  'allocation-summary': ['department', 'site', 'kind'],
  coverage: ['department', 'site', 'wave', 'advisor'],
  'stale-devices': ['department', 'site', 'kind', 'days'],
  'fleet-health': ['department', 'site', 'kind'],
  'training-funnel': ['department', 'site', 'wave', 'advisor'],
  'overdue-loans': ['department', 'site', 'kind', 'wave', 'advisor'],
};

const state = {
  me: null,
  filters: {}, // the filters that are set, e.g. {department: 'VOIRIE'}
  choices: null, // {department: [...], site: [...], wave: [...], advisor: [...]}
  data: null, // report name -> response
  view: { funnelBy: 'byDepartment' },
  updatedAt: null, // when the data shown was read
  loads: 0, // ignores answers to a request that a newer one replaced
};

function readFiltersFromAddress() {
  const query = new URLSearchParams(location.search);
  state.filters = {};
  for (const f of FILTERS) if (query.get(f)) state.filters[f] = query.get(f);
}

function writeFiltersToAddress() {
  const query = new URLSearchParams(location.search);
  for (const f of FILTERS) {
    if (state.filters[f]) query.set(f, state.filters[f]);
    else query.delete(f);
  }
  const search = query.toString();
  history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}`);
}

function paramsPerReport() {
  const params = {};
  for (const name of REPORTS) {
    params[name] = {};
    for (const f of APPLIES[name]) if (state.filters[f]) params[name][f] = state.filters[f];
  }
  return params;
}

// The status line is read out by screen readers; on screen it shows only
// what needs attention (loading, errors), not "up to date".
function say(message, { quiet = false, problem = false } = {}) {
  $('status').textContent = message;
  $('status').classList.toggle('visually-hidden', quiet);
  $('status').classList.toggle('status-problem', problem);
}

// ---- sign-in -------------------------------------------------------------

function showSignIn(message = '') {
  state.me = null;
  $('dashboard').hidden = true;
  $('desk').hidden = true;
  $('views').hidden = true;
  $('who').hidden = true;
  $('sign-out').hidden = true;
  $('signin').hidden = false;
  say(message);
  $('token').focus();
}

async function onSignIn(event) {
  event.preventDefault();
  const input = $('token');
  const error = $('signin-error');
  const token = input.value.trim();
  error.hidden = true;
  if (!token) {
    error.textContent = t('tokenEmpty');
    error.hidden = false;
    input.focus();
    return;
  }
  try {
    await signIn(token);
    input.value = '';
    say(''); // "session ended" and the like are said no more
    await enter();
  } catch (e) {
    error.textContent = e instanceof ApiError && e.status === 401 ? t('tokenRefused') : t('loadFailed', { why: e.message });
    error.hidden = false;
    input.select();
  }
}

async function onSignOut() {
  try {
    await signOut();
  } catch {
    // the cookie may already be gone; the page forgets the session anyway
  }
  state.data = null;
  state.choices = null;
  showSignIn(t('signedOut'));
}

// ---- the dashboard -------------------------------------------------------

function showWho() {
  const me = state.me ?? {};
  $('who').textContent = t('signedInAs', { name: me.name ?? '', role: t(`role_${me.role}`) });
  $('who').hidden = false;
  $('sign-out').hidden = false;
  // WhoAmI says when the token expires within 14 days (daemon/domain/operators.h).
  const warning = $('token-warning');
  warning.hidden = !me.tokenExpiresSoon;
  if (me.tokenExpiresSoon) {
    const date = new Date(me.tokenExpiresAt).toLocaleDateString(language());
    warning.textContent = t('tokenExpiresSoon', { date });
  }
}

// The desk is for logistics and admin (the server refuses the others' writes
// whatever the page shows); the address's hash chooses the screen.
const DESK_ROLES = ['ROLE_LOGISTICS', 'ROLE_ADMIN'];
const deskAllowed = () => DESK_ROLES.includes(state.me?.role);
const isDeskHash = () => location.hash === '#magasin' || location.hash.startsWith('#magasin/');
let desk = null; // assets/desk.js, loaded once for those who may use it
function loadDesk() {
  desk ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/assets/desk.js';
    script.onload = () => resolve(window.parcDesk);
    script.onerror = () => reject(new Error('/assets/desk.js'));
    document.head.append(script);
  });
  return desk;
}

async function showView() {
  const atDesk = deskAllowed() && isDeskHash();
  $('views').hidden = !deskAllowed();
  $('desk').hidden = !atDesk;
  $('dashboard').hidden = atDesk;
  for (const [id, on] of [['nav-desk', atDesk], ['nav-dashboard', !atDesk]]) {
    if (on) $(id).setAttribute('aria-current', 'page');
    else $(id).removeAttribute('aria-current');
  }
  if (atDesk) await (await loadDesk()).render();
  else if (!state.data) await load();
}

async function enter() {
  state.me = await whoami();
  setDepartmentNames(await departments().catch(() => []));
  $('signin').hidden = true;
  showWho();
  if (deskAllowed()) (await loadDesk()).mountDesk($('desk'), { sessionEnded: () => showSignIn(t('sessionEnded')) });
  await showView();
  $('main').focus({ preventScroll: true });
}

function fillSelect(select, values, labelOf, allWord, current) {
  const list = [...new Set([...values, ...(current ? [current] : [])])];
  select.replaceChildren(
    ...(allWord ? [el('option', { value: '' }, t(allWord))] : []),
    ...list.map((v) => el('option', { value: v, selected: v === current }, labelOf(v))),
  );
  if (!current) select.value = allWord ? '' : list[0];
}

function renderFilters() {
  const c = state.choices ?? {};
  const f = state.filters;
  fillSelect($('f-department'), c.department ?? [], departmentLabel, 'allMasc', f.department);
  fillSelect($('f-site'), c.site ?? [], (v) => v, 'allMasc', f.site);
  fillSelect($('f-kind'), KINDS, (v) => t(`kind_${v}`), 'allMasc', f.kind);
  fillSelect($('f-wave'), c.wave ?? [], (v) => v, 'all', f.wave);
  fillSelect($('f-advisor'), c.advisor ?? [], (v) => v, 'allMasc', f.advisor);
  fillSelect($('f-days'), DAYS, (v) => t('days', { n: v }), null, f.days ?? '7');
}

// The lists behind the filters come from an unfiltered answer, so choosing a
// department does not hide the others.
async function loadChoices(data) {
  const unfiltered = Object.keys(state.filters).length === 0;
  const summary = unfiltered ? data['allocation-summary'] : await report('allocation-summary', {});
  const funnel = unfiltered ? data['training-funnel'] : await report('training-funnel', {});
  const keys = (rows, field) => (rows ?? []).map((r) => r[field]).filter(Boolean);
  state.choices = {
    department: keys(summary.byDepartment, 'department'),
    site: keys(summary.bySite, 'site'),
    wave: keys(funnel.byWave, 'key'),
    advisor: keys(funnel.byAdvisor, 'key'),
  };
}

function showUpdated() {
  if (!state.updatedAt) return;
  const time = new Intl.DateTimeFormat(document.documentElement.lang, { timeStyle: 'short' }).format(state.updatedAt);
  $('updated').textContent = t('updatedAt', { time });
}

function render() {
  const data = state.data;
  if (!data) return;
  renderFilters();
  renderCards($('cards'), data);
  const charts = $('charts');
  charts.replaceChildren();
  drawStates(charts, data['allocation-summary']);
  drawCoverage(charts, data.coverage);
  drawFunnel(charts, data['training-funnel']);
  drawHealth(charts, data['fleet-health']);
  renderTables($('tables'), data, paramsPerReport(), state.view, render);
}

async function load() {
  const loadId = ++state.loads;
  say(t('loading'));
  $('dashboard').setAttribute('aria-busy', 'true');
  const params = paramsPerReport();
  try {
    const answers = await Promise.all(REPORTS.map((name) => report(name, params[name])));
    if (loadId !== state.loads) return;
    const data = Object.fromEntries(REPORTS.map((name, i) => [name, answers[i]]));
    if (!state.choices) await loadChoices(data);
    state.data = data;
    render();
    state.updatedAt = new Date();
    showUpdated();
    say(t('loaded'), { quiet: true });
    document.body.dataset.loads = String(Number(document.body.dataset.loads ?? 0) + 1);
    if (!document.body.dataset.ready) {
      performance.mark('parc-dashboard-ready');
      document.body.dataset.ready = 'true';
    }
  } catch (e) {
    if (loadId !== state.loads) return;
    if (e instanceof ApiError && e.status === 401) showSignIn(t('sessionEnded'));
    else {
      // The filters stay usable, so "all" gets the person back to their data.
      renderFilters();
      say(e instanceof ApiError && e.status === 403 ? t('forbidden') : t('loadFailed', { why: e.message }), {
        problem: true,
      });
    }
  } finally {
    if (loadId === state.loads) $('dashboard').removeAttribute('aria-busy');
  }
}

function onFilterChange(event) {
  const name = event.target.name;
  if (!FILTERS.includes(name)) return;
  if (event.target.value) state.filters[name] = event.target.value;
  else delete state.filters[name];
  writeFiltersToAddress();
  load();
}

function onFilterReset(event) {
  event.preventDefault();
  state.filters = {};
  writeFiltersToAddress();
  load();
}

function onLanguage(event) {
  const button = event.target.closest('[data-lang]');
  if (!button) return;
  setLanguage(button.dataset.lang);
  if (state.me) showWho();
  render();
  showUpdated();
}

async function start() {
  initialLanguage();
  readFiltersFromAddress();
  document.querySelector('.lang').addEventListener('click', onLanguage);
  $('signin-form').addEventListener('submit', onSignIn);
  $('sign-out').addEventListener('click', onSignOut);
  $('filters').addEventListener('change', onFilterChange);
  $('filters').addEventListener('reset', onFilterReset);
  window.addEventListener('hashchange', () => state.me && showView());
  try {
    await enter();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) showSignIn();
    else say(t('loadFailed', { why: e.message }), { problem: true });
  }
}

start();
