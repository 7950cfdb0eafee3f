// The logistics desk (issue 15): one search box, a device's page with the
// actions its lifecycle allows (each shown before it is done), a person's
// page, overdue loans, CSV imports (dry run first) and enrollment sheets.
// The address's hash says which screen: #magasin, #magasin/appareil/<tag>,
// #magasin/personne/<matricule>, #magasin/retards, #magasin/import,
// #magasin/inscription, #magasin/bon/<série>/<mouvement>/<remise|retour> (the
// signed receipt, receipt.js). Every write goes to /api/v1/desk/ (desk/api.js).
import { el } from '../dom.js';
import { n } from '../api.js';
import { get, post, postCsv } from './api.js';
import { enrollmentSheet } from './enroll.js';
import { SHEETS, labelsPdf } from './labels.js';
import { receiptLine, receiptView } from './receipt.js';
import { openScanner } from './scanner.js';
import { day, refusalLines, w } from './words.js';

const HASH = '#magasin';
let root = null;
let searches = 0; // answers to an older keystroke are dropped
let labelKeys = ''; // serials handed from an import to the labels screen
let flash = ''; // what the last action did, said at the top of the next screen
let stopScanner = () => {}; // the camera closes when the screen changes
let onSessionEnded = null; // app.js: back to the sign-in form

export const isDeskHash = () => location.hash === HASH || location.hash.startsWith(`${HASH}/`);
const go = (path = '') => {
  location.hash = path ? `${HASH}/${path}` : HASH;
};
const link = (path, text, attrs = {}) => el('a', { href: `${HASH}/${path}`, ...attrs }, text);
const button = (text, attrs = {}) => el('button', { type: 'button', class: 'button-primary', ...attrs }, text);
const printButton = () => {
  const b = button(w('print'), { class: 'button-quiet no-print' });
  b.addEventListener('click', () => window.print());
  return b;
};
const field = (id, label, input, help) =>
  el('div', { class: 'field' }, [el('label', { for: id }, label), input, help ? el('p', { class: 'desk-help', id: `${id}-help` }, help) : null]);
const deviceName = (d) => `${w(`kind_${d.kind ?? 'DEVICE_KIND_UNSPECIFIED'}`)} ${d.model ?? ''} (${d.assetTag || d.serial})`;
const personName = (a) => `${a.firstName ?? ''} ${a.lastName ?? ''} (${a.employeeNumber})`.trim();

function screen(title, ...children) {
  root.replaceChildren(
    el('nav', { class: 'desk-nav', 'aria-label': w('deskTitle') }, [
      link('', w('back'), { href: HASH }),
      link('retards', w('overdueNav')),
      link('import', w('importNav')),
      link('inscription', w('enrollNav')),
      link('etiquettes', w('labelsNav')),
    ]),
    el('h1', { class: 'page-title', tabindex: '-1' }, title),
    flash ? el('p', { id: 'desk-flash', class: 'ok', role: 'status' }, flash) : '',
    ...children,
  );
  root.querySelector('h1').focus({ preventScroll: false });
}

function message(box, text) {
  box.replaceChildren(el('p', { class: 'ok', role: 'status' }, text));
}

// The server's refusal in plain French, its own words below in small (words.js).
function refused(box, error) {
  box.replaceChildren(...refusalLines(error));
}

// ---- home: the search box ----------------------------------------------------

function home() {
  const input = el('input', { id: 'desk-search', type: 'search', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'desk-search-help', 'aria-controls': 'desk-results' });
  const results = el('div', { id: 'desk-results', 'aria-live': 'polite' });
  const scan = button(w('scan'), { id: 'desk-scan' });
  const camera = el('div', { id: 'desk-camera' });
  scan.addEventListener('click', () => {
    stopScanner = openScanner(camera, (key) => go(`appareil/${encodeURIComponent(key)}`));
  });
  input.addEventListener('input', () => search(input.value, results));
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    results.querySelector('a')?.click();
  });
  const form = el('form', { class: 'desk-search', role: 'search' }, field('desk-search', w('searchLabel'), input, w('searchHelp')));
  form.addEventListener('submit', (e) => e.preventDefault());
  screen(w('deskTitle'), form, scan, camera, results);
  input.focus();
}

