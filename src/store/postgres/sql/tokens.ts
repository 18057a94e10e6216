export const INSERT_TOKEN = `
INSERT INTO api_tokens (name, hash, created_at) VALUES ($1, $2, $3)
RETURNING id, name, created_at, last_used_at, revoked_at`;

export const USE_TOKEN = `
UPDATE api_tokens SET last_used_at = $1 WHERE hash = $2 AND revoked_at IS NULL
RETURNING id, name, created_at, last_used_at, revoked_at`;

export const LIST_TOKENS = `
SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY id`;

export const REVOKE_TOKEN = `
UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`;
