// The app's own storage: one IndexedDB database, so what a person did offline
// survives closing the app. Stores:
//   kv        small values by name: device (credential), nextSequence,
//             dropped, person (signed in), content (the last assigned set)
//   reports   check-in reports waiting for the server, by sequence
//   progress  progress events waiting for the server, oldest first
//   views     what each person did with each module, shown on the cards
//   chunks    pieces of content being downloaded, by [sha256, index]
// Every function opens its own transaction; a transaction is atomic, so two
// tabs never hand out the same sequence number.
const NAME = 'parc-apprendre';
const VERSION = 1;
let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(NAME, VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore('kv');
        db.createObjectStore('reports', { keyPath: 'sequence' });
        db.createObjectStore('progress', { keyPath: 'order' });
        db.createObjectStore('views');
        db.createObjectStore('chunks');
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return opening;
}

const done = (req) =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

// Runs `work(stores)` in one transaction over `names` and resolves with its
// result once the transaction committed.
export async function transaction(names, mode, work) {
  const db = await open();
  const tx = db.transaction(names, mode);
  const committed = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
  const stores = Object.fromEntries([].concat(names).map((n) => [n, tx.objectStore(n)]));
  let result;
  try {
    result = await work(stores, done);
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // already finished
    }
    committed.catch(() => {});
    throw e;
  }
  await committed;
  return result;
}

export const get = (store, key) => transaction(store, 'readonly', (s) => done(s[store].get(key)));
export const put = (store, key, value) =>
  transaction(store, 'readwrite', (s) => done(key === undefined ? s[store].put(value) : s[store].put(value, key)));
export const remove = (store, key) => transaction(store, 'readwrite', (s) => done(s[store].delete(key)));
export const all = (store, limit) => transaction(store, 'readonly', (s) => done(s[store].getAll(null, limit)));
export const keys = (store) => transaction(store, 'readonly', (s) => done(s[store].getAllKeys()));
export const clear = (store) => transaction(store, 'readwrite', (s) => done(s[store].clear()));
