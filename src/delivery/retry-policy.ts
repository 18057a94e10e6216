import type { PendingDelivery, Recipient } from '../types.js';

export type RetryDecision = { kind: 'retry'; at: number } | { kind: 'set-aside' };

/**
 * The shortest wait between two attempts at one head, whatever a recipient says or has stored:
 * the API's smallest retry interval (0.01 s). It keeps attempts per recipient bounded even for
 * a row written before the API checked the interval.
 */
export const MIN_RETRY_INTERVAL_MS = 10;

/**
 * What follows a failed attempt seen at `now`: the next attempt's time, or setting the head
 * aside once it has failed for the recipient's retry duration.
 *
 * The next attempt is never sooner than `now` + the retry interval (CONTRACT §6): that floor
 * holds against everything below, so a receiver answering `Retry-After: 0`, a date in the past
 * or an instant error gets one request per interval, not one per round trip.
 * - The delay doubles from the interval up to its cap, plus up to 10% jitter so that lanes to
 *   one host do not retry in step.
 * - A Retry-After replaces the backoff: it may lengthen the wait up to the cap, or shorten the
 *   backoff, never below the interval.
 * - The last retry is moved up to the deadline so that the set-aside happens on time, but not
 *   closer than the interval: when the deadline falls within it, the retry happens at the
 *   interval's end, and the head is set aside if that attempt fails too. So every failure is
 *   "retried after the retry interval", and a head is set aside only after failing for longer
 *   than the limit, at the first attempt past it.
 */
export function afterFailure(
  recipient: Pick<Recipient, 'retryIntervalMs' | 'retryMaxIntervalMs' | 'retryDurationMs'>,
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
  const interval = Math.ceil(Math.max(recipient.retryIntervalMs || 0, MIN_RETRY_INTERVAL_MS));
  const cap = Math.max(recipient.retryMaxIntervalMs || 0, interval);
  const failures = head.attempts + 1;
  const backoff = interval * 2 ** Math.min(failures - 1, 30);
  const asked = retryAfterMs === null || Number.isNaN(retryAfterMs) ? null : retryAfterMs;
  const delay =
    asked !== null ? Math.min(asked, cap) : Math.min(backoff * (1 + random() * 0.1), cap);
  const earliest = now + interval;
  const at = Math.min(now + Math.round(delay), deadline);
  return { kind: 'retry', at: Math.max(Math.ceil(at), earliest) };
}
