import { normalizeState, type SessionRecord, type SessionState } from '../sessions/index.js';
import type { SessionUpdate } from './store.js';

/** A row of the sessions table, the same on both backends. */
export interface SessionRow {
  lsid: string;
  state: string;
  version: number;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
  lseq: number;
}

export function toSessionRecord(row: SessionRow): SessionRecord {
  return {
    state: normalizeState(JSON.parse(row.state) as SessionState),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at,
    lseq: row.lseq,
  };
}

/** What a session change stores: the decision of `update`, and the record it makes. */
export interface SessionStep<T> {
  /** What `update` returned: the new state, its events, the caller's result. */
  decided: ReturnType<SessionUpdate<T>>;
  /**
   * The record as stored by the change (its version one above the one read). A new session's
   * lseq is 0 here: the backend assigns it on insert (`withLseq`).
   */
  session: SessionRecord;
  /** The state as the `state` column keeps it. */
  stateText: string;
}

/**
 * Runs a session change's `update` on the record read (undefined: none yet) and builds the
 * record to store. The session keeps its lsid, and its end time once it has one. Both
 * backends call this inside the transaction that then writes the record and its events.
 */
export function nextSession<T>(
  lsid: string,
  current: SessionRecord | undefined,
  update: SessionUpdate<T>,
  now: number,
): SessionStep<T> {
  const decided = update(current);
  if (decided.state.lsid !== lsid) throw new Error(`session ${lsid} changed its lsid`);
  const session: SessionRecord = {
    state: decided.state,
    version: (current?.version ?? 0) + 1,
    createdAt: current?.createdAt ?? now,
    updatedAt: now,
    endedAt: current?.endedAt ?? (decided.state.ended ? now : null),
    lseq: current?.lseq ?? 0,
  };
  return { decided, session, stateText: JSON.stringify(decided.state) };
}

/** The step's record with the lseq its insert was given. */
export function withLseq<T>(step: SessionStep<T>, lseq: number): SessionStep<T> {
  return { ...step, session: { ...step.session, lseq } };
}

/** An update from the version read changed no row: another change got in first. */
export const concurrentChange = (lsid: string) =>
  new Error(`session ${lsid} was changed concurrently`);
