export const GET_SESSION = `
SELECT lsid, state, version, created_at, updated_at, ended_at, lseq FROM sessions WHERE lsid = ?`;

/** The next lseq, in the transaction that inserts the session: never handed out twice. */
export const NEXT_LSEQ = `UPDATE session_lseq SET last = last + 1 WHERE id = 1 RETURNING last`;

export const INSERT_SESSION = `
INSERT INTO sessions (lsid, state, version, created_at, updated_at, ended_at, lseq)
VALUES (@lsid, @state, 1, @now, @now, @ended_at, @lseq)`;

/** Only from the version read: a lost update fails loudly instead of passing unnoticed. */
export const UPDATE_SESSION = `
UPDATE sessions SET state = @state, version = version + 1, updated_at = @now, ended_at = @ended_at
WHERE lsid = @lsid AND version = @version`;
