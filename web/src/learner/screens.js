// The screens other than the keypad and the viewers: one thing to read and
// at most one thing to do on each. Every function returns a <section> built
// from the state it is given; app.js puts it on the page.
import { el, svg, today } from './dom.js';
import { duePhrase, phrase, startedPhrase, t } from './i18n.js';
import { backButton } from './keypad.js';
import { CHECK, DOWNLOAD, LINK_OFF, NO_NETWORK, PERSON, itemIcon, moduleIcon } from './pictograms.js';
import { line, speakerButton } from './speech.js';

// A message alone on the screen: opening, linking, not linked, revoked.
export function messageScreen({ name, icon, title, lines = [], action = null }) {
  return el('section', { class: 'screen screen-message', 'data-screen': name }, [
    icon ? svg(icon, 'picto picto-big') : null,
    line('h1', title, { tabindex: '-1' }),
    ...lines.map((l) => line('p', l)),
    action,
  ]);
}

export const revokedScreen = (phone) =>
  messageScreen({ name: 'revoked', icon: LINK_OFF, title: t('revoked', { phone }), lines: [t('showAdvisor', { phone })] });
export const notLinkedScreen = (phone) =>
  messageScreen({ name: 'not-linked', icon: LINK_OFF, title: t('notLinked', { phone }), lines: [t('showAdvisor', { phone })] });
export const codeRefusedScreen = () =>
  messageScreen({ name: 'code-refused', icon: LINK_OFF, title: t('codeRefused'), lines: [t('askNewCode')] });
export const linkingScreen = (phone) => messageScreen({ name: 'linking', title: t('linking', { phone }) });
export const noNetworkScreen = (onRetry) =>
  messageScreen({
    name: 'no-network',
    icon: NO_NETWORK,
    title: t('noNetworkYet'),
    lines: [t('tryAgainLater')],
    action: el('button', { type: 'button', class: 'big', 'data-key': 'retry', onclick: onRetry }, t('tryAgain')),
  });

// Where a person is in a module: "À commencer", "Commencé : 2 sur 4", "Terminé".
export function statePhrase(module, view) {
  const total = (module.items ?? []).length;
  if (view.completed) return phrase(t('finished'));
  if (!view.opened && view.done.length === 0) return phrase(t('notStarted'));
  return startedPhrase(view.done.length, total);
}

function offlineBanner(online) {
  if (online) return null;
  return el('div', { class: 'banner', role: 'status', 'data-key': 'offline' }, [
    svg(NO_NETWORK, 'picto'),
    el('div', {}, [line('p', t('offline')), line('p', t('offlineGoOn'))]),
  ]);
}

// Whether a module's files are all on the device, or still coming.
function filesPhrase(module, ready, phone) {
  const items = module.items ?? [];
  if (items.length > 0 && items.every((i) => ready.has(i.sha256))) return { sentence: phrase(t('ready')), ready: true };
  return { sentence: phrase(t('downloading', { phone })), ready: false };
}

function moduleCard(module, { view, due, ready, phone, onOpen }) {
  const state = statePhrase(module, view);
  const files = filesPhrase(module, ready, phone);
  return el('li', { class: `card${view.completed ? ' card-done' : ''}`, 'data-module': module.code }, [
    el('div', { class: 'card-head' }, [
      el('button', { type: 'button', class: 'card-open', 'data-key': `open-${module.code}`, onclick: () => onOpen(module) }, [
        svg(moduleIcon(module), 'picto picto-card'),
        el('span', { class: 'card-title' }, module.title || module.code),
      ]),
      speakerButton(phrase(module.title || module.code)),
    ]),
    el('div', { class: 'card-facts' }, [
      line('p', state, { class: `state${view.completed ? ' state-done' : ''}`, 'data-state': state.text }),
      due ? line('p', due, { class: `due${due.text.startsWith(t('lateSince')) ? ' due-late' : ''}` }) : null,
      el('div', { class: `files${files.ready ? ' files-ready' : ''}`, 'data-files': files.ready ? 'ready' : 'coming' }, [
        svg(files.ready ? CHECK : DOWNLOAD, 'picto picto-small'),
        line('p', files.sentence),
      ]),
    ]),
  ]);
}

