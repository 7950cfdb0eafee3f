// The signed receipt of a hand-over ("bon de remise") or a return ("bon de
// retour"), for people who have no email address to receive one: the desk
// shows what the person takes or gives back, they sign on the screen with a
// finger, and the PDF (receipt_pdf.js) and the signature go to parcd, which
// keeps them with the allocation (POST /api/v1/desk/receipt).
//
// The signature is required: a receipt nobody signed proves nothing. A
// keyboard-only operator, or a person who cannot sign on a screen, takes
// "Plus tard": the hand-over itself is recorded either way, and the device's
// history offers the receipt again.
import { el } from '../dom.js';
import { get, post } from './api.js';
import { receiptPdf } from './receipt_pdf.js';
import { signaturePad } from './signature.js';
import { day, refusalLines, w } from './words.js';

export const KINDS = { remise: 'RECEIPT_KIND_HANDOVER', retour: 'RECEIPT_KIND_RETURN' };
export const kindWord = (kind) => (kind === 'RECEIPT_KIND_RETURN' ? 'retour' : 'remise');

// The page's bytes in base64 (protobuf's JSON mapping of `bytes`).
function base64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function city() {
  try {
    return localStorage.getItem('parc.city') ?? '';
  } catch {
    return '';
  }
}

// What the receipt says, the same on the screen and in the PDF.
function factsOf(word, allocation, device) {
  const who = `${allocation.agentName || ''} (${w('receiptNumber', { n: allocation.employeeNumber })})`.trim();
  const facts = [
    [w('receiptPerson'), who],
    [w('receiptWhat'), `${w(`kind_${device.kind ?? 'DEVICE_KIND_UNSPECIFIED'}`)} ${device.model ?? ''}`.trim()],
    [w('serial'), device.serial],
    [w('assetTag'), device.assetTag || '—'],
  ];
  if (word === 'remise' && allocation.dueDate) facts.push([w('dueDate'), day(allocation.dueDate)]);
  if (word === 'retour') {
    facts.push([w('condition'), allocation.returnCondition || '—'], [w('goesTo'), w(`to_${allocation.returnedTo}`)]);
  }
  facts.push([w('receiptDate'), day(word === 'retour' ? allocation.endedAt : allocation.startedAt)]);
  facts.push([w('receiptAgent'), (word === 'retour' ? allocation.endedBy : allocation.startedBy) || '—']);
  return facts;
}

// The receipt screen's title and content for allocation `id` of device
// `serial`; `done(saved)` is called when the person signed and it was
// stored, or when the operator leaves it for later.
export async function receiptView({ serial, id, word, done }) {
  const history = await get('history', { device: serial });
  const device = history.device ?? {};
  const allocation = (history.allocations ?? []).find((a) => String(a.id) === String(id));
  if (!allocation) throw Object.assign(new Error(w('receiptNoAllocation')), { code: 'NOT_FOUND' });
  const title = w(`receiptTitle_${word}`);
  const facts = factsOf(word, allocation, device);
  const statement = w(`receiptStatement_${word}`);
  const pad = signaturePad({ label: w('receiptPadLabel', { who: allocation.agentName || allocation.employeeNumber }), help: w('receiptPadHelp') });
  const answer = el('div', { class: 'desk-answer', 'aria-live': 'polite' });
  const save = el('button', { type: 'button', class: 'button-primary', id: 'receipt-save' }, w('receiptSave'));
  const clear = el('button', { type: 'button', class: 'button-quiet', id: 'receipt-clear' }, w('receiptClear'));
  const later = el('button', { type: 'button', class: 'button-quiet', id: 'receipt-later' }, w('receiptLater'));
  clear.addEventListener('click', () => {
    pad.clear();
    answer.replaceChildren();
  });
  later.addEventListener('click', () => done(false));
  pad.node.addEventListener('signed', () => answer.replaceChildren()); // "sign first" is answered
  save.addEventListener('click', async () => {
    if (pad.isEmpty()) {
      answer.replaceChildren(el('p', { class: 'error', role: 'alert' }, w('receiptSignFirst')));
      return;
    }
    save.disabled = true;
    answer.replaceChildren(el('p', { role: 'status' }, w('receiptSaving')));
    try {
      const signature = await pad.png();
      const pdf = await receiptPdf({
        title,
        org: [city(), w('deskTitle')].filter(Boolean).join(' — '),
        facts,
        statement,
        signedBy: w('receiptSignedBy', { who: facts[0][1] }),
        signature,
        footer: w('receiptFooter', { id: allocation.id, date: day(new Date().toISOString()) }),
      });
      await post('receipt', { allocationId: String(allocation.id), kind: KINDS[word], signaturePng: base64(signature), pdf: base64(pdf) });
      done(true);
    } catch (err) {
      save.disabled = false;
      answer.replaceChildren(...refusalLines(err));
    }
  });
  return {
    title,
    nodes: [
      el('p', { class: 'desk-help' }, w('receiptShow')),
      el('dl', { class: 'desk-facts receipt-facts' }, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
      el('p', { class: 'receipt-statement' }, statement),
      el('section', { class: 'receipt-sign', 'aria-labelledby': 'receipt-sign-title' }, [
        el('h2', { id: 'receipt-sign-title', class: 'section-title' }, w('receiptSignTitle')),
        pad.node,
        el('div', { class: 'desk-buttons' }, [save, clear, later]),
        answer,
      ]),
    ],
  };
}

// A line of a device's history about one allocation's receipt of `word`:
// the PDF to download, or a link to have it signed now.
export function receiptLine(receipts, allocation, word, link) {
  const kind = KINDS[word];
  const found = receipts.find((r) => String(r.allocationId) === String(allocation.id) && r.kind === kind);
  if (found) {
    return el('span', { class: 'receipt-line' }, [
      `${w(`receiptSigned_${word}`, { date: day(found.createdAt) })} `,
      el('a', { href: `/api/v1/desk/receipt-file?sha256=${found.pdfSha256}`, download: found.fileName, class: 'receipt-download' }, w(`receiptDownload_${word}`)),
    ]);
  }
  return link(`bon/${encodeURIComponent(allocation.deviceSerial)}/${allocation.id}/${word}`, w(`receiptMake_${word}`));
}
