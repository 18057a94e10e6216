import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, type TestDatabase } from './backends.js';
import { newEvent, recipientInput } from './fixtures.js';

for (const backend of BACKENDS) {
  describe(`${backend.name}: migrate`, () => {
    const opened: TestDatabase[] = [];
    const open = async () => {
      const db = await backend.open();
      opened.push(db);
      return db;
    };
    // Not freshStore: these tests open several databases, and migrate them themselves.
    afterEach(async () => {
      for (const db of opened.splice(0)) await db.cleanup();
    });

    it('brings a fresh database to the current version', async () => {
      const { store } = await open();
      const report = await store.migrate();
      expect(report.current).toBe(backend.latestVersion);
      expect(report.applied).toHaveLength(backend.latestVersion);
      expect(report.applied[0]).toMatch(/^0001-/);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('is a no-op the second time', async () => {
      const db = await open();
      await db.store.migrate();
      const before = await db.schema();
      const again = await db.store.migrate();
      expect(again).toEqual({ applied: [], current: backend.latestVersion });
      expect(await db.schema()).toEqual(before);
    });

    it('lets two stores on one database migrate one after the other', async () => {
      const db = await open();
      const first = db.store;
      const second = db.openAnother();
      expect((await first.migrate()).current).toBe(backend.latestVersion);
      expect(await second.migrate()).toEqual({ applied: [], current: backend.latestVersion });
      // Both work on the same data.
      const recipient = await second.createRecipient(recipientInput(), 1_000);
      const { ids } = await first.acceptEvents([newEvent()], 1_000);
      expect((await second.pendingDeliveries(recipient.id, 10)).map((d) => d.seq)).toEqual(ids);
    });

    it('upgrading one migration at a time gives the schema of a fresh install', async () => {
      const fresh = await open();
      await fresh.store.migrate();

      const upgraded = await open();
      const versions = await upgraded.upgradeStepByStep();
      expect(versions).toEqual(Array.from({ length: backend.latestVersion }, (_, i) => i + 1));
      expect(await upgraded.store.migrate()).toEqual({
        applied: [],
        current: backend.latestVersion,
      });

      const schema = await fresh.schema();
      expect(schema.length).toBeGreaterThan(0);
      expect(await upgraded.schema()).toEqual(schema);
    });
  });
}
