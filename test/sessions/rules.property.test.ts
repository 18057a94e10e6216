/**
 * Any sequence of session steps, valid or not, yields a valid event log: begin first, end last
 * (surveys aside), members balanced, the newest external key on every later event, each
 * survey at most once and only from a party that took part; a refused step emits nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEvent,
  encodeEvent,
  type Member,
  type OutboundEvent,
} from '../../src/events/index.js';
import {
  applyAction,
  createSession,
  type NewSession,
  type SessionAction,
  SessionError,
} from '../../src/sessions/index.js';

const T = 1_700_000_000;
const LSID = 'c0ffee';
const MEMBERS: Member[] = [
  { type: 'representative', display_name: 'Ann Lee', user_id: '12', username: 'ann' },
  { type: 'representative', display_name: 'Bob & Co', user_id: '17', username: 'bob' },
  { type: 'customer', display_name: 'Zoë Martin' },
  { type: 'customer', display_name: '王小明' },
];
const OWNERS = [
  { conference_id: 'rep:12', conference_name: 'Ann Lee' },
  { conference_id: 'rep:17', conference_name: 'Bob & Co' },
  { conference_id: 'team:5', conference_name: 'Tier 1' },
  { conference_id: 'general', conference_name: 'General' },
];
const KEYS = ['INC-1', 'INC-2', 'ü=&+'];

const action: fc.Arbitrary<SessionAction> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...KEYS)
      .map((k) => ({ kind: 'external-key', externalKey: k }) as const),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...OWNERS).map((owner) => ({ kind: 'owner', owner }) as const),
  },
  {
    weight: 4,
    arbitrary: fc
      .constantFrom(...MEMBERS)
      .map((member) => ({ kind: 'add-member', member }) as const),
  },
  {
    weight: 4,
    arbitrary: fc
      .integer({ min: 1, max: 8 })
      .map((memberId) => ({ kind: 'remove-member', memberId }) as const),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'end' } as const) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('customer', 'representative'),
        fc.option(fc.array(fc.record({ name: fc.string(), value: fc.string() }), { maxLength: 3 })),
      )
      .map(([party, answers]) =>
        answers === null
          ? ({ kind: 'survey', party } as const)
          : ({ kind: 'survey', party, answers } as const),
      ),
  },
  // The report-only steps: they emit no schema-1 event.
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 8 }), fc.option(fc.integer({ min: 1, max: 8 })), fc.string())
      .map(([from, to, body]) =>
        to === null
          ? ({ kind: 'chat', from, body } as const)
          : ({ kind: 'chat', from, to, body } as const),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 8 }), fc.string())
      .map(([by, body]) => ({ kind: 'note', by, body }) as const),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 8 }), fc.constantFrom('upload', 'download'), fc.nat())
      .map(
        ([by, direction, filesize]) =>
          ({ kind: 'file', by, direction, filename: 'f.txt', filesize }) as const,
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.option(fc.constantFrom('', ...KEYS)),
        fc.dictionary(fc.constantFrom('ticket', 'asset'), fc.constantFrom('', 'x', 'y')),
      )
      .map(([externalKey, values]) =>
        externalKey === null
          ? ({ kind: 'attributes', values } as const)
          : ({ kind: 'attributes', externalKey, values } as const),
      ),
  },
);

const newSession: fc.Arbitrary<NewSession> = fc.record(
  { externalKey: fc.constantFrom(...KEYS), owner: fc.constantFrom(...OWNERS) },
  { requiredKeys: [] },
);

const short = (e: OutboundEvent) => e.event.replace('support_conference_', '');
const memberKey = (e: Record<string, unknown>) =>
  JSON.stringify([e.type, e.display_name, e.user_id, e.username]);

describe('session rules: any sequence of steps', () => {
  it('gives a valid event log, and refused steps emit nothing', () => {
    fc.assert(
      fc.property(newSession, fc.array(action, { maxLength: 40 }), (create, actions) => {
        let outcome = createSession(LSID, create, T);
        const log: OutboundEvent[] = [...outcome.events];
        let key = create.externalKey;
        expect(outcome.events.every((e) => e.external_key === key)).toBe(true);

        actions.forEach((step, i) => {
          const timestamp = T + i + 1;
          const before = structuredClone(outcome.state);
          let next: typeof outcome;
          try {
            next = applyAction(outcome.state, step, timestamp);
          } catch (error) {
            expect(error).toBeInstanceOf(SessionError);
            expect(outcome.state).toEqual(before);
            return;
          }
          if (step.kind === 'external-key') key = step.externalKey;
          if (step.kind === 'attributes' && step.externalKey !== undefined) {
            key = step.externalKey === '' ? undefined : step.externalKey;
          }
          for (const event of next.events) {
            // The newest key on every event from its assignment on; absent before.
            expect(event.external_key).toBe(key);
            expect(event.timestamp).toBe(timestamp);
            expect(event.lsid).toBe(LSID);
            // Every event is valid schema 1 and survives the wire as itself.
            expect(decodeEvent(encodeEvent(event))).toEqual(event);
          }
          // The shape of each step's events: owner_changed only from a transfer, or after the
          // primary representative left (never while the session ends).
          const shape = next.events.map(short).join(' ');
          const expected = {
            'external-key': /^$/,
            owner: /^owner_changed$/,
            'add-member': /^member_added$/,
            'remove-member': /^member_departed( owner_changed)?$/,
            end: /^(member_departed )*end$/,
            survey: /^(customer|representative)_exit_survey_completed$/,
            // What the reports alone show: no schema-1 event.
            chat: /^$/,
            note: /^$/,
            file: /^$/,
            attributes: /^$/,
          }[step.kind];
          expect(shape).toMatch(expected);
          outcome = next;
          log.push(...next.events);
        });

        const names = log.map(short);
        expect(names.slice(0, 2)).toEqual(['begin', 'owner_changed']);
        expect(names.filter((n) => n === 'begin')).toHaveLength(1);

        const endAt = names.indexOf('end');
        expect(endAt >= 0).toBe(outcome.state.ended);
        expect(names.filter((n) => n === 'end').length).toBeLessThanOrEqual(1);
        if (endAt >= 0) {
          // After the end, only exit surveys.
          expect(names.slice(endAt + 1).every((n) => n.endsWith('exit_survey_completed'))).toBe(
            true,
          );
        }

        const present = new Map<string, number>();
        const joined = new Set<string>();
        const surveys = new Map<string, number>();
        for (const [i, event] of log.entries()) {
          const name = names[i] as string;
          const record = event as unknown as Record<string, unknown>;
          if (name === 'member_added') {
            present.set(memberKey(record), (present.get(memberKey(record)) ?? 0) + 1);
            joined.add(record.type as string);
          } else if (name === 'member_departed') {
            // Only a present member departs, with the same variables it joined with.
            const count = present.get(memberKey(record)) ?? 0;
            expect(count).toBeGreaterThan(0);
            present.set(memberKey(record), count - 1);
          } else if (name === 'end') {
            // Every member who joined has departed, exactly once.
            expect([...present.values()].every((n) => n === 0)).toBe(true);
          } else if (name.endsWith('exit_survey_completed')) {
            const party = name.startsWith('customer') ? 'customer' : 'representative';
            expect(joined.has(party)).toBe(true);
            surveys.set(party, (surveys.get(party) ?? 0) + 1);
          }
        }
        expect([...surveys.values()].every((n) => n === 1)).toBe(true);
        expect(outcome.state.surveys).toEqual({
          customer: surveys.has('customer'),
          representative: surveys.has('representative'),
        });
        const stillPresent = [...present.values()].reduce((a, b) => a + b, 0);
        expect(stillPresent).toBe(outcome.state.members.filter((m) => m.present).length);
      }),
      { numRuns: 600 },
    );
  });

  it('refuses exactly the steps that cannot happen', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        let state = createSession(LSID, {}, T).state;
        // An independent bookkeeping of what may happen.
        let ended = false;
        const present: boolean[] = [];
        const types = new Set<string>();
        const surveyed = new Set<string>();
        for (const step of actions) {
          let expected: number | null = null;
          if (step.kind === 'survey') {
            if (surveyed.has(step.party) || !types.has(step.party)) expected = 409;
          } else if (ended) {
            expected = 409;
          } else if (step.kind === 'remove-member') {
            const here = present[step.memberId - 1];
            expected = here === undefined ? 404 : here ? null : 409;
          } else if (step.kind === 'chat' || step.kind === 'note' || step.kind === 'file') {
            // Every member named must be present.
            const ids = step.kind === 'chat' ? [step.from, step.to] : [step.by];
            for (const id of ids) {
              if (id === undefined || expected !== null) continue;
              const here = present[id - 1];
              expected = here === undefined ? 404 : here ? null : 409;
            }
          }
          let status: number | null = null;
          try {
            state = applyAction(state, step, T).state;
          } catch (error) {
            status = (error as SessionError).status;
          }
          expect(status).toBe(expected);
          if (status !== null) continue;
          if (step.kind === 'add-member') {
            present.push(true);
            types.add(step.member.type);
          } else if (step.kind === 'remove-member') present[step.memberId - 1] = false;
          else if (step.kind === 'end') ended = true;
          else if (step.kind === 'survey') surveyed.add(step.party);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('records detail events whose member, owner, end and survey entries follow the events', () => {
    fc.assert(
      fc.property(newSession, fc.array(action, { maxLength: 40 }), (create, actions) => {
        let outcome = createSession(LSID, create, T);
        const log: OutboundEvent[] = [...outcome.events];
        actions.forEach((step, i) => {
          try {
            outcome = applyAction(outcome.state, step, T + i + 1);
          } catch (error) {
            expect(error).toBeInstanceOf(SessionError);
            return;
          }
          log.push(...outcome.events);
        });
        const { details, members } = outcome.state;
        expect(details[0]).toEqual({ timestamp: T, type: 'Session Start' });
        // Each event, as the detail it must have: the same step, the same order.
        const expected = log
          .filter((e) => e.event !== 'support_conference_begin')
          .map((event) => {
            const e = event as unknown as Record<string, string>;
            const who = { type: e.type, name: e.display_name };
            switch (event.event) {
              case 'support_conference_owner_changed':
                return {
                  timestamp: event.timestamp,
                  type: 'Conference Owner Changed',
                  destination: { type: 'system', gsnumber: 0, name: e.conference_name },
                  data: [{ name: 'owner', value: e.conference_id }],
                };
              case 'support_conference_member_added':
                return { timestamp: event.timestamp, type: 'Conference Member Added', who };
              case 'support_conference_member_departed':
                return { timestamp: event.timestamp, type: 'Conference Member Departed', who };
              case 'support_conference_end':
                return { timestamp: event.timestamp, type: 'Session End' };
              case 'support_conference_customer_exit_survey_completed':
                return { timestamp: event.timestamp, type: 'Customer Exit Survey' };
              default:
                return { timestamp: event.timestamp, type: 'Representative Exit Survey' };
            }
          });
        const SCHEMA_1 = new Set(expected.map((d) => d.type));
        const seen = details
          .filter(
            (d) =>
              d.type !== 'Session Start' &&
              (SCHEMA_1.has(d.type) || /Member|Owner|End|Survey/.test(d.type)),
          )
          .map((d) => {
            if (d.type === 'Conference Member Added' || d.type === 'Conference Member Departed') {
              const party = d.performedBy as { type: string; gsnumber: number; name: string };
              // The gsnumber names the member whose variables the event carried.
              const member = members.find((m) => m.id === party.gsnumber);
              expect(member?.member.display_name).toBe(party.name);
              return {
                timestamp: d.timestamp,
                type: d.type,
                who: { type: party.type, name: party.name },
              };
            }
            if (d.type === 'Conference Owner Changed') {
              return {
                timestamp: d.timestamp,
                type: d.type,
                destination: d.destination,
                data: d.data,
              };
            }
            return { timestamp: d.timestamp, type: d.type };
          });
        expect(seen).toEqual(expected);
        // The report-only steps appear as their own details, each from a present member.
        for (const d of details) {
          if (d.type === 'Chat Message' || d.type === 'Session Note Added') {
            expect(typeof d.body).toBe('string');
          }
        }
        expect(outcome.state.fileCounts.transfers).toBe(
          details.filter((d) => d.type === 'File Upload' || d.type === 'File Download').length,
        );
        // Members' times: joined when added, left when departed (null while present).
        for (const m of members) {
          expect(m.leftAt === null).toBe(m.present);
        }
      }),
      { numRuns: 600 },
    );
  });
});
