// The app's pictograms, drawn inline (24x24 grid, currentColor), so they work
// offline and follow the text colour. Always beside words, never instead.
const icon = (body, fill = false) =>
  `<svg viewBox="0 0 24 24" width="24" height="24" fill="${fill ? 'currentColor' : 'none'}" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false">${body}</svg>`;

export const SPEAKER = icon('<path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor"/><path d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12"/>');
export const STOP = icon('<rect x="6" y="6" width="12" height="12" rx="2" fill="currentColor"/>');
export const BACK = icon('<path d="M15 5l-7 7 7 7"/>');
export const CHECK = icon('<path d="M5 12.5l4.5 4.5L19 7.5"/>');
export const VIDEO = icon('<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M10 9l5 3-5 3z" fill="currentColor"/>');
export const SHEET = icon('<path d="M6 3h8l4 4v14H6z"/><path d="M14 3v4h4M9 12h6M9 16h6"/>');
export const SOUND = icon('<path d="M9 18V6l10-2v12"/><circle cx="6.5" cy="18" r="2.5"/><circle cx="16.5" cy="16" r="2.5"/>');
export const IMAGE = icon('<rect x="3" y="5" width="18" height="14" rx="2"/><circle cx="9" cy="10" r="1.5"/><path d="M4 18l5-5 4 4 3-3 4 4"/>');
export const MAIL = icon('<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M3.5 6.5l8.5 6.5 8.5-6.5"/>');
export const SEARCH = icon('<circle cx="10.5" cy="10.5" r="6"/><path d="M15 15l5.5 5.5"/>');
export const HOUSE = icon('<path d="M3 11l9-7 9 7M5 10v10h14V10"/><path d="M10 20v-5h4v5"/>');
export const WRITE = icon('<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="M13.5 6.5l4 4"/>');
export const BOOK = icon('<path d="M4 5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2z"/><path d="M4 21V5M19 19v2H6"/>');
export const PERSON = icon('<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>');
export const BADGE = icon('<rect x="4" y="3" width="16" height="18" rx="2"/><circle cx="12" cy="10" r="3"/><path d="M8 17h8"/>');
export const ERASE = icon('<path d="M9 5h11v14H9l-6-7z"/><path d="M12 9l5 6M17 9l-5 6"/>');
export const NO_NETWORK = icon('<path d="M2 8.5a15 15 0 0 1 20 0M5 12a10 10 0 0 1 14 0M8.5 15.5a5 5 0 0 1 7 0"/><circle cx="12" cy="19" r="1" fill="currentColor"/><path d="M3 3l18 18"/>');
export const LINK_OFF = icon('<path d="M9 15l-2 2a3.5 3.5 0 0 1-5-5l3-3a3.5 3.5 0 0 1 5 0M15 9l2-2a3.5 3.5 0 0 1 5 5l-3 3a3.5 3.5 0 0 1-5 0"/><path d="M4 4l16 16"/>');
export const DOWNLOAD = icon('<path d="M12 4v11M7 10l5 5 5-5M5 20h14"/>');
export const LANGUAGE = icon('<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18"/>');

// A module's pictogram, from words of its code and title.
export function moduleIcon(module) {
  const words = `${module.code ?? ''} ${module.title ?? ''}`.toLowerCase();
  if (/mail|messag|courri/.test(words)) return MAIL;
  if (/recherch|search|internet|web/.test(words)) return SEARCH;
  if (/intranet|mairie|ville/.test(words)) return HOUSE;
  if (/bureau|texte|office|traitement|écri|ecri/.test(words)) return WRITE;
  const kinds = (module.items ?? []).map((i) => i.kind);
  if (kinds.length > 0 && kinds.every((k) => k === 'CONTENT_KIND_VIDEO')) return VIDEO;
  return BOOK;
}

export function itemIcon(kind) {
  return { CONTENT_KIND_VIDEO: VIDEO, CONTENT_KIND_PDF: SHEET, CONTENT_KIND_AUDIO: SOUND, CONTENT_KIND_IMAGE: IMAGE }[kind] ?? BOOK;
}