async function search(text, box) {
  const id = ++searches;
  if (!text.trim()) return box.replaceChildren();
  try {
    const found = await get('search', { query: text, limit: 8 });
    if (id !== searches) return;
    const devices = found.devices ?? [];
    const agents = found.agents ?? [];
    if (!devices.length && !agents.length) return message(box, w('searchNone', { q: text }));
    const list = (title, items) =>
      items.length ? el('section', {}, [el('h2', { class: 'section-title' }, title), el('ul', { class: 'desk-list' }, items)]) : null;
    box.replaceChildren(
      ...[
        list(w('devices'), devices.map((d) => el('li', {}, link(`appareil/${encodeURIComponent(d.serial)}`, `${deviceName(d)} — ${w(`lifecycle_${d.lifecycle}`)}`)))),
        list(w('people'), agents.map((a) => el('li', {}, link(`personne/${encodeURIComponent(a.employeeNumber)}`, `${personName(a)} — ${a.departmentName || a.department || ''}`)))),
      ].filter(Boolean),
    );
    document.body.dataset.searches = String(id);
  } catch (e) {
    if (id === searches) refused(box, e);
  }
}

// ---- a device -----------------------------------------------------------------

function historyList(allocations, receipts) {
  if (!allocations.length) return el('p', {}, w('noHistory'));
  return el(
    'ol',
    { class: 'desk-history' },
    allocations.map((a) => {
      const who = a.agentName ? `${a.agentName} (${a.employeeNumber})` : a.employeeNumber;
      const start =
        a.kind === 'ALLOCATION_KIND_SITE' ? w('pooledAt', { site: a.site }) : a.kind === 'ALLOCATION_KIND_LOAN' ? w('lentTo', { who, date: day(a.dueDate) }) : w('givenTo', { who });
      const lines = [el('strong', {}, day(a.startedAt)), ` — ${start} `, el('span', { class: 'muted' }, w('by', { who: a.startedBy }))];
      if (a.employeeNumber) lines.push(el('br'), receiptLine(receipts, a, 'remise', link));
      if (a.endedAt) {
        lines.push(el('br'), w('returnedAs', { date: day(a.endedAt), to: w(`to_${a.returnedTo}`), condition: a.returnCondition || '—' }));
        if (a.employeeNumber) lines.push(el('br'), receiptLine(receipts, a, 'retour', link));
      }
      return el('li', {}, lines);
    }),
  );
}

// An action: its form, then "what will happen", then the server's answer.
// `after(result)` may take the desk elsewhere (the receipt to sign); it
// returns true when it did.
function action(title, fields, preview, run, after = () => false) {
  const box = el('div', { class: 'desk-answer' });
  const form = el('form', { class: 'desk-action' }, [el('h3', {}, title), ...fields, button(w('check'), { type: 'submit' }), box]);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const values = Object.fromEntries(new FormData(form));
    const confirm = button(w('confirm'));
    const cancel = el('button', { type: 'button', class: 'button-quiet' }, w('cancel'));
    box.replaceChildren(el('p', { role: 'status' }, [el('strong', {}, w('willHappen')), ' ', preview(values)]), el('div', { class: 'desk-buttons' }, [confirm, cancel]));
    cancel.addEventListener('click', () => box.replaceChildren());
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      try {
        const result = await run(values);
        flash = `${w('done')} ${preview(values)}`;
        document.body.dataset.lastAction = title;
        if (!after(result)) await render();
      } catch (err) {
        refused(box, err);
      }
    });
    confirm.focus();
  });
  return form;
}

const textInput = (id, name, attrs = {}) => el('input', { id, name, type: 'text', autocomplete: 'off', ...attrs });

