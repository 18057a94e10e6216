import type { EventName, Member, OutboundEvent, RepresentativeMember } from '../events/index.js';
import { SessionError } from './errors.js';
import { checkAttributesSize, checkRoom, checkTextRoom } from './limits.js';
import { partyOf, primaryCustomer, primaryRep, systemParty } from './participants.js';
import type {
  CustomerDetails,
  DetailParty,
  Owner,
  RepresentativeDetails,
  SessionDetail,
  SessionMember,
  SessionState,
  SurveyAnswer,
  SurveyParty,
} from './types.js';

/** The owner of a new session unless one is given: the general queue. */
export const GENERAL: Owner = { conference_id: 'general', conference_name: 'General' };

export type FileDirection = 'upload' | 'download';

/**
 * One step of a session's activity, as the API reports it. Text in these actions is checked
 * by the input parsers (src/sessions/input.ts); the rules check what depends on the state.
 */
export type SessionAction =
  | { kind: 'external-key'; externalKey: string }
  | { kind: 'owner'; owner: Owner }
  | { kind: 'add-member'; member: Member; details?: CustomerDetails | RepresentativeDetails }
  | { kind: 'remove-member'; memberId: number }
  | { kind: 'end' }
  | { kind: 'survey'; party: SurveyParty; answers?: SurveyAnswer[] }
  /** `to` absent: to everyone in the session. */
  | { kind: 'chat'; from: number; to?: number; body: string }
  | { kind: 'note'; by: number; body: string }
  | { kind: 'file'; by: number; direction: FileDirection; filename: string; filesize: number }
  /**
   * The Command API's set_session_attributes in one step: the external key (when given) and
   * custom attribute values by code name ('' clears one). Code names must be defined: the
   * caller checks them against the store's definitions.
   */
  | { kind: 'attributes'; externalKey?: string; values: Record<string, string> };

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

const SURVEY_DETAILS = {
  customer: 'Customer Exit Survey',
  representative: 'Representative Exit Survey',
} as const;

/**
 * A new session: begin, then owner_changed (the guide: ownership is announced "when the
 * session is first started"); its details 'Session Start' and 'Conference Owner Changed'.
 * `timestamp` is Unix seconds.
 */
export function createSession(lsid: string, input: NewSession, timestamp: number): SessionOutcome {
  const state: SessionState = {
    lsid,
    externalKey: input.externalKey ?? null,
    owner: { ...(input.owner ?? GENERAL) },
    members: [],
    ended: false,
    surveys: { customer: false, representative: false },
    surveyAnswers: { customer: [], representative: [] },
    customAttributes: {},
    fileCounts: { transfers: 0, moves: 0, deletes: 0 },
    details: [],
  };
  const emit = emitter(state, timestamp);
  const note = recorder(state, timestamp);
  note('Session Start');
  const events = [emit('support_conference_begin'), ownerChanged(state, emit, note)];
  return { state, events };
}

/**
 * Applies one step to `current` (left untouched) and returns the new state with the events
 * the step emits; the state's detail events record the step in the same order. A step that
 * cannot happen throws SessionError (or EventValidationError naming the field), and so emits
 * nothing.
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
  // Steps that may repeat without bound stop at MAX_DETAILS; leaving, ending and the two
  // surveys stay possible, so every session can still be closed.
  if (action.kind !== 'remove-member' && action.kind !== 'end' && action.kind !== 'survey') {
    checkRoom(current);
  }
  const state = structuredClone(current);
  const emit = emitter(state, timestamp);
  const note = recorder(state, timestamp);
  switch (action.kind) {
    case 'external-key':
      // No event of its own: the key rides on every later event.
      setExternalKey(state, action.externalKey, note);
      checkAttributesSize(state);
      return { state, events: [] };
    case 'attributes':
      if (action.externalKey !== undefined) setExternalKey(state, action.externalKey, note);
      setAttributes(state, action.values, note);
      checkAttributesSize(state);
      return { state, events: [] };
    case 'owner':
      state.owner = { ...action.owner };
      return { state, events: [ownerChanged(state, emit, note)] };
    case 'add-member': {
      const id = state.members.length + 1;
      const member: SessionMember = {
        id,
        member: { ...action.member },
        present: true,
        joinedAt: timestamp,
        leftAt: null,
      };
      if (action.details !== undefined) member.details = structuredClone(action.details);
      state.members.push(member);
      note('Conference Member Added', { performedBy: partyOf(member) });
      return { state, events: [emit('support_conference_member_added', id)], memberId: id };
    }
    case 'remove-member':
      return { state, events: removeMember(state, action.memberId, emit, note, timestamp) };
    case 'end': {
      const events: OutboundEvent[] = [];
      for (const member of state.members) {
        if (member.present) events.push(depart(member, emit, note, timestamp));
      }
      state.ended = true;
      events.push(emit('support_conference_end'));
      note('Session End');
      return { state, events };
    }
    case 'survey':
      return { state, events: [survey(state, action.party, action.answers ?? [], emit, note)] };
    case 'chat': {
      checkTextRoom(state, action.body);
      const from = presentMember(state, action.from);
      const detail: Omit<SessionDetail, 'timestamp' | 'type'> = { performedBy: partyOf(from) };
      if (action.to !== undefined) detail.destination = partyOf(presentMember(state, action.to));
      note('Chat Message', { ...detail, body: action.body });
      return { state, events: [] };
    }
    case 'note':
      checkTextRoom(state, action.body);
      note('Session Note Added', {
        performedBy: partyOf(presentMember(state, action.by)),
        body: action.body,
      });
      return { state, events: [] };
    case 'file': {
      const by = presentMember(state, action.by);
      state.fileCounts.transfers += 1;
      note(action.direction === 'upload' ? 'File Upload' : 'File Download', {
        performedBy: partyOf(by),
        files: [{ filename: action.filename, filesize: action.filesize }],
      });
      return { state, events: [] };
    }
  }
}

type Emit = (name: EventName, memberId?: number) => OutboundEvent;
type Note = (type: SessionDetail['type'], rest?: Omit<SessionDetail, 'timestamp' | 'type'>) => void;

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

/** Appends a detail event to `state`. */
function recorder(state: SessionState, timestamp: number): Note {
  return (type, rest = {}) => {
    state.details.push({ timestamp, type, ...rest });
  };
}

