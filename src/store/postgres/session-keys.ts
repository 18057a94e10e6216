import { type SessionKeyRow, toSessionKey } from '../session-key-rows.js';
import type {
  NewSessionKey,
  SessionKey,
  SessionKeyClaim,
  SessionKeyStore,
} from '../session-key-store.js';
import type { PostgresConnection } from './database.js';
import {
  CLAIM_SESSION_KEY,
  DELETE_EXPIRED_SESSION_KEYS,
  FIND_SESSION_KEY,
  INSERT_SESSION_KEY,
  RELEASE_SESSION_KEY,
} from './sql/session-keys.js';

/** The session_keys table in the shared database: a key made on one node starts on any. */
export class PostgresSessionKeyStore implements SessionKeyStore {
  constructor(private readonly conn: PostgresConnection) {}

  async create(key: NewSessionKey): Promise<boolean> {
    const rows = await this.conn.rows(INSERT_SESSION_KEY, [
      key.hash,
      key.externalKey,
      key.queue,
      key.createdBy,
      key.createdAt,
      key.expiresAt,
    ]);
    return rows.length === 1;
  }

  async claim(hash: string, lsid: string, now: number): Promise<SessionKeyClaim> {
    // The UPDATE's row lock decides a race: the loser re-reads the row, finds lsid set and
    // matches nothing. The reason for a failed claim is read afterwards, outside the claim.
    const [claimed] = await this.conn.rows<SessionKeyRow>(CLAIM_SESSION_KEY, [lsid, hash, now]);
    if (claimed !== undefined) return { outcome: 'claimed', key: toSessionKey(claimed) };
    const row = await this.find(hash);
    if (row === undefined) return { outcome: 'unknown' };
    return { outcome: row.lsid !== null ? 'used' : 'expired' };
  }

  async release(hash: string, lsid: string): Promise<void> {
    await this.conn.rows(RELEASE_SESSION_KEY, [hash, lsid]);
  }

  async find(hash: string): Promise<SessionKey | undefined> {
    return this.conn.first(FIND_SESSION_KEY, [hash], toSessionKey);
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.conn.pool().query(DELETE_EXPIRED_SESSION_KEYS, [now]);
    return result.rowCount ?? 0;
  }
}