// After a hand-over to a person or a return from one: their receipt to sign.
const toReceipt = (word) => (allocation) => {
  if (!allocation?.employeeNumber || !allocation.id) return false;
  go(`bon/${encodeURIComponent(allocation.deviceSerial)}/${allocation.id}/${word}`);
  return true;
};

function deviceActions(device, open) {
  const key = device.serial;
  const name = deviceName(device);
  const uid = (s) => `a-${s}`;
  const toPerson = () =>
    action(
      w('giveToPerson'),
      [field(uid('p'), w('employeeNumber'), textInput(uid('p'), 'employee', { required: true }))],
      (v) => w('willGive', { device: name, who: v.employee }),
      (v) => post('assign', { device: key, employeeNumber: v.employee }),
      toReceipt('remise'),
    );
  const toSite = () =>
    action(w('giveToSite'), [field(uid('s'), w('site'), textInput(uid('s'), 'site', { required: true, value: device.site ?? '' }))], (v) => w('willPool', { device: name, site: v.site }), (v) =>
      post('assign', { device: key, site: v.site }),
    );
  const lend = () =>
    action(
      w('lend'),
      [field(uid('l'), w('employeeNumber'), textInput(uid('l'), 'employee', { required: true })), field(uid('d'), w('dueDate'), el('input', { id: uid('d'), name: 'due', type: 'date', required: true }))],
      (v) => w('willLend', { device: name, who: v.employee, date: day(v.due) }),
      (v) => post('assign', { device: key, employeeNumber: v.employee, dueDate: v.due }),
      toReceipt('remise'),
    );
  const lifecycle = (title, to, sentence) =>
    action(title, to === 'LIFECYCLE_RETIRED' ? [field(uid(`r${to}`), w('reason'), textInput(uid(`r${to}`), 'reason'))] : [], () => w(sentence, { device: name }), (v) =>
      post('lifecycle', { device: key, lifecycle: to, reason: v.reason ?? '' }),
    );
  const takeBack = () => {
    const select = el(
      'select',
      { id: uid('to'), name: 'to' },
      ['LIFECYCLE_IN_STOCK', 'LIFECYCLE_IN_REPAIR', 'LIFECYCLE_LOST'].map((v) => el('option', { value: v }, w(`to_${v}`))),
    );
    const who = open?.agentName ? `${open.agentName} (${open.employeeNumber})` : open?.employeeNumber || (open?.site ? w('sitePool', { site: open.site }) : '');
    return action(
      w('takeBack'),
      [field(uid('c'), w('condition'), textInput(uid('c'), 'condition', { required: true, 'aria-describedby': `${uid('c')}-help` }), w('conditionHelp')), field(uid('to'), w('goesTo'), select)],
      (v) => w('willReturn', { device: name, who, to: w(`to_${v.to}`), condition: v.condition }),
      (v) => post('return', { device: key, condition: v.condition, to: v.to }),
      toReceipt('retour'),
    );
  };
  switch (device.lifecycle) {
    case 'LIFECYCLE_IN_STOCK':
      return [toPerson(), lend(), toSite(), lifecycle(w('retire'), 'LIFECYCLE_RETIRED', 'willRetire')];
    case 'LIFECYCLE_ASSIGNED':
      return [takeBack()];
    case 'LIFECYCLE_IN_REPAIR':
    case 'LIFECYCLE_LOST':
      return [lifecycle(w('backToStock'), 'LIFECYCLE_IN_STOCK', 'willStock'), lifecycle(w('retire'), 'LIFECYCLE_RETIRED', 'willRetire')];
    default:
      return [];
  }
}

async function trainingOf(employeeNumber) {
  const [skills, progress] = await Promise.all([get('skills', { employee_number: employeeNumber, latest_only: 'true' }).catch(() => ({})), get('progress', { employee_number: employeeNumber }).catch(() => ({}))]);
  const tier = (skills.assessments ?? [])[0]?.tier;
  const rows = (progress.rows ?? []).map((p) =>
    el('li', {}, p.completedAt ? w('moduleDone', { module: p.moduleTitle || p.moduleCode }) : w('moduleOpen', { module: p.moduleTitle || p.moduleCode, done: n(p.itemsCompleted), total: n(p.itemsTotal) })),
  );
  return el('dl', { class: 'desk-facts' }, [el('dt', {}, w('pixTier')), el('dd', {}, tier || w('noTier')), el('dt', {}, w('training')), el('dd', {}, rows.length ? el('ul', {}, rows) : w('noTraining'))]);
}

