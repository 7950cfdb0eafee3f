// The check-in queue, as agent_client/queue/ does it on a PC: every report
// (a status, someone signing in or out) gets the next sequence number and is
// in IndexedDB before anything is sent; it leaves only once the server said
// it stored that sequence (acknowledged_through). The server keeps one row
// per (device, sequence), so sending a report again after a lost answer
// stores nothing twice.
import * as api from './api.js';
import * as db from './db.js';

export const CAPACITY = 2000; // past it the oldest reports are dropped, and counted
const BATCH = 500; // CheckInRequest's limit

// Appends `body` ({status: ...} or {usage: ...}) with the next sequence;
// resolves with that sequence once it is stored.
export function append(body) {
  return db.transaction(['kv', 'reports'], 'readwrite', async ({ kv, reports }, done) => {
    const next = (await done(kv.get('nextSequence'))) ?? 1;
    await done(kv.put(next + 1, 'nextSequence'));
    await done(reports.put({ sequence: next, collectedAt: new Date().toISOString(), ...body }));
    const count = await done(reports.count());
    if (count > CAPACITY) {
      const oldest = await done(reports.getAllKeys(null, count - CAPACITY));
      for (const key of oldest) await done(reports.delete(key));
      const dropped = (await done(kv.get('dropped'))) ?? 0;
      await done(kv.put(dropped + oldest.length, 'dropped'));
    }
    return next;
  });
}

export const waiting = () => db.transaction('reports', 'readonly', ({ reports }, done) => done(reports.count()));

// Removes the reports the server stored: those sent with a sequence
// <= `through` (a report sent by another tab meanwhile stays).
function acknowledge(sent, through, droppedSent) {
  return db.transaction(['kv', 'reports'], 'readwrite', async ({ kv, reports }, done) => {
    let removed = 0;
    for (const r of sent) {
      if (r.sequence > through) continue;
      await done(reports.delete(r.sequence));
      removed++;
    }
    const dropped = (await done(kv.get('dropped'))) ?? 0;
    await done(kv.put(Math.max(0, dropped - droppedSent), 'dropped'));
    return removed;
  });
}

// Sends what waits, oldest first, until nothing does. Usage reports alone go
// through ReportUsage (as `parc-agent login` does); anything else through
// CheckIn, whose answer (interval, content revision) is returned, or null
// when there was nothing to send. Rejects with the ApiError of a failed call.
export async function flush(credential) {
  const run = async () => {
    let answer = null;
    for (;;) {
      const batch = await db.all('reports', BATCH);
      if (batch.length === 0) return answer;
      const reports = batch.map(({ sequence, collectedAt, status, usage }) =>
        status ? { sequence, collectedAt, status } : { sequence, collectedAt, usage },
      );
      let removed;
      if (reports.every((r) => r.usage)) {
        const resp = await api.reportUsage(credential, { reports });
        removed = await acknowledge(batch, Number(resp.acknowledgedThrough ?? 0), 0);
      } else {
        const dropped = (await db.get('kv', 'dropped')) ?? 0;
        answer = await api.checkIn(credential, { reports, droppedReports: dropped });
        removed = await acknowledge(batch, Number(answer.acknowledgedThrough ?? 0), dropped);
      }
      // Nothing acknowledged: try again at the next check-in, not in a loop.
      if (removed === 0) return answer;
    }
  };
  // One sender at a time across the app's tabs.
  return navigator.locks ? navigator.locks.request('parc-apprendre-reports', run) : run();
}
