import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { BACKENDS } from './backends.js';
import {
  BEGIN,
  END,
  MEMBER_ADDED,
  newEvent,
  newEvents,
  OWNER,
  recipientInput,
} from './fixtures.js';
import { freshStore } from './harness.js';

const seqs = async (store: Store, recipientId: number) =>
  (await store.pendingDeliveries(recipientId, 1_000)).map((d) => d.seq);

for (const backend of BACKENDS) {
  describe(`${backend.name}: acceptEvents`, () => {
    const t = freshStore(backend);

    it('stores the events and queues each for the enabled recipients subscribed to it', async () => {
      const { store } = t;
      const all = await store.createRecipient(recipientInput({ events: 'all' }), 500);
      const begins = await store.createRecipient(recipientInput({ events: [BEGIN] }), 500);
      const disabled = await store.createRecipient(recipientInput({ enabled: false }), 500);
      const ends = await store.createRecipient(
        recipientInput({ events: [END, MEMBER_ADDED] }),
        500,
      );
      const none = await store.createRecipient(recipientInput({ events: [] }), 500);

      const events = newEvents(BEGIN, OWNER, END);
      const result = await store.acceptEvents(events, 1_000);

      expect(result.ids).toHaveLength(3);
      expect(result.ids).toEqual([...result.ids].sort((a, b) => a - b));
      expect(new Set(result.ids).size).toBe(3);
      expect([...result.recipientIds].sort((a, b) => a - b)).toEqual([all.id, begins.id, ends.id]);

      const [beginId, ownerId, endId] = result.ids as [number, number, number];
      expect(await seqs(store, all.id)).toEqual([beginId, ownerId, endId]);
      expect(await seqs(store, begins.id)).toEqual([beginId]);
      expect(await seqs(store, disabled.id)).toEqual([]);
      expect(await seqs(store, ends.id)).toEqual([endId]);
      expect(await seqs(store, none.id)).toEqual([]);

      const [head] = await store.pendingDeliveries(all.id, 1);
      expect(head).toEqual({
        recipientId: all.id,
        seq: beginId,
        eventId: beginId,
        eventUid: events[0]?.uid,
        eventName: BEGIN,
        body: events[0]?.body,
        customFieldsJson: null,
        acceptedAt: 1_000,
        attempts: 0,
        firstFailedAt: null,
        nextAttemptAt: 1_000,
      });
    });

    it('keeps each event exactly as given', async () => {
      const { store } = t;
      const event = newEvent(MEMBER_ADDED, { lsid: '0042', externalKey: 'INC-7 ü&=' });
      const { ids } = await store.acceptEvents([event], 1_234);
      const { onlyRecipientId: _, ...stored } = event;
      expect(await store.getEvent(ids[0] as number)).toEqual({
        ...stored,
        id: ids[0],
        acceptedAt: 1_234,
      });
      expect(await store.getEvent(999_999)).toBeUndefined();
    });

    it('stores events nobody subscribes to, and accepts an empty batch', async () => {
      const { store } = t;
      const result = await store.acceptEvents(newEvents(BEGIN), 1_000);
      expect(result.recipientIds).toEqual([]);
      expect(await store.getEvent(result.ids[0] as number)).toBeDefined();
      expect(await store.acceptEvents([], 1_000)).toEqual({ ids: [], recipientIds: [] });
    });

    it('queues a paused recipient (it only stops sending)', async () => {
      const { store } = t;
      const paused = await store.createRecipient(recipientInput({ paused: true }), 500);
      const { ids, recipientIds } = await store.acceptEvents(newEvents(BEGIN), 1_000);
      expect(recipientIds).toEqual([paused.id]);
      expect(await seqs(store, paused.id)).toEqual(ids);
    });

    it('queues an event with onlyRecipientId for that recipient only, subscribed or not', async () => {
      const { store } = t;
      const other = await store.createRecipient(recipientInput({ events: 'all' }), 500);
      const target = await store.createRecipient(recipientInput({ events: [BEGIN] }), 500);
      const before = await store.acceptEvents(newEvents(BEGIN), 1_000);
      const test = { ...newEvent(END), onlyRecipientId: target.id };
      const result = await store.acceptEvents([test], 2_000);
      expect(result.recipientIds).toEqual([target.id]);
      expect(await seqs(store, target.id)).toEqual([...before.ids, ...result.ids]);
      expect(await seqs(store, other.id)).toEqual(before.ids);
      // The stored event does not carry the routing hint.
      expect(await store.getEvent(result.ids[0] as number)).not.toHaveProperty('onlyRecipientId');
    });

    it('gives growing ids across batches, and seqs follow them', async () => {
      const { store } = t;
      const recipient = await store.createRecipient(recipientInput(), 500);
      const all: number[] = [];
      for (let i = 0; i < 5; i++) {
        const { ids } = await store.acceptEvents(newEvents(BEGIN, END), 1_000 + i);
        all.push(...ids);
      }
      for (let i = 1; i < all.length; i++) expect(all[i]).toBeGreaterThan(all[i - 1] as number);
      expect(await seqs(store, recipient.id)).toEqual(all);
    });

    it('stores nothing of a batch that fails (duplicate uid)', async () => {
      const { store } = t;
      const recipient = await store.createRecipient(recipientInput(), 500);
      const kept = newEvent(BEGIN);
      const first = await store.acceptEvents([kept], 1_000);

      // Duplicate within the batch, after a valid event.
      const fresh = newEvent(END);
      const twice = newEvent(OWNER);
      await expect(store.acceptEvents([fresh, twice, twice], 2_000)).rejects.toThrow();
      // Duplicate of an event already stored.
      const fresh2 = newEvent(END);
      await expect(
        store.acceptEvents([fresh2, { ...newEvent(BEGIN), uid: kept.uid }], 3_000),
      ).rejects.toThrow();

      expect(await seqs(store, recipient.id)).toEqual(first.ids);
      expect(await store.listDeliveries(recipient.id, { limit: 100 })).toHaveLength(1);
      const stats = await store.laneStats();
      expect(stats).toEqual([
        { recipientId: recipient.id, pending: 1, oldestPendingAt: 1_000, failed: 0 },
      ]);

      // The uids were not taken: the same events are accepted afterwards.
      const retried = await store.acceptEvents([fresh, twice, fresh2], 4_000);
      expect(await seqs(store, recipient.id)).toEqual([...first.ids, ...retried.ids]);
      for (const [i, id] of retried.ids.entries()) {
        expect((await store.getEvent(id))?.uid).toBe([fresh, twice, fresh2][i]?.uid);
      }
    });
  });

  describe(`${backend.name}: subscriptions`, () => {
    const t = freshStore(backend);

    it('a change between batches is honoured by the next batch', async () => {
      const { store } = t;
      // All at the same instant: a change must show even when the clock did not move.
      const now = 1_000;
      const r = await store.createRecipient(recipientInput({ events: [BEGIN] }), now);
      const a = await store.acceptEvents(newEvents(BEGIN, END), now);
      expect(await seqs(store, r.id)).toEqual([a.ids[0]]);

      await store.updateRecipient(r.id, { events: [END] }, now);
      const b = await store.acceptEvents(newEvents(BEGIN, END), now);
      expect(await seqs(store, r.id)).toEqual([a.ids[0], b.ids[1]]);

      await store.updateRecipient(r.id, { enabled: false }, now);
      const c = await store.acceptEvents(newEvents(BEGIN, END), now);
      expect(c.recipientIds).toEqual([]);

      await store.updateRecipient(r.id, { enabled: true, events: 'all' }, now);
      const d = await store.acceptEvents(newEvents(BEGIN, END), now);
      expect(d.recipientIds).toEqual([r.id]);
      expect(await seqs(store, r.id)).toEqual([a.ids[0], b.ids[1], ...d.ids]);
    });

    it('a recipient created or deleted between batches is honoured by the next batch', async () => {
      const { store } = t;
      const a = await store.acceptEvents(newEvents(BEGIN), 1_000);
      expect(a.recipientIds).toEqual([]);
      const r = await store.createRecipient(recipientInput(), 1_000);
      const b = await store.acceptEvents(newEvents(BEGIN), 1_000);
      expect(b.recipientIds).toEqual([r.id]);
      expect(await store.deleteRecipient(r.id)).toBe(true);
      const c = await store.acceptEvents(newEvents(BEGIN), 1_000);
      expect(c.recipientIds).toEqual([]);
    });

    it('a change made through another store on the same database is honoured', async () => {
      const { store, db } = t;
      const admin = db.openAnother();
      const r = await store.createRecipient(recipientInput({ events: [BEGIN] }), 1_000);
      await store.acceptEvents(newEvents(BEGIN), 1_000);
      await admin.updateRecipient(r.id, { events: [END] }, 1_000);
      const b = await store.acceptEvents(newEvents(BEGIN, END), 1_000);
      expect(b.recipientIds).toEqual([r.id]);
      expect((await store.pendingDeliveries(r.id, 10)).map((d) => d.eventName)).toEqual([
        BEGIN,
        END,
      ]);
    });

    it('a recipient re-created by another store under a reused id gets its new subscription', async () => {
      const { store, db } = t;
      const admin = db.openAnother();
      const old = await store.createRecipient(recipientInput({ events: [BEGIN] }), 1_000);
      await store.acceptEvents(newEvents(BEGIN), 1_000);
      expect(await admin.deleteRecipient(old.id)).toBe(true);
      const created = await admin.createRecipient(recipientInput({ events: [END] }), 1_000);
      const b = await store.acceptEvents(newEvents(BEGIN, END), 1_000);
      expect(b.recipientIds).toEqual([created.id]);
      expect((await store.pendingDeliveries(created.id, 10)).map((d) => d.seq)).toEqual([b.ids[1]]);
    });
  });
}
