import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import type { Recipient } from '../../src/types.js';
import { BACKENDS } from './backends.js';
import {
  BEGIN,
  END,
  failure,
  head,
  newEvent,
  newEvents,
  OWNER,
  recipientInput,
  success,
} from './fixtures.js';
import { freshStore } from './harness.js';

const pendingSeqs = async (store: Store, recipientId: number) =>
  (await store.pendingDeliveries(recipientId, 1_000)).map((d) => d.seq);

const delivery = async (store: Store, recipientId: number, seq: number) => {
  const found = (await store.listDeliveries(recipientId, { limit: 1_000 })).find(
    (d) => d.seq === seq,
  );
  if (found === undefined) throw new Error(`no delivery ${recipientId}/${seq}`);
  return found;
};

/** A recipient subscribed to everything, with `count` events queued for it at `now`. */
async function laneWith(
  store: Store,
  count: number,
  now = 1_000,
): Promise<{ recipient: Recipient; seqs: number[] }> {
  const recipient = await store.createRecipient(recipientInput(), now);
  const { ids } = await store.acceptEvents(
    Array.from({ length: count }, () => newEvent(BEGIN)),
    now,
  );
  return { recipient, seqs: ids };
}

for (const backend of BACKENDS) {
  describe(`${backend.name}: lane`, () => {
    const t = freshStore(backend);

    it('pendingDeliveries is in seq order, limited, and starts after afterSeq', async () => {
      const { store } = t;
      const r = await store.createRecipient(recipientInput(), 500);
      const all: number[] = [];
      for (let i = 0; i < 4; i++)
        all.push(...(await store.acceptEvents(newEvents(BEGIN, END), 1_000 + i)).ids);
      expect(await pendingSeqs(store, r.id)).toEqual(all);
      expect((await store.pendingDeliveries(r.id, 3)).map((d) => d.seq)).toEqual(all.slice(0, 3));
      expect((await store.pendingDeliveries(r.id, 3, all[2])).map((d) => d.seq)).toEqual(
        all.slice(3, 6),
      );
      expect(await store.pendingDeliveries(r.id, 10, all.at(-1))).toEqual([]);
      expect(await store.pendingDeliveries(9_999, 10)).toEqual([]);
    });

    it('markDelivered takes the delivery out of the lane and records the 200', async () => {
      const { store } = t;
      const { recipient: r, seqs } = await laneWith(t.store, 3);
      const [s1, s2, s3] = seqs as [number, number, number];
      await store.markDelivered(head(r.id, s1), success(2_000));
      expect(await pendingSeqs(store, r.id)).toEqual([s2, s3]);
      expect(await delivery(store, r.id, s1)).toMatchObject({
        state: 'delivered',
        attempts: 1,
        deliveredAt: 2_000,
        lastAttemptAt: 2_000,
        lastStatus: 200,
        lastError: null,
        nextAttemptAt: null,
      });
      // A success is kept on the delivery, not as an attempt row.
      expect(await store.listAttempts(r.id, s1)).toEqual([]);
    });

    it('recordFailure counts attempts, keeps the first failure time and schedules the retry', async () => {
      const { store } = t;
      const { recipient: r, seqs } = await laneWith(t.store, 2);
      const [s1, s2] = seqs as [number, number];
      await store.recordFailure(r.id, s1, failure(2_000, 503), 3_000);
      await store.recordFailure(r.id, s1, failure(4_000, null), 8_000);

      const [first, next] = await store.pendingDeliveries(r.id, 10);
      expect(first).toMatchObject({
        seq: s1,
        attempts: 2,
        firstFailedAt: 2_000,
        nextAttemptAt: 8_000,
      });
      expect(next).toMatchObject({ seq: s2, attempts: 0, firstFailedAt: null });
      expect(await delivery(store, r.id, s1)).toMatchObject({
        state: 'pending',
        attempts: 2,
        firstFailedAt: 2_000,
        nextAttemptAt: 8_000,
        lastAttemptAt: 4_000,
        lastStatus: null,
        lastError: 'connect ECONNREFUSED 127.0.0.1:9',
      });
      expect(await store.listAttempts(r.id, s1)).toEqual([
        { recipientId: r.id, seq: s1, n: 1, ...failure(2_000, 503) },
        { recipientId: r.id, seq: s1, n: 2, ...failure(4_000, null) },
      ]);
      expect(await store.listAttempts(r.id, s2)).toEqual([]);

      // Delivered after failures: the attempts stay, the count goes on.
      await store.markDelivered(head(r.id, s1, 2), success(9_000));
      expect(await delivery(store, r.id, s1)).toMatchObject({
        state: 'delivered',
        attempts: 3,
        lastStatus: 200,
        lastError: null,
      });
      expect(await store.listAttempts(r.id, s1)).toHaveLength(2);
    });

    it('setAside moves the head to failed, with its attempt, and the lane moves on', async () => {
      const { store } = t;
      const { recipient: r, seqs } = await laneWith(t.store, 3);
      const [s1, s2, s3] = seqs as [number, number, number];
      await store.recordFailure(r.id, s1, failure(2_000), 3_000);
      expect(await store.setAside(r.id, s1, 5_000, failure(5_000, 502))).toBe(true);

      expect(await pendingSeqs(store, r.id)).toEqual([s2, s3]);
      expect(await delivery(store, r.id, s1)).toMatchObject({
        state: 'failed',
        attempts: 2,
        firstFailedAt: 2_000,
        failedAt: 5_000,
        nextAttemptAt: null,
        lastStatus: 502,
      });
      expect((await store.listAttempts(r.id, s1)).map((a) => [a.n, a.status])).toEqual([
        [1, 500],
        [2, 502],
      ]);
      expect(await store.laneStats()).toEqual([
        { recipientId: r.id, pending: 2, oldestPendingAt: 1_000, failed: 1 },
      ]);

      // Without an outcome (an administrator's action) no attempt is recorded.
      expect(await store.setAside(r.id, s2, 6_000)).toBe(true);
      expect(await store.listAttempts(r.id, s2)).toEqual([]);
      expect(await delivery(store, r.id, s2)).toMatchObject({ state: 'failed', attempts: 0 });

      // Only a pending delivery can be set aside.
      expect(await store.setAside(r.id, s1, 7_000)).toBe(false);
      await store.markDelivered(head(r.id, s3), success(7_000));
      expect(await store.setAside(r.id, s3, 7_000, failure(7_000))).toBe(false);
      expect(await delivery(store, r.id, s3)).toMatchObject({ state: 'delivered', attempts: 1 });
      expect(await store.listAttempts(r.id, s3)).toEqual([]);
    });

    it('retryNow makes the head due now; false on an empty lane', async () => {
      const { store } = t;
      const { recipient: r, seqs } = await laneWith(t.store, 2);
      const [s1] = seqs as [number];
      await store.recordFailure(r.id, s1, failure(2_000), 60_000);
      expect(await store.retryNow(r.id, 2_500)).toBe(true);
      const [head] = await store.pendingDeliveries(r.id, 1);
      expect(head).toMatchObject({ seq: s1, nextAttemptAt: 2_500, attempts: 1 });

      const empty = await store.createRecipient(recipientInput(), 1_000);
      expect(await store.retryNow(empty.id, 2_500)).toBe(false);
    });

    it('replayFailed puts all failed deliveries back at their original place', async () => {
      const { store } = t;
      const { recipient: r, seqs } = await laneWith(t.store, 4);
      const [s1, s2, s3, s4] = seqs as [number, number, number, number];
      await store.setAside(r.id, s1, 2_000, failure(2_000));
      await store.markDelivered(head(r.id, s2), success(2_100));
      await store.setAside(r.id, s3, 2_200);
      expect(await pendingSeqs(store, r.id)).toEqual([s4]);

      expect(await store.replayFailed(r.id, 3_000)).toBe(2);
      expect(await pendingSeqs(store, r.id)).toEqual([s1, s3, s4]);
      expect(await delivery(store, r.id, s1)).toMatchObject({
        state: 'pending',
        nextAttemptAt: 3_000,
        firstFailedAt: null,
        failedAt: null,
      });
      expect(await delivery(store, r.id, s2)).toMatchObject({ state: 'delivered' });
      expect((await store.laneStats())[0]).toMatchObject({ pending: 3, failed: 0 });
      expect(await store.replayFailed(r.id, 3_000)).toBe(0);
    });

    it('replayFailed with seqs replays only those, and only if failed', async () => {
      const { store } = t;
      const { recipient: r, seqs } = await laneWith(t.store, 4);
      const [s1, s2, s3, s4] = seqs as [number, number, number, number];
      await store.setAside(r.id, s1, 2_000);
      await store.setAside(r.id, s2, 2_000);
      await store.markDelivered(head(r.id, s3), success(2_100));

      expect(await store.replayFailed(r.id, 3_000, [s2, s3, s4, 99_999])).toBe(1);
      expect(await pendingSeqs(store, r.id)).toEqual([s2, s4]);
      expect(await delivery(store, r.id, s1)).toMatchObject({ state: 'failed' });
      expect(await delivery(store, r.id, s3)).toMatchObject({ state: 'delivered' });
      expect(await store.replayFailed(r.id, 3_000, [])).toBe(0);
    });

    it('replayRange re-queues delivered and failed events of the range and queues the missing subscribed ones', async () => {
      const { store } = t;
      const r = await store.createRecipient(recipientInput({ events: [BEGIN] }), 500);
      const early = await store.acceptEvents(newEvents(BEGIN, END, OWNER, BEGIN, BEGIN), 1_000);
      const [b1, e2, o3, b4, b5] = early.ids as [number, number, number, number, number];
      const late = await store.acceptEvents(newEvents(BEGIN, END), 3_000);
      const [b6] = late.ids as [number];
      expect(await pendingSeqs(store, r.id)).toEqual([b1, b4, b5, b6]);

      await store.markDelivered(head(r.id, b1), success(1_100));
      await store.setAside(r.id, b4, 1_200, failure(1_200));
      expect(await pendingSeqs(store, r.id)).toEqual([b5, b6]);
      await store.updateRecipient(r.id, { events: [BEGIN, END] }, 2_000);

      // b1 delivered, e2 never queued, b4 failed: 3. o3 is not subscribed, b5 already pending,
      // the late ones are out of range.
      expect(await store.replayRange(r.id, 900, 1_000, 4_000)).toBe(3);
      expect(await pendingSeqs(store, r.id)).toEqual([b1, e2, b4, b5, b6]);
      const [first, inserted] = await store.pendingDeliveries(r.id, 2);
      expect(first).toMatchObject({ seq: b1, acceptedAt: 1_000, nextAttemptAt: 4_000 });
      expect(inserted).toMatchObject({
        seq: e2,
        eventId: e2,
        eventName: END,
        acceptedAt: 1_000,
        attempts: 0,
        nextAttemptAt: 4_000,
      });
      expect(await delivery(store, r.id, b1)).toMatchObject({ deliveredAt: null });
      expect(await delivery(store, r.id, b4)).toMatchObject({ failedAt: null });
      expect((await store.listDeliveries(r.id, { limit: 100 })).map((d) => d.seq)).not.toContain(
        o3,
      );

      // Everything in range is pending now.
      expect(await store.replayRange(r.id, 0, 2_000, 5_000)).toBe(0);
      // With 'all', the unsubscribed type is queued too.
      await store.updateRecipient(r.id, { events: 'all' }, 5_000);
      expect(await store.replayRange(r.id, 1_000, 1_000, 5_000)).toBe(1);
      expect(await pendingSeqs(store, r.id)).toEqual([b1, e2, o3, b4, b5, b6]);
      // Bounds are inclusive.
      await store.markDelivered(head(r.id, b6), success(5_000));
      expect(await store.replayRange(r.id, 3_000, 3_000, 6_000)).toBe(2);

      expect(await store.replayRange(99_999, 0, 10_000, 6_000)).toBe(0);
    });

    it('replayRange queues nothing for a recipient subscribed to nothing', async () => {
      const { store } = t;
      const r = await store.createRecipient(recipientInput({ events: [] }), 500);
      await store.acceptEvents(newEvents(BEGIN, END), 1_000);
      expect(await store.replayRange(r.id, 0, 10_000, 2_000)).toBe(0);
      expect(await pendingSeqs(store, r.id)).toEqual([]);
    });
  });

  describe(`${backend.name}: listDeliveries`, () => {
    const t = freshStore(backend);

    /** s1, s2 delivered; s3 failed; s4, s5, s6 pending. */
    async function mixedLane() {
      const { recipient, seqs } = await laneWith(t.store, 6);
      const [s1, s2, s3] = seqs as [number, number, number];
      await t.store.markDelivered(head(recipient.id, s1), success(2_000));
      await t.store.markDelivered(head(recipient.id, s2), success(2_100));
      await t.store.setAside(recipient.id, s3, 2_200, failure(2_200));
      return { id: recipient.id, seqs };
    }

    const seqsOf = async (id: number, query: Parameters<Store['listDeliveries']>[1]) =>
      (await t.store.listDeliveries(id, query)).map((d) => d.seq);

    it('filters by state: pending from the head, delivered and failed newest first', async () => {
      const { id, seqs } = await mixedLane();
      const [s1, s2, s3, s4, s5, s6] = seqs as [number, number, number, number, number, number];
      expect(await seqsOf(id, { state: 'pending', limit: 10 })).toEqual([s4, s5, s6]);
      expect(await seqsOf(id, { state: 'pending', limit: 2 })).toEqual([s4, s5]);
      expect(await seqsOf(id, { state: 'delivered', limit: 10 })).toEqual([s2, s1]);
      expect(await seqsOf(id, { state: 'failed', limit: 10 })).toEqual([s3]);
    });

    it('without a state lists everything, newest first', async () => {
      const { id, seqs } = await mixedLane();
      expect(await seqsOf(id, { limit: 100 })).toEqual([...seqs].reverse());
      const rows = await t.store.listDeliveries(id, { limit: 100 });
      expect(rows.map((d) => d.state)).toEqual([
        'pending',
        'pending',
        'pending',
        'failed',
        'delivered',
        'delivered',
      ]);
      expect(rows[0]).toMatchObject({ recipientId: id, eventName: BEGIN, acceptedAt: 1_000 });
      const event = await t.store.getEvent(rows[0]?.eventId as number);
      expect(rows[0]).toMatchObject({ eventUid: event?.uid, lsid: event?.lsid });
    });

    it('pages back with beforeSeq', async () => {
      const { id, seqs } = await mixedLane();
      const [s1, s2, s3, s4, s5, s6] = seqs as [number, number, number, number, number, number];
      expect(await seqsOf(id, { limit: 2 })).toEqual([s6, s5]);
      expect(await seqsOf(id, { limit: 2, beforeSeq: s5 })).toEqual([s4, s3]);
      expect(await seqsOf(id, { limit: 2, beforeSeq: s3 })).toEqual([s2, s1]);
      expect(await seqsOf(id, { limit: 2, beforeSeq: s1 })).toEqual([]);
      expect(await seqsOf(id, { state: 'delivered', limit: 1 })).toEqual([s2]);
      expect(await seqsOf(id, { state: 'delivered', limit: 1, beforeSeq: s2 })).toEqual([s1]);
      expect(await seqsOf(id, { state: 'failed', limit: 1, beforeSeq: s3 })).toEqual([]);
    });

    it('lists only the given recipient', async () => {
      const { id } = await mixedLane();
      const other = await t.store.createRecipient(recipientInput({ events: [END] }), 3_000);
      expect(await t.store.listDeliveries(other.id, { limit: 10 })).toEqual([]);
      expect(await t.store.listDeliveries(id, { limit: 10 })).toHaveLength(6);
    });
  });

  describe(`${backend.name}: laneStats`, () => {
    const t = freshStore(backend);

    it('is empty without recipients', async () => {
      expect(await t.store.laneStats()).toEqual([]);
    });

    it('has one row per recipient, empty lanes included', async () => {
      const { store } = t;
      const busy = await store.createRecipient(recipientInput(), 500);
      const ends = await store.createRecipient(recipientInput({ events: [END] }), 500);
      const off = await store.createRecipient(recipientInput({ enabled: false }), 500);
      const [s1, s2] = (await store.acceptEvents(newEvents(BEGIN, BEGIN), 1_000)).ids as [
        number,
        number,
      ];
      const [s3] = (await store.acceptEvents(newEvents(BEGIN), 2_000)).ids as [number];
      await store.setAside(busy.id, s1, 3_000);

      const byId = (await store.laneStats()).sort((a, b) => a.recipientId - b.recipientId);
      expect(byId).toEqual([
        { recipientId: busy.id, pending: 2, oldestPendingAt: 1_000, failed: 1 },
        { recipientId: ends.id, pending: 0, oldestPendingAt: null, failed: 0 },
        { recipientId: off.id, pending: 0, oldestPendingAt: null, failed: 0 },
      ]);

      // The oldest pending is the head's acceptance time.
      await store.markDelivered(head(busy.id, s2), success(3_100));
      expect((await store.laneStats()).find((s) => s.recipientId === busy.id)).toEqual({
        recipientId: busy.id,
        pending: 1,
        oldestPendingAt: 2_000,
        failed: 1,
      });
      await store.markDelivered(head(busy.id, s3), success(3_200));
      expect((await store.laneStats()).find((s) => s.recipientId === busy.id)).toMatchObject({
        pending: 0,
        oldestPendingAt: null,
      });
      // A replayed delivery brings its original acceptance time back to the head.
      await store.replayFailed(busy.id, 4_000);
      expect((await store.laneStats()).find((s) => s.recipientId === busy.id)).toEqual({
        recipientId: busy.id,
        pending: 1,
        oldestPendingAt: 1_000,
        failed: 0,
      });
    });
  });
}
