// The enrollment sheet: the token as a QR code (the learner app's address with
// ?enroll=) and as text, with three steps, laid out for printing.
import qrcode from 'qrcode-generator';

import { el } from '../dom.js';
import { day, w } from './words.js';

const SVG = 'http://www.w3.org/2000/svg';

// `text` as an SVG QR code drawn with one path (no HTML parsing).
export function qrSvg(text, label) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const size = qr.getModuleCount();
  const margin = 4;
  let d = '';
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) if (qr.isDark(r, c)) d += `M${c + margin} ${r + margin}h1v1h-1z`;
  const svg = document.createElementNS(SVG, 'svg');
  const full = size + 2 * margin;
  svg.setAttribute('viewBox', `0 0 ${full} ${full}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('class', 'qr');
  const bg = document.createElementNS(SVG, 'rect');
  bg.setAttribute('width', String(full));
  bg.setAttribute('height', String(full));
  bg.setAttribute('fill', '#fff');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}

export function enrollmentSheet({ token, siteName, kindName }) {
  const url = `${location.origin}/apprendre/?enroll=${encodeURIComponent(token.token)}`;
  return el('article', { class: 'enroll-sheet', 'data-token': token.token }, [
    el('h2', {}, w('enrollSheetTitle', { site: siteName })),
    el('p', {}, kindName),
    qrSvg(url, url),
    el('ol', {}, [el('li', {}, w('enrollStep1')), el('li', {}, w('enrollStep2')), el('li', {}, w('enrollStep3'))]),
    el('p', {}, [w('enrollOrType'), ' ', el('code', { class: 'token' }, token.token)]),
    el('p', {}, w('enrollExpires', { date: day(token.expiresAt), n: token.uses })),
  ]);
}
