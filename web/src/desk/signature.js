// A signature pad: a canvas the person signs on with a finger (or a pen, or
// the mouse), through pointer events so that touch, pen and mouse are one
// code path. No library: the npm ones (signature_pad and the like) do the
// same forty lines with smoothing we do not need for a receipt.
//
// signaturePad({label, help}) -> {node, isEmpty(), clear(), png()}; png()
// resolves to the PNG's bytes (Uint8Array), ink on a transparent ground.
import { el } from '../dom.js';

const INK = '#0b1f4d';

export function signaturePad({ label, help, id = 'signature' }) {
  const canvas = el('canvas', { id, class: 'sign-pad', role: 'img', 'aria-label': label, 'aria-describedby': `${id}-help` });
  const node = el('div', { class: 'sign-box' }, [canvas, el('p', { class: 'desk-help', id: `${id}-help` }, help)]);
  const ctx = canvas.getContext('2d');
  let strokes = 0; // strokes with at least one segment
  let last = null; // the pointer drawing now: {id, x, y}
  let drawn = false; // the current stroke has a segment

  // The backing store follows the element's size (and the screen's density),
  // so that a line is where the finger is; set on first touch, once laid out.
  const fit = () => {
    const box = canvas.getBoundingClientRect();
    const scale = Math.min(window.devicePixelRatio || 1, 2);
    const w = Math.round(box.width * scale);
    const h = Math.round(box.height * scale);
    if (canvas.width === w && canvas.height === h) return;
    canvas.width = w;
    canvas.height = h;
    strokes = 0;
  };
  const at = (e) => {
    const box = canvas.getBoundingClientRect();
    return { x: ((e.clientX - box.left) * canvas.width) / box.width, y: ((e.clientY - box.top) * canvas.height) / box.height };
  };
  const pen = () => {
    ctx.strokeStyle = INK;
    ctx.fillStyle = INK;
    ctx.lineWidth = Math.max(2, canvas.width / 250);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
  };

  canvas.addEventListener('pointerdown', (e) => {
    if (last) return; // one finger at a time
    e.preventDefault();
    if (strokes === 0) fit();
    try {
      canvas.setPointerCapture(e.pointerId);
    } catch {
      // a synthetic pointer cannot be captured; drawing works without it
    }
    pen();
    last = { id: e.pointerId, ...at(e) };
    drawn = false;
    ctx.beginPath();
    ctx.arc(last.x, last.y, ctx.lineWidth / 2, 0, 2 * Math.PI);
    ctx.fill();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last || e.pointerId !== last.id) return;
    e.preventDefault();
    const events = typeof e.getCoalescedEvents === 'function' && e.getCoalescedEvents().length ? e.getCoalescedEvents() : [e];
    pen();
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    for (const one of events) {
      const p = at(one);
      ctx.lineTo(p.x, p.y);
      last.x = p.x;
      last.y = p.y;
    }
    ctx.stroke();
    drawn = true;
  });
  const end = (e) => {
    if (!last || e.pointerId !== last.id) return;
    if (drawn) strokes++;
    last = null;
    canvas.dispatchEvent(new CustomEvent('signed', { bubbles: true }));
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  return {
    node,
    isEmpty: () => strokes === 0,
    clear() {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      strokes = 0;
      last = null;
    },
    png: () =>
      new Promise((resolve, reject) => {
        canvas.toBlob((blob) => (blob ? blob.arrayBuffer().then((b) => resolve(new Uint8Array(b)), reject) : reject(new Error('canvas'))), 'image/png');
      }),
  };
}
