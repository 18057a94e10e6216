/** The session rules on their own: exact event sequences, and every refused step. */
import { describe, expect, it } from 'vitest';
import type { CustomerMember, RepresentativeMember } from '../../src/events/index.js';
import {
  applyAction,
  createSession,
  type SessionAction,
  SessionError,
  type SessionState,
} from '../../src/sessions/index.js';

const T = 1_700_000_000;
const LSID = '7f3a9c';
const ANN: RepresentativeMember = {
  type: 'representative',
  display_name: 'Ann Lee',
  user_id: '12',
  username: 'ann',
};
const BOB: RepresentativeMember = {
  type: 'representative',
  display_name: 'Bob Jones',
  user_id: '17',
  username: 'bob',
};
const ZOE: CustomerMember = { type: 'customer', display_name: 'Zoë Martin' };
const ANN_OWNS = { conference_id: 'rep:12', conference_name: 'Ann Lee' };
const TEAM = { conference_id: 'team:5', conference_name: 'Tier 1 Support' };

const base = (event: string, timestamp = T, key?: string) => ({
  event: `support_conference_${event}`,
  version: 1,
  timestamp,
  lsid: LSID,
  ...(key === undefined ? {} : { external_key: key }),
});

/** Runs the steps from a fresh session; returns the final state and every event. */
function run(steps: SessionAction[], create: Parameters<typeof createSession>[1] = {}) {
  let outcome = createSession(LSID, create, T);
  const events = [...outcome.events];
  const memberIds: (number | undefined)[] = [];
  steps.forEach((action, i) => {
    outcome = applyAction(outcome.state, action, T + i + 1);
    events.push(...outcome.events);
    if (action.kind === 'add-member') memberIds.push(outcome.memberId);
  });
  return { state: outcome.state, events, memberIds };
}

function refused(state: SessionState, action: SessionAction): SessionError {
  const before = structuredClone(state);
  let caught: unknown;
  try {
    applyAction(state, action, T + 100);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SessionError);
  // Nothing happened: the state given is untouched.
  expect(state).toEqual(before);
  return caught as SessionError;
}

