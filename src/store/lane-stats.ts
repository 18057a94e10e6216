import type { LaneStats } from '../types.js';

/** A row of LANE_STATS, the same on both backends. */
export interface LaneStatsRow {
  recipient_id: number;
  pending: number;
  oldest: number | null;
  failed: number;
}

export const toLaneStats = (row: LaneStatsRow): LaneStats => ({
  recipientId: row.recipient_id,
  pending: row.pending,
  oldestPendingAt: row.oldest,
  failed: row.failed,
});
