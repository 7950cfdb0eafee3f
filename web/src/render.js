// The overview cards and the tables. Every number shown carries its exact
// value in data-value, so a test (or a script) reads it without parsing the
// formatted text.
import { n, reportUrl } from './api.js';
import { departmentLabel, el, keyLabel } from './dom.js';
import { language, num, percent, t } from './i18n.js';

function card(id, label, value, sub) {
  return el('li', { class: 'card', 'data-card': id }, [
    el('p', { class: 'card-label', id: `card-${id}-label` }, label),
    el('p', { class: 'card-value', 'data-value': value, 'aria-describedby': `card-${id}-label` }, num(value)),
    el('p', { class: 'card-sub' }, sub),
  ]);
}

export function renderCards(list, data) {
  const s = data['allocation-summary'].totals ?? {};
  const stale = data['stale-devices'];
  const cov = data.coverage.totals ?? {};
  const funnel = data['training-funnel'].totals ?? {};
  const total = n(s.total);
  const assigned = n(s.assignedPersonal) + n(s.inSitePools) + n(s.onLoan);
  list.replaceChildren(
    card('devices', t('cardDevices'), total,
      t('cardDevicesSub', { stock: num(n(s.inStock)), repair: num(n(s.inRepair)) })),
    card('assigned', t('cardAssigned'), assigned,
      t('cardAssignedSub', {
        percent: percent(total ? (100 * assigned) / total : 0),
        personal: num(n(s.assignedPersonal)),
        pools: num(n(s.inSitePools)),
        loan: num(n(s.onLoan)),
      })),
    card('stale', t('cardStale'), n(stale.total),
      t('cardStaleSub', { days: n(stale.days), never: num(n(stale.neverCheckedIn)) })),
    card('equipped', t('cardEquipped'), n(cov.equipped),
      t('cardEquippedSub', { targeted: num(n(cov.targeted)), percent: percent(n(cov.equippedPercent)) })),
    card('trained', t('cardTrained'), n(funnel.completed),
      t('cardTrainedSub', { targeted: num(n(funnel.targeted)), started: num(n(funnel.started)) })),
  );
}

const numCell = (v) => el('td', { class: 'num', 'data-value': v }, num(v));
const textCell = (v) => el('td', {}, v);

function dateText(timestamp) {
  if (!timestamp) return t('never');
  return new Intl.DateTimeFormat(language() === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
  }).format(new Date(timestamp));
}

// One table with its title, a CSV button (the same report and filters, as a
// file) and a caption. `rows` are arrays of cells; the first becomes a row
// header.
function tableCard({ id, title, report, params, headers, rows, caption, controls, footer, long }) {
  const csv = el(
    'a',
    {
      class: 'button-quiet csv',
      href: reportUrl(report, params, '.csv'),
      download: true, // parcd names the file
      'aria-label': t('csvLabel', { title }),
    },
    t('csv'),
  );
  const head = el('tr', {}, headers.map(([label, isNum]) => el('th', { scope: 'col', class: isNum ? 'num' : null }, label)));
  const body = rows.length
    ? rows.map((cells) => {
        const [first, ...rest] = cells;
        return el('tr', {}, [el('th', { scope: 'row' }, first.textContent), ...rest]);
      })
    : [el('tr', {}, [el('td', { colspan: headers.length, class: 'empty' }, t('noRows'))])];
  const table = el('table', { class: 'data-table' }, [
    caption ? el('caption', {}, caption) : null,
    el('thead', {}, [head]),
    el('tbody', {}, body),
    footer ? el('tfoot', {}, [footer]) : null,
  ]);
  return el('section', { class: 'table-card', id, 'aria-labelledby': `${id}-title` }, [
    el('div', { class: 'table-head' }, [el('h3', { id: `${id}-title` }, title), controls ?? null, csv]),
    el('div', { class: long ? 'table-scroll long' : 'table-scroll', tabindex: 0, role: 'region', 'aria-label': t('scrollTable', { title }) }, [table]),
  ]);
}

