/**
 * The bounds on what a session records (the whole state is rewritten on each step), and
 * states stored before the report fields existed.
 */
import { describe, expect, it } from 'vitest';
import {
  applyAction,
  createSession,
  MAX_DETAILS,
  MAX_SESSION_TEXT_BYTES,
  normalizeState,
  SessionError,
  type SessionState,
} from '../../src/sessions/index.js';

const T = 1_700_000_000;
const ZOE = { type: 'customer', display_name: 'Zoë' } as const;

function withMember(): SessionState {
  const created = createSession('abc', {}, T).state;
  return applyAction(created, { kind: 'add-member', member: ZOE }, T).state;
}

function refusal(fn: () => unknown): SessionError {
  try {
    fn();
  } catch (error) {
    return error as SessionError;
  }
  throw new Error('not refused');
}

describe('session bounds', () => {
  it(`stops repeatable steps at ${MAX_DETAILS} detail events; leaving, ending and surveys still work`, () => {
    const state = withMember();
    const filler = { timestamp: T, type: 'Chat Message' as const, body: 'x' };
    state.details.push(
      ...Array.from({ length: MAX_DETAILS - state.details.length - 1 }, () => filler),
    );
    const last = applyAction(state, { kind: 'note', by: 1, body: 'last' }, T).state;
    expect(last.details).toHaveLength(MAX_DETAILS);
    for (const step of [
      { kind: 'chat', from: 1, body: 'one more' },
      { kind: 'note', by: 1, body: 'one more' },
      { kind: 'file', by: 1, direction: 'upload', filename: 'a', filesize: 1 },
      { kind: 'attributes', values: { ticket: 'x' } },
      { kind: 'external-key', externalKey: 'K' },
      { kind: 'owner', owner: { conference_id: 'team:1', conference_name: 'T' } },
      { kind: 'add-member', member: ZOE },
    ] as const) {
      const error = refusal(() => applyAction(last, step, T));
      expect(error, step.kind).toBeInstanceOf(SessionError);
      expect(error).toMatchObject({ code: 'SESSION_TOO_LARGE', status: 413 });
    }
    const ended = applyAction(last, { kind: 'end' }, T);
    expect(ended.events.map((e) => e.event)).toEqual([
      'support_conference_member_departed',
      'support_conference_end',
    ]);
    const surveyed = applyAction(ended.state, { kind: 'survey', party: 'customer' }, T);
    expect(surveyed.events).toHaveLength(1);
  });

  it(`refuses chat and notes past ${MAX_SESSION_TEXT_BYTES} bytes of text in all`, () => {
    const state = withMember();
    const chunk = 'é'.repeat(16 * 1024); // 32 KiB of UTF-8
    const count = Math.floor(MAX_SESSION_TEXT_BYTES / (32 * 1024));
    for (let i = 0; i < count; i++) {
      state.details.push({ timestamp: T, type: 'Session Note Added', body: chunk });
    }
    expect(
      refusal(() => applyAction(state, { kind: 'chat', from: 1, body: 'x' }, T)),
    ).toMatchObject({
      code: 'SESSION_TOO_LARGE',
    });
    // Files and attributes carry no free text: still taken.
    expect(
      applyAction(
        state,
        { kind: 'file', by: 1, direction: 'download', filename: 'a', filesize: 1 },
        T,
      ).state.fileCounts.transfers,
    ).toBe(1);
  });

  it("an attributes step clears the external key with '': later events carry none", () => {
    const state = createSession('abc', { externalKey: 'K-1' }, T).state;
    const cleared = applyAction(state, { kind: 'attributes', externalKey: '', values: {} }, T);
    expect(cleared.state.externalKey).toBeNull();
    const next = applyAction(cleared.state, { kind: 'add-member', member: ZOE }, T);
    expect(next.events[0]).not.toHaveProperty('external_key');
    expect(cleared.state.details.at(-1)).toEqual({
      timestamp: T,
      type: 'External Key Changed',
      data: [{ name: 'external_key', value: '' }],
    });
  });
});

describe('normalizeState', () => {
  it('reads a state stored before migration 0009 as complete, and a complete one as it is', () => {
    const old = {
      lsid: 'abc',
      externalKey: null,
      owner: { conference_id: 'general', conference_name: 'General' },
      members: [{ id: 1, member: ZOE, present: true }],
      ended: false,
      surveys: { customer: false, representative: false },
    } as unknown as SessionState;
    const read = normalizeState(old);
    expect(read).toEqual({
      ...old,
      surveyAnswers: { customer: [], representative: [] },
      customAttributes: {},
      fileCounts: { transfers: 0, moves: 0, deletes: 0 },
      details: [],
    });
    // And the rules go on from it.
    expect(applyAction(read, { kind: 'note', by: 1, body: 'hi' }, T).state.details).toHaveLength(1);
    const complete = createSession('abc', {}, T).state;
    expect(normalizeState(complete)).toBe(complete);
  });
});
