import type pg from 'pg';
import { type LaneFence, LeaseLostError } from '../cluster-store.js';
import { prepared } from './database.js';
import { LANE_HELD } from './sql/lane.js';

/** Sends one statement on whatever connection the caller uses (a pool, or a kept client). */
export type RunQuery = (query: pg.QueryConfig) => Promise<{ rowCount: number | null }>;

/**
 * One lane write, plain or, under `fence`, made only while the lane is still held with it.
 * Returns the rows changed; a fenced write that changed nothing because the lane moved to
 * another node throws LeaseLostError (one that found its delivery already moved on is no
 * error). `values` start with the recipient id; the fence's node and token follow them.
 */
export async function laneWrite(
  run: RunQuery,
  plain: string,
  withFence: string,
  values: unknown[],
  fence: LaneFence | undefined,
): Promise<number> {
  if (fence === undefined) return (await run(prepared(plain, values))).rowCount ?? 0;
  const changed = (await run(prepared(withFence, [...values, fence.node, fence.token]))).rowCount;
  if ((changed ?? 0) > 0) return changed as number;
  const recipientId = values[0] as number;
  const held = await run(prepared(LANE_HELD, [recipientId, fence.node, fence.token]));
  if ((held.rowCount ?? 0) === 0) throw new LeaseLostError(recipientId);
  return 0;
}
