// Watching a video, reading a sheet (PDF, drawn by pdf.js since mobile
// browsers do not show PDFs inside a page), listening, looking at a picture:
// always from the copy on the device (/apprendre/contenu/<sha256>, answered
// by the service worker), with "J'ai fini" at the bottom and a way back.
import { el, svg } from './dom.js';
import { phrase, t } from './i18n.js';
import { backButton } from './keypad.js';
import { CHECK } from './pictograms.js';
import { line } from './speech.js';

const urlOf = (item) => `/apprendre/contenu/${item.sha256}`;

// pdf.js is large: it is loaded the first time a sheet is opened.
async function showPdf(item, holder) {
  const pdfjs = await import('pdfjs-dist');
  pdfjs.GlobalWorkerOptions.workerSrc = '/apprendre/pdf.worker.mjs';
  const cached = await caches.match(urlOf(item));
  if (!cached) throw new Error('not cached');
  const data = new Uint8Array(await cached.arrayBuffer());
  const doc = await pdfjs.getDocument({ data, isEvalSupported: false, useSystemFonts: true }).promise;
  let number = 1;
  const canvas = el('canvas', { class: 'pdf-page', role: 'img' });
  const text = el('div', { class: 'visually-hidden', 'data-pdf-text': '' });
  const counter = el('div', { class: 'pdf-counter', 'aria-live': 'polite' });
  const before = el('button', { type: 'button', class: 'quiet', 'data-key': 'page-before' }, t('pageBefore'));
  const after = el('button', { type: 'button', class: 'quiet', 'data-key': 'page-after' }, t('pageAfter'));
  let drawing = Promise.resolve();
  const draw = () => {
    drawing = drawing.then(async () => {
      const page = await doc.getPage(number);
      const width = Math.max(200, holder.clientWidth || 600);
      const base = page.getViewport({ scale: 1 });
      const scale = width / base.width;
      const ratio = window.devicePixelRatio || 1;
      const viewport = page.getViewport({ scale: scale * ratio });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
      await page.render({ canvas, canvasContext: canvas.getContext('2d'), viewport }).promise;
      const content = await page.getTextContent();
      text.textContent = content.items.map((i) => i.str).join(' ');
      const where = phrase(t('page'), number, t('outOf'), doc.numPages);
      canvas.setAttribute('aria-label', where.text);
      counter.replaceChildren(line('p', where));
      before.disabled = number <= 1;
      after.disabled = number >= doc.numPages;
      holder.dataset.page = String(number);
      holder.dataset.pages = String(doc.numPages);
      holder.dataset.drawn = 'true';
    });
    return drawing;
  };
  before.addEventListener('click', () => {
    if (number > 1) number--;
    draw();
  });
  after.addEventListener('click', () => {
    if (number < doc.numPages) number++;
    draw();
  });
  holder.replaceChildren(canvas, text, el('div', { class: 'pdf-nav' }, [before, counter, after]));
  await draw();
}

function media(item) {
  const url = urlOf(item);
  switch (item.kind) {
    case 'CONTENT_KIND_VIDEO':
      return el('video', { class: 'video', src: url, controls: true, playsinline: true, preload: 'metadata', 'aria-label': item.title || item.fileName });
    case 'CONTENT_KIND_AUDIO':
      return el('audio', { class: 'audio', src: url, controls: true, preload: 'metadata', 'aria-label': item.title || item.fileName });
    case 'CONTENT_KIND_IMAGE':
      return el('img', { class: 'image', src: url, alt: item.title || item.fileName });
    default:
      return null;
  }
}

export function viewerScreen({ module, item, ready, phone, done, onDone, onBack }) {
  const holder = el('div', { class: 'viewer', 'data-kind': item.kind });
  if (!ready) {
    holder.append(line('p', t('notHereYet', { phone })), line('p', t('comesWithNetwork')));
  } else if (item.kind === 'CONTENT_KIND_PDF') {
    queueMicrotask(() =>
      showPdf(item, holder).catch(() => {
        holder.replaceChildren(line('p', t('cannotOpen')));
      }),
    );
  } else {
    const shown = media(item);
    holder.append(shown ?? line('p', t('cannotOpen')));
  }
  return el('section', { class: 'screen screen-viewer', 'data-screen': 'viewer', 'data-item': item.sha256 }, [
    backButton(module.title || t('back'), onBack),
    line('h1', phrase(item.title || item.fileName), { tabindex: '-1' }),
    holder,
    el('button', { type: 'button', class: `big done${done ? ' is-done' : ''}`, 'data-key': 'done', onclick: onDone }, [
      svg(CHECK, 'picto'),
      t('iAmDone'),
    ]),
  ]);
}
