// Every word of the learner app, in French (the default) and English.
//
// Written for people who read little or not at all (French "FALC"): one idea a
// sentence, at most 15 words, everyday words, always the same word for the
// same thing ("tablette" or "téléphone", "formation", "fiche", "vidéo",
// "conseiller numérique"), no acronyms.
//
// The build (web/build_learner.mjs) reads this file: every sentence and every
// fragment below becomes a sound file (espeak-ng), so that each sentence on
// screen has a speaker button that works offline. Sentences built at run time
// (a count, a date) are said as a row of fragments: see say() in speech.js.
// Keys ending in "Phone" are the same sentence for a smartphone.

const fr = {
  appName: 'Apprendre',
  language: 'English',
  listen: 'Écouter',
  back: 'Retour',
  backHome: 'Retour aux formations',

  // Opening, linking the tablet
  opening: 'La page s’ouvre.',
  linking: 'La tablette se relie à la mairie.',
  linkingPhone: 'Le téléphone se relie à la mairie.',
  linked: 'La tablette est prête.',
  linkedPhone: 'Le téléphone est prêt.',
  notLinked: 'Cette tablette n’est pas encore reliée.',
  notLinkedPhone: 'Ce téléphone n’est pas encore relié.',
  showAdvisor: 'Montrez-la à votre conseiller numérique.',
  showAdvisorPhone: 'Montrez-le à votre conseiller numérique.',
  revoked: 'Cette tablette n’est plus reliée.',
  revokedPhone: 'Ce téléphone n’est plus relié.',
  codeRefused: 'Ce code ne marche pas.',
  askNewCode: 'Demandez un nouveau code à votre conseiller numérique.',
  noNetworkYet: 'Il n’y a pas internet pour l’instant.',
  tryAgainLater: 'Essayez encore quand internet revient.',
  tryAgain: 'Essayer encore',

  // Who is learning
  whoTitle: 'Qui apprend ?',
  typeNumber: 'Tapez votre numéro.',
  numberOnBadge: 'Votre numéro est sur votre badge.',
  orBadge: 'Ou posez votre badge derrière la tablette.',
  orBadgePhone: 'Ou posez votre badge derrière le téléphone.',
  yourNumber: 'Votre numéro',
  erase: 'Effacer',
  confirm: 'Valider',
  numberEmpty: 'Tapez d’abord votre numéro.',
  numberUnknown: 'Ce numéro n’est pas connu.',
  checkBadge: 'Regardez le numéro sur votre badge.',
  changePerson: 'Changer de personne',
  helloSomeone: 'Bonjour !',
  hello: 'Bonjour',

  // The person's modules
  yourModules: 'Vos formations',
  noModules: 'Vous n’avez pas de formation pour l’instant.',
  noModulesHere: 'Votre conseiller numérique peut vous en donner une.',
  notStarted: 'À commencer',
  started: 'Commencé :',
  outOf: 'sur',
  finished: 'Terminé',
  dueBefore: 'À finir avant le',
  dueToday: 'À finir aujourd’hui.',
  dueTomorrow: 'À finir demain.',
  lateSince: 'En retard depuis le',
  downloading: 'Elle arrive sur la tablette.',
  downloadingPhone: 'Elle arrive sur le téléphone.',
  ready: 'Prête, même sans internet.',
  offline: 'Pas d’internet pour l’instant.',
  offlineGoOn: 'Vous pouvez continuer. Tout sera envoyé plus tard.',

  // One module
  steps: 'Les étapes',
  stepDone: 'Fait',
  stepToDo: 'À faire',
  watchVideo: 'Regarder la vidéo',
  readSheet: 'Lire la fiche',
  listenSound: 'Écouter le son',
  seeImage: 'Voir l’image',
  openFile: 'Ouvrir',
  moduleDone: 'Bravo ! Vous avez fini cette formation.',
  notHereYet: 'Ce fichier n’est pas encore sur la tablette.',
  notHereYetPhone: 'Ce fichier n’est pas encore sur le téléphone.',
  comesWithNetwork: 'Il arrive quand internet revient.',

  // Watching, reading
  iAmDone: 'J’ai fini',
  pageBefore: 'Page d’avant',
  pageAfter: 'Page d’après',
  page: 'Page',
  cannotOpen: 'Ce fichier ne s’ouvre pas.',
};

