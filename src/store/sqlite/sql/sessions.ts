export const GET_SESSION = `
SELECT lsid, state, version, created_at, updated_at, ended_at FROM sessions WHERE lsid = ?`;

export const INSERT_SESSION = `
INSERT INTO sessions (lsid, state, version, created_at, updated_at, ended_at)
VALUES (@lsid, @state, 1, @now, @now, @ended_at)`;

/** Only from the version read: a lost update fails loudly instead of passing unnoticed. */
export const UPDATE_SESSION = `
UPDATE sessions SET state = @state, version = version + 1, updated_at = @now, ended_at = @ended_at
WHERE lsid = @lsid AND version = @version`;
