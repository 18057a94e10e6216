/*
 * A key is stored once; an expired one (created at or before $7) is taken over. A live key
 * already stored makes the upsert change nothing: the caller sees rowCount 0 and refuses.
 */
export const REMEMBER_KEY = `
INSERT INTO idempotency_keys (token_id, idem_key, fingerprint, status, body, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (token_id, idem_key) DO UPDATE SET
  fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, body = EXCLUDED.body,
  created_at = EXCLUDED.created_at
WHERE idempotency_keys.created_at <= $7`;

export const FIND_KEY = `
SELECT token_id, idem_key, fingerprint, status, body, created_at FROM idempotency_keys
WHERE token_id = $1 AND idem_key = $2`;

export const PRUNE_KEYS = 'DELETE FROM idempotency_keys WHERE created_at < $1';
