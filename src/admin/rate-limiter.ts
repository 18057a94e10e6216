/**
 * Counts events per key in a sliding window (kept as the times of the recent events), in
 * memory: sign-in attempts per client address and per user name. The lasting lock-out of a
 * user lives in the store (AdminStore.recordSignInFailure); this one also covers names that
 * do not exist and addresses that try many names.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    /** Most events allowed per window. */
    readonly limit: number,
    readonly windowMs: number,
    /** Keys tracked at most: beyond, the oldest are forgotten (bounded memory). */
    private readonly maxKeys = 10_000,
  ) {}

  /** Milliseconds until `key` may try again, 0 when it may now. */
  retryAfter(key: string, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length < this.limit) return 0;
    return (recent[recent.length - this.limit] as number) + this.windowMs - now;
  }

  /** Counts one event of `key`. */
  hit(key: string, now: number): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.hits.delete(key);
    this.hits.set(key, recent);
    if (this.hits.size > this.maxKeys) {
      const oldest = this.hits.keys().next().value;
      if (oldest !== undefined) this.hits.delete(oldest);
    }
  }

  /** Forgets `key` (after a successful sign-in). */
  reset(key: string): void {
    this.hits.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const times = this.hits.get(key) ?? [];
    const from = times.findIndex((t) => t > now - this.windowMs);
    return from === -1 ? [] : from === 0 ? times : times.slice(from);
  }
}
