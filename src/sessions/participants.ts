import type { DetailParty, SessionMember, SessionRecord, SessionState } from './types.js';

/*
 * The participants as the reports name them: `gsnumber` is the member id (0 is the system),
 * the primary customer and representative, and how long each took part.
 */

/** A member as a detail event's `performed_by` or `destination`. */
export function partyOf(member: SessionMember): DetailParty {
  return { type: member.member.type, gsnumber: member.id, name: member.member.display_name };
}

/** The system as a detail event's party, named as the reports show it. */
export const systemParty = (name: string): DetailParty => ({ type: 'system', gsnumber: 0, name });

/** The first customer who joined. */
export function primaryCustomer(state: SessionState): SessionMember | undefined {
  return state.members.find((m) => m.member.type === 'customer');
}

/**
 * The representative who owns the session (owner `rep:<user_id>`; the first such member
 * present, else the first such member), else the first representative who joined.
 */
export function primaryRep(state: SessionState): SessionMember | undefined {
  const reps = state.members.filter((m) => m.member.type === 'representative');
  const owning = reps.filter(
    (m) =>
      m.member.type === 'representative' && state.owner.conference_id === `rep:${m.member.user_id}`,
  );
  return owning.find((m) => m.present) ?? owning[0] ?? reps[0];
}

/**
 * Seconds the member took part: until it left, else until the session ended, else until
 * `nowSeconds`. Members stored before join times were kept count from the session's start.
 */
export function secondsInvolved(
  member: SessionMember,
  record: Pick<SessionRecord, 'createdAt' | 'endedAt'>,
  nowSeconds: number,
): number {
  const joined = member.joinedAt ?? Math.floor(record.createdAt / 1000);
  const ended = record.endedAt === null ? undefined : Math.floor(record.endedAt / 1000);
  const left = member.leftAt ?? ended ?? nowSeconds;
  return Math.max(0, left - joined);
}
