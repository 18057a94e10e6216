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

/** @from, @before: the lseq range of the window's sessions (both null when it has none). */
export function windowBounds(kind: 'started' | 'ended'): string {
  const column = TIME_COLUMN[kind];
  return `
SELECT MIN(lseq) AS low, MAX(lseq) AS high FROM sessions
WHERE ${column} >= @from AND ${column} < @before`;
}

/** @after, @high, @from, @before, @limit. */
export function windowPage(kind: 'started' | 'ended'): string {
  const column = TIME_COLUMN[kind];
  return `
SELECT ${COLUMNS} FROM sessions INDEXED BY sessions_lseq
WHERE lseq > @after AND lseq <= @high AND ${column} >= @from AND ${column} < @before
ORDER BY lseq LIMIT @limit`;
}

/** @lsids (a JSON array of lsids), @after, @limit. */
export const LSIDS_PAGE = `
SELECT ${COLUMNS} FROM sessions
WHERE lsid IN (SELECT value FROM json_each(@lsids)) AND lseq > @after
ORDER BY lseq LIMIT @limit`;
