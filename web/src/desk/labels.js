// Asset labels as a PDF for A4 label sheets, made in the browser with pdf-lib:
// the city's name, the asset tag, the serial and a QR code that opens the
// device's page at the desk. Client side because the QR code and the layout
// are the page's own code and parcd needs no PDF library; the sheets'
// geometry is the common Avery/Herma one (mm).
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import qrcode from 'qrcode-generator';

export const SHEETS = {
  '3x8': { cols: 3, rows: 8, width: 63.5, height: 33.9, left: 7.2, top: 12.9, pitchX: 66.0, pitchY: 33.9 },
  '2x7': { cols: 2, rows: 7, width: 99.1, height: 38.1, left: 4.65, top: 15.15, pitchX: 101.6, pitchY: 38.1 },
};

const MM = 72 / 25.4;
const A4 = [210 * MM, 297 * MM];

// The address a label's QR code holds: the device's page at this desk.
export const deviceUrl = (serial) => `${location.origin}/#magasin/appareil/${encodeURIComponent(serial)}`;

// Standard PDF fonts know Latin-1-like letters only: others lose their accents.
const printable = (text) =>
  [...String(text ?? '')]
    .map((c) => (c.charCodeAt(0) < 256 ? c : c.normalize('NFD').replace(/[\u0300-\u036f]/g, '')))
    .join('')
    .replace(/[^\x20-\xff]/g, '?');

function drawQr(page, text, x, y, size) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  const cell = size / count;
  for (let r = 0; r < count; r++) {
    let start = -1;
    for (let c = 0; c <= count; c++) {
      const dark = c < count && qr.isDark(r, c);
      if (dark && start < 0) start = c;
      if (!dark && start >= 0) {
        page.drawRectangle({ x: x + start * cell, y: y + size - (r + 1) * cell, width: (c - start) * cell, height: cell, color: rgb(0, 0, 0) });
        start = -1;
      }
    }
  }
}

// devices: [{serial, assetTag}]; returns the PDF's bytes.
export async function labelsPdf(devices, { sheet = '3x8', city = '' } = {}) {
  const g = SHEETS[sheet];
  const doc = await PDFDocument.create();
  doc.setTitle(`Étiquettes ${city}`.trim());
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const perPage = g.cols * g.rows;
  let page = null;
  devices.forEach((d, i) => {
    if (i % perPage === 0) page = doc.addPage(A4);
    const slot = i % perPage;
    const x = (g.left + (slot % g.cols) * g.pitchX) * MM;
    const top = A4[1] - (g.top + Math.floor(slot / g.cols) * g.pitchY) * MM;
    const h = g.height * MM;
    const pad = 2.5 * MM;
    const qrSize = h - 2 * pad;
    drawQr(page, deviceUrl(d.serial), x + pad, top - h + pad, qrSize);
    const tx = x + 2 * pad + qrSize;
    const room = g.width * MM - (tx - x) - pad;
    const fit = (text, f, size) => {
      let s = size;
      while (s > 5 && f.widthOfTextAtSize(text, s) > room) s -= 0.5;
      return s;
    };
    const lines = [
      [printable(city), font, 7.5],
      [printable(d.assetTag || d.serial), bold, 12],
      [`S/N ${printable(d.serial)}`, font, 7.5],
    ];
    let y = top - pad - 8;
    for (const [text, f, size] of lines) {
      if (!text) continue;
      const s = fit(text, f, size);
      page.drawText(text, { x: tx, y, size: s, font: f, color: rgb(0, 0, 0) });
      y -= s + 5;
    }
  });
  return doc.save();
}
