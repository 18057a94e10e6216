import type { DeliveryBucket, Store } from '../store/store.js';
import type { Recipient } from '../types.js';
import { chartCacheOf } from './chart-cache.js';

/** A span of a recipient's chart: `count` buckets of `bucketMs`, the last one holding now. */
export interface ChartPeriod {
  key: 'hour' | 'day';
  title: string;
  /** How one bar reads, e.g. "per minute". */
  unit: string;
  bucketMs: number;
  count: number;
}

export const CHART_PERIODS: readonly ChartPeriod[] = [
  { key: 'hour', title: 'Last hour', unit: 'per minute', bucketMs: 60_000, count: 60 },
  { key: 'day', title: 'Last day', unit: 'per 15 minutes', bucketMs: 900_000, count: 96 },
];

export interface ChartData {
  period: ChartPeriod;
  /** Every bucket of the period, oldest first, empty ones included. */
  buckets: DeliveryBucket[];
}

/**
 * Buckets start on whole minutes / quarter hours (UTC), so that a bar keeps its place between
 * two loads of the page; the last one is the bucket in progress.
 */
export function periodRange(period: ChartPeriod, now: number): { from: number; to: number } {
  const to = (Math.floor(now / period.bucketMs) + 1) * period.bucketMs;
  return { from: to - period.count * period.bucketMs, to };
}

/** The store returns only buckets with activity; the chart draws every one. */
export function fillBuckets(
  period: ChartPeriod,
  from: number,
  found: readonly DeliveryBucket[],
): DeliveryBucket[] {
  const byStart = new Map(found.map((b) => [b.start, b]));
  return Array.from({ length: period.count }, (_, i) => {
    const start = from + i * period.bucketMs;
    return (
      byStart.get(start) ?? {
        start,
        delivered: 0,
        meanLatencyMs: null,
        maxLatencyMs: null,
        failedAttempts: 0,
      }
    );
  });
}

/** The recipient's last hour and last day, for its page. */
export async function loadDeliveryCharts(
  store: Store,
  recipient: Pick<Recipient, 'id' | 'timeoutMs'>,
  now: number,
): Promise<ChartData[]> {
  const cache = chartCacheOf(store);
  return Promise.all(
    CHART_PERIODS.map(async (period) => {
      const range = periodRange(period, now);
      const found = await cache.buckets(recipient.id, period, range, recipient.timeoutMs, now);
      return { period, buckets: fillBuckets(period, range.from, found) };
    }),
  );
}
