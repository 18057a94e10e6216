import { type SessionKeyRow, toSessionKey } from '../session-key-rows.js';
import type {
  NewSessionKey,
  SessionKey,
  SessionKeyClaim,
  SessionKeyStore,
} from '../session-key-store.js';
import type { SqliteConnection } from './database.js';
import {
  CLAIM_SESSION_KEY,
  DELETE_EXPIRED_SESSION_KEYS,
  FIND_SESSION_KEY,
  INSERT_SESSION_KEY,
  RELEASE_SESSION_KEY,
} from './sql/session-keys.js';

/** The session_keys table in the SQLite file, on the store's one connection. */
export class SqliteSessionKeyStore implements SessionKeyStore {
  constructor(private readonly conn: SqliteConnection) {}

  async create(key: NewSessionKey): Promise<boolean> {
    const statement = this.conn.statement(INSERT_SESSION_KEY);
    const { changes } = this.conn.transaction('FULL', () =>
      statement.run(
        key.hash,
        key.externalKey,
        key.queue,
        key.createdBy,
        key.createdAt,
        key.expiresAt,
      ),
    );
    return changes === 1;
  }

  async claim(hash: string, lsid: string, now: number): Promise<SessionKeyClaim> {
    const claim = this.conn.statement(CLAIM_SESSION_KEY);
    const find = this.conn.statement(FIND_SESSION_KEY);
    // One transaction: the claim and, when it fails, the reason read from the same state.
    return this.conn.transaction('FULL', (): SessionKeyClaim => {
      const claimed = claim.get(lsid, hash, now) as SessionKeyRow | undefined;
      if (claimed !== undefined) return { outcome: 'claimed', key: toSessionKey(claimed) };
      const row = find.get(hash) as SessionKeyRow | undefined;
      if (row === undefined) return { outcome: 'unknown' };
      return { outcome: row.lsid !== null ? 'used' : 'expired' };
    });
  }

  async release(hash: string, lsid: string): Promise<void> {
    const statement = this.conn.statement(RELEASE_SESSION_KEY);
    this.conn.transaction('FULL', () => statement.run(hash, lsid));
  }

  async find(hash: string): Promise<SessionKey | undefined> {
    return this.conn.first(FIND_SESSION_KEY, [hash], toSessionKey);
  }

  async deleteExpired(now: number): Promise<number> {
    const statement = this.conn.statement(DELETE_EXPIRED_SESSION_KEYS);
    return this.conn.transaction('NORMAL', () => statement.run(now)).changes;
  }
}
