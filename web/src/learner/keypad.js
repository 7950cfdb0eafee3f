// Who is learning, on a shared device: a large numeric keypad for the
// employee number printed on the staff badge, and, where the browser can read
// NFC tags (Web NFC, Chrome on Android), the badge itself. No other typing.
import { el, svg } from './dom.js';
import { t } from './i18n.js';
import { BADGE, ERASE } from './pictograms.js';
import { line } from './speech.js';

const MAX_DIGITS = 12;

// The employee number a badge carries: its first text record that looks like
// one (letters and digits, "E001234"), as written.
function numberOnBadge(message) {
  for (const record of message.records ?? []) {
    if (record.recordType !== 'text' || !record.data) continue;
    const text = new TextDecoder(record.encoding || 'utf-8').decode(record.data).trim();
    if (/^[A-Za-z0-9-]{1,32}$/.test(text) && /\d/.test(text)) return text;
  }
  return '';
}

// Starts reading badges when the browser can; `onNumber(number)` is called
// for each badge read. Returns a function that stops reading.
function readBadges(onNumber, onState) {
  if (!('NDEFReader' in globalThis)) return () => {};
  const controller = new AbortController();
  const reader = new globalThis.NDEFReader();
  reader.addEventListener('reading', (event) => {
    const digits = numberOnBadge(event.message);
    if (digits) onNumber(digits);
  });
  reader
    .scan({ signal: controller.signal })
    .then(() => onState(true))
    .catch(() => onState(false));
  return () => controller.abort();
}

// The keypad screen's content. `onNumber(number, via)` is called with the
// digits typed ("keypad") or the number read from a badge ("badge"); when it
// resolves 'unknown', the keypad stays and says the number is not known.
export function keypadScreen({ phone, onNumber, canGoBack, onBack }) {
  let digits = '';
  const shown = el('output', { class: 'number', 'aria-live': 'polite', 'aria-label': t('yourNumber'), 'data-key': 'number' });
  const hint = el('div', { class: 'hint', role: 'status' });
  const refresh = () => {
    shown.textContent = digits || '\u00a0';
    hint.replaceChildren();
  };
  const key = (d) =>
    el('button', { type: 'button', class: 'key', 'data-key': `key-${d}`, onclick: () => {
      if (digits.length < MAX_DIGITS) digits += d;
      refresh();
    } }, d);
  const erase = el('button', { type: 'button', class: 'key key-erase', 'data-key': 'erase', 'aria-label': t('erase'), onclick: () => {
    digits = digits.slice(0, -1);
    refresh();
  } }, [svg(ERASE, 'key-icon'), el('span', { class: 'key-word' }, t('erase'))]);
  const confirm = el('button', { type: 'button', class: 'key key-ok', 'data-key': 'confirm', onclick: () => {
    if (!digits) {
      hint.replaceChildren(line('p', t('numberEmpty')));
      return;
    }
    accept(digits, 'keypad');
  } }, t('confirm'));
  const pad = el('div', { class: 'keypad', role: 'group', 'aria-label': t('yourNumber') }, [
    ...['1', '2', '3', '4', '5', '6', '7', '8', '9'].map(key),
    erase,
    key('0'),
    confirm,
  ]);
  const badge = el('div', { class: 'badge-read', hidden: true }, [svg(BADGE, 'picto'), line('p', t('orBadge', { phone }))]);
  // An unknown number leaves the keypad open and says so.
  const accept = async (number, via) => {
    if ((await onNumber(number, via)) !== 'unknown') {
      stopBadges();
      return;
    }
    digits = '';
    refresh();
    hint.replaceChildren(line('p', t('numberUnknown')), line('p', t('checkBadge')));
  };
  const stopBadges = readBadges(
    (number) => accept(number, 'badge'),
    (reading) => {
      badge.hidden = !reading;
    },
  );
  refresh();
  return el('section', { class: 'screen screen-keypad', 'data-screen': 'keypad' }, [
    canGoBack ? backButton(t('back'), onBack) : null,
    line('h1', t('whoTitle'), { tabindex: '-1' }),
    line('p', t('typeNumber')),
    line('p', t('numberOnBadge')),
    shown,
    hint,
    pad,
    badge,
  ]);
}

export function backButton(text, onclick) {
  return el('button', { type: 'button', class: 'back', 'data-key': 'back', onclick }, [
    el('span', { class: 'back-arrow', 'aria-hidden': 'true' }, '←'),
    text,
  ]);
}
