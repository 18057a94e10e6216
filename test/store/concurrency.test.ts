import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, type TestDatabase } from './backends.js';
import { BEGIN, END, newEvents, recipientInput } from './fixtures.js';
import { freshStore } from './harness.js';

/**
 * What several processes on one database must keep. SQLite gets there by having one writer;
 * PostgreSQL by its locks (src/store/postgres/sql/locks.ts).
 */
for (const backend of BACKENDS) {
  describe(`${backend.name}: several stores at once`, () => {
    const t = freshStore(backend);

    it('a lane reading while two stores accept never finds a delivery behind one it has read', async () => {
      const { store, db } = t;
      const other = db.openAnother();
      const r = await store.createRecipient(recipientInput(), 1_000);
      let accepting = true;
      const seen: number[] = [];
      // A lane's read-ahead: always after the last seq it read, never looking back.
      const read = async () => {
        const after = seen.at(-1) ?? 0;
        for (const d of await store.pendingDeliveries(r.id, 1_000, after)) seen.push(d.seq);
      };
      const reader = (async () => {
        while (accepting) await read();
      })();
      const chain = async (s: typeof store) => {
        for (let i = 0; i < 25; i++) await s.acceptEvents(newEvents(BEGIN, END), 2_000);
      };
      await Promise.all([store, other, store, other, store, other].map(chain));
      accepting = false;
      await reader;
      await read();
      const all = (await store.pendingDeliveries(r.id, 10_000)).map((d) => d.seq);
      expect(all).toHaveLength(6 * 25 * 2);
      expect(seen).toEqual(all);
    });
  });

  describe(`${backend.name}: migrating at once`, () => {
    const opened: TestDatabase[] = [];
    afterEach(async () => {
      for (const db of opened.splice(0)) await db.cleanup();
    });

    it('two stores migrating one database at the same time apply each migration once', async () => {
      const db = await backend.open();
      opened.push(db);
      const reports = await Promise.all([db.store.migrate(), db.openAnother().migrate()]);
      for (const report of reports) expect(report.current).toBe(backend.latestVersion);
      const applied = reports.flatMap((report) => report.applied).sort();
      expect(applied).toHaveLength(backend.latestVersion);
      expect(new Set(applied).size).toBe(backend.latestVersion);
    });
  });
}
