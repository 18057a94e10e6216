import { hashPassword } from '../../src/credentials/password.js';

/**
 * A real scrypt hash at a cost tests can afford (N = 2^10, ~1 ms a check instead of ~100 ms):
 * the check reads the parameters stored with the hash, so sign-in runs its real code. Tests
 * that are about the cost itself use hashPassword's defaults.
 */
export function quickPasswordHash(password: string): Promise<string> {
  return hashPassword(password, { N: 2 ** 10, r: 8, p: 1 });
}
