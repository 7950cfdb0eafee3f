// The learner app: at once the device client of a tablet or smartphone
// (enrollment, check-ins, the assigned files) and the person's training
// screen. State lives in IndexedDB (db.js); the screen is redrawn from it.
//
// Addresses (the part after #): "" the person's modules, "qui" the keypad,
// "formation/<code>" a module, "formation/<code>/<position>" one of its steps.
import * as api from './api.js';
import * as content from './content.js';
import * as db from './db.js';
import * as device from './device.js';
import { language, setLanguage, t } from './i18n.js';
import { keypadScreen } from './keypad.js';
import * as progress from './progress.js';
import * as reports from './reports.js';
import {
  codeRefusedScreen,
  homeScreen,
  linkingScreen,
  messageScreen,
  moduleScreen,
  noNetworkScreen,
  notLinkedScreen,
  revokedScreen,
} from './screens.js';
import { loadSounds, stop as stopSpeaking } from './speech.js';
import { viewerScreen } from './viewer.js';

const LANG_KEY = 'parc-apprendre-lang';
const DEFAULT_INTERVAL_S = 300;

const state = {
  phase: 'opening', // opening | linking | refused | no-network | not-linked | revoked | ready
  device: null, // {deviceId, credential, intervalSeconds, serial, kind, revoked}
  content: null, // {revision, modules}
  person: null, // {employeeNumber, displayName}: signed in on this device
  online: navigator.onLine,
  ready: new Set(), // sha256 of the files on the device
  views: new Map(), // module code -> progress view of the current person
  timer: 0,
  syncFailed: false, // a download stopped on an error: try again after the next check-in
  pendingToken: '',
  asked: false, // the assigned set was asked for at least once since the app opened
};

const phone = () => state.device?.kind === 'DEVICE_KIND_SMARTPHONE' || (!state.device && Math.min(screen.width, screen.height) < 600);
const linked = () => state.phase === 'ready';

// ---- who is learning -------------------------------------------------------------

function people() {
  const byNumber = new Map();
  for (const m of state.content?.modules ?? []) for (const p of m.people ?? []) byNumber.set(p.employeeNumber, p);
  return [...byNumber.values()];
}

// The person signed in, else the holder of a personal device (the server
// names them), else nobody: the keypad asks.
function currentPerson() {
  if (state.person) {
    const found = people().find((p) => p.employeeNumber === state.person.employeeNumber);
    return found ? { ...state.person, displayName: found.displayName } : state.person;
  }
  const holder = state.content?.holder;
  return !state.content?.shared && holder?.employeeNumber ? holder : null;
}

function modulesOf(person) {
  return (state.content?.modules ?? []).filter(
    (m) => (m.people ?? []).length === 0 || m.people.some((p) => p.employeeNumber === person?.employeeNumber),
  );
}

// The number as the server knows it: digits typed on the keypad match a
// person of this device whose number has the same digits ("1234" is
// "E001234"); otherwise the digits themselves.
function matchNumber(digits) {
  const strip = (s) => s.replace(/\D/g, '').replace(/^0+/, '');
  return people().find((p) => strip(p.employeeNumber) === strip(digits))?.employeeNumber ?? digits;
}

// Resolves 'unknown' when the server says nobody has this number (nothing is
// recorded; the keypad says so). Offline, the number is recorded as typed
// and the server flags it later if it is nobody's.
async function signIn(typed, via) {
  let number = via === 'badge' ? typed : matchNumber(typed);
  let displayName = '';
  try {
    const answer = await api.lookUpPerson(state.device.credential, number);
    if (!answer.known) return 'unknown';
    number = answer.employeeNumber;
    displayName = answer.firstName ?? '';
  } catch (e) {
    if (e?.unlinked) return failed(e);
  }
  const previous = state.person?.employeeNumber;
  if (previous && previous !== number) await reports.append({ usage: { employeeNumber: previous, login: false } });
  if (previous !== number) await reports.append({ usage: { employeeNumber: number, login: true } });
  state.person = { employeeNumber: number, displayName };
  await db.put('kv', 'person', state.person);
  await loadViews();
  go('');
  await send();
  await refreshContent();
}

// ---- talking to parcd --------------------------------------------------------------

function failed(e) {
  if (e?.unlinked) {
    revoke();
    return;
  }
  if (e?.offline) {
    setOnline(false);
    return;
  }
  console.warn('parc:', e);
}

async function revoke() {
  if (state.phase === 'revoked') return;
  clearTimeout(state.timer);
  state.phase = 'revoked';
  state.device = { ...state.device, revoked: true };
  await db.put('kv', 'device', state.device);
  render({ focus: true });
}

