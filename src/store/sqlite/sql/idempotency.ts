/*
 * A key is stored once; an expired one (created at or before @expired) is taken over. A live
 * key already stored makes the upsert change nothing: the caller sees 0 changes and refuses.
 */
export const REMEMBER_KEY = `
INSERT INTO idempotency_keys (token_id, idem_key, fingerprint, status, body, created_at)
VALUES (@token_id, @key, @fingerprint, @status, @body, @now)
ON CONFLICT (token_id, idem_key) DO UPDATE SET
  fingerprint = excluded.fingerprint, status = excluded.status, body = excluded.body,
  created_at = excluded.created_at
WHERE idempotency_keys.created_at <= @expired`;

export const FIND_KEY = `
SELECT token_id, idem_key, fingerprint, status, body, created_at FROM idempotency_keys
WHERE token_id = ? AND idem_key = ?`;

export const PRUNE_KEYS = 'DELETE FROM idempotency_keys WHERE created_at < ?';
