import { createHash } from 'node:crypto';
import type { AdminStore, AdminUser } from '../store/admin-store.js';
import { type BackoffPolicy, FailureBackoff } from './failure-backoff.js';
import { verifyNothing, verifyPassword } from './password.js';

/**
 * How failed sign-ins slow down whoever made them. Nothing here locks a user: an attacker's
 * failures never keep an administrator at another address out.
 */
export interface SignInPolicy {
  /** One address trying one name. Default: 3 free failures, then 1 s, 2 s, 4 s… up to 15 min. */
  perPair: BackoffPolicy;
  /** One address, whatever the names (spraying). Default: 10 free, then 1 s… up to 15 min. */
  perAddress: BackoffPolicy;
  /**
   * One name, whatever the addresses (guessing from many): applies only to addresses that have
   * failed themselves, so a botnet pays one fresh address per guess while the administrator,
   * from an address that has not failed, still signs in. Default: 10 free, then 1 s… 15 min.
   */
  perName: BackoffPolicy;
}

const backoff = (free: number): BackoffPolicy => ({
  free,
  baseMs: 1000,
  maxMs: 15 * 60_000,
  forgetMs: 60 * 60_000,
});

export const SIGN_IN_DEFAULTS = {
  perPair: backoff(3),
  perAddress: backoff(10),
  perName: backoff(10),
} satisfies SignInPolicy;

export type SignInResult =
  | { ok: true; user: AdminUser }
  | { ok: false; status: 401; message: string }
  | { ok: false; status: 429; message: string; retryAfterMs: number };

const WRONG = 'Wrong user name or password.';

function duration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

/**
 * Checks a password, after the waits that earlier failures impose (kept in memory, per node;
 * a restart forgets them). Names that do not exist are counted and answered exactly like names
 * that do, so that the answers tell nothing about who exists.
 */
export class SignIn {
  private readonly byPair: FailureBackoff;
  private readonly byAddress: FailureBackoff;
  private readonly byName: FailureBackoff;

  constructor(
    private readonly store: AdminStore,
    private readonly clock: () => number,
    policy: SignInPolicy = SIGN_IN_DEFAULTS,
  ) {
    this.byPair = new FailureBackoff(policy.perPair);
    this.byAddress = new FailureBackoff(policy.perAddress);
    this.byName = new FailureBackoff(policy.perName);
  }

  async attempt(name: string, password: string, address: string): Promise<SignInResult> {
    const now = this.clock();
    // Hashed: the posted name may be as long as the body limit, and up to 20,000 are kept.
    const nameKey = createHash('sha256').update(name.toLowerCase()).digest('base64url');
    const pairKey = `${address}\n${nameKey}`;
    const hasFailed = this.byAddress.count(address, now) > 0;
    const wait = Math.max(
      this.byPair.retryAfter(pairKey, now),
      this.byAddress.retryAfter(address, now),
      hasFailed ? this.byName.retryAfter(nameKey, now) : 0,
    );
    // Refused before the password is checked: a guess made while waiting tells nothing.
    if (wait > 0) {
      return {
        ok: false,
        status: 429,
        message: `Too many failed sign-ins: try again in ${duration(wait)}.`,
        retryAfterMs: wait,
      };
    }
    const user = await this.store.findUser(name);
    const ok =
      user === undefined
        ? await verifyNothing(password)
        : await verifyPassword(password, user.passwordHash);
    if (!ok || user === undefined) {
      this.byPair.fail(pairKey, now);
      this.byAddress.fail(address, now);
      this.byName.fail(nameKey, now);
      return { ok: false, status: 401, message: WRONG };
    }
    // Also clears a lock that an earlier version kept in the store.
    await this.store.recordSignInSuccess(user.id, now);
    this.byPair.reset(pairKey);
    return { ok: true, user };
  }
}