async function devicePage(key) {
  screen(w('loading'));
  const [status, history, receipts] = await Promise.all([get('device', { device: key }), get('history', { device: key }), get('receipts', { device: key }).catch(() => ({}))]);
  const d = status.device ?? {};
  const allocations = history.allocations ?? [];
  const open = allocations.find((a) => !a.endedAt);
  let holder = w('nobody');
  if (open) {
    const who = open.kind === 'ALLOCATION_KIND_SITE' ? w('sitePool', { site: open.site }) : open.agentName ? `${open.agentName} (${open.employeeNumber})` : open.employeeNumber;
    holder = [open.employeeNumber ? link(`personne/${encodeURIComponent(open.employeeNumber)}`, who) : who, ` ${w('since', { date: day(open.startedAt) })}`];
    if (open.dueDate) holder.push(el('br'), el('strong', {}, w('due', { date: day(open.dueDate) })));
  }
  const s = status.status;
  const facts = [
    [w('state'), el('span', { class: `badge badge-${d.lifecycle}` }, w(`lifecycle_${d.lifecycle}`))],
    [w('holder'), holder],
    [w('serial'), d.serial],
    [w('assetTag'), d.assetTag || '—'],
    [w('model'), `${d.model ?? ''} ${d.os ?? ''}`],
    [w('site'), d.site || '—'],
    [w('lastSeen'), d.lastSeen ? [day(d.lastSeen), s?.batteryPercent ? ` — ${w('battery', { n: s.batteryPercent })}` : ''] : w('never')],
  ];
  screen(
    deviceName(d),
    el('dl', { class: 'desk-facts' }, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('section', { class: 'desk-actions', 'aria-labelledby': 'desk-actions-title' }, [el('h2', { id: 'desk-actions-title', class: 'section-title' }, w('actions')), ...deviceActions(d, open)]),
    open?.employeeNumber ? el('section', {}, [el('h2', { class: 'section-title' }, w('holderTraining', { who: open.agentName || open.employeeNumber })), await trainingOf(open.employeeNumber)]) : '',
    el('section', {}, [el('h2', { class: 'section-title' }, w('history')), historyList(allocations, receipts.receipts ?? [])]),
  );
}

// ---- a person -----------------------------------------------------------------

// A phone number as a link that calls it (on a phone or a tablet), or '—'.
const phoneLink = (number) => (number ? el('a', { href: `tel:${number.replace(/[^0-9+]/g, '')}`, class: 'desk-phone' }, number) : '—');
const personLink = (number, text) => link(`personne/${encodeURIComponent(number)}`, text);

async function personPage(number) {
  screen(w('loading'));
  const [agent, allocations] = await Promise.all([get('agent', { employee_number: number }), get('allocations', { employee_number: number, page_size: 100 })]);
  // The manager, when Parc knows them (else their employee number only).
  const manager = agent.manager ? await get('agent', { employee_number: agent.manager }).catch(() => null) : null;
  const list = (allocations.allocations ?? []).map((a) =>
    el('li', {}, [link(`appareil/${encodeURIComponent(a.deviceSerial)}`, a.deviceAssetTag || a.deviceSerial), ` — ${day(a.startedAt)}`, a.endedAt ? ` → ${day(a.endedAt)}` : ` (${w('current')})`, a.dueDate ? ` — ${w('due', { date: day(a.dueDate) })}` : '']),
  );
  const give = action(
    w('giveDeviceToPerson'),
    [field('give-device', w('deviceKey'), textInput('give-device', 'device', { required: true }))],
    (v) => w('willGive', { device: v.device, who: personName(agent) }),
    (v) => post('assign', { device: v.device, employeeNumber: number }),
    toReceipt('remise'),
  );
  let managerFact = '—';
  if (agent.manager) {
    managerFact = manager ? [personLink(agent.manager, personName(manager)), ...(manager.phone ? [' — ', phoneLink(manager.phone)] : [])] : w('managerNotInParc', { n: agent.manager });
  }
  screen(
    personName(agent),
    el('dl', { class: 'desk-facts' }, [
      el('dt', {}, w('department')),
      el('dd', {}, agent.departmentName || agent.department || '—'),
      el('dt', {}, w('site')),
      el('dd', {}, agent.site || '—'),
      el('dt', {}, w('phone')),
      el('dd', {}, phoneLink(agent.phone)),
      el('dt', {}, w('manager')),
      el('dd', {}, managerFact),
      el('dt', {}, w('email')),
      el('dd', {}, agent.hasEmail ? w('yes') : w('no')),
      el('dt', {}, w('advisor')),
      el('dd', {}, agent.advisor || '—'),
    ]),
    await trainingOf(number),
    el('section', {}, [el('h2', { class: 'section-title' }, w('devicesOf')), list.length ? el('ul', {}, list) : el('p', {}, w('noHistory'))]),
    el('section', { class: 'desk-actions' }, [give]),
  );
}

// ---- overdue loans ---------------------------------------------------------------

// Who to call for each late loan: the person (phone), their manager (name,
// phone), their site; printed, it is the list to work through by phone, with
// a column to write down what was said.
async function overduePage() {
  screen(w('loading'));
  const answer = await get('overdue-loans', { limit: 1000 });
  const loans = answer.loans ?? [];
  const head = [w('personAndPhone'), w('managerAndPhone'), w('departmentAndSite'), w('loan')];
  const withPhone = (who, phone) => (phone ? [who, el('br'), phoneLink(phone)] : [who]);
  const managerCell = (l) => {
    if (!l.manager) return ['—'];
    const who = l.managerName ? personLink(l.manager, `${l.managerName} (${l.manager})`) : w('managerNotInParc', { n: l.manager });
    return withPhone(who, l.managerPhone);
  };
  const kind = (l) => w(`kind_${l.kind ?? 'DEVICE_KIND_UNSPECIFIED'}`);
  const table = el('table', { class: 'desk-table desk-overdue', id: 'desk-overdue' }, [
    el('caption', { class: 'print-only' }, w('overduePrinted', { date: day(new Date().toISOString()), n: n(answer.total) })),
    el('thead', {}, el('tr', {}, [...head.map((h) => el('th', { scope: 'col' }, h)), el('th', { scope: 'col', class: 'print-only' }, w('followUp'))])),
    el(
      'tbody',
      {},
      loans.map((l) =>
        el('tr', {}, [
          el('td', {}, withPhone(personLink(l.employeeNumber, `${l.agentName} (${l.employeeNumber})`), l.phone)),
          el('td', {}, managerCell(l)),
          el('td', {}, [l.departmentName || l.department || '—', el('br'), l.site || '—']),
          el('td', {}, [link(`appareil/${encodeURIComponent(l.serial)}`, `${kind(l)} ${l.assetTag || l.serial}`), el('br'), w('dueOn', { date: day(l.dueDate) }), el('br'), el('strong', {}, w('daysLate', { n: n(l.daysOverdue) }))]),
          el('td', { class: 'print-only' }, ''),
        ]),
      ),
    ),
  ]);
  const body = loans.length ? [el('p', { role: 'status' }, w('overdueCount', { n: n(answer.total) })), el('div', { class: 'desk-table-wrap' }, table)] : [el('p', {}, w('overdueNone'))];
  screen(w('overdueTitle'), el('p', { class: 'desk-help no-print' }, w('overdueHelp')), ...body, printButton());
}

// ---- CSV import ------------------------------------------------------------------

function importPage() {
  const what = el('select', { id: 'imp-what', name: 'what' }, [el('option', { value: 'import-devices' }, w('importDevices')), el('option', { value: 'import-agents' }, w('importAgents'))]);
  const file = el('input', { id: 'imp-file', name: 'file', type: 'file', accept: '.csv,text/csv', required: true });
  const out = el('div', { class: 'desk-answer', 'aria-live': 'polite' });
  const form = el('form', { class: 'desk-action' }, [field('imp-what', w('importWhat'), what), field('imp-file', w('importFile'), file), button(w('dryRun'), { type: 'submit' }), out]);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const csv = await file.files[0]?.text();
    if (!csv) return;
    try {
      const r = await postCsv(what.value, csv, true);
      const problems = r.problems ?? [];
      const parts = [el('p', { role: 'status' }, w('dryRunResult', { created: n(r.created), updated: n(r.updated), unchanged: n(r.unchanged) }))];
      if (problems.length) {
        parts.push(
          el('p', { class: 'error', role: 'alert' }, w('problems', { n: problems.length })),
          el('ul', { class: 'desk-problems' }, problems.map((p) => el('li', {}, [el('strong', {}, w('line', { n: p.line })), ` — ${p.column ? `${p.column} : ` : ''}${p.reason}`]))),
        );
      } else {
        const apply = button(w('apply'));
        apply.addEventListener('click', async () => {
          apply.disabled = true;
          try {
            const done = await postCsv(what.value, csv, false);
            message(out, w('applied', { created: n(done.created), updated: n(done.updated) }));
            document.body.dataset.imported = String(n(done.created));
            if (what.value === 'import-devices') {
              const labels = button(w('labelsOfImport'));
              labels.addEventListener('click', () => {
                labelKeys = serialsOf(csv).join('\n');
                go('etiquettes');
              });
              out.append(labels);
            }
          } catch (err) {
            refused(out, err);
          }
        });
        parts.push(apply);
      }
      out.replaceChildren(...parts);
    } catch (err) {
      refused(out, err);
    }
  });
  screen(w('importTitle'), form);
}