describe('session rules: lifecycles', () => {
  it('create emits begin then owner_changed to General', () => {
    const { state, events } = run([]);
    expect(events).toEqual([
      base('begin'),
      { ...base('owner_changed'), conference_id: 'general', conference_name: 'General' },
    ]);
    expect(state).toEqual({
      lsid: LSID,
      externalKey: null,
      owner: { conference_id: 'general', conference_name: 'General' },
      members: [],
      ended: false,
      surveys: { customer: false, representative: false },
      surveyAnswers: { customer: [], representative: [] },
      customAttributes: {},
      fileCounts: { transfers: 0, moves: 0, deletes: 0 },
      details: [
        { timestamp: T, type: 'Session Start' },
        {
          timestamp: T,
          type: 'Conference Owner Changed',
          destination: { type: 'system', gsnumber: 0, name: 'General' },
          data: [{ name: 'owner', value: 'general' }],
        },
      ],
    });
  });

  it('create with an external key and an owner', () => {
    const { events } = run([], { externalKey: 'INC-7', owner: TEAM });
    expect(events).toEqual([
      base('begin', T, 'INC-7'),
      { ...base('owner_changed', T, 'INC-7'), ...TEAM },
    ]);
  });

  it('a whole session: members, transfer, key, end (members depart first), surveys', () => {
    const { events, memberIds, state } = run([
      { kind: 'add-member', member: ZOE },
      { kind: 'add-member', member: ANN },
      { kind: 'owner', owner: ANN_OWNS },
      { kind: 'external-key', externalKey: 'INC-7' },
      { kind: 'add-member', member: BOB },
      { kind: 'remove-member', memberId: 3 },
      { kind: 'survey', party: 'customer' },
      { kind: 'end' },
      { kind: 'survey', party: 'representative' },
    ]);
    expect(memberIds).toEqual([1, 2, 3]);
    expect(events).toEqual([
      base('begin'),
      { ...base('owner_changed'), conference_id: 'general', conference_name: 'General' },
      { ...base('member_added', T + 1), ...ZOE },
      { ...base('member_added', T + 2), ...ANN },
      { ...base('owner_changed', T + 3), ...ANN_OWNS },
      { ...base('member_added', T + 5, 'INC-7'), ...BOB },
      { ...base('member_departed', T + 6, 'INC-7'), ...BOB },
      base('customer_exit_survey_completed', T + 7, 'INC-7'),
      { ...base('member_departed', T + 8, 'INC-7'), ...ZOE },
      { ...base('member_departed', T + 8, 'INC-7'), ...ANN },
      base('end', T + 8, 'INC-7'),
      base('representative_exit_survey_completed', T + 9, 'INC-7'),
    ]);
    expect(state.ended).toBe(true);
    expect(state.surveys).toEqual({ customer: true, representative: true });
    expect(state.members.map((m) => [m.id, m.present])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
  });

  it('a customer record carries no user_id or username', () => {
    const { events } = run([{ kind: 'add-member', member: ZOE }]);
    expect(Object.keys(events[2] ?? {})).toEqual([
      'event',
      'version',
      'timestamp',
      'lsid',
      'type',
      'display_name',
    ]);
  });

  it('re-assigning the key: later events carry the newest; the same key again is a no-op', () => {
    const first = run([{ kind: 'external-key', externalKey: 'INC-7' }]);
    const same = applyAction(first.state, { kind: 'external-key', externalKey: 'INC-7' }, T + 9);
    expect(same).toEqual({ state: first.state, events: [] });
    const { events } = run([
      { kind: 'external-key', externalKey: 'INC-7' },
      { kind: 'external-key', externalKey: 'INC-8' },
      { kind: 'end' },
    ]);
    expect(events.slice(2)).toEqual([base('end', T + 3, 'INC-8')]);
  });

  it('the primary representative leaving hands the session to the longest-present rep', () => {
    const { events, state } = run([
      { kind: 'add-member', member: ANN },
      { kind: 'owner', owner: ANN_OWNS },
      { kind: 'add-member', member: ZOE },
      { kind: 'add-member', member: BOB },
      { kind: 'remove-member', memberId: 1 },
    ]);
    expect(events.slice(-2)).toEqual([
      { ...base('member_departed', T + 5), ...ANN },
      {
        ...base('owner_changed', T + 5),
        conference_id: 'rep:17',
        conference_name: 'Bob Jones',
      },
    ]);
    expect(state.owner).toEqual({ conference_id: 'rep:17', conference_name: 'Bob Jones' });
  });

  it('…to General when no representative remains', () => {
    const { events } = run([
      { kind: 'add-member', member: ANN },
      { kind: 'owner', owner: ANN_OWNS },
      { kind: 'add-member', member: ZOE },
      { kind: 'remove-member', memberId: 1 },
    ]);
    expect(events.slice(-2)).toEqual([
      { ...base('member_departed', T + 4), ...ANN },
      { ...base('owner_changed', T + 4), conference_id: 'general', conference_name: 'General' },
    ]);
  });

  it('no owner change when a non-owner leaves, nor while the session ends', () => {
    const { events } = run([
      { kind: 'owner', owner: TEAM },
      { kind: 'add-member', member: ANN },
      { kind: 'remove-member', memberId: 1 },
      { kind: 'add-member', member: BOB },
      { kind: 'owner', owner: { conference_id: 'rep:17', conference_name: 'Bob Jones' } },
      { kind: 'end' },
    ]);
    expect(events.map((e) => e.event.replace('support_conference_', ''))).toEqual([
      'begin',
      'owner_changed',
      'owner_changed',
      'member_added',
      'member_departed',
      'member_added',
      'owner_changed',
      'member_departed',
      'end',
    ]);
  });

  it('the same representative present twice: only the last one leaving is the primary leaving', () => {
    const { events } = run([
      { kind: 'add-member', member: ANN },
      { kind: 'add-member', member: ANN },
      { kind: 'owner', owner: ANN_OWNS },
      { kind: 'remove-member', memberId: 1 },
      { kind: 'remove-member', memberId: 2 },
    ]);
    expect(events.slice(-3).map((e) => e.event)).toEqual([
      'support_conference_member_departed',
      'support_conference_member_departed',
      'support_conference_owner_changed',
    ]);
  });

  it('an ended session with no members: end only', () => {
    const { events } = run([{ kind: 'end' }]);
    expect(events.slice(2)).toEqual([base('end', T + 1)]);
  });

  it('surveys during the session', () => {
    const { events } = run([
      { kind: 'add-member', member: BOB },
      { kind: 'survey', party: 'representative' },
    ]);
    expect(events.slice(-1)).toEqual([base('representative_exit_survey_completed', T + 2)]);
  });

  it('never changes the state it is given', () => {
    const { state } = run([{ kind: 'add-member', member: ZOE }]);
    const copy = structuredClone(state);
    applyAction(state, { kind: 'end' }, T);
    applyAction(state, { kind: 'add-member', member: ANN }, T);
    expect(state).toEqual(copy);
  });
});

describe('session rules: refused steps emit nothing', () => {
  const ended = run([{ kind: 'add-member', member: ZOE }, { kind: 'end' }]).state;

  it.each<[string, SessionAction]>([
    ['external key', { kind: 'external-key', externalKey: 'X' }],
    ['owner', { kind: 'owner', owner: TEAM }],
    ['member', { kind: 'add-member', member: ANN }],
    ['departure', { kind: 'remove-member', memberId: 1 }],
    ['end', { kind: 'end' }],
  ])('%s on an ended session → 409', (_, action) => {
    const error = refused(ended, action);
    expect(error).toMatchObject({ status: 409, code: 'SESSION_ENDED' });
    expect(error.message).toBe(`session ${LSID} has ended`);
  });

  it('a member leaving twice → 409; an unknown member → 404', () => {
    const { state } = run([
      { kind: 'add-member', member: ZOE },
      { kind: 'add-member', member: ANN },
      { kind: 'add-member', member: BOB },
      { kind: 'remove-member', memberId: 3 },
    ]);
    expect(refused(state, { kind: 'remove-member', memberId: 3 })).toMatchObject({
      status: 409,
      code: 'MEMBER_ALREADY_LEFT',
      message: `member 3 has already left session ${LSID}`,
    });
    expect(refused(state, { kind: 'remove-member', memberId: 4 })).toMatchObject({
      status: 404,
      code: 'MEMBER_NOT_FOUND',
      message: `session ${LSID} has no member 4`,
    });
  });

  it('a survey without such a party → 409; a second survey → 409, also after the end', () => {
    const fresh = run([{ kind: 'add-member', member: ANN }]).state;
    expect(refused(fresh, { kind: 'survey', party: 'customer' })).toMatchObject({
      status: 409,
      code: 'SURVEY_WITHOUT_PARTY',
      message: `no customer took part in session ${LSID}`,
    });
    const once = run([
      { kind: 'add-member', member: ZOE },
      { kind: 'survey', party: 'customer' },
    ]);
    expect(refused(once.state, { kind: 'survey', party: 'customer' })).toMatchObject({
      status: 409,
      code: 'SURVEY_ALREADY_SUBMITTED',
      message: 'the customer exit survey was already submitted',
    });
    expect(refused(ended, { kind: 'survey', party: 'representative' })).toMatchObject({
      code: 'SURVEY_WITHOUT_PARTY',
    });
    const after = applyAction(ended, { kind: 'survey', party: 'customer' }, T + 50);
    expect(after.events).toEqual([base('customer_exit_survey_completed', T + 50)]);
    expect(refused(after.state, { kind: 'survey', party: 'customer' }).code).toBe(
      'SURVEY_ALREADY_SUBMITTED',
    );
  });
});
