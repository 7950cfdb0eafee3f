// The desk's refusals (web/src/desk/words.js): each answer the server can give
// the desk becomes one plain French sentence, and the server's own (English,
// technical) words stay out of it, kept for the smaller second line. The
// messages below are the server's, as daemon/domain/ writes them.
import assert from 'node:assert/strict';
import test from 'node:test';

globalThis.document = { documentElement: { lang: 'fr' } };
const { fr, refusal } = await import('../../../web/src/desk/words.js');

// Words of the server's messages that French never uses.
const ENGLISH = new Set(['device', 'assigned', 'agent', 'the', 'not', 'is', 'field', 'allocation', 'no', 'with', 'already', 'return', 'it', 'first']);

const said = (code, message, status = 400) => refusal({ code, message, status });

const CASES = [
  ['FAILED_PRECONDITION', 'device RM-LIV-03 is retired and cannot be assigned', 'pre_retired'],
  ['FAILED_PRECONDITION', 'device RM-LIV-01 is already assigned to E990001: return it first', 'pre_assigned'],
  ['FAILED_PRECONDITION', 'device RM-LIV-04 is in_repair and cannot be assigned', 'pre_in_repair'],
  ['FAILED_PRECONDITION', 'device RM-LIV-04 is lost and cannot be assigned', 'pre_lost'],
  ['FAILED_PRECONDITION', 'agent E990001 has left', 'pre_left'],
  ['FAILED_PRECONDITION', 'device RM-LIV-05 is not assigned', 'pre_not_assigned'],
  ['FAILED_PRECONDITION', 'device is already in_stock', 'pre_same_state'],
  ['FAILED_PRECONDITION', 'a retired device stays retired', 'pre_retired'],
  ['FAILED_PRECONDITION', 'device is assigned: return it first, then retire it', 'pre_return_first'],
  ['FAILED_PRECONDITION', 'agent E1 still holds RM-1: return them before marking the agent as left', 'pre_still_holds'],
  ['FAILED_PRECONDITION', 'allocation 7 is still open: take the device back before its bon de retour', 'pre_receipt_open'],
  ['FAILED_PRECONDITION', 'something new the desk does not know', 'err_FAILED_PRECONDITION'],
  ['NOT_FOUND', 'employee_number: no agent E999999', 'err_NOT_FOUND_employee_number'],
  ['NOT_FOUND', 'device: no device with asset tag or serial RM-X', 'err_NOT_FOUND_device'],
  ['NOT_FOUND', 'site: no site NULLE-PART', 'err_NOT_FOUND_site'],
  ['INVALID_ARGUMENT', 'due_date: in the past', 'err_INVALID_ARGUMENT_due_date'],
  ['INVALID_ARGUMENT', 'signature_png: not a PNG image', 'err_INVALID_ARGUMENT_signature_png'],
  ['INVALID_ARGUMENT', 'condition: longer than 200 bytes', 'err_INVALID_ARGUMENT'],
  ['INVALID_ARGUMENT', 'no field named here', 'err_INVALID_ARGUMENT_plain'],
  ['ALREADY_EXISTS', 'kind: allocation 7 already has its bon de remise', 'err_ALREADY_EXISTS_kind'],
  ['PERMISSION_DENIED', 'agent E1 is outside your departments', 'err_PERMISSION_DENIED_scope'],
  ['PERMISSION_DENIED', 'missing or wrong X-Parc-Csrf header; reload the page', 'err_PERMISSION_DENIED_csrf'],
  ['PERMISSION_DENIED', 'role manager may not call /parc.v1.AllocationService/Assign', 'err_PERMISSION_DENIED'],
  ['UNAUTHENTICATED', 'session expired', 'err_UNAUTHENTICATED'],
  ['RESOURCE_EXHAUSTED', 'rate limit: 20 writes per second', 'err_RESOURCE_EXHAUSTED'],
  ['UNAVAILABLE', 'database is locked', 'err_UNAVAILABLE'],
  ['INTERNAL', 'receipt file abc is damaged', 'err_INTERNAL'],
  ['UNKNOWN', 'boom', 'err_INTERNAL'],
  ['ABORTED', 'conflict', 'err_default'],
];

test('each refusal the desk can get has its French sentence', () => {
  for (const [code, message, key] of CASES) {
    const { text } = said(code, message);
    const expected = fr[key].replace('{field}', 'l’état au retour');
    assert.equal(text, expected, `${code} "${message}"`);
  }
});

test('the server\'s words stay out of the sentence, and go to the detail', () => {
  for (const [code, message] of CASES) {
    const { text, detail } = said(code, message);
    assert.ok(!text.includes(message), `${code}: ${text}`);
    const english = text.split(/[\s:;,.’']+/).filter((word) => ENGLISH.has(word.toLowerCase()) || word.includes('_'));
    assert.deepEqual(english, [], `${code}: ${text}`);
    assert.ok(detail.includes(message) && detail.includes(code), detail);
  }
});

test('without a JSON answer: the HTTP status, or no answer at all', () => {
  assert.equal(refusal({ status: 401, message: 'HTTP 401' }).text, fr.err_UNAUTHENTICATED);
  assert.equal(refusal({ status: 413, message: 'HTTP 413' }).text, fr.err_RESOURCE_EXHAUSTED);
  assert.equal(refusal({ status: 502, message: 'HTTP 502' }).text, fr.err_default);
  assert.equal(refusal(new TypeError('Failed to fetch')).text, fr.err_network);
});

test('every refusal sentence is French and ends as a sentence', () => {
  for (const [key, text] of Object.entries(fr)) {
    if (!/^(err|pre)_/.test(key)) continue;
    assert.match(text, /[.]$/, key);
    assert.deepEqual(text.split(/[\s:;,.’']+/).filter((word) => ENGLISH.has(word.toLowerCase())), [], key);
  }
});