// ---- labels -------------------------------------------------------------------------

// The serial column of a device CSV (header "serial" or "numéro de série"),
// simple cells only: enough to label what was just imported.
function serialsOf(csv) {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim());
  const sep = (lines[0] ?? '').includes(';') ? ';' : ',';
  const fold = (t) => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/["']/g, '').trim();
  const col = (lines[0] ?? '').split(sep).map(fold).findIndex((h) => h === 'serial' || h === 'numero de serie' || h === 'n de serie');
  if (col < 0) return [];
  return lines.slice(1).map((l) => (l.split(sep)[col] ?? '').replace(/"/g, '').trim()).filter(Boolean);
}

function labelsPage() {
  const list = el('textarea', { id: 'lab-list', name: 'list', rows: '8', required: true, 'aria-describedby': 'lab-list-help' }, labelKeys);
  const sheet = el('select', { id: 'lab-sheet', name: 'sheet' }, Object.keys(SHEETS).map((k) => el('option', { value: k }, w(`sheet_${k}`))));
  let saved = '';
  try {
    saved = localStorage.getItem('parc.city') ?? '';
  } catch {
    // not remembered
  }
  const city = el('input', { id: 'lab-city', name: 'city', type: 'text', value: saved, autocomplete: 'organization' });
  const out = el('div', { class: 'desk-answer', 'aria-live': 'polite' });
  const form = el('form', { class: 'desk-action' }, [
    field('lab-list', w('labelsList'), list, w('labelsListHelp')),
    field('lab-sheet', w('labelsSheet'), sheet),
    field('lab-city', w('labelsCity'), city),
    button(w('labelsMake'), { type: 'submit' }),
    out,
  ]);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      localStorage.setItem('parc.city', city.value);
    } catch {
      // not remembered
    }
    const keys = list.value.split(/\s+/).filter(Boolean);
    try {
      const devices = await Promise.all(keys.map((k) => get('device', { device: k }).then((r) => r.device)));
      const bytes = await labelsPdf(devices, { sheet: sheet.value, city: city.value });
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      out.replaceChildren(
        el('p', { role: 'status' }, w('labelsReady', { n: devices.length })),
        el('a', { href: url, download: `etiquettes-${sheet.value}.pdf`, class: 'button-primary desk-download', id: 'lab-download' }, w('labelsDownload')),
      );
    } catch (err) {
      refused(out, err);
    }
  });
  screen(w('labelsTitle'), form);
}

