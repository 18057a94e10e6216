import type { DeliveryBucket } from './store.js';

/** A row of DELIVERY_BUCKETS, the same in both backends. */
export interface BucketRow {
  start: number;
  delivered: number;
  mean: number | null;
  longest: number | null;
  failed: number;
}

export const toBucket = (row: BucketRow): DeliveryBucket => ({
  start: row.start,
  delivered: row.delivered,
  meanLatencyMs: row.mean,
  maxLatencyMs: row.longest,
  failedAttempts: row.failed,
});
