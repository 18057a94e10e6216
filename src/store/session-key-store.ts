/**
 * Session keys made by the Command API's `generate_session_key`: what a session started with
 * the key will carry (its external key, the queue that owns it). Only the key's SHA-256 is
 * kept, so that a copy of the database does not hand out keys. A key starts one session: its
 * row records which, and a used or expired key starts none.
 */

export interface NewSessionKey {
  /** SHA-256 (hex) of the key as given to the caller. */
  hash: string;
  externalKey: string | null;
  /** The queue that will own the session: `general`, `rep:N` or `team:N`. */
  queue: string;
  /** The audit actor who asked for it. */
  createdBy: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionKey extends NewSessionKey {
  /** The session started with it; null while unused. */
  lsid: string | null;
}

/** What claiming a key found: the key, now the named session's, or why it cannot be used. */
export type SessionKeyClaim =
  | { outcome: 'claimed'; key: SessionKey }
  | { outcome: 'unknown' | 'used' | 'expired' };

export interface SessionKeyStore {
  /**
   * Stores a new key, in one durable transaction. False (and nothing stored) when a live
   * unused key has the same hash; a used or expired key with it is replaced.
   */
  create(key: NewSessionKey): Promise<boolean>;
  /**
   * Marks the key as used by `lsid` if it is unused and not expired at `now`, atomically: of
   * two claims racing for one key, one wins.
   */
  claim(hash: string, lsid: string, now: number): Promise<SessionKeyClaim>;
  /** Undoes a claim whose session could not be started: the key is unused again. */
  release(hash: string, lsid: string): Promise<void>;
  /** The key with this hash, used or not (tests and the admin pages). */
  find(hash: string): Promise<SessionKey | undefined>;
  /** Deletes keys that expired before `now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
}