// ---- enrollment sheet ---------------------------------------------------------------

async function enrollPage() {
  const sites = (await get('sites', { page_size: 1000 })).sites ?? [];
  const site = el('select', { id: 'en-site', name: 'site' }, [el('option', { value: '' }, w('anySite')), ...sites.map((s) => el('option', { value: s.code }, `${s.name || s.code} (${s.code})`))]);
  const kind = el('select', { id: 'en-kind', name: 'kind' }, ['DEVICE_KIND_TABLET', 'DEVICE_KIND_SMARTPHONE', 'DEVICE_KIND_SHARED_PC'].map((k) => el('option', { value: k }, w(`kind_${k}`))));
  const uses = el('input', { id: 'en-uses', name: 'uses', type: 'number', min: '1', max: '1000', value: '10', required: true });
  const days = el('input', { id: 'en-days', name: 'days', type: 'number', min: '1', max: '90', value: '7', required: true });
  const out = el('div', { class: 'desk-answer' });
  const form = el('form', { class: 'desk-action no-print' }, [field('en-site', w('site'), site), field('en-kind', w('enrollKind'), kind), field('en-uses', w('enrollUses'), uses), field('en-days', w('enrollDays'), days), button(w('enrollCreate'), { type: 'submit' })]);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const token = await post('enrollment-token', { site: site.value, kind: kind.value, uses: Number(uses.value), ttlSeconds: String(Number(days.value) * 86400) });
      const siteName = site.selectedOptions[0]?.textContent ?? '';
      out.replaceChildren(enrollmentSheet({ token, siteName, kindName: kind.selectedOptions[0].textContent }), printButton());
    } catch (err) {
      refused(out, err);
    }
  });
  screen(w('enrollTitle'), form, out);
}

