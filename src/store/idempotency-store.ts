/**
 * Idempotency keys of the API (`Idempotency-Key` on POST /api/v1/events and the session
 * calls): the first successful answer to a key, kept per API token for KEY_LIFETIME_MS, so
 * that a retried request gets that answer again instead of storing its events twice. A key's
 * row is written in the same transaction as what the request stores (acceptEvents,
 * changeSession), so a crash never leaves one without the other.
 */

/** How long a key is remembered; older keys are ignored and pruned by the retention job. */
export const KEY_LIFETIME_MS = 24 * 3600 * 1000;

/** The answer remembered for a key. */
export interface KeyAnswer {
  status: number;
  /** The JSON body as sent. */
  body: string;
}

/** A key to store with a write, in its transaction. */
export interface KeyToRemember extends KeyAnswer {
  /** The API token the key belongs to: keys of different tokens never collide. */
  tokenId: number;
  key: string;
  /** What the request was (method, path, canonical body), hashed: a reuse must match it. */
  fingerprint: string;
}

export interface RememberedKey extends KeyToRemember {
  createdAt: number;
}

export interface IdempotencyStore {
  /** The key as stored, however old (the caller decides whether it still counts). */
  find(tokenId: number, key: string): Promise<RememberedKey | undefined>;
  /** Deletes keys stored before `cutoff`; returns how many. */
  prune(cutoff: number): Promise<number>;
}

/**
 * Thrown inside a write when its key is already stored and still live (another process, or a
 * request this process did not see in flight, committed it first): the write stores nothing.
 */
export class IdempotencyKeyTakenError extends Error {
  readonly code = 'OUTBOUND_IDEMPOTENCY_KEY_TAKEN';
  constructor(readonly key: string) {
    super(`Idempotency-Key "${key}" was stored by another request meanwhile`);
    this.name = 'IdempotencyKeyTakenError';
  }
}

/** Row of idempotency_keys, as both backends read it. */
export interface IdempotencyKeyRow {
  token_id: number | string;
  idem_key: string;
  fingerprint: string;
  status: number;
  body: string;
  created_at: number | string;
}

export function toRememberedKey(row: IdempotencyKeyRow): RememberedKey {
  return {
    tokenId: Number(row.token_id),
    key: row.idem_key,
    fingerprint: row.fingerprint,
    status: Number(row.status),
    body: row.body,
    createdAt: Number(row.created_at),
  };
}
