/**
 * Idempotency for a receiver, keyed by `webhook-id` (an event's id, the same on every
 * delivery of it). Outbound delivers at least once: after a crash, a power cut or an
 * administrator's replay, an event the receiver already answered 200 may come again.
 *
 * - claimed: nobody handled this id yet; the caller runs the handler, then calls `complete`
 *   (success) or `release` (failure, so that Outbound's retry runs it again).
 * - seen: handled successfully before; answer 200 without running the handler.
 * - busy: another request is running the handler for this id right now (a retry that
 *   overtook a slow attempt); answer non-200 so that Outbound retries later.
 */
export type ClaimResult = 'claimed' | 'seen' | 'busy';

/** A store of handled ids. `claim` must be atomic: two concurrent claims never both win. */
export interface SeenStore {
  claim(id: string): ClaimResult | Promise<ClaimResult>;
  complete(id: string): void | Promise<void>;
  release(id: string): void | Promise<void>;
}

export interface SeenStoreOptions {
  /**
   * How long a handled id is remembered, in milliseconds. Default 7 days: beyond any power
   * cut recovery; an administrator's replay after that runs the handler again.
   */
  ttlMs?: number;
  /**
   * How long a claim holds while its handler runs, in milliseconds. Default 60 000. A claim
   * older than this is taken as abandoned (the process died mid-handler) and the next retry
   * runs the handler; keep it above your handler's longest run.
   */
  leaseMs?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

export const DEFAULT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const DEFAULT_LEASE_MS = 60_000;

export function positiveMs(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0)) throw new TypeError(`${name} must be a positive number of milliseconds`);
  return value;
}
