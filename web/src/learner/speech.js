// The speaker buttons. A sentence ({text, parts}, see i18n.js phrase()) is
// said fragment by fragment from the sound files made at build time
// (audio/<lang>.json maps each text to its file); a fragment that has no file
// (a module's title, a name) is said by the browser's voice when it has one
// for the language. Nothing plays unless someone presses a button.
import { el, svg } from './dom.js';
import { language, t } from './i18n.js';
import { SPEAKER, STOP } from './pictograms.js';

const indexes = {};
let playing = null; // {button, stop()}

export async function loadSounds(lang) {
  if (indexes[lang]) return;
  try {
    const resp = await fetch(`/apprendre/audio/${lang}.json`);
    indexes[lang] = resp.ok ? await resp.json() : {};
  } catch {
    indexes[lang] = {};
  }
}

function voiceFor(lang) {
  const voices = globalThis.speechSynthesis?.getVoices?.() ?? [];
  return voices.find((v) => v.lang?.toLowerCase().startsWith(lang)) ?? null;
}

const sayable = (part, lang) => Boolean(indexes[lang]?.[part]) || Boolean(voiceFor(lang));

function playFile(file, signal) {
  return new Promise((resolve) => {
    const audio = new Audio(`/apprendre/audio/${file}`);
    const end = () => resolve();
    audio.addEventListener('ended', end);
    audio.addEventListener('error', end);
    signal.addEventListener('abort', () => {
      audio.pause();
      end();
    });
    audio.play().catch(end);
  });
}

function playVoice(text, lang, signal) {
  return new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    utterance.voice = voiceFor(lang);
    utterance.onend = () => resolve();
    utterance.onerror = () => resolve();
    signal.addEventListener('abort', () => {
      speechSynthesis.cancel();
      resolve();
    });
    speechSynthesis.speak(utterance);
  });
}

export function stop() {
  playing?.stop();
}

async function say(sentence, button) {
  const lang = language();
  const controller = new AbortController();
  stop();
  playing = { button, stop: () => controller.abort() };
  button.classList.add('playing');
  button.setAttribute('aria-pressed', 'true');
  button.replaceChildren(svg(STOP, 'say-icon'));
  document.body.dataset.saying = sentence.text;
  try {
    for (const part of sentence.parts) {
      if (controller.signal.aborted) break;
      const file = indexes[lang]?.[part];
      if (file) await playFile(file, controller.signal);
      else if (voiceFor(lang)) await playVoice(part, lang, controller.signal);
    }
  } finally {
    if (playing?.button === button) playing = null;
    button.classList.remove('playing');
    button.setAttribute('aria-pressed', 'false');
    button.replaceChildren(svg(SPEAKER, 'say-icon'));
    delete document.body.dataset.saying;
  }
}

// A speaker button for `sentence`, or null when nothing of it can be said.
export function speakerButton(sentence) {
  const lang = language();
  if (!sentence.parts.some((p) => sayable(p, lang))) return null;
  const button = el(
    'button',
    {
      type: 'button',
      class: 'say',
      'aria-label': `${t('listen')} : ${sentence.text}`,
      'aria-pressed': 'false',
      'data-say': sentence.text,
    },
    svg(SPEAKER, 'say-icon'),
  );
  button.addEventListener('click', () => {
    if (playing?.button === button) stop();
    else say(sentence, button);
  });
  return button;
}

// A sentence on screen with its speaker button beside it (outside the
// heading or paragraph, so their text stays the sentence alone).
export function line(tag, sentence, attrs = {}) {
  const s = typeof sentence === 'string' ? { text: sentence, parts: [sentence] } : sentence;
  return el('div', { class: `line ${attrs.class ?? ''}`.trim() }, [
    el(tag, { ...attrs, class: 'line-text' }, s.text),
    speakerButton(s),
  ]);
}
