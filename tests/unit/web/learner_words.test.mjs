// The learner app's words (web/src/learner/i18n.js), as French "FALC" asks:
// sentences of at most 15 words, no acronyms, the same keys in both languages,
// and the sentences built from fragments (a count, a date) read as they should.
import assert from 'node:assert/strict';
import test from 'node:test';

import { WORDS, duePhrase, setLanguage, spokenTexts, startedPhrase } from '../../../web/src/learner/i18n.js';

const sentences = (text) => text.split(/(?<=[.!?])\s+/).filter(Boolean);

test('every sentence has at most 15 words', () => {
  for (const [lang, words] of Object.entries(WORDS)) {
    for (const [key, text] of Object.entries(words)) {
      for (const s of sentences(text)) assert.ok(s.split(/\s+/).length <= 15, `${lang}.${key}: ${s}`);
    }
  }
});

test('no acronyms', () => {
  for (const [lang, words] of Object.entries(WORDS)) {
    for (const [key, text] of Object.entries(words)) assert.doesNotMatch(text, /\b[A-ZÀ-Ý]{2,}\b/, `${lang}.${key}: ${text}`);
  }
});

test('English has every French key, and nothing else', () => {
  assert.deepEqual(Object.keys(WORDS.en).sort(), Object.keys(WORDS.fr).sort());
});

test('the same thing has the same word: "formation", never "module" or "cours", in French', () => {
  for (const [key, text] of Object.entries(WORDS.fr)) assert.doesNotMatch(text, /\b(module|cours|leçon)s?\b/i, `fr.${key}`);
});

test('every sentence and fragment is spoken, once', () => {
  const fr = spokenTexts('fr');
  assert.equal(new Set(fr).size, fr.length);
  for (const text of ['Cette tablette n’est plus reliée.', 'Montrez-la à votre conseiller numérique.', 'Commencé :', 'sur', 'décembre', '14', '1er', '2027']) {
    assert.ok(fr.includes(text), text);
  }
});

test('where a person is, and the due date, in words', () => {
  setLanguage('fr');
  assert.deepEqual(startedPhrase(2, 4), { text: 'Commencé : 2 sur 4', parts: ['Commencé :', '2', 'sur', '4'] });
  assert.equal(duePhrase('2026-12-14', '2026-12-07').text, 'À finir avant le 14 décembre.');
  assert.deepEqual(duePhrase('2026-12-14', '2026-12-07').parts, ['À finir avant le', '14', 'décembre']);
  assert.equal(duePhrase('2027-01-01', '2026-12-07').text, 'À finir avant le 1er janvier 2027.');
  assert.equal(duePhrase('2026-12-07', '2026-12-07').text, 'À finir aujourd’hui.');
  assert.equal(duePhrase('2026-12-08', '2026-12-07').text, 'À finir demain.');
  assert.equal(duePhrase('2026-12-01', '2026-12-07').text, 'En retard depuis le 1er décembre.');
  assert.equal(duePhrase('', '2026-12-07'), null);
  setLanguage('en');
  assert.equal(duePhrase('2026-12-14', '2026-12-07').text, 'To finish by December 14.');
  setLanguage('fr');
});