function setOnline(online) {
  if (state.online === online) return;
  state.online = online;
  render();
}

// Sends the waiting reports and progress; refreshes the assigned set when
// the server says it changed.
async function send() {
  if (!linked()) return;
  try {
    const answer = await reports.flush(state.device.credential);
    await progress.flush(state.device.credential);
    setOnline(true);
    if (answer?.nextIntervalSeconds) state.device.intervalSeconds = Number(answer.nextIntervalSeconds);
    if (answer && String(answer.contentRevision ?? '') !== String(state.content?.revision ?? '')) await refreshContent();
    else if (state.syncFailed) syncFiles();
  } catch (e) {
    failed(e);
  }
}

async function checkIn() {
  if (!linked()) return;
  clearTimeout(state.timer);
  try {
    await reports.append({ status: await device.status(state.person?.employeeNumber) });
  } catch (e) {
    console.warn('parc: status not queued', e);
  }
  await send();
  if (linked()) state.timer = setTimeout(checkIn, (state.device.intervalSeconds || DEFAULT_INTERVAL_S) * 1000);
}

async function refreshContent() {
  if (!linked()) return;
  try {
    state.asked = true;
    const answer = await api.assignedContent(state.device.credential);
    state.content = {
      revision: answer.revision ?? '0',
      modules: answer.modules ?? [],
      holder: answer.holder ?? null, // the person it is given or lent to
      shared: answer.shared ?? true, // a site's pool or in stock: the keypad asks
    };
    await db.put('kv', 'content', state.content);
    setOnline(true);
    await loadViews();
    render();
  } catch (e) {
    failed(e);
    render();
    return;
  }
  syncFiles();
}

async function syncFiles() {
  if (!linked() || !state.content) return;
  try {
    await content.sync(state.device.credential, state.content.modules, ({ sha256, ready }) => {
      if (ready && !state.ready.has(sha256)) {
        state.ready.add(sha256);
        render();
      }
    });
    state.ready = await content.readySet();
    state.syncFailed = false;
    document.body.dataset.sync = 'done';
    render();
  } catch (e) {
    state.syncFailed = true; // the next check-in that gets through starts it again
    failed(e);
  }
}

async function enroll(token) {
  state.phase = 'linking';
  render({ focus: true });
  const serial = (await db.get('kv', 'serial')) ?? device.newSerial();
  await db.put('kv', 'serial', serial);
  const who = await device.identity();
  try {
    const answer = await api.enroll({
      token,
      serial,
      model: who.model,
      os: [who.osName, who.osVersion].filter(Boolean).join(' '),
      kind: who.kind,
      hostname: '',
    });
    state.device = {
      deviceId: String(answer.deviceId),
      credential: answer.credential,
      intervalSeconds: Number(answer.checkinIntervalSeconds) || DEFAULT_INTERVAL_S,
      serial,
      kind: who.kind,
      revoked: false,
    };
    // A device enrolled again starts a new life: nothing of the old one is sent.
    await db.clear('reports');
    await db.clear('progress');
    await db.put('kv', 1, 'nextSequence');
    await db.put('kv', 'device', state.device);
    state.pendingToken = '';
    state.phase = 'ready';
  } catch (e) {
    state.pendingToken = e.offline ? token : '';
    state.phase = e.offline ? 'no-network' : 'refused';
  }
}

// ---- the screen ---------------------------------------------------------------------

