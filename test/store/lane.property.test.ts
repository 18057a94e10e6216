import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, type EventName } from '../../src/events/index.js';
import type { Store } from '../../src/store/store.js';
import type { DeliveryState } from '../../src/types.js';
import { BACKENDS } from './backends.js';
import { failure, newEvent, recipientInput, success } from './fixtures.js';

type Op =
  | { kind: 'accept'; names: EventName[] }
  | { kind: 'deliver' | 'fail' | 'setAside' | 'replayFailed'; r: number };

const subscription = fc.oneof(
  fc.constant('all' as const),
  fc.subarray([...EVENT_NAMES], { minLength: 0, maxLength: 4 }),
);

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('accept' as const),
      names: fc.array(fc.constantFrom(...EVENT_NAMES), { minLength: 1, maxLength: 4 }),
    }),
    weight: 3,
  },
  ...(['deliver', 'fail', 'setAside', 'replayFailed'] as const).map((kind) => ({
    arbitrary: fc.record({ kind: fc.constant(kind), r: fc.nat(2) }),
    weight: kind === 'replayFailed' ? 1 : 2,
  })),
);

/** What each recipient should hold: seq → state. */
type Model = Map<number, DeliveryState>[];

async function check(store: Store, ids: number[], model: Model): Promise<void> {
  const stats = await store.laneStats();
  for (const [i, id] of ids.entries()) {
    const expected = model[i] as Map<number, DeliveryState>;
    const pending = (await store.pendingDeliveries(id, 100_000)).map((d) => d.seq);
    for (let k = 1; k < pending.length; k++) {
      expect(pending[k]).toBeGreaterThan(pending[k - 1] as number);
    }
    const expectedPending = [...expected]
      .filter(([, s]) => s === 'pending')
      .map(([seq]) => seq)
      .sort((a, b) => a - b);
    expect(pending).toEqual(expectedPending);

    // Exactly one delivery per subscribed event, in the state the model says.
    const all = await store.listDeliveries(id, { limit: 100_000 });
    expect(new Set(all.map((d) => d.seq)).size).toBe(all.length);
    expect(new Map(all.map((d) => [d.seq, d.state]))).toEqual(expected);

    const failed = [...expected.values()].filter((s) => s === 'failed').length;
    expect(stats.find((s) => s.recipientId === id)).toMatchObject({
      pending: expectedPending.length,
      failed,
    });
  }
}

for (const backend of BACKENDS) {
  describe(`${backend.name}: lane property`, () => {
    it('under any interleaving, lanes stay in order and every event is in exactly one state', async () => {
      // One database for every run, migrated once (on PostgreSQL migrating took 40% of the
      // time): each run deletes the recipients it made, so the next starts with none.
      const db = await backend.open();
      const { store } = db;
      await store.migrate();
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.array(subscription, { minLength: 1, maxLength: 3 }),
            fc.array(op, { minLength: 1, maxLength: 30 }),
            async (subscriptions, ops) => {
              const ids: number[] = [];
              try {
                expect(await store.listRecipients()).toEqual([]);
                for (const events of subscriptions) {
                  ids.push((await store.createRecipient(recipientInput({ events }), 0)).id);
                }
                const model: Model = subscriptions.map(() => new Map());
                let now = 1_000;

                for (const step of ops) {
                  now += 10;
                  if (step.kind === 'accept') {
                    const events = step.names.map((name) => newEvent(name));
                    const result = await store.acceptEvents(events, now);
                    const touched = new Set<number>();
                    for (const [k, seq] of result.ids.entries()) {
                      const name = events[k]?.name as EventName;
                      for (const [i, sub] of subscriptions.entries()) {
                        if (sub !== 'all' && !sub.includes(name)) continue;
                        model[i]?.set(seq, 'pending');
                        touched.add(ids[i] as number);
                      }
                    }
                    expect(new Set(result.recipientIds)).toEqual(touched);
                  } else {
                    const i = step.r % ids.length;
                    const id = ids[i] as number;
                    const lane = model[i] as Map<number, DeliveryState>;
                    const [head] = await store.pendingDeliveries(id, 1);
                    if (step.kind === 'replayFailed') {
                      const failed = [...lane].filter(([, s]) => s === 'failed');
                      expect(await store.replayFailed(id, now)).toBe(failed.length);
                      for (const [seq] of failed) lane.set(seq, 'pending');
                    } else if (head !== undefined) {
                      if (step.kind === 'deliver') {
                        await store.markDelivered(head, success(now));
                        lane.set(head.seq, 'delivered');
                      } else if (step.kind === 'fail') {
                        await store.recordFailure(id, head.seq, failure(now), now + 1_000);
                      } else {
                        expect(await store.setAside(id, head.seq, now, failure(now))).toBe(true);
                        lane.set(head.seq, 'failed');
                      }
                    }
                  }
                  await check(store, ids, model);
                }
              } finally {
                for (const id of ids) await store.deleteRecipient(id);
              }
            },
          ),
          { numRuns: 60 },
        );
      } finally {
        await db.cleanup();
      }
    });
  });
}
