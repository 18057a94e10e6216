const COLUMNS = 'hash, external_key, queue, created_by, created_at, expires_at, lsid';

/** A new key; a used or expired one with the same hash gives way, a live one does not. */
export const INSERT_SESSION_KEY = `
INSERT INTO session_keys (hash, external_key, queue, created_by, created_at, expires_at, lsid)
VALUES (?, ?, ?, ?, ?, ?, NULL)
ON CONFLICT (hash) DO UPDATE SET
  external_key = excluded.external_key, queue = excluded.queue,
  created_by = excluded.created_by, created_at = excluded.created_at,
  expires_at = excluded.expires_at, lsid = NULL
WHERE session_keys.lsid IS NOT NULL OR session_keys.expires_at <= excluded.created_at`;

export const CLAIM_SESSION_KEY = `
UPDATE session_keys SET lsid = ? WHERE hash = ? AND lsid IS NULL AND expires_at > ?
RETURNING ${COLUMNS}`;

export const RELEASE_SESSION_KEY =
  'UPDATE session_keys SET lsid = NULL WHERE hash = ? AND lsid = ?';

export const FIND_SESSION_KEY = `SELECT ${COLUMNS} FROM session_keys WHERE hash = ?`;

export const DELETE_EXPIRED_SESSION_KEYS = 'DELETE FROM session_keys WHERE expires_at <= ?';
