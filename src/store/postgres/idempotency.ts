import {
  type IdempotencyKeyRow,
  IdempotencyKeyTakenError,
  type IdempotencyStore,
  KEY_LIFETIME_MS,
  type KeyToRemember,
  type RememberedKey,
  toRememberedKey,
} from '../idempotency-store.js';
import type { PostgresConnection, Queryable } from './database.js';
import { FIND_KEY, PRUNE_KEYS, REMEMBER_KEY } from './sql/idempotency.js';

/** The idempotency_keys table in the shared database: a key stored on one node counts on all. */
export class PostgresIdempotencyStore implements IdempotencyStore {
  constructor(private readonly conn: PostgresConnection) {}

  async find(tokenId: number, key: string): Promise<RememberedKey | undefined> {
    return this.conn.first(FIND_KEY, [tokenId, key], (row: IdempotencyKeyRow) =>
      toRememberedKey(row),
    );
  }

  async prune(cutoff: number): Promise<number> {
    const result = await this.conn.pool().query(PRUNE_KEYS, [cutoff]);
    return result.rowCount ?? 0;
  }

  /**
   * Stores the keys on `client`, inside the transaction that stores what they answer (which
   * holds the acceptance lock: two nodes storing one key are serialized, and the second sees
   * the first's row). Throws IdempotencyKeyTakenError for a key already live.
   */
  async rememberIn(client: Queryable, keys: readonly KeyToRemember[], now: number): Promise<void> {
    for (const k of keys) {
      const result = await client.query(REMEMBER_KEY, [
        k.tokenId,
        k.key,
        k.fingerprint,
        k.status,
        k.body,
        now,
        now - KEY_LIFETIME_MS,
      ]);
      if (result.rowCount !== 1) throw new IdempotencyKeyTakenError(k.key);
    }
  }
}
