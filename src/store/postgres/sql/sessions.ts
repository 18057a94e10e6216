export const GET_SESSION = `
SELECT lsid, state, version, created_at, updated_at, ended_at, lseq FROM sessions WHERE lsid = $1`;

/** $1 lsid, $2 state, $3 now, $4 ended_at; lseq from its sequence (the column's default). */
export const INSERT_SESSION = `
INSERT INTO sessions (lsid, state, version, created_at, updated_at, ended_at)
VALUES ($1, $2, 1, $3, $3, $4)
RETURNING lseq`;

/** Only from the version read ($5): a lost update fails loudly instead of passing unnoticed. */
export const UPDATE_SESSION = `
UPDATE sessions SET state = $2, version = version + 1, updated_at = $3, ended_at = $4
WHERE lsid = $1 AND version = $5`;
