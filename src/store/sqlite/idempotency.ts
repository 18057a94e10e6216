import {
  type IdempotencyKeyRow,
  IdempotencyKeyTakenError,
  type IdempotencyStore,
  KEY_LIFETIME_MS,
  type KeyToRemember,
  type RememberedKey,
  toRememberedKey,
} from '../idempotency-store.js';
import type { SqliteConnection } from './database.js';
import { FIND_KEY, PRUNE_KEYS, REMEMBER_KEY } from './sql/idempotency.js';

/** The idempotency_keys table in the SQLite file, on the store's one connection. */
export class SqliteIdempotencyStore implements IdempotencyStore {
  constructor(private readonly conn: SqliteConnection) {}

  async find(tokenId: number, key: string): Promise<RememberedKey | undefined> {
    return this.conn.first(FIND_KEY, [tokenId, key], (row: IdempotencyKeyRow) =>
      toRememberedKey(row),
    );
  }

  async prune(cutoff: number): Promise<number> {
    return this.conn.transaction('NORMAL', () => this.conn.statement(PRUNE_KEYS).run(cutoff))
      .changes;
  }

  /**
   * Stores the keys; only inside the transaction that stores what they answer, so that both
   * are committed or neither. Throws IdempotencyKeyTakenError for a key already live.
   */
  rememberIn(keys: readonly KeyToRemember[], now: number): void {
    if (keys.length === 0) return;
    const statement = this.conn.statement(REMEMBER_KEY);
    for (const k of keys) {
      const { changes } = statement.run({
        token_id: k.tokenId,
        key: k.key,
        fingerprint: k.fingerprint,
        status: k.status,
        body: k.body,
        now,
        expired: now - KEY_LIFETIME_MS,
      });
      if (changes !== 1) throw new IdempotencyKeyTakenError(k.key);
    }
  }
}