const DEVICE_FIELDS = [
  ['total', 'total'],
  ['personal', 'assignedPersonal'],
  ['pools', 'inSitePools'],
  ['loan', 'onLoan'],
  ['stock', 'inStock'],
  ['repair', 'inRepair'],
  ['lost', 'lost'],
  ['retired', 'retired'],
];

function devicesTable(data, params) {
  const r = data['allocation-summary'];
  const totals = r.totals ?? {};
  return tableCard({
    id: 'table-devices',
    title: t('tableDevices'),
    report: 'allocation-summary',
    params: params['allocation-summary'],
    headers: [[t('department')], ...DEVICE_FIELDS.map(([k]) => [t(k), true])],
    rows: (r.byDepartment ?? []).map((d) => [
      textCell(departmentLabel(d.department)),
      ...DEVICE_FIELDS.map(([, f]) => numCell(n(d.counts?.[f]))),
    ]),
    footer: el('tr', { class: 'total-row' }, [
      el('th', { scope: 'row' }, t('total')),
      ...DEVICE_FIELDS.map(([, f]) => numCell(n(totals[f]))),
    ]),
  });
}

function coverageTable(data, params) {
  const r = data.coverage;
  const row = (label, c = {}) => [
    textCell(label),
    numCell(n(c.targeted)),
    numCell(n(c.equipped)),
    numCell(n(c.notEquipped)),
    el('td', { class: 'num', 'data-value': n(c.equippedPercent) }, percent(n(c.equippedPercent))),
  ];
  const totalCells = row(t('total'), r.totals);
  return tableCard({
    id: 'table-coverage',
    title: t('tableCoverage'),
    report: 'coverage',
    params: params.coverage,
    headers: [[t('department')], [t('targeted'), true], [t('equipped'), true], [t('notEquipped'), true], [t('percentEquipped'), true]],
    rows: (r.byDepartment ?? []).map((d) => row(departmentLabel(d.department), d.counts)),
    footer: el('tr', { class: 'total-row' }, [el('th', { scope: 'row' }, t('total')), ...totalCells.slice(1)]),
  });
}

function kindLabel(kind) {
  return kind ? t(`kind_${kind}`) : '';
}

function staleTable(data, params) {
  const r = data['stale-devices'];
  const devices = r.devices ?? [];
  return tableCard({
    id: 'table-stale',
    title: t('tableStale'),
    report: 'stale-devices',
    params: params['stale-devices'],
    long: true,
    caption: t('tableStaleCaption', { total: num(n(r.total)), days: n(r.days), shown: num(devices.length) }),
    headers: [
      [t('serial')], [t('assetTag')], [t('kind')], [t('department')], [t('site')], [t('lastUser')],
      [t('lastSeen')], [t('daysSilent'), true], [t('battery'), true],
    ],
    rows: devices.map((d) => [
      textCell(d.serial ?? ''),
      textCell(d.assetTag ?? ''),
      textCell(kindLabel(d.kind)),
      textCell(departmentLabel(d.department)),
      textCell(keyLabel(d.site, 'noSite')),
      textCell(d.lastUser ?? ''),
      textCell(d.neverCheckedIn ? t('never') : dateText(d.lastSeen)),
      numCell(n(d.daysSilent)),
      d.batteryPercent === undefined || n(d.batteryPercent) < 0
        ? el('td', { class: 'num' }, '—')
        : el('td', { class: 'num', 'data-value': n(d.batteryPercent) }, `${num(n(d.batteryPercent))} %`),
    ]),
  });
}

const HEALTH_FIELDS = ['enrolled', 'lowBattery', 'lowStorage', 'outdatedOs', 'outdatedAgent', 'neverCheckedIn', 'usedBySomeoneElse'];