// The person's modules as cards.
export function homeScreen({ person, modules, views, ready, online, phone, onOpen, onChangePerson }) {
  const greeting = person?.displayName
    ? phrase(t('hello'), `${firstName(person.displayName)}.`)
    : phrase(t('helloSomeone'));
  const date = today();
  const cards = modules.map((m) => {
    const me = (m.people ?? []).find((p) => p.employeeNumber === person?.employeeNumber);
    return moduleCard(m, { view: views.get(m.code), due: me?.dueDate ? duePhrase(me.dueDate, date) : null, ready, phone, onOpen });
  });
  return el('section', { class: 'screen screen-home', 'data-screen': 'home' }, [
    offlineBanner(online),
    line('p', greeting, { class: 'hello' }),
    line('h1', t('yourModules'), { tabindex: '-1' }),
    cards.length > 0
      ? el('ul', { class: 'cards' }, cards)
      : el('div', { class: 'empty' }, [line('p', t('noModules')), line('p', t('noModulesHere'))]),
    el('button', { type: 'button', class: 'quiet change-person', 'data-key': 'change-person', onclick: onChangePerson }, [
      svg(PERSON, 'picto picto-small'),
      t('changePerson'),
    ]),
  ]);
}

const firstName = (displayName) => displayName.split(' ')[0];

const ACTION = {
  CONTENT_KIND_VIDEO: 'watchVideo',
  CONTENT_KIND_PDF: 'readSheet',
  CONTENT_KIND_AUDIO: 'listenSound',
  CONTENT_KIND_IMAGE: 'seeImage',
};
export const actionWord = (item) => t(ACTION[item.kind] ?? 'openFile');

// One module: its steps in order, one big button for the next step to do.
export function moduleScreen({ module, view, ready, online, phone, onItem, onBack }) {
  const items = [...(module.items ?? [])].sort((a, b) => a.position - b.position);
  const next = items.find((i) => !view.done.includes(i.sha256));
  const steps = items.map((item) => {
    const done = view.done.includes(item.sha256);
    return el('li', { class: `step${done ? ' step-done' : ''}${item === next ? ' step-next' : ''}`, 'data-step': item.position }, [
      svg(done ? CHECK : itemIcon(item.kind), 'picto picto-small'),
      el('span', { class: 'step-title' }, item.title || item.fileName),
      speakerButton(phrase(item.title || item.fileName)),
      line('p', phrase(done ? t('stepDone') : t('stepToDo')), { class: 'step-state' }),
      el('button', { type: 'button', class: 'step-open', 'data-key': `step-${item.position}`, onclick: () => onItem(item) }, [
        actionWord(item),
        el('span', { class: 'visually-hidden' }, ` : ${item.title || item.fileName}`),
      ]),
    ]);
  });
  const nextReady = next && ready.has(next.sha256);
  return el('section', { class: 'screen screen-module', 'data-screen': 'module', 'data-module': module.code }, [
    backButton(t('backHome'), onBack),
    offlineBanner(online),
    svg(moduleIcon(module), 'picto picto-big'),
    line('h1', phrase(module.title || module.code), { tabindex: '-1' }),
    module.description ? line('p', phrase(module.description), { class: 'description' }) : null,
    view.completed ? el('div', { class: 'bravo' }, [svg(CHECK, 'picto'), line('p', t('moduleDone'))]) : null,
    next
      ? el('div', { class: 'next' }, [
          el('button', { type: 'button', class: 'big', 'data-key': 'next', onclick: () => onItem(next) }, [
            svg(itemIcon(next.kind), 'picto'),
            actionWord(next),
          ]),
          nextReady ? null : line('p', t('notHereYet', { phone }), { class: 'hint' }),
          nextReady || online ? null : line('p', t('comesWithNetwork'), { class: 'hint' }),
        ])
      : null,
    line('h2', t('steps')),
    el('ol', { class: 'steps' }, steps),
  ]);
}
