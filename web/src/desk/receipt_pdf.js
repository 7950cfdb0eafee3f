// The receipt as a PDF (A4, pdf-lib, in the browser like the labels): what
// the person saw on the screen and signed, with the signature drawn in.
// parcd stores these bytes as they are (it has no PDF library and needs
// none); what it knows for itself is the allocation the receipt belongs to.
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

const MM = 72 / 25.4;
const A4 = [210 * MM, 297 * MM];
const INK = rgb(0, 0, 0);
const GREY = rgb(0.35, 0.35, 0.35);

// Keeps what the standard font can encode (French letters do); other letters
// lose their accents, anything else becomes '?'.
function printer(font) {
  const known = new Set(font.getCharacterSet());
  return (text) =>
    [...String(text ?? '')]
      .map((c) => {
        if (known.has(c.codePointAt(0))) return c;
        const plain = c.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
        return [...plain].every((p) => known.has(p.codePointAt(0))) ? plain : '?';
      })
      .join('');
}

// Splits `text` into lines no wider than `width` at `size`.
function wrap(text, font, size, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

// r: {title, org, facts: [[label, value]], statement, signedBy, signature
// (PNG bytes), footer}; returns the PDF's bytes.
export async function receiptPdf(r) {
  const doc = await PDFDocument.create();
  doc.setTitle(r.title);
  doc.setSubject(r.facts.map(([k, v]) => `${k}: ${v}`).join(' ; '));
  doc.setCreator('Parc');
  doc.setLanguage('fr-FR');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const p = printer(font);
  const page = doc.addPage(A4);
  const left = 20 * MM;
  const width = A4[0] - 40 * MM;
  let y = A4[1] - 22 * MM;
  const text = (t, { f = font, size = 11, color = INK, x = left } = {}) => {
    page.drawText(p(t), { x, y, size, font: f, color });
  };

  if (r.org) {
    text(r.org, { size: 10, color: GREY });
    y -= 9 * MM;
  }
  text(r.title, { f: bold, size: 20 });
  y -= 12 * MM;
  const labelWidth = Math.max(...r.facts.map(([k]) => bold.widthOfTextAtSize(p(k), 11))) + 6 * MM;
  for (const [k, v] of r.facts) {
    text(k, { f: bold });
    const lines = wrap(p(v || '—'), font, 11, width - labelWidth);
    for (const [i, line] of lines.entries()) {
      if (i) y -= 5.5 * MM;
      page.drawText(line, { x: left + labelWidth, y, size: 11, font, color: INK });
    }
    y -= 8 * MM;
  }
  y -= 4 * MM;
  for (const line of wrap(p(r.statement), font, 11, width)) {
    text(line);
    y -= 5.5 * MM;
  }
  y -= 8 * MM;
  text(r.signedBy, { f: bold });
  y -= 4 * MM;
  const image = await doc.embedPng(r.signature);
  const boxW = Math.min(width, 120 * MM);
  const boxH = 45 * MM;
  const scale = Math.min(boxW / image.width, boxH / image.height);
  page.drawRectangle({ x: left, y: y - boxH, width: boxW, height: boxH, borderColor: GREY, borderWidth: 0.5 });
  page.drawImage(image, { x: left, y: y - boxH + (boxH - image.height * scale) / 2, width: image.width * scale, height: image.height * scale });
  y -= boxH + 10 * MM;
  for (const line of wrap(p(r.footer), font, 8.5, width)) {
    text(line, { size: 8.5, color: GREY });
    y -= 4.5 * MM;
  }
  return doc.save();
}
