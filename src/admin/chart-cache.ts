import type { DeliveryBucket, Store } from '../store/store.js';
import type { ChartPeriod } from './delivery-chart.js';

/** Beyond the request time-out: commit delay, and clocks of other nodes a little behind. */
const SETTLE_MARGIN_MS = 60_000;

interface Settled {
  /** Buckets before this are final and kept in `buckets`. */
  until: number;
  buckets: DeliveryBucket[];
}

/**
 * The buckets of a recipient's chart that can no longer change, kept between page loads: the
 * query costs about a microsecond per delivery in the period, and on SQLite it runs on the
 * thread that also drives every lane, so a busy recipient's day must not be read again on
 * every visit. A bucket is final once no attempt that started in it can still be recorded:
 * an attempt is recorded at its start, at most the recipient's time-out before it ends.
 * (A later replay does not unsay a delivery that happened; it is counted again when it is
 * delivered again, in its own bucket.)
 */
export class ChartCache {
  private readonly settled = new Map<string, Settled>();

  constructor(private readonly store: Store) {}

  /** Every bucket with activity in [from, to), the final ones from memory. */
  async buckets(
    recipientId: number,
    period: ChartPeriod,
    range: { from: number; to: number },
    timeoutMs: number,
    now: number,
  ): Promise<DeliveryBucket[]> {
    const key = `${recipientId}:${period.key}`;
    const known = this.settled.get(key);
    const queryFrom = known !== undefined && known.until > range.from ? known.until : range.from;
    const fresh = await this.store.deliveryBuckets(recipientId, {
      from: queryFrom,
      to: range.to,
      bucketMs: period.bucketMs,
    });
    const kept = known === undefined ? [] : known.buckets.filter((b) => b.start >= range.from);
    const all = [...kept.filter((b) => b.start < queryFrom), ...fresh];
    const settledEnd = now - timeoutMs - SETTLE_MARGIN_MS;
    const until = Math.max(
      queryFrom,
      Math.min(range.to, Math.floor(settledEnd / period.bucketMs) * period.bucketMs),
    );
    this.settled.set(key, { until, buckets: all.filter((b) => b.start < until) });
    return all;
  }
}

/** One cache per store, so that the routes need no new wiring and tests stay apart. */
const caches = new WeakMap<Store, ChartCache>();

export function chartCacheOf(store: Store): ChartCache {
  let cache = caches.get(store);
  if (cache === undefined) {
    cache = new ChartCache(store);
    caches.set(store, cache);
  }
  return cache;
}
