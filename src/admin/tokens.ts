import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh unguessable token: 32 random bytes, base64url. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** Only this is stored for session and setup tokens. */
export const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Compares two secrets in constant time (for their length). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
