/*
 * The Reporting API's sessions, in lseq order, a page at a time (keyset on lseq). A window is
 * first narrowed to the lseq range of the sessions in it, read once through the index of its
 * times (sessions_created_at, or the partial sessions_ended_at: running sessions are not in
 * it); each page then walks the sessions_lseq index from the last lseq sent, so a page costs
 * its own rows whatever the size of the window or of the table.
 */

const COLUMNS = 'lsid, state, version, created_at, updated_at, ended_at, lseq';

/** The window's column, by kind; only these two texts ever reach the SQL. */
const TIME_COLUMN = { started: 'created_at', ended: 'ended_at' } as const;

/** $1 from, $2 before: the lseq range of the window's sessions (both null when it has none). */
export function windowBounds(kind: 'started' | 'ended'): string {
  const column = TIME_COLUMN[kind];
  return `
SELECT MIN(lseq) AS low, MAX(lseq) AS high FROM sessions
WHERE ${column} >= $1 AND ${column} < $2`;
}

/** $1 after, $2 high, $3 from, $4 before, $5 limit. */
export function windowPage(kind: 'started' | 'ended'): string {
  const column = TIME_COLUMN[kind];
  return `
SELECT ${COLUMNS} FROM sessions
WHERE lseq > $1 AND lseq <= $2 AND ${column} >= $3 AND ${column} < $4
ORDER BY lseq LIMIT $5`;
}

/** $1 lsids (text[]), $2 after, $3 limit. */
export const LSIDS_PAGE = `
SELECT ${COLUMNS} FROM sessions
WHERE lsid = ANY($1::text[]) AND lseq > $2
ORDER BY lseq LIMIT $3`;
