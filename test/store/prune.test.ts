import { describe, expect, it } from 'vitest';
import { createSession } from '../../src/sessions/index.js';
import { Retention } from '../../src/store/retention.js';
import type { PruneReport, Store } from '../../src/store/store.js';
import { BACKENDS } from './backends.js';
import {
  BEGIN,
  END,
  failure,
  head,
  newEvent,
  newEvents,
  recipientInput,
  success,
} from './fixtures.js';
import { freshStore } from './harness.js';

const states = async (store: Store, recipientId: number) =>
  Object.fromEntries(
    (await store.listDeliveries(recipientId, { limit: 1_000 })).map((d) => [d.seq, d.state]),
  );

for (const backend of BACKENDS) {
  describe(`${backend.name}: pruneBatch`, () => {
    const t = freshStore(backend);

    it('deletes old delivered deliveries in batches, then the events nothing refers to', async () => {
      const { store } = t;
      const a = await store.createRecipient(recipientInput({ events: 'all' }), 500);
      const b = await store.createRecipient(recipientInput({ events: [END] }), 500);
      // Old (accepted at 1,000): b1..b3 begin, e4 end, b5..b7 begin. New (at 5,000): b8, b9.
      const old = await store.acceptEvents(
        newEvents(BEGIN, BEGIN, BEGIN, END, BEGIN, BEGIN, BEGIN),
        1_000,
      );
      const [b1, b2, b3, e4, b5, b6, b7] = old.ids as number[] as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      const fresh = await store.acceptEvents(newEvents(BEGIN, BEGIN), 5_000);
      const [b8, b9] = fresh.ids as [number, number];

      // a: b1, b2, b3, e4 delivered (b2 after two failures); b5 failed; b6, b7 pending;
      // b8 delivered (new); b9 pending. b: e4 pending.
      await store.markDelivered(head(a.id, b1), success(1_100));
      await store.recordFailure(a.id, b2, failure(1_200), 1_300);
      await store.recordFailure(a.id, b2, failure(1_300), 1_400);
      await store.markDelivered(head(a.id, b2, 2), success(1_400));
      await store.markDelivered(head(a.id, b3), success(1_500));
      await store.markDelivered(head(a.id, e4), success(1_600));
      await store.setAside(a.id, b5, 1_700, failure(1_700));
      await store.markDelivered(head(a.id, b8), success(5_100));

      const reports: PruneReport[] = [];
      for (let i = 0; i < 4; i++) reports.push(await store.pruneBatch(3_000, 2));
      expect(reports).toEqual([
        { deliveries: 2, attempts: 2, events: 2, sessions: 0 },
        // e4's delivery to a goes; e4 stays, b still has it pending.
        { deliveries: 2, attempts: 0, events: 1, sessions: 0 },
        { deliveries: 0, attempts: 0, events: 0, sessions: 0 },
        { deliveries: 0, attempts: 0, events: 0, sessions: 0 },
      ]);

      expect(await states(store, a.id)).toEqual({
        [b5]: 'failed',
        [b6]: 'pending',
        [b7]: 'pending',
        [b8]: 'delivered',
        [b9]: 'pending',
      });
      expect(await states(store, b.id)).toEqual({ [e4]: 'pending' });
      expect(await store.listAttempts(a.id, b2)).toEqual([]);
      expect(await store.listAttempts(a.id, b5)).toHaveLength(1);
      for (const gone of [b1, b2, b3]) expect(await store.getEvent(gone)).toBeUndefined();
      for (const kept of [e4, b5, b6, b7, b8, b9]) expect(await store.getEvent(kept)).toBeDefined();
      // The lanes still work.
      expect((await store.pendingDeliveries(a.id, 10)).map((d) => d.seq)).toEqual([b6, b7, b9]);
    });

    it('deletes old events that were never queued', async () => {
      const { store } = t;
      const { ids } = await store.acceptEvents(newEvents(BEGIN, BEGIN, BEGIN), 1_000);
      const newer = await store.acceptEvents(newEvents(BEGIN), 5_000);
      expect(await store.pruneBatch(3_000, 2)).toEqual({
        deliveries: 0,
        attempts: 0,
        events: 2,
        sessions: 0,
      });
      expect(await store.pruneBatch(3_000, 2)).toEqual({
        deliveries: 0,
        attempts: 0,
        events: 1,
        sessions: 0,
      });
      for (const id of ids) expect(await store.getEvent(id)).toBeUndefined();
      expect(await store.getEvent(newer.ids[0] as number)).toBeDefined();
    });

    it('does nothing when nothing is older than the cutoff', async () => {
      const { store } = t;
      const r = await store.createRecipient(recipientInput(), 500);
      const { ids } = await store.acceptEvents(newEvents(BEGIN), 5_000);
      await store.markDelivered(head(r.id, ids[0] as number), success(5_100));
      expect(await store.pruneBatch(5_000, 10)).toEqual({
        deliveries: 0,
        attempts: 0,
        events: 0,
        sessions: 0,
      });
      expect(await store.pruneBatch(0, 10)).toEqual({
        deliveries: 0,
        attempts: 0,
        events: 0,
        sessions: 0,
      });
    });

    it('never reuses a pruned event id: a lane seq only grows', async () => {
      const { store } = t;
      const r = await store.createRecipient(recipientInput(), 500);
      const { ids } = await store.acceptEvents(newEvents(BEGIN, BEGIN), 1_000);
      for (const id of ids) await store.markDelivered(head(r.id, id), success(1_100));
      await store.pruneBatch(3_000, 10);
      const next = await store.acceptEvents([newEvent(BEGIN)], 4_000);
      expect(next.ids[0]).toBeGreaterThan(Math.max(...ids));
    });
  });

  describe(`${backend.name}: pruning sessions`, () => {
    const t = freshStore(backend);

    /** A session created at `at`, ended at `endedAt` unless null. */
    const session = (store: Store, lsid: string, at: number, endedAt: number | null) =>
      store
        .changeSession(
          lsid,
          () => ({ state: createSession(lsid, {}, 1).state, events: [], result: 0 }),
          at,
        )
        .then(() =>
          endedAt === null
            ? undefined
            : store.changeSession(
                lsid,
                (current) => ({
                  state: { ...(current?.state ?? createSession(lsid, {}, 1).state), ended: true },
                  events: [],
                  result: 0,
                }),
                endedAt,
              ),
        );

    it('deletes sessions that ended before the cutoff, in batches; live ones stay however old', async () => {
      const { store } = t;
      await session(store, 'old-1', 100, 1_000);
      await session(store, 'old-2', 100, 1_500);
      await session(store, 'old-3', 100, 2_000);
      await session(store, 'recent', 100, 4_000);
      await session(store, 'live', 100, null);
      const first = await store.pruneBatch(3_000, 2);
      expect(first.sessions).toBe(2);
      expect(await store.getSession('old-1')).toBeUndefined();
      expect(await store.getSession('old-2')).toBeUndefined();
      expect((await store.pruneBatch(3_000, 2)).sessions).toBe(1);
      expect((await store.pruneBatch(3_000, 2)).sessions).toBe(0);
      expect(await store.getSession('old-3')).toBeUndefined();
      expect(await store.getSession('recent')).toMatchObject({ endedAt: 4_000 });
      expect(await store.getSession('live')).toMatchObject({ endedAt: null });
    });
  });

  describe(`${backend.name}: Retention`, () => {
    const t = freshStore(backend);

    it('runOnce prunes everything old, in several batches', async () => {
      const calls: PruneReport[] = [];
      const counting = new Proxy(t.store, {
        get(target, prop) {
          if (prop === 'pruneBatch') {
            return async (cutoff: number, size: number) => {
              const report = await target.pruneBatch(cutoff, size);
              calls.push(report);
              return report;
            };
          }
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const { store } = t;
      const a = await store.createRecipient(recipientInput({ events: 'all' }), 500);
      const b = await store.createRecipient(recipientInput({ events: [END] }), 500);
      const old = await store.acceptEvents(
        [...Array.from({ length: 10 }, () => newEvent(BEGIN)), ...newEvents(END, END)],
        1_000,
      );
      const fresh = await store.acceptEvents(newEvents(BEGIN, BEGIN), 100_000);
      for (const [i, id] of old.ids.entries()) {
        if (i % 3 === 0) await store.recordFailure(a.id, id, failure(1_100), 1_200);
        await store.markDelivered(head(a.id, id, i % 3 === 0 ? 1 : 0), success(1_300));
      }
      const [end1, end2] = old.ids.slice(10) as [number, number];
      await store.setAside(b.id, end1, 1_400);

      const retention = new Retention(counting, {
        retentionMs: 10_000,
        batchSize: 4,
        clock: () => 100_000,
      });
      expect(await retention.runOnce()).toEqual({
        deliveries: 12,
        attempts: 4,
        events: 10,
        sessions: 0,
      });
      expect(calls.length).toBeGreaterThanOrEqual(3);
      for (const report of calls) {
        expect(report.deliveries).toBeLessThanOrEqual(4);
        expect(report.events).toBeLessThanOrEqual(4);
      }

      expect((await store.pendingDeliveries(a.id, 10)).map((d) => d.seq)).toEqual(fresh.ids);
      expect(await states(store, b.id)).toEqual({ [end1]: 'failed', [end2]: 'pending' });
      for (const id of old.ids.slice(0, 10)) expect(await store.getEvent(id)).toBeUndefined();
      for (const id of [end1, end2, ...fresh.ids]) expect(await store.getEvent(id)).toBeDefined();

      expect(await retention.runOnce()).toEqual({
        deliveries: 0,
        attempts: 0,
        events: 0,
        sessions: 0,
      });
      await retention.stop();
    });
  });
}
