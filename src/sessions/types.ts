import type { Member } from '../events/index.js';

/** Who owns a session: a representative (`rep:12`), a team (`team:5`) or `general`. */
export interface Owner {
  conference_id: string;
  conference_name: string;
}

/** Everyone who ever joined stays listed, in join order; `present` is false once departed. */
export interface SessionMember {
  /** 1, 2, 3… in join order, per session: the `memberId` of the API. */
  id: number;
  member: Member;
  present: boolean;
}

export type SurveyParty = 'customer' | 'representative';

/**
 * One support session as the rules see it. Plain JSON, so that the store keeps it as it is;
 * the rules never change a state in place, they return a new one.
 */
export interface SessionState {
  /** The Logging Session ID: every event of the session carries it. */
  lsid: string;
  /** Carried by every event from its assignment on; null until then. */
  externalKey: string | null;
  owner: Owner;
  members: SessionMember[];
  ended: boolean;
  /** Which exit surveys were submitted. */
  surveys: Record<SurveyParty, boolean>;
}

/** A session as stored; times in milliseconds since the epoch. */
export interface SessionRecord {
  state: SessionState;
  /** 1 when created, one more with each stored change. */
  version: number;
  createdAt: number;
  updatedAt: number;
  endedAt: number | null;
}
