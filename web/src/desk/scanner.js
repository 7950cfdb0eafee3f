// "Scanner": reads the QR code or barcode of an asset label with the camera.
// The browser's BarcodeDetector where it exists (Chrome on Android), otherwise
// ZXing (@zxing/browser: QR, Code 128, Code 39, EAN, Data Matrix...). Calls
// onCode(text) once, then stops the camera.
import { BrowserMultiFormatReader } from '@zxing/browser';

import { el } from '../dom.js';
import { w } from './words.js';

// What a label's code means: our QR codes hold the device's desk address;
// other labels hold the asset tag or the serial itself.
export function deviceKeyOf(text) {
  const m = /#magasin\/appareil\/([^/?#]+)/.exec(text);
  return m ? decodeURIComponent(m[1]) : text.trim();
}

async function withDetector(video, stream, found, stopped) {
  const detector = new window.BarcodeDetector();
  while (!stopped()) {
    try {
      const codes = await detector.detect(video);
      if (codes.length) return found(codes[0].rawValue, 'BarcodeDetector');
    } catch {
      // frame not ready yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

export function openScanner(container, onCode) {
  const video = el('video', { muted: true, playsinline: true, autoplay: true, 'aria-label': w('scanVideo') });
  const status = el('p', { role: 'status' }, w('scanStarting'));
  const close = el('button', { type: 'button', class: 'button-quiet' }, w('scanClose'));
  const box = el('section', { class: 'desk-scanner', 'aria-labelledby': 'scan-title' }, [el('h2', { id: 'scan-title', class: 'section-title' }, w('scanTitle')), video, status, close]);
  container.replaceChildren(box);
  let stream = null;
  let controls = null;
  let done = false;
  const stop = () => {
    done = true;
    controls?.stop();
    stream?.getTracks().forEach((t) => t.stop());
  };
  const found = (text, how) => {
    if (done) return;
    stop();
    document.body.dataset.scannedWith = how;
    onCode(deviceKeyOf(text));
  };
  close.addEventListener('click', () => {
    stop();
    container.replaceChildren();
  });
  close.focus();
  (async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      video.srcObject = stream;
      await video.play().catch(() => {});
      status.textContent = w('scanAim');
      if ('BarcodeDetector' in window) return withDetector(video, stream, found, () => done);
      const reader = new BrowserMultiFormatReader();
      controls = await reader.decodeFromStream(stream, video, (result) => {
        if (result) found(result.getText(), 'zxing');
      });
    } catch (e) {
      status.textContent = w('scanNoCamera', { why: e.message });
      status.setAttribute('role', 'alert');
    }
  })();
  return stop;
}