/** owner_changed for the owner `state` has now, and its detail event. */
function ownerChanged(state: SessionState, emit: Emit, note: Note): OutboundEvent {
  note('Conference Owner Changed', {
    destination: systemParty(state.owner.conference_name),
    data: [{ name: 'owner', value: state.owner.conference_id }],
  });
  return emit('support_conference_owner_changed');
}

/** '' clears the key (the Command API's way): later events carry none. */
function setExternalKey(state: SessionState, key: string, note: Note): void {
  if ((state.externalKey ?? '') === key) return;
  state.externalKey = key === '' ? null : key;
  note('External Key Changed', { data: [{ name: 'external_key', value: key }] });
}

function setAttributes(state: SessionState, values: Record<string, string>, note: Note): void {
  for (const [codeName, value] of Object.entries(values)) {
    if ((state.customAttributes[codeName] ?? '') === value) continue;
    if (value === '') delete state.customAttributes[codeName];
    else state.customAttributes[codeName] = value;
    note('Custom Attribute Changed', { data: [{ name: codeName, value }] });
  }
}

/** The member `id`, who must not have left. */
function presentMember(state: SessionState, id: number): SessionMember {
  const member = state.members.find((m) => m.id === id);
  if (member === undefined) {
    throw new SessionError('MEMBER_NOT_FOUND', `session ${state.lsid} has no member ${id}`);
  }
  if (!member.present) {
    throw new SessionError(
      'MEMBER_ALREADY_LEFT',
      `member ${id} has already left session ${state.lsid}`,
    );
  }
  return member;
}

function depart(member: SessionMember, emit: Emit, note: Note, timestamp: number): OutboundEvent {
  member.present = false;
  member.leftAt = timestamp;
  note('Conference Member Departed', { performedBy: partyOf(member) });
  return emit('support_conference_member_departed', member.id);
}

function removeMember(
  state: SessionState,
  memberId: number,
  emit: Emit,
  note: Note,
  timestamp: number,
): OutboundEvent[] {
  const leaving = presentMember(state, memberId);
  const events = [depart(leaving, emit, note, timestamp)];
  if (isPrimary(state, leaving)) {
    // The guide: ownership changes "when the primary representative leaves an active
    // session". It goes to the representative who has been there longest, else to the queue.
    const next = state.members.find((m) => m.present && m.member.type === 'representative');
    state.owner =
      next === undefined ? { ...GENERAL } : ownerOf(next.member as RepresentativeMember);
    events.push(ownerChanged(state, emit, note));
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

function survey(
  state: SessionState,
  party: SurveyParty,
  answers: SurveyAnswer[],
  emit: Emit,
  note: Note,
): OutboundEvent {
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
  state.surveyAnswers[party] = answers.map((a) => ({ name: a.name, value: a.value }));
  // Filled in by the party's primary member (the reports' cust_exit_survey[@gsnumber]).
  const by = party === 'customer' ? primaryCustomer(state) : primaryRep(state);
  const detail: Omit<SessionDetail, 'timestamp' | 'type'> = {};
  if (by !== undefined) detail.performedBy = partyOf(by) satisfies DetailParty;
  if (answers.length > 0) detail.data = state.surveyAnswers[party].map((a) => ({ ...a }));
  note(SURVEY_DETAILS[party], detail);
  return emit(SURVEY_EVENTS[party]);
}
