import { describe, expect, it } from 'vitest';
import { loadSqliteDriver } from '../../src/sqlite/index.js';
import { DELIVERY_BUCKETS } from '../../src/store/sqlite/sql/delivery-chart.js';
import { searchEvents } from '../../src/store/sqlite/sql/event-search.js';
import type { Store } from '../../src/store/store.js';
import type { AttemptOutcome } from '../../src/types.js';
import { BACKENDS } from './backends.js';
import { BEGIN, failure, head, newEvent, recipientInput } from './fixtures.js';
import { freshStore } from './harness.js';

const MIN = 60_000;
const T0 = 1_800_000_000_000;

const ok = (at: number, latencyMs: number): AttemptOutcome => ({
  at,
  status: 200,
  errorCode: null,
  error: null,
  latencyMs,
  snippet: null,
});

/** A recipient subscribed to everything, with `count` events queued for it. */
async function laneWith(store: Store, count: number) {
  const recipient = await store.createRecipient(recipientInput(), T0 - MIN);
  const events = Array.from({ length: count }, () => newEvent(BEGIN));
  const { ids } = await store.acceptEvents(events, T0 - MIN);
  return { id: recipient.id, seqs: ids };
}

for (const backend of BACKENDS) {
  describe(`${backend.name}: delivery buckets`, () => {
    const t = freshStore(backend);

    it('counts 200s with their latency and failed attempts per bucket, within [from, to)', async () => {
      const { store } = t;
      const { id, seqs } = await laneWith(store, 5);
      const [a, b, c, d, e] = seqs as [number, number, number, number, number];
      // Bucket 0: two failures of a, then its 200 and b's.
      await store.recordFailure(id, a, failure(T0), T0 + 1);
      await store.recordFailure(id, a, failure(T0 + 10, null), T0 + 11);
      await store.markDelivered(head(id, a, 2), ok(T0 + 20, 10));
      await store.markDelivered(head(id, b), ok(T0 + MIN - 1, 30));
      // Bucket 2 (bucket 1 is empty): c; the last bucket: one failure of d.
      await store.markDelivered(head(id, c), ok(T0 + 2 * MIN + 5, 7.5));
      await store.recordFailure(id, d, failure(T0 + 3 * MIN - 1), T0 + 3 * MIN);
      // At `to`: outside the range.
      await store.markDelivered(head(id, d, 1), ok(T0 + 3 * MIN, 1));
      await store.recordFailure(id, e, failure(T0 + 3 * MIN), T0 + 3 * MIN);

      // Another recipient's activity in the same time is not counted.
      const other = await laneWith(store, 1);
      await store.markDelivered(head(other.id, other.seqs[0]!), ok(T0 + 5, 99));

      const buckets = await store.deliveryBuckets(id, {
        from: T0,
        to: T0 + 3 * MIN,
        bucketMs: MIN,
      });
      expect(buckets).toEqual([
        { start: T0, delivered: 2, meanLatencyMs: 20, maxLatencyMs: 30, failedAttempts: 2 },
        {
          start: T0 + 2 * MIN,
          delivered: 1,
          meanLatencyMs: 7.5,
          maxLatencyMs: 7.5,
          failedAttempts: 1,
        },
      ]);
    });

    it('counts a replayed delivery once, when it is delivered again', async () => {
      const { store } = t;
      const { id, seqs } = await laneWith(store, 1);
      const seq = seqs[0]!;
      await store.markDelivered(head(id, seq), ok(T0 + 5, 4));
      expect(await store.replayRange(id, T0 - 2 * MIN, T0, T0 + MIN)).toBe(1);
      const range = { from: T0, to: T0 + 10 * MIN, bucketMs: MIN };
      expect(await store.deliveryBuckets(id, range)).toEqual([]);
      await store.markDelivered(head(id, seq, 1), ok(T0 + 3 * MIN, 6));
      expect(await store.deliveryBuckets(id, range)).toEqual([
        {
          start: T0 + 3 * MIN,
          delivered: 1,
          meanLatencyMs: 6,
          maxLatencyMs: 6,
          failedAttempts: 0,
        },
      ]);
    });

    it('is empty for a recipient with no activity, or none', async () => {
      const { store } = t;
      const { id } = await laneWith(store, 2);
      const range = { from: T0 - 60 * MIN, to: T0 + 60 * MIN, bucketMs: 15 * MIN };
      expect(await store.deliveryBuckets(id, range)).toEqual([]);
      expect(await store.deliveryBuckets(9_999, range)).toEqual([]);
    });
  });
}

describe('sqlite: the admin queries read by index', () => {
  const t = freshStore(BACKENDS.find((b) => b.name === 'sqlite')!);

  const plan = (text: string, params: Record<string, unknown>) => {
    const db = loadSqliteDriver().open(t.db.url.slice('sqlite:'.length), { readonly: true });
    try {
      const rows = db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(params) as { detail: string }[];
      return rows.map((p) => p.detail).join('\n');
    } finally {
      db.close();
    }
  };

  it('a chart reads the time indexes, not the recipient’s whole history', () => {
    const details = plan(DELIVERY_BUCKETS, { recipient_id: 1, from: 0, to: 1, bucket: 1 });
    expect(details).toContain('deliveries_delivered_at');
    expect(details).toContain('attempts_at');
  });

  it('a search by external key reads its index, not every event', () => {
    const { text, params } = searchEvents({ externalKey: 'INC-7', limit: 51 });
    expect(plan(text, params)).toContain('events_external_key');
  });
});
