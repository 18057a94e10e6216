import type { PendingDelivery, Recipient } from '../types.js';

export type RetryDecision = { kind: 'retry'; at: number } | { kind: 'set-aside' };

/**
 * What follows a failed attempt at `now`: the next attempt's time, or setting the head aside
 * once it has failed for the recipient's retry duration. The delay doubles from the retry
 * interval up to its cap, plus up to 10% jitter so that lanes to one host do not retry in
 * step. A Retry-After from the recipient replaces the backoff, still within the cap. The
 * last retry is moved up to the deadline so that the set-aside happens on time.
 */
export function afterFailure(
  recipient: Recipient,
  head: Pick<PendingDelivery, 'attempts' | 'firstFailedAt'>,
  now: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): RetryDecision {
  const firstFailedAt = head.firstFailedAt ?? now;
  const deadline =
    recipient.retryDurationMs > 0
      ? firstFailedAt + recipient.retryDurationMs
      : Number.POSITIVE_INFINITY;
  if (now >= deadline) return { kind: 'set-aside' };
  const failures = head.attempts + 1;
  const cap = Math.max(recipient.retryMaxIntervalMs, recipient.retryIntervalMs);
  const backoff = recipient.retryIntervalMs * 2 ** Math.min(failures - 1, 30);
  const delay =
    retryAfterMs !== null
      ? Math.min(retryAfterMs, cap)
      : Math.min(backoff * (1 + random() * 0.1), cap);
  return { kind: 'retry', at: Math.min(now + Math.round(delay), deadline) };
}
