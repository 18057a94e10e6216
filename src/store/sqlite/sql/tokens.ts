export const INSERT_TOKEN = `
INSERT INTO api_tokens (name, hash, created_at) VALUES (?, ?, ?)
RETURNING id, name, created_at, last_used_at, revoked_at`;

export const USE_TOKEN = `
UPDATE api_tokens SET last_used_at = ? WHERE hash = ? AND revoked_at IS NULL
RETURNING id, name, created_at, last_used_at, revoked_at`;

/** The live token with this hash, its use not recorded: when the store cannot be written. */
export const FIND_LIVE_TOKEN = `
SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens
WHERE hash = ? AND revoked_at IS NULL`;

export const LIST_TOKENS = `
SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY id`;

export const REVOKE_TOKEN = `
UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`;
