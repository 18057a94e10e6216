/** How one kind of key is slowed down after failures. */
export interface BackoffPolicy {
  /** Failures that cost no wait: the `free`-th failure starts the delays. */
  free: number;
  /** The wait after the `free`-th failure; each further failure doubles it. */
  baseMs: number;
  /** The longest delay. */
  maxMs: number;
  /** A key's failures are forgotten once it has not failed for this long. */
  forgetMs: number;
}

interface Failures {
  count: number;
  last: number;
}

/**
 * Counts failures per key (a client address, an address with a user name, a user name) in
 * memory, and says how long a key must wait before its next try: nothing after the first few
 * failures, then a delay that doubles with each failure, up to `maxMs`. A try refused while
 * waiting is not a failure, so hammering does not make the wait grow, nor end sooner.
 *
 * Why not @fastify/rate-limit: it counts requests in an onRequest hook, before the outcome is
 * known (a right password would count as much as a wrong one) and before the body (no user
 * name to key on), and its window does not grow with each failure.
 */
export class FailureBackoff {
  private readonly failures = new Map<string, Failures>();

  constructor(
    readonly policy: BackoffPolicy,
    /** Keys tracked at most: beyond, the oldest are forgotten (bounded memory). */
    private readonly maxKeys = 10_000,
  ) {}

  /** Failures of `key` not yet forgotten. */
  count(key: string, now: number): number {
    return this.current(key, now)?.count ?? 0;
  }

  /** Milliseconds until `key` may try again, 0 when it may now. */
  retryAfter(key: string, now: number): number {
    const entry = this.current(key, now);
    if (entry === undefined) return 0;
    return Math.max(0, entry.last + this.delayAfter(entry.count) - now);
  }

  /** The wait that `count` failures impose, counted from the last one. */
  delayAfter(count: number): number {
    const { free, baseMs, maxMs } = this.policy;
    if (count < free) return 0;
    return Math.min(maxMs, baseMs * 2 ** Math.min(count - free, 40));
  }

  /** Counts one failure of `key`. */
  fail(key: string, now: number): void {
    const count = this.count(key, now) + 1;
    // Re-inserted, so that the map's first key is the one that failed longest ago.
    this.failures.delete(key);
    this.failures.set(key, { count, last: now });
    if (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  /** Keys tracked now (at most `maxKeys`). */
  get size(): number {
    return this.failures.size;
  }

  /** Forgets `key` (after a successful sign-in). */
  reset(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string, now: number): Failures | undefined {
    const entry = this.failures.get(key);
    if (entry === undefined) return undefined;
    if (now - entry.last < this.delayAfter(entry.count) + this.policy.forgetMs) return entry;
    this.failures.delete(key);
    return undefined;
  }
}
