import type { Store } from '../store/store.js';
import { randomToken, sha256 } from './tokens.js';

/**
 * With no administrator at all, a one-time link (`/setup?token=…`) that creates the first
 * one; only the token's hash is stored, and it stays valid until used. Undefined when an
 * administrator exists.
 */
export async function setupLinkIfNoAdmin(
  store: Store,
  baseUrl: string,
  now = Date.now(),
): Promise<string | undefined> {
  if ((await store.admin.countUsers()) > 0) return undefined;
  const token = randomToken();
  await store.admin.createSetupToken(sha256(token), now);
  return `${baseUrl}/setup?token=${token}`;
}
