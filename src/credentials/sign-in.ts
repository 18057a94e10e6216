import type { AdminStore, AdminUser } from '../store/admin-store.js';
import {
  CredentialThrottle,
  FAILED_ATTEMPT_DEFAULTS,
  type ThrottlePolicy,
  waitText,
} from './credential-throttle.js';
import { verifyNothing, verifyPassword } from './password.js';

/** How failed sign-ins slow down whoever made them (names are user names). */
export type SignInPolicy = ThrottlePolicy;

export const SIGN_IN_DEFAULTS = FAILED_ATTEMPT_DEFAULTS satisfies SignInPolicy;

export type SignInResult =
  | { ok: true; user: AdminUser }
  | { ok: false; status: 401; message: string }
  | { ok: false; status: 429; message: string; retryAfterMs: number };

const WRONG = 'Wrong user name or password.';

/**
 * Checks a password, after the waits that earlier failures impose (kept in memory, per node;
 * a restart forgets them). Names that do not exist are counted and answered exactly like names
 * that do, so that the answers tell nothing about who exists.
 */
export class SignIn {
  private readonly throttle: CredentialThrottle;

  constructor(
    private readonly store: AdminStore,
    private readonly clock: () => number,
    policy: SignInPolicy = SIGN_IN_DEFAULTS,
  ) {
    this.throttle = new CredentialThrottle(policy);
  }

  async attempt(name: string, password: string, address: string): Promise<SignInResult> {
    const now = this.clock();
    const wait = this.throttle.wait(name, address, now);
    // Refused before the password is checked: a guess made while waiting tells nothing.
    if (wait > 0) {
      return {
        ok: false,
        status: 429,
        message: `Too many failed sign-ins: try again in ${waitText(wait)}.`,
        retryAfterMs: wait,
      };
    }
    const user = await this.store.findUser(name);
    const ok =
      user === undefined
        ? await verifyNothing(password)
        : await verifyPassword(password, user.passwordHash);
    if (!ok || user === undefined) {
      this.throttle.fail(name, address, now);
      return { ok: false, status: 401, message: WRONG };
    }
    // Also clears a lock that an earlier version kept in the store.
    await this.store.recordSignInSuccess(user.id, now);
    this.throttle.succeed(name, address);
    return { ok: true, user };
  }
}
