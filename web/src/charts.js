// The four pictures, drawn with Chart.js (only the parts used are bundled).
// Every chart is a <figure>: a title, a canvas with role="img" and a one-line
// description for screen readers, and a "show the figures" table, so nothing
// is only in the picture.
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';

import { n } from './api.js';
import { num, percent, t } from './i18n.js';
import { departmentLabel, el } from './dom.js';

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
);
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
Chart.defaults.font.size = 13;
Chart.defaults.color = '#1f2933';
Chart.defaults.animation = false; // a number and a picture, at once

// Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart
// without relying on red/green.
export const COLORS = {
  blue: '#1d4f91',
  teal: '#00796b',
  orange: '#b45309',
  purple: '#6d28d9',
  red: '#b91c1c',
  gray: '#6b7280',
  sky: '#0369a1',
  olive: '#4d7c0f',
};

const charts = new Map(); // id -> Chart, destroyed before a redraw

function figure(container, id, title, alt, headers, rows) {
  charts.get(id)?.destroy();
  const canvas = el('canvas', { role: 'img', 'aria-label': `${title}. ${alt}` });
  canvas.textContent = alt;
  const table = el('table', { class: 'data-table compact' }, [
    el('thead', {}, [el('tr', {}, headers.map((h, i) => el('th', { scope: 'col', class: i ? 'num' : null }, h)))]),
    el(
      'tbody',
      {},
      rows.map((r) =>
        el('tr', {}, r.map((c, i) => (i ? el('td', { class: 'num' }, c) : el('th', { scope: 'row' }, c)))),
      ),
    ),
  ]);
  const fig = el('figure', { class: 'chart', id }, [
    el('figcaption', {}, title),
    el('div', { class: 'chart-box' }, [canvas]),
    el('details', {}, [el('summary', {}, t('showData')), table]),
  ]);
  container.append(fig);
  return canvas;
}

// A chart whose values are all zero says so in words instead of drawing
// empty axes; its description and table stay.
function draw(id, canvas, config) {
  const values = config.data.datasets.flatMap((d) => d.data);
  if (values.every((v) => v === 0)) {
    canvas.parentElement.replaceWith(el('p', { class: 'chart-empty' }, t('chartEmpty')));
    return;
  }
  charts.set(id, new Chart(canvas, config));
}

const barOptions = (horizontal, stacked) => ({
  indexAxis: horizontal ? 'y' : 'x',
  responsive: true,
  maintainAspectRatio: false,
  plugins: { legend: { display: stacked, position: 'bottom' } },
  scales: {
    x: { stacked, beginAtZero: true, ticks: { precision: 0 } },
    y: { stacked, beginAtZero: true, ticks: { precision: 0, autoSkip: false } },
  },
});

export function drawStates(container, summary) {
  const c = summary.totals ?? {};
  const parts = [
    ['personal', n(c.assignedPersonal), COLORS.blue],
    ['pools', n(c.inSitePools), COLORS.sky],
    ['loan', n(c.onLoan), COLORS.purple],
    ['stock', n(c.inStock), COLORS.teal],
    ['repair', n(c.inRepair), COLORS.orange],
    ['lost', n(c.lost), COLORS.red],
    ['retired', n(c.retired), COLORS.gray],
  ];
  const title = t('chartStates');
  const alt = t('chartStatesAlt', {
    total: num(n(c.total)),
    list: parts.map(([k, v]) => `${t(k)} ${num(v)}`).join(', '),
  });
  const canvas = figure(container, 'chart-states', title, alt, [t('chartStates'), t('cardDevices')],
    parts.map(([k, v]) => [t(k), num(v)]));
  draw('chart-states', canvas, {
    type: 'doughnut',
    data: {
      labels: parts.map(([k, v]) => t('legendItem', { label: t(k), n: num(v) })),
      datasets: [{ data: parts.map(([, v]) => v), backgroundColor: parts.map(([, , col]) => col), borderColor: '#fff' }],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      cutout: '55%',
      plugins: { legend: { position: 'right', labels: { boxWidth: 14 } } },
    },
  });
}

export function drawCoverage(container, coverage) {
  const rows = (coverage.byDepartment ?? []).map((d) => ({
    label: departmentLabel(d.department),
    equipped: n(d.counts?.equipped),
    missing: n(d.counts?.notEquipped),
    percent: n(d.counts?.equippedPercent),
  }));
  const title = t('chartCoverage');
  const alt = t('chartCoverageAlt', {
    list: rows.map((r) => `${r.label} ${num(r.equipped)} / ${num(r.equipped + r.missing)}`).join(', '),
  });
  const canvas = figure(
    container, 'chart-coverage', title, alt,
    [t('department'), t('equipped'), t('notEquipped'), t('percentEquipped')],
    rows.map((r) => [r.label, num(r.equipped), num(r.missing), percent(r.percent)]),
  );
  canvas.parentElement.style.height = `${Math.max(220, 40 + rows.length * 28)}px`;
  draw('chart-coverage', canvas, {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: [
        { label: t('equipped'), data: rows.map((r) => r.equipped), backgroundColor: COLORS.blue },
        { label: t('notEquipped'), data: rows.map((r) => r.missing), backgroundColor: COLORS.orange },
      ],
    },
    options: barOptions(true, true),
  });
}

export function drawFunnel(container, funnel) {
  const c = funnel.totals ?? {};
  const stages = ['targeted', 'assessed', 'assigned', 'started', 'completed'].map((k) => [t(k), n(c[k])]);
  const title = t('chartFunnel');
  const alt = t('chartFunnelAlt', { list: stages.map(([k, v]) => `${k} ${num(v)}`).join(', ') });
  const canvas = figure(container, 'chart-funnel', title, alt, [t('chartFunnel'), t('allMasc')],
    stages.map(([k, v]) => [k, num(v)]));
  draw('chart-funnel', canvas, {
    type: 'bar',
    data: {
      labels: stages.map(([k]) => k),
      datasets: [{ data: stages.map(([, v]) => v), backgroundColor: [COLORS.gray, COLORS.sky, COLORS.purple, COLORS.orange, COLORS.teal] }],
    },
    options: barOptions(false, false),
  });
}

export function drawHealth(container, health) {
  const c = health.totals ?? {};
  const issues = [
    ['lowBattery', n(c.lowBattery)],
    ['lowStorage', n(c.lowStorage)],
    ['outdatedOs', n(c.outdatedOs)],
    ['outdatedAgent', n(c.outdatedAgent)],
    ['neverCheckedIn', n(c.neverCheckedIn)],
    ['usedBySomeoneElse', n(c.usedBySomeoneElse)],
  ].map(([k, v]) => [t(k), v]);
  const title = t('chartHealth');
  const alt = t('chartHealthAlt', { list: issues.map(([k, v]) => `${k} ${num(v)}`).join(', ') });
  const canvas = figure(container, 'chart-health', title, alt, [t('chartHealth'), t('cardDevices')],
    issues.map(([k, v]) => [k, num(v)]));
  draw('chart-health', canvas, {
    type: 'bar',
    data: {
      labels: issues.map(([k]) => k),
      datasets: [{ data: issues.map(([, v]) => v), backgroundColor: COLORS.orange }],
    },
    options: barOptions(true, false),
  });
}