const en = {
  appName: 'Learn',
  language: 'Français',
  listen: 'Listen',
  back: 'Back',
  backHome: 'Back to my courses',
  opening: 'The page is opening.',
  linking: 'The tablet is joining the city hall.',
  linkingPhone: 'The phone is joining the city hall.',
  linked: 'The tablet is ready.',
  linkedPhone: 'The phone is ready.',
  notLinked: 'This tablet is not joined yet.',
  notLinkedPhone: 'This phone is not joined yet.',
  showAdvisor: 'Show it to your digital advisor.',
  showAdvisorPhone: 'Show it to your digital advisor.',
  revoked: 'This tablet is no longer joined.',
  revokedPhone: 'This phone is no longer joined.',
  codeRefused: 'This code does not work.',
  askNewCode: 'Ask your digital advisor for a new code.',
  noNetworkYet: 'There is no internet for now.',
  tryAgainLater: 'Try again when the internet is back.',
  tryAgain: 'Try again',
  whoTitle: 'Who is learning?',
  typeNumber: 'Tap your number.',
  numberOnBadge: 'Your number is on your badge.',
  orBadge: 'Or hold your badge against the back of the tablet.',
  orBadgePhone: 'Or hold your badge against the back of the phone.',
  yourNumber: 'Your number',
  erase: 'Erase',
  confirm: 'Confirm',
  numberEmpty: 'Tap your number first.',
  numberUnknown: 'This number is not known.',
  checkBadge: 'Check the number on your badge.',
  changePerson: 'Someone else',
  helloSomeone: 'Hello!',
  hello: 'Hello',
  yourModules: 'Your courses',
  noModules: 'You have no course for now.',
  noModulesHere: 'Your digital advisor can give you one.',
  notStarted: 'Not started',
  started: 'Started:',
  outOf: 'of',
  finished: 'Finished',
  dueBefore: 'To finish by',
  dueToday: 'To finish today.',
  dueTomorrow: 'To finish tomorrow.',
  lateSince: 'Late since',
  downloading: 'It is coming onto the tablet.',
  downloadingPhone: 'It is coming onto the phone.',
  ready: 'Ready, even without internet.',
  offline: 'No internet for now.',
  offlineGoOn: 'You can go on. Everything will be sent later.',
  steps: 'The steps',
  stepDone: 'Done',
  stepToDo: 'To do',
  watchVideo: 'Watch the video',
  readSheet: 'Read the sheet',
  listenSound: 'Listen to the sound',
  seeImage: 'See the picture',
  openFile: 'Open',
  moduleDone: 'Well done! You finished this course.',
  notHereYet: 'This file is not on the tablet yet.',
  notHereYetPhone: 'This file is not on the phone yet.',
  comesWithNetwork: 'It will come when the internet is back.',
  iAmDone: 'I am done',
  pageBefore: 'Previous page',
  pageAfter: 'Next page',
  page: 'Page',
  cannotOpen: 'This file does not open.',
};

const MONTHS = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

export const WORDS = { fr, en };
export const LANGUAGES = ['fr', 'en'];

// The numbers said aloud (counts of steps, days of the month, years).
export function spokenNumbers() {
  const out = [];
  for (let n = 0; n <= 60; n++) out.push(String(n));
  out.push('1er');
  for (let y = 2025; y <= 2032; y++) out.push(String(y));
  return out;
}

// Every text the build turns into sound, for one language.
export function spokenTexts(lang) {
  const words = WORDS[lang];
  const skip = new Set(['appName', 'language', 'listen']);
  const texts = Object.entries(words)
    .filter(([key]) => !skip.has(key))
    .map(([, text]) => text);
  return [...new Set([...texts, ...MONTHS[lang], ...spokenNumbers()])];
}

let current = 'fr';
export function language() {
  return current;
}
export function setLanguage(lang) {
  current = LANGUAGES.includes(lang) ? lang : 'fr';
}

// The word for `key` in the current language; on a smartphone, the sentence
// that says "téléphone" when there is one.
export function t(key, { phone = false } = {}) {
  const words = WORDS[current];
  if (phone && words[`${key}Phone`]) return words[`${key}Phone`];
  return words[key] ?? WORDS.fr[key] ?? key;
}

// A sentence made of fragments: the text shown and the fragments said, in
// order. Fragments that are not in the sound files (a person's name) are said
// by the browser's voice when it has one.
export function phrase(...parts) {
  const text = parts.join(' ').replace(/ ([.,])/g, '$1');
  return { text, parts: parts.map(String).filter((p) => p !== '.') };
}

// "Commencé : 2 sur 4"
export function startedPhrase(done, total) {
  return phrase(t('started'), done, t('outOf'), total);
}

// The due date in words, relative to `today` (both "YYYY-MM-DD"):
// "À finir avant le 14 décembre.", "À finir demain.", "En retard depuis le 2 décembre."
export function duePhrase(due, today) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(due ?? '');
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = Math.round((Date.UTC(year, month - 1, day) - Date.parse(`${today}T00:00:00Z`)) / 86400000);
  if (days === 0) return phrase(t('dueToday'));
  if (days === 1) return phrase(t('dueTomorrow'));
  const dayWord = current === 'fr' && day === 1 ? '1er' : String(day);
  const parts = [days < 0 ? t('lateSince') : t('dueBefore')];
  if (current === 'fr') parts.push(dayWord, MONTHS.fr[month - 1]);
  else parts.push(MONTHS.en[month - 1], dayWord);
  if (String(year) !== today.slice(0, 4)) parts.push(String(year));
  parts.push('.');
  return phrase(...parts);
}
