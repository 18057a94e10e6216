import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt from node:crypto rather than argon2: no native dependency to build. N = 2^15, r = 8
 * (32 MiB, ~100 ms a check) is OWASP's floor for scrypt; the parameters are stored with each
 * hash, so raising them later leaves older hashes readable.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;

/** Passwords shorter than this are refused when set. */
export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, params: typeof PARAMS): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** A reason the password cannot be used, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  return undefined;
}

/** Parameters of a hash; the defaults are the ones every password is set with. */
export type HashParams = typeof PARAMS;

/**
 * `scrypt$N$r$p$salt$key`, salt and key in base64url. `params` other than the defaults only
 * for tests, which sign in hundreds of times: a check reads the parameters stored with the hash.
 */
export async function hashPassword(password: string, params: HashParams = PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  const { N, r, p } = params;
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return false;
  const expected = Buffer.from(parts[5] as string, 'base64url');
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await derive(password, Buffer.from(parts[4] as string, 'base64url'), { N, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * Spends the time of a real check, so that a wrong user name answers no faster than a wrong
 * password (which would tell an attacker which names exist).
 */
let decoy: Promise<string> | undefined;
export async function verifyNothing(password: string): Promise<false> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await decoy);
  return false;
}
