import type { SessionRecord } from '../sessions/index.js';
import { type SessionRow, toSessionRecord } from './session-records.js';

/**
 * The admin's Reports → Support sessions search, newest first (by lseq), a page at a time.
 * Only the criteria given filter. Names match as substrings, ignoring the case of ASCII letters
 * (the databases' lower(); other letters match as typed).
 */
export interface SessionSearch {
  /** Started (created_at, ms) at or after `from`, at or before `to`. */
  from?: number;
  to?: number;
  /** A substring of a representative's display name or username. */
  representative?: string;
  /** A substring of a customer's display name. */
  customer?: string;
  /** The session's external key: equal to it, or beginning with it when `externalKeyPrefix`. */
  externalKey?: string;
  externalKeyPrefix?: boolean;
  /** The next page: sessions numbered below this lseq. */
  beforeLseq?: number;
  limit: number;
}

/** A sessions row as the search reads it: with its lseq. */
export interface SessionSearchRow extends SessionRow {
  lseq: number;
}

/** The record of a row the search read, its lseq included. */
export const toFoundSession = (row: SessionSearchRow): SessionRecord => ({
  ...toSessionRecord(row),
  lseq: Number(row.lseq),
});
