/**
 * Which sessions a Reporting API report covers: its `lsid`/`lsids`, or a window of start or
 * end times. Times are milliseconds since the epoch; a window includes its start and excludes
 * its end (null: no end).
 */
export type SessionReportQuery =
  | { kind: 'lsids'; lsids: string[] }
  /** Sessions created in the window, those still running included (`start_date`/`start_time`). */
  | { kind: 'started'; from: number; before: number | null }
  /** Sessions that ended in the window; running ones never (`end_date`/`end_time`). */
  | { kind: 'ended'; from: number; before: number | null };

/** The largest `before` the queries compare with: a window with no end uses it. */
export const NO_END = Number.MAX_SAFE_INTEGER;
