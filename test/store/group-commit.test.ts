import { describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../src/store/group-commit.js';
import type { Store } from '../../src/store/store.js';
import type { AcceptResult, NewEvent } from '../../src/types.js';
import { BACKENDS } from './backends.js';
import { BEGIN, END, newEvent, newEvents, OWNER, recipientInput } from './fixtures.js';
import { freshStore } from './harness.js';

/** The store, recording every batch handed to acceptEvents. */
function counting(store: Store, batches: NewEvent[][]): Store {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'acceptEvents') {
        return (events: NewEvent[], now: number) => {
          batches.push(events);
          return target.acceptEvents(events, now);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const NAMES = [BEGIN, END, OWNER] as const;

for (const backend of BACKENDS) {
  describe(`${backend.name}: GroupCommitter`, () => {
    const t = freshStore(backend);

    it('commits 200 concurrent submissions in a few transactions, each caller getting its own ids', async () => {
      const { store } = t;
      const all = await store.createRecipient(recipientInput({ events: 'all' }), 500);
      const ends = await store.createRecipient(recipientInput({ events: [END] }), 500);
      await store.createRecipient(recipientInput({ events: [] }), 500);
      const batches: NewEvent[][] = [];
      const committed: AcceptResult[] = [];
      const committer = new GroupCommitter(counting(store, batches), {
        clock: () => 7_000,
        onCommitted: (result) => committed.push(result),
      });

      const submissions = Array.from({ length: 200 }, (_, i) =>
        Array.from({ length: (i % 3) + 1 }, (_, j) => newEvent(NAMES[(i + j) % 3])),
      );
      const results = await Promise.all(submissions.map((events) => committer.submit(events)));
      await committer.drain();

      const total = submissions.reduce((n, events) => n + events.length, 0);
      expect(batches.reduce((n, b) => n + b.length, 0)).toBe(total);
      expect(batches.length).toBeLessThanOrEqual(10);
      expect(committed).toHaveLength(batches.length);

      for (const [i, ids] of results.entries()) {
        const events = submissions[i] as NewEvent[];
        expect(ids).toHaveLength(events.length);
        for (const [j, id] of ids.entries()) {
          const stored = await store.getEvent(id);
          expect(stored?.uid).toBe(events[j]?.uid);
          expect(stored?.acceptedAt).toBe(7_000);
          if (j > 0) expect(id).toBeGreaterThan(ids[j - 1] as number);
        }
      }
      expect(new Set(results.flat()).size).toBe(total);

      const notified = new Set(committed.flatMap((r) => r.recipientIds));
      expect([...notified].sort((a, b) => a - b)).toEqual([all.id, ends.id]);
      expect(await store.pendingDeliveries(all.id, 1_000)).toHaveLength(total);
      // Acceptance order is the callers' order.
      expect((await store.pendingDeliveries(all.id, 1_000)).map((d) => d.seq)).toEqual(
        results.flat(),
      );
    });

    it('keeps each transaction within maxBatch events', async () => {
      const batches: NewEvent[][] = [];
      const committer = new GroupCommitter(counting(t.store, batches), { maxBatch: 50 });
      const results = await Promise.all(
        Array.from({ length: 200 }, () => committer.submit([newEvent(BEGIN)])),
      );
      expect(results.flat()).toHaveLength(200);
      expect(batches.map((b) => b.length)).toEqual([50, 50, 50, 50]);
    });

    it('rejects only the faulty submission of a failed batch; the others commit alone', async () => {
      const { store } = t;
      const r = await store.createRecipient(recipientInput(), 500);
      const existing = newEvent(BEGIN);
      const before = await store.acceptEvents([existing], 1_000);
      const batches: NewEvent[][] = [];
      const committed: AcceptResult[] = [];
      const committer = new GroupCommitter(counting(store, batches), {
        onCommitted: (result) => committed.push(result),
      });

      // One caller re-sends a stored uid; the others shared its transaction at first.
      const outcomes = await Promise.allSettled([
        committer.submit(newEvents(BEGIN, END)),
        committer.submit([newEvent(OWNER), { ...newEvent(BEGIN), uid: existing.uid }]),
        committer.submit(newEvents(END)),
        committer.submit(newEvents(BEGIN, BEGIN, BEGIN)),
      ]);
      // The shared attempt, then each submission alone.
      expect(batches.map((b) => b.length)).toEqual([8, 2, 2, 1, 3]);
      expect(outcomes.map((o) => o.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      const accepted = outcomes.flatMap((o) => (o.status === 'fulfilled' ? o.value : []));
      expect(accepted).toHaveLength(6);
      expect(committed).toHaveLength(3);
      // Nothing of the faulty submission was stored: not even its valid first event.
      expect((await store.pendingDeliveries(r.id, 100)).map((d) => d.seq)).toEqual([
        ...before.ids,
        ...accepted,
      ]);
      committed.length = 0;
      const pendingBefore = await store.pendingDeliveries(r.id, 100);

      // The committer carries on.
      const ids = await committer.submit(newEvents(END));
      expect((await store.pendingDeliveries(r.id, 100)).map((d) => d.seq)).toEqual([
        ...pendingBefore.map((d) => d.seq),
        ...ids,
      ]);
      expect(committed).toEqual([{ ids, recipientIds: [r.id] }]);
    });
  });
}
