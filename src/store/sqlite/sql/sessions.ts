import type { SessionRecord, SessionState } from '../../../sessions/index.js';

export const GET_SESSION = `
SELECT lsid, state, version, created_at, updated_at, ended_at FROM sessions WHERE lsid = ?`;

export const INSERT_SESSION = `
INSERT INTO sessions (lsid, state, version, created_at, updated_at, ended_at)
VALUES (@lsid, @state, 1, @now, @now, @ended_at)`;

/** Only from the version read: a lost update fails loudly instead of passing unnoticed. */
export const UPDATE_SESSION = `
UPDATE sessions SET state = @state, version = version + 1, updated_at = @now, ended_at = @ended_at
WHERE lsid = @lsid AND version = @version`;

export interface SessionRow {
  lsid: string;
  state: string;
  version: number;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
}

export function toSessionRecord(row: SessionRow): SessionRecord {
  return {
    state: JSON.parse(row.state) as SessionState,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at,
  };
}