// ---- a receipt to sign ----------------------------------------------------------------

async function receiptPage(serial, id, word) {
  screen(w('loading'));
  const view = await receiptView({
    serial,
    id,
    word,
    done: (saved) => {
      flash = saved ? w(`receiptSaved_${word}`) : w('receiptLaterSaid');
      go(`appareil/${encodeURIComponent(serial)}`);
    },
  });
  screen(view.title, ...view.nodes);
}

// ---- routing ------------------------------------------------------------------------

export async function render() {
  if (!root || !isDeskHash()) return;
  const said = flash;
  stopScanner();
  const [, view, arg, id, word] = location.hash.slice(1).split('/').map(decodeURIComponent);
  try {
    if (view === 'appareil' && arg) await devicePage(arg);
    else if (view === 'personne' && arg) await personPage(arg);
    else if (view === 'bon' && arg && id && (word === 'remise' || word === 'retour')) await receiptPage(arg, id, word);
    else if (view === 'retards') await overduePage();
    else if (view === 'import') importPage();
    else if (view === 'inscription') await enrollPage();
    else if (view === 'etiquettes') labelsPage();
    else home();
    document.body.dataset.deskScreen = view || 'accueil';
    if (flash === said) flash = ''; // said once, on the screen after the action
  } catch (e) {
    if (e?.status === 401 && onSessionEnded) return onSessionEnded(); // the sign-in form, then this screen again
    screen(w('deskTitle'), ...refusalLines(e));
  }
}

// The desk draws into `container`; app.js calls render() when the hash
// changes, and `sessionEnded` when the server no longer knows the session.
export function mountDesk(container, { sessionEnded } = {}) {
  root = container;
  onSessionEnded = sessionEnded;
}

export { go };