function go(hash) {
  if (location.hash.replace(/^#/, '') === hash) render({ focus: true });
  else location.hash = hash;
}

async function loadViews() {
  const person = currentPerson();
  state.views = new Map();
  for (const m of modulesOf(person)) state.views.set(m.code, await progress.view(person?.employeeNumber ?? '', m));
}

function route() {
  const [screen, code, position] = location.hash.replace(/^#/, '').split('/').map(decodeURIComponent);
  return { screen: screen || 'home', code, position: Number(position) || 0 };
}

function screenFor() {
  const p = phone();
  switch (state.phase) {
    case 'opening':
      return messageScreen({ name: 'opening', title: t('opening') });
    case 'linking':
      return linkingScreen(p);
    case 'refused':
      return codeRefusedScreen();
    case 'no-network':
      return noNetworkScreen(async () => {
        await enroll(state.pendingToken);
        await afterLink();
      });
    case 'not-linked':
      return notLinkedScreen(p);
    case 'revoked':
      return revokedScreen(p);
    default:
      break;
  }
  const person = currentPerson();
  const where = route();
  // Who the device serves is known from the assigned set: wait for it once.
  if (!state.content && !state.asked) return messageScreen({ name: 'opening', title: t('opening') });
  if (!person || where.screen === 'qui') {
    return keypadScreen({ phone: p, onNumber: (number, via) => signIn(number, via), canGoBack: Boolean(person), onBack: () => go('') });
  }
  const modules = modulesOf(person);
  const module = where.screen === 'formation' ? modules.find((m) => m.code === where.code) : null;
  const view = (m) => state.views.get(m.code) ?? { opened: false, done: [], completed: false };
  if (module && where.position) {
    const item = (module.items ?? []).find((i) => i.position === where.position);
    if (item) {
      return viewerScreen({
        module,
        item,
        phone: p,
        ready: state.ready.has(item.sha256),
        done: view(module).done.includes(item.sha256),
        onBack: () => go(`formation/${encodeURIComponent(module.code)}`),
        onDone: async () => {
          state.views.set(module.code, await progress.record(person.employeeNumber, module, { kind: 'item', item: item.sha256 }));
          go(`formation/${encodeURIComponent(module.code)}`);
          send();
        },
      });
    }
  }
  if (module) {
    return moduleScreen({
      module,
      view: view(module),
      ready: state.ready,
      online: state.online,
      phone: p,
      onBack: () => go(''),
      onItem: (item) => go(`formation/${encodeURIComponent(module.code)}/${item.position}`),
    });
  }
  return homeScreen({
    person,
    modules,
    views: new Map(modules.map((m) => [m.code, view(m)])),
    ready: state.ready,
    online: state.online,
    phone: p,
    onOpen: async (m) => {
      if (!view(m).opened) {
        state.views.set(m.code, await progress.record(person.employeeNumber, m, { kind: 'opened' }));
        send();
      }
      go(`formation/${encodeURIComponent(m.code)}`);
    },
    onChangePerson: () => go('qui'),
  });
}

let shownScreen = '';
// Redraws the screen. The focus stays on the same control (data-key) when
// the screen is the same; it moves to the title when the screen changed.
function render({ focus = false } = {}) {
  const main = document.getElementById('main');
  const key = document.activeElement?.closest?.('[data-key]')?.dataset.key;
  const next = screenFor();
  const id = `${next.dataset.screen}|${location.hash}`;
  if (id === shownScreen && next.dataset.screen === 'viewer' && !focus) return; // never restart a video
  const changed = id !== shownScreen;
  shownScreen = id;
  if (changed) stopSpeaking();
  main.replaceChildren(next);
  document.body.dataset.screen = next.dataset.screen;
  document.body.dataset.online = String(state.online);
  document.title = `${next.querySelector('h1')?.textContent ?? ''} — ${t('appName')}`;
  if (changed || focus) next.querySelector('h1')?.focus({ preventScroll: false });
  else if (key) main.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus({ preventScroll: true });
}

function showLanguage() {
  const lang = language();
  document.documentElement.lang = lang;
  const button = document.getElementById('lang');
  button.textContent = t('language');
  button.lang = lang === 'fr' ? 'en' : 'fr';
  document.getElementById('app-name').textContent = t('appName');
}

async function switchLanguage() {
  setLanguage(language() === 'fr' ? 'en' : 'fr');
  localStorage.setItem(LANG_KEY, language());
  await loadSounds(language());
  showLanguage();
  shownScreen = '';
  render({ focus: false });
  document.getElementById('lang').focus();
}

async function afterLink() {
  render({ focus: true });
  if (!linked()) return;
  state.ready = await content.readySet();
  render();
  checkIn();
  refreshContent();
}

async function start() {
  setLanguage(localStorage.getItem(LANG_KEY) ?? 'fr');
  showLanguage();
  document.getElementById('lang').addEventListener('click', switchLanguage);
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/apprendre/sw.js', { scope: '/apprendre/' }).catch((e) => console.warn('parc: no service worker', e));
  }
  // The token leaves the address bar and the history at once, whatever happens next.
  const token = new URLSearchParams(location.search).get('enroll');
  if (token !== null) history.replaceState(null, '', `/apprendre/${location.hash}`);
  await loadSounds(language());

  state.device = (await db.get('kv', 'device')) ?? null;
  state.person = (await db.get('kv', 'person')) ?? null;
  state.content = (await db.get('kv', 'content')) ?? null;
  if (token && (!state.device || state.device.revoked)) await enroll(token.trim());
  else if (!state.device) state.phase = 'not-linked';
  else state.phase = state.device.revoked ? 'revoked' : 'ready';
  await loadViews();

  window.addEventListener('hashchange', () => render());
  window.addEventListener('online', () => {
    state.online = true;
    render();
    checkIn();
    syncFiles();
  });
  window.addEventListener('offline', () => setOnline(false));
  document.body.dataset.ready = 'true';
  await afterLink();
}

start();
