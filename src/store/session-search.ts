import type { Owner, SessionMember } from '../sessions/index.js';

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

/**
 * A session as the list shows it: its times, key, owner and members, without the chat, notes
 * and other detail events, which the database leaves unread. A page of them stays small
 * however long its sessions' transcripts are.
 */
export interface SessionSummary {
  lsid: string;
  lseq: number;
  /** ms since the epoch. */
  createdAt: number;
  endedAt: number | null;
  ended: boolean;
  externalKey: string | null;
  owner: Owner;
  members: SessionMember[];
}

/** A row as the search reads it: owner and members as JSON text, `ended` as the backend has it. */
export interface SessionSummaryRow {
  lsid: string;
  lseq: number | string;
  created_at: number;
  ended_at: number | null;
  ended: number | boolean | string | null;
  external_key: string | null;
  owner: string;
  members: string | null;
}

export function toSessionSummary(row: SessionSummaryRow): SessionSummary {
  return {
    lsid: row.lsid,
    lseq: Number(row.lseq),
    createdAt: Number(row.created_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    // SQLite's json_extract gives 1/0, PostgreSQL's ->> 'true'/'false'.
    ended: row.ended === 1 || row.ended === true || row.ended === 'true',
    externalKey: row.external_key,
    owner: JSON.parse(row.owner) as Owner,
    members: row.members === null ? [] : (JSON.parse(row.members) as SessionMember[]),
  };
}
