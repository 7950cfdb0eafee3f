// What a person did with a module, as agent_client/progress/ does it: each
// event (opened, a step done, the module done) gets a random id, is written to
// IndexedDB together with the person's view of the module (what the cards
// show, offline too), and leaves only once ReportProgress acknowledged it.
// The server stores an event once per id, so a batch sent again after a lost
// answer counts once.
import * as api from './api.js';
import * as db from './db.js';

const BATCH = 500;

const viewKey = (person, module) => `${person}|${module.code}|${module.version}`;
const empty = () => ({ opened: false, done: [], completed: false });

// {opened, done: [sha256 of the steps done], completed}
export async function view(person, module) {
  return (await db.get('views', viewKey(person, module))) ?? empty();
}

// Records what happened; resolves with the new view. Nothing is recorded
// twice: opening a module already opened, or finishing a step already done,
// changes nothing.
export function record(person, module, { kind, item }) {
  return db.transaction(['views', 'progress'], 'readwrite', async ({ views, progress }, done) => {
    const key = viewKey(person, module);
    const v = (await done(views.get(key))) ?? empty();
    const events = [];
    const event = (k, sha = '') => ({
      id: crypto.randomUUID(),
      employeeNumber: person,
      moduleCode: module.code,
      moduleVersion: module.version,
      kind: k,
      itemSha256: sha,
      score: 0,
      at: new Date().toISOString(),
    });
    if (!v.opened) {
      v.opened = true;
      events.push(event('PROGRESS_KIND_OPENED'));
    }
    if (kind === 'item' && item && !v.done.includes(item)) {
      v.done.push(item);
      events.push(event('PROGRESS_KIND_ITEM_COMPLETED', item));
    }
    const all = (module.items ?? []).map((i) => i.sha256);
    if (!v.completed && all.length > 0 && all.every((sha) => v.done.includes(sha))) {
      v.completed = true;
      events.push(event('PROGRESS_KIND_MODULE_COMPLETED'));
    }
    const stamp = String(Date.now()).padStart(15, '0');
    for (const [n, e] of events.entries()) await done(progress.put({ order: `${stamp}-${n}-${e.id}`, event: e }));
    await done(views.put(v, key));
    return v;
  });
}

export const waiting = () => db.transaction('progress', 'readonly', ({ progress }, done) => done(progress.count()));

// Sends the waiting events in batches until none is left; rejects with the
// ApiError of a failed call (what was acknowledged before stays removed).
export async function flush(credential) {
  const run = async () => {
    for (;;) {
      const batch = await db.all('progress', BATCH);
      if (batch.length === 0) return;
      await api.reportProgress(credential, { events: batch.map((b) => b.event) });
      await db.transaction('progress', 'readwrite', async ({ progress }, done) => {
        for (const b of batch) await done(progress.delete(b.order));
      });
    }
  };
  return navigator.locks ? navigator.locks.request('parc-apprendre-progress', run) : run();
}
