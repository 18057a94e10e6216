import { createHash, randomBytes } from 'node:crypto';
import { UnauthorizedError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { ApiToken } from '../types.js';

/** Only the hash of a token is stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new API token: `obt_` and 32 random bytes, base64url. */
export function newToken(): string {
  return `obt_${randomBytes(32).toString('base64url')}`;
}

/** How long a checked token is trusted without asking the store again. */
const CACHE_MS = 5000;

/**
 * Checks bearer tokens. Results are cached for a few seconds so that ingest does not pay a
 * store round trip per request; a token revoked by another process stops working within
 * that time (at once when revoked through this process).
 */
export class TokenAuth {
  private readonly cache = new Map<string, { token: ApiToken | undefined; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: () => number = Date.now,
  ) {}

  async check(header: string | undefined): Promise<ApiToken> {
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) {
      throw new UnauthorizedError(
        'an API token is required: Authorization: Bearer <token> (create one with `outbound token create --name NAME`)',
      );
    }
    const hash = hashToken(match[1] as string);
    const now = this.clock();
    let entry = this.cache.get(hash);
    if (entry === undefined || entry.until < now) {
      if (this.cache.size > 10_000) this.cache.clear();
      entry = { token: await this.store.useToken(hash, now), until: now + CACHE_MS };
      this.cache.set(hash, entry);
    }
    if (entry.token === undefined)
      throw new UnauthorizedError('the API token is unknown or revoked');
    return entry.token;
  }

  forget(): void {
    this.cache.clear();
  }
}
