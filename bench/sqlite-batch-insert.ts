/**
 * SQLite's own rate for what bulk ingest stores (issue #17's baseline for it): per event, its
 * row and its delivery's row, through prepared statements, in durable transactions
 * (synchronous=FULL, WAL) of as many events as one group commit takes at most (1,000), on a
 * store migrated like serve's (same tables and indexes), with the driver serve used — in this
 * process, without HTTP, JSON parsing, validation or ids.
 */
import type { SqliteDriverChoice } from '../src/sqlite/index.js';
import { loadSqliteDriver } from '../src/sqlite/index.js';
import { INSERT_DELIVERY, INSERT_EVENT } from '../src/store/sqlite/sql/events.js';
import { newEvent } from './events.js';
import { prepareStore } from './harness.js';
import { removeTempDir } from './util.js';

export interface BatchedInsertRate {
  eventsPerSecond: number;
  cpuMicrosPerEvent: number;
  batch: number;
  seconds: number;
}

export async function sqliteBatchedInsertRate(
  choice: SqliteDriverChoice,
  seconds: number,
  batch = 1000,
): Promise<BatchedInsertRate> {
  const prepared = await prepareStore([
    { name: 'insert-rate', url: 'http://127.0.0.1:9/unused', paused: true },
  ]);
  const db = loadSqliteDriver(choice).open(prepared.dbPath);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const insertEvent = db.prepare(INSERT_EVENT);
    const insertDelivery = db.prepare(INSERT_DELIVERY);
    const recipientId = prepared.recipientIds[0] as number;
    const now = Date.now();
    const templates = Array.from({ length: batch }, (_, i) => newEvent(i, now));
    let stored = 0;
    const insertBatch = () =>
      db.immediate(() => {
        for (const event of templates) {
          // Unique and rising, as event ids (time first) are.
          const uid = `evt_${String(stored++).padStart(26, '0')}`;
          const { lastInsertRowid } = insertEvent.run(
            uid,
            event.name,
            event.lsid,
            event.externalKey,
            event.timestamp,
            event.body,
            now,
            null,
            null,
          );
          const id = Number(lastInsertRowid);
          insertDelivery.run(recipientId, id, id, now, now);
        }
      });
    // Warm-up: the statements compiled, the pages and the WAL in use.
    for (let i = 0; i < 5; i++) insertBatch();
    stored = 5 * batch;
    const from = stored;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) insertBatch();
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const events = stored - from;
    return {
      eventsPerSecond: events / elapsed,
      cpuMicrosPerEvent: (cpu.user + cpu.system) / events,
      batch,
      seconds: elapsed,
    };
  } finally {
    db.close();
    removeTempDir(prepared.dataDir);
  }
}
