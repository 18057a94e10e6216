import { createHash } from 'node:crypto';
import { type BackoffPolicy, FailureBackoff } from './failure-backoff.js';

/**
 * How failed attempts at a credential (a user's password, an API client's secret) slow down
 * whoever made them. Nothing here locks a name: an attacker's failures never keep its owner,
 * at another address, out.
 */
export interface ThrottlePolicy {
  /** One address trying one name. Default: 3 free failures, then 1 s, 2 s, 4 s… up to 15 min. */
  perPair: BackoffPolicy;
  /** One address, whatever the names (spraying). Default: 10 free, then 1 s… up to 15 min. */
  perAddress: BackoffPolicy;
  /**
   * One name, whatever the addresses (guessing from many): applies only to addresses that have
   * failed themselves, so a botnet pays one fresh address per guess while the owner, from an
   * address that has not failed, still gets in. Default: 10 free, then 1 s… 15 min.
   */
  perName: BackoffPolicy;
}

const backoff = (free: number): BackoffPolicy => ({
  free,
  baseMs: 1000,
  maxMs: 15 * 60_000,
  forgetMs: 60 * 60_000,
});

export const FAILED_ATTEMPT_DEFAULTS = {
  perPair: backoff(3),
  perAddress: backoff(10),
  perName: backoff(10),
} satisfies ThrottlePolicy;

/** A wait as a person reads it: `12 s`, `4 min`. */
export function waitText(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

/**
 * Counts failed attempts by address, by name (a user name, a client id) and by the two
 * together, in memory and per node (a restart forgets them), and says how long a new attempt
 * must wait. The caller refuses an attempt that must wait before checking its credential, so
 * that a guess made while waiting tells nothing. Memory is bounded: each count keeps at most
 * `maxKeys` keys, names hashed (a posted name may be as long as the body limit).
 */
export class CredentialThrottle {
  private readonly byPair: FailureBackoff;
  private readonly byAddress: FailureBackoff;
  private readonly byName: FailureBackoff;

  constructor(policy: ThrottlePolicy = FAILED_ATTEMPT_DEFAULTS, maxKeys = 10_000) {
    this.byPair = new FailureBackoff(policy.perPair, maxKeys);
    this.byAddress = new FailureBackoff(policy.perAddress, maxKeys);
    this.byName = new FailureBackoff(policy.perName, maxKeys);
  }

  /** Milliseconds before `address` may try `name` again, 0 when it may now. */
  wait(name: string, address: string, now: number): number {
    const nameKey = keyOf(name);
    const hasFailed = this.byAddress.count(address, now) > 0;
    return Math.max(
      this.byPair.retryAfter(`${address}\n${nameKey}`, now),
      this.byAddress.retryAfter(address, now),
      hasFailed ? this.byName.retryAfter(nameKey, now) : 0,
    );
  }

  /** Counts a failed attempt (a wrong credential, or a name that does not exist). */
  fail(name: string, address: string, now: number): void {
    const nameKey = keyOf(name);
    this.byPair.fail(`${address}\n${nameKey}`, now);
    this.byAddress.fail(address, now);
    this.byName.fail(nameKey, now);
  }

  /** Forgets the pair's failures after a success (the address's and the name's remain). */
  succeed(name: string, address: string): void {
    this.byPair.reset(`${address}\n${keyOf(name)}`);
  }

  /** Keys held in memory, in all three counts. */
  tracked(): number {
    return this.byPair.size + this.byAddress.size + this.byName.size;
  }
}

/** Names compared without case, as the admin's user names are. */
function keyOf(name: string): string {
  return createHash('sha256').update(name.toLowerCase()).digest('base64url');
}
