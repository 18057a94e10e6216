import type { LaneStatus } from '../delivery/index.js';
import type { LaneStats, Recipient } from '../types.js';

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

/**
 * Where a recipient's deliveries stand: its state, its queue, its lane's last outcomes. The
 * API shows it as a recipient's `status`; the admin pages build their rows from it.
 */
export function recipientStatus(
  r: Pick<Recipient, 'enabled' | 'paused'>,
  stats: LaneStats | undefined,
  lane: LaneStatus | undefined,
  now: number,
) {
  return {
    state: !r.enabled ? 'disabled' : r.paused ? 'paused' : (lane?.state ?? 'idle'),
    queued: stats?.pending ?? 0,
    failed: stats?.failed ?? 0,
    oldestPendingAgeSeconds:
      stats?.oldestPendingAt == null ? null : Math.max(0, (now - stats.oldestPendingAt) / 1000),
    nextAttemptAt: iso(lane?.nextAttemptAt),
    lastSuccessAt: iso(lane?.lastSuccessAt),
    lastFailureAt: iso(lane?.lastFailureAt),
    lastError: lane?.lastError ?? null,
  };
}

export type RecipientStatus = ReturnType<typeof recipientStatus>;
