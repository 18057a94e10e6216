import { describe, expect, it } from 'vitest';
import { ChartCache } from '../../src/admin/chart-cache.js';
import { CHART_PERIODS, periodRange } from '../../src/admin/delivery-chart.js';
import type { AttemptOutcome } from '../../src/types.js';
import { BACKENDS } from '../store/backends.js';
import { BEGIN, head, newEvent, recipientInput } from '../store/fixtures.js';
import { freshStore } from '../store/harness.js';

const MIN = 60_000;
const HOUR = CHART_PERIODS[0]!;
const TIMEOUT = 10_000;
const NOW = Date.UTC(2026, 10, 24, 9, 30, 30);

const ok = (at: number): AttemptOutcome => ({
  at,
  status: 200,
  errorCode: null,
  error: null,
  latencyMs: 2,
  snippet: null,
});

describe('the chart cache', () => {
  const t = freshStore(BACKENDS.find((b) => b.name === 'sqlite')!);

  async function lane(count: number) {
    const r = await t.store.createRecipient(recipientInput(), NOW - 2 * 60 * MIN);
    const events = Array.from({ length: count }, () => newEvent(BEGIN));
    const { ids } = await t.store.acceptEvents(events, NOW - 2 * 60 * MIN);
    return { id: r.id, seqs: ids };
  }

  const counts = (buckets: { start: number; delivered: number }[]) =>
    buckets.map((b) => [(b.start - NOW) / MIN, b.delivered]);

  it('reads a final bucket once, and the recent ones on every load', async () => {
    const { id, seqs } = await lane(4);
    const [a, b, c, d] = seqs as [number, number, number, number];
    const cache = new ChartCache(t.store);
    const load = (now: number) => cache.buckets(id, HOUR, periodRange(HOUR, now), TIMEOUT, now);

    await t.store.markDelivered(head(id, a), ok(NOW - 30 * MIN));
    await t.store.markDelivered(head(id, b), ok(NOW - 10_000));
    expect(counts(await load(NOW))).toEqual([
      [-30.5, 1],
      [-0.5, 1],
    ]);

    // Written now into a bucket that was final: not read again (no attempt can land there
    // any more; this one is written only to show where the numbers come from).
    await t.store.markDelivered(head(id, c), ok(NOW - 30 * MIN + 1));
    // Into a recent bucket: read again.
    await t.store.markDelivered(head(id, d), ok(NOW - 5_000));
    expect(counts(await load(NOW + 1_000))).toEqual([
      [-30.5, 1],
      [-0.5, 2],
    ]);

    // An hour later the old buckets have left the period.
    expect(await load(NOW + 61 * MIN)).toEqual([]);
  });

  it('keeps a bucket open while an attempt that started in it may still be recorded', async () => {
    const { id, seqs } = await lane(2);
    const [a, b] = seqs as [number, number];
    const cache = new ChartCache(t.store);
    const load = (now: number) => cache.buckets(id, HOUR, periodRange(HOUR, now), TIMEOUT, now);
    const started = NOW - MIN - 30_000; // 09:29:00, in the bucket before the current one
    await t.store.markDelivered(head(id, a), ok(started));
    expect(counts(await load(NOW))).toEqual([[-1.5, 1]]);
    // Recorded later with its start time: still counted, the bucket was not final yet.
    await t.store.markDelivered(head(id, b), ok(started + 1));
    expect(counts(await load(NOW + 1_000))).toEqual([[-1.5, 2]]);
  });
});