function healthTable(data, params) {
  const r = data['fleet-health'];
  const totals = r.totals ?? {};
  return tableCard({
    id: 'table-health',
    title: t('tableHealth'),
    report: 'fleet-health',
    params: params['fleet-health'],
    headers: [[t('department')], ...HEALTH_FIELDS.map((f) => [t(f), true])],
    rows: (r.byDepartment ?? []).map((d) => [
      textCell(departmentLabel(d.department)),
      ...HEALTH_FIELDS.map((f) => numCell(n(d.counts?.[f]))),
    ]),
    footer: el('tr', { class: 'total-row' }, [
      el('th', { scope: 'row' }, t('total')),
      ...HEALTH_FIELDS.map((f) => numCell(n(totals[f]))),
    ]),
  });
}

const FUNNEL_FIELDS = ['targeted', 'assessed', 'assigned', 'started', 'completed'];
// [response field, word for an empty key, the CSV's `by`]
const FUNNEL_GROUPS = [
  ['byDepartment', 'noDepartment', 'department'],
  ['byAdvisor', 'none', 'advisor'],
  ['byWave', 'none', 'wave'],
  ['byTier', 'none', 'tier'],
];

function funnelTable(data, params, view, redraw) {
  const r = data['training-funnel'];
  const [group, emptyWord, by] = FUNNEL_GROUPS.find(([g]) => g === view.funnelBy) ?? FUNNEL_GROUPS[0];
  const select = el('select', { id: 'funnel-by' },
    FUNNEL_GROUPS.map(([g]) => el('option', { value: g, selected: g === group }, t(g))));
  select.addEventListener('change', () => {
    view.funnelBy = select.value;
    redraw();
    document.getElementById('funnel-by')?.focus();
  });
  const controls = el('div', { class: 'inline-field' }, [el('label', { for: 'funnel-by' }, t('tableFunnelBy')), select]);
  const totals = r.totals ?? {};
  return tableCard({
    id: 'table-funnel',
    title: t('tableFunnel'),
    report: 'training-funnel',
    params: { ...params['training-funnel'], by },
    controls,
    headers: [[t(group)], ...FUNNEL_FIELDS.map((f) => [t(f), true])],
    rows: (r[group] ?? []).map((row) => [
      // by_tier rows carry the configured French tier name.
      textCell(row.name || (group === 'byDepartment' ? departmentLabel(row.key) : keyLabel(row.key, emptyWord))),
      ...FUNNEL_FIELDS.map((f) => numCell(n(row.counts?.[f]))),
    ]),
    footer: el('tr', { class: 'total-row' }, [
      el('th', { scope: 'row' }, t('total')),
      ...FUNNEL_FIELDS.map((f) => numCell(n(totals[f]))),
    ]),
  });
}

function overdueTable(data, params) {
  const r = data['overdue-loans'];
  const loans = r.loans ?? [];
  return tableCard({
    id: 'table-overdue',
    title: t('tableOverdue'),
    report: 'overdue-loans',
    params: params['overdue-loans'],
    long: true,
    caption: t('tableOverdueCaption', { total: num(n(r.total)), shown: num(loans.length) }),
    headers: [
      [t('employee')], [t('name')], [t('department')], [t('serial')], [t('assetTag')], [t('kind')],
      [t('dueDate')], [t('daysOverdue'), true],
    ],
    rows: loans.map((l) => [
      textCell(l.employeeNumber ?? ''),
      textCell(l.agentName ?? ''),
      textCell(departmentLabel(l.department)),
      textCell(l.serial ?? ''),
      textCell(l.assetTag ?? ''),
      textCell(kindLabel(l.kind)),
      textCell(l.dueDate ? dateText(`${l.dueDate}T12:00:00Z`) : ''),
      numCell(n(l.daysOverdue)),
    ]),
  });
}

export function renderTables(container, data, params, view, redraw) {
  container.replaceChildren(
    devicesTable(data, params),
    coverageTable(data, params),
    staleTable(data, params),
    healthTable(data, params),
    funnelTable(data, params, view, redraw),
    overdueTable(data, params),
  );
}
