// What the browser can say about the device it runs on: its identity for
// enrollment and its status for check-ins. Unknown numbers are -1, as in
// device.proto's StatusReport.
export const APP_VERSION = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';

// "PWA-" and 16 random hex digits: kept in the app's storage, so the same
// browser keeps the same serial when it is enrolled again.
export function newSerial() {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `PWA-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()}`;
}

// The browser's name and version: "Chromium 156.0.7000.1".
function browserFrom(brands) {
  const real = (brands ?? []).filter((b) => !/not.?a.?brand/i.test(b.brand));
  const pick = real.find((b) => !/^Chromium$/.test(b.brand)) ?? real[0];
  return pick ? `${pick.brand} ${pick.version}` : '';
}

function fromUserAgent(ua) {
  const android = /Android (\d[\d.]*)(?:; ([^;)]+))?/.exec(ua);
  const ios = /(iPhone|iPad)[^)]*OS (\d+[_\d]*)/.exec(ua);
  const browser = /(Firefox|Edg|SamsungBrowser|Chrome|Version)\/(\d[\d.]*)/.exec(ua);
  const out = { model: '', osName: '', osVersion: '', browser: '' };
  if (android) Object.assign(out, { osName: 'Android', osVersion: android[1], model: (android[2] ?? '').trim() });
  else if (ios) Object.assign(out, { osName: 'iOS', osVersion: ios[2].replace(/_/g, '.'), model: ios[1] });
  else if (/Windows NT ([\d.]+)/.test(ua)) Object.assign(out, { osName: 'Windows', osVersion: /Windows NT ([\d.]+)/.exec(ua)[1] });
  else if (/CrOS/.test(ua)) out.osName = 'ChromeOS';
  else if (/Mac OS X ([\d_]+)/.test(ua)) Object.assign(out, { osName: 'macOS', osVersion: /Mac OS X ([\d_]+)/.exec(ua)[1].replace(/_/g, '.') });
  else if (/Linux/.test(ua)) out.osName = 'Linux';
  if (browser) out.browser = `${browser[1] === 'Version' ? 'Safari' : browser[1]} ${browser[2]}`;
  if (out.model === 'K') out.model = ''; // Chrome's reduced user agent hides the model
  return out;
}

// Model, OS and browser: from the client hints where the browser has them
// (Chromium), else from the user agent.
export async function identity() {
  const out = fromUserAgent(navigator.userAgent);
  const hints = navigator.userAgentData;
  if (hints) {
    try {
      const high = await hints.getHighEntropyValues(['model', 'platform', 'platformVersion', 'fullVersionList']);
      if (high.platform) out.osName = high.platform;
      if (high.platformVersion) out.osVersion = high.platformVersion;
      if (high.model) out.model = high.model;
      out.browser = browserFrom(high.fullVersionList) || out.browser;
    } catch {
      // the hints were refused: keep the user agent's answer
    }
    out.mobile = hints.mobile;
  }
  const shortSide = Math.min(screen.width, screen.height);
  out.kind = shortSide >= 600 || out.mobile === false ? 'DEVICE_KIND_TABLET' : 'DEVICE_KIND_SMARTPHONE';
  return out;
}

const clip = (text) => String(text ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200);

// One StatusReport (protobuf JSON): battery, storage, network, versions and
// the employee number of the person signed in ("" when nobody is).
export async function status(person) {
  const who = await identity();
  const report = {
    batteryPercent: -1,
    charging: false,
    storageTotalBytes: -1,
    storageFreeBytes: -1,
    memoryTotalBytes: navigator.deviceMemory ? Math.round(navigator.deviceMemory * 2 ** 30) : -1,
    memoryAvailableBytes: -1,
    osName: clip(who.osName),
    osVersion: clip(who.osVersion),
    kernel: '',
    uptimeSeconds: -1,
    networkInterface: '',
    ipAddress: '',
    agentVersion: clip(`apprendre ${APP_VERSION}`),
    browser: clip(who.browser ?? ''),
    networkType: '',
    loggedInUsers: [],
    currentUser: clip(person ?? ''),
  };
  if (navigator.getBattery) {
    try {
      const battery = await navigator.getBattery();
      report.batteryPercent = Math.round(battery.level * 100);
      report.charging = battery.charging;
    } catch {
      // no battery API here
    }
  }
  if (navigator.storage?.estimate) {
    try {
      const { quota, usage } = await navigator.storage.estimate();
      if (Number.isFinite(quota)) {
        report.storageTotalBytes = String(Math.round(quota));
        report.storageFreeBytes = String(Math.max(0, Math.round(quota - (usage ?? 0))));
      }
    } catch {
      // storage estimate refused
    }
  }
  const connection = navigator.connection;
  if (connection) report.networkType = clip(connection.type && connection.type !== 'unknown' ? connection.type : connection.effectiveType ?? '');
  if (!navigator.onLine) report.networkType = 'none';
  return report;
}
