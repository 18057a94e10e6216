import type { EventName, Member, OutboundEvent, RepresentativeMember } from '../events/index.js';
import { SessionError } from './errors.js';
import type { Owner, SessionMember, SessionState, SurveyParty } from './types.js';

/** The owner of a new session unless one is given: the general queue. */
export const GENERAL: Owner = { conference_id: 'general', conference_name: 'General' };

/** One step of a session's activity, as the API reports it. */
export type SessionAction =
  | { kind: 'external-key'; externalKey: string }
  | { kind: 'owner'; owner: Owner }
  | { kind: 'add-member'; member: Member }
  | { kind: 'remove-member'; memberId: number }
  | { kind: 'end' }
  | { kind: 'survey'; party: SurveyParty };

/** What a step did: the new state and the events it emits, in order. */
export interface SessionOutcome {
  state: SessionState;
  events: OutboundEvent[];
  /** The id of the member an `add-member` step added. */
  memberId?: number;
}

export interface NewSession {
  externalKey?: string;
  owner?: Owner;
}

const SURVEY_EVENTS = {
  customer: 'support_conference_customer_exit_survey_completed',
  representative: 'support_conference_representative_exit_survey_completed',
} as const satisfies Record<SurveyParty, EventName>;

/**
 * A new session: begin, then owner_changed (the guide: ownership is announced "when the
 * session is first started"). `timestamp` is Unix seconds.
 */
export function createSession(lsid: string, input: NewSession, timestamp: number): SessionOutcome {
  const state: SessionState = {
    lsid,
    externalKey: input.externalKey ?? null,
    owner: { ...(input.owner ?? GENERAL) },
    members: [],
    ended: false,
    surveys: { customer: false, representative: false },
  };
  const emit = emitter(state, timestamp);
  return {
    state,
    events: [emit('support_conference_begin'), emit('support_conference_owner_changed')],
  };
}

/**
 * Applies one step to `current` (left untouched) and returns the new state with the events
 * the step emits. A step that cannot happen throws SessionError, and so emits nothing.
 */
export function applyAction(
  current: SessionState,
  action: SessionAction,
  timestamp: number,
): SessionOutcome {
  // Exit surveys are filled in as people leave, so they may arrive after the end.
  if (current.ended && action.kind !== 'survey') {
    throw new SessionError('SESSION_ENDED', `session ${current.lsid} has ended`);
  }
  const state = structuredClone(current);
  const emit = emitter(state, timestamp);
  switch (action.kind) {
    case 'external-key':
      // No event of its own: the key rides on every later event.
      state.externalKey = action.externalKey;
      return { state, events: [] };
    case 'owner':
      state.owner = { ...action.owner };
      return { state, events: [emit('support_conference_owner_changed')] };
    case 'add-member': {
      const id = state.members.length + 1;
      state.members.push({ id, member: { ...action.member }, present: true });
      return { state, events: [emit('support_conference_member_added', id)], memberId: id };
    }
    case 'remove-member':
      return { state, events: removeMember(state, action.memberId, emit) };
    case 'end': {
      const events: OutboundEvent[] = [];
      for (const member of state.members) {
        if (!member.present) continue;
        member.present = false;
        events.push(emit('support_conference_member_departed', member.id));
      }
      state.ended = true;
      events.push(emit('support_conference_end'));
      return { state, events };
    }
    case 'survey':
      return { state, events: [survey(state, action.party, emit)] };
  }
}

type Emit = (name: EventName, memberId?: number) => OutboundEvent;

/** Builds events from `state` as it is when each is emitted (key, owner, member). */
function emitter(state: SessionState, timestamp: number): Emit {
  return (name, memberId) => {
    const event: Record<string, unknown> = { event: name, version: 1, timestamp, lsid: state.lsid };
    if (state.externalKey !== null) event.external_key = state.externalKey;
    if (name === 'support_conference_owner_changed') Object.assign(event, state.owner);
    if (memberId !== undefined) {
      Object.assign(event, state.members.find((m) => m.id === memberId)?.member);
    }
    return event as unknown as OutboundEvent;
  };
}

function removeMember(state: SessionState, memberId: number, emit: Emit): OutboundEvent[] {
  const leaving = state.members.find((m) => m.id === memberId);
  if (leaving === undefined) {
    throw new SessionError('MEMBER_NOT_FOUND', `session ${state.lsid} has no member ${memberId}`);
  }
  if (!leaving.present) {
    throw new SessionError(
      'MEMBER_ALREADY_LEFT',
      `member ${memberId} has already left session ${state.lsid}`,
    );
  }
  leaving.present = false;
  const events = [emit('support_conference_member_departed', memberId)];
  if (isPrimary(state, leaving)) {
    // The guide: ownership changes "when the primary representative leaves an active
    // session". It goes to the representative who has been there longest, else to the queue.
    const next = state.members.find((m) => m.present && m.member.type === 'representative');
    state.owner =
      next === undefined ? { ...GENERAL } : ownerOf(next.member as RepresentativeMember);
    events.push(emit('support_conference_owner_changed'));
  }
  return events;
}

/**
 * The departed member was the primary representative: the session belongs to `rep:<its
 * user_id>` and no other present member is that same representative.
 */
function isPrimary(state: SessionState, leaving: SessionMember): boolean {
  const member = leaving.member;
  if (member.type !== 'representative') return false;
  if (state.owner.conference_id !== `rep:${member.user_id}`) return false;
  return !state.members.some(
    (m) => m.present && m.member.type === 'representative' && m.member.user_id === member.user_id,
  );
}

/** The owner a representative's session has once it is theirs. */
export function ownerOf(member: RepresentativeMember): Owner {
  return { conference_id: `rep:${member.user_id}`, conference_name: member.display_name };
}

function survey(state: SessionState, party: SurveyParty, emit: Emit): OutboundEvent {
  if (state.surveys[party]) {
    throw new SessionError(
      'SURVEY_ALREADY_SUBMITTED',
      `the ${party} exit survey was already submitted`,
    );
  }
  if (!state.members.some((m) => m.member.type === party)) {
    throw new SessionError(
      'SURVEY_WITHOUT_PARTY',
      `no ${party} took part in session ${state.lsid}`,
    );
  }
  state.surveys[party] = true;
  return emit(SURVEY_EVENTS[party]);
}
