import type { AdminStore, AdminUser } from '../store/admin-store.js';
import { formatTime } from './format.js';
import { verifyNothing, verifyPassword } from './password.js';
import { RateLimiter } from './rate-limiter.js';

export interface SignInPolicy {
  /** Failed sign-ins in a row that lock a user. Default 5. */
  maxFailures: number;
  /** How long the lock lasts. Default 15 minutes. */
  lockMs: number;
  /** Failed sign-ins per client address in `windowMs`. Default 20. */
  perAddress: number;
  /**
   * Failed sign-ins per user name, existing or not, in `windowMs`: a name that does not exist
   * is "locked" like one that does. Default 5.
   */
  perName: number;
  /** Default 15 minutes. */
  windowMs: number;
}

export const SIGN_IN_DEFAULTS = {
  maxFailures: 5,
  lockMs: 15 * 60_000,
  perAddress: 20,
  perName: 5,
  windowMs: 15 * 60_000,
} satisfies SignInPolicy;

export type SignInResult =
  | { ok: true; user: AdminUser }
  | { ok: false; status: 401 | 429; message: string };

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

const WRONG = 'Wrong user name or password.';

/**
 * Checks a password, with two limits: failures per client address and per name, counted in
 * memory (they also cover names that do not exist), and the user's lock-out after failures
 * in a row, kept in the store (it outlives a restart and holds for every node).
 */
export class SignIn {
  private readonly byAddress: RateLimiter;
  private readonly byName: RateLimiter;

  constructor(
    private readonly store: AdminStore,
    private readonly clock: () => number,
    private readonly policy: SignInPolicy = SIGN_IN_DEFAULTS,
  ) {
    this.byAddress = new RateLimiter(policy.perAddress, policy.windowMs);
    this.byName = new RateLimiter(policy.perName, policy.windowMs);
  }

  async attempt(name: string, password: string, address: string): Promise<SignInResult> {
    const now = this.clock();
    const addressWait = this.byAddress.retryAfter(address, now);
    if (addressWait > 0) {
      return {
        ok: false,
        status: 429,
        message: `Too many failed sign-ins from your address: try again in ${minutes(addressWait)} min.`,
      };
    }
    // The same answer whether the name exists or not: a lock tells nothing about who exists.
    const nameWait = this.byName.retryAfter(name, now);
    if (nameWait > 0) return this.locked(now + nameWait, now);
    const user = await this.store.findUser(name);
    if (user?.lockedUntil != null && user.lockedUntil > now)
      return this.locked(user.lockedUntil, now);
    const ok =
      user === undefined
        ? await verifyNothing(password)
        : await verifyPassword(password, user.passwordHash);
    if (!ok || user === undefined) {
      this.byAddress.hit(address, now);
      this.byName.hit(name, now);
      if (user === undefined) {
        const wait = this.byName.retryAfter(name, now);
        if (wait > 0) return this.locked(now + wait, now);
      } else {
        const failure = await this.store.recordSignInFailure(
          user.id,
          now,
          this.policy.maxFailures,
          this.policy.lockMs,
        );
        if (failure?.lockedUntil != null && failure.lockedUntil > now)
          return this.locked(failure.lockedUntil, now);
      }
      return { ok: false, status: 401, message: WRONG };
    }
    await this.store.recordSignInSuccess(user.id, now);
    this.byName.reset(name);
    return { ok: true, user };
  }

  private locked(until: number, now: number): SignInResult {
    return {
      ok: false,
      status: 429,
      message: `This account is locked after ${this.policy.maxFailures} failed sign-ins in a row, until ${formatTime(until)} (${minutes(until - now)} min). Try again after that.`,
    };
  }
}
