/**
 * The schema-1 table (src/events/schema.ts) against the hand-written event types and the
 * guide's order of variables. The type checks run under `tsc` (npm run check).
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  EVENT_NAMES,
  type EventName,
  type EventOf,
  encodeEvent,
  fieldsOf,
  type OptionalVariablesOfEvent,
  requiredVariablesOf,
  type VariablesOfEvent,
} from '../../src/events/index.js';

/** Every key of every member of a union. */
type KeysOf<T> = T extends unknown ? keyof T : never;
/** The keys a member of a union may leave out. */
type OptionalKeysOf<T> = T extends unknown
  ? { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T]
  : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe('the schema-1 table', () => {
  it('holds the variables of the event types, optional where they are optional', () => {
    type WrongKeys = {
      [N in EventName]: Same<KeysOf<EventOf<N>>, VariablesOfEvent<N>> extends true ? never : N;
    }[EventName];
    type WrongOptional = {
      [N in EventName]: Same<OptionalKeysOf<EventOf<N>>, OptionalVariablesOfEvent<N>> extends true
        ? never
        : N;
    }[EventName];
    expectTypeOf<WrongKeys>().toBeNever();
    expectTypeOf<WrongOptional>().toBeNever();
  });

  it("orders each event's variables as the guide lists them (the wire order)", () => {
    const standard = ['event', 'version', 'timestamp', 'lsid', 'external_key'];
    const member = ['type', 'display_name', 'user_id', 'username'];
    expect(Object.fromEntries(EVENT_NAMES.map((name) => [name, fieldsOf(name)]))).toEqual({
      support_conference_begin: standard,
      support_conference_end: standard,
      support_conference_owner_changed: [...standard, 'conference_id', 'conference_name'],
      support_conference_member_added: [...standard, ...member],
      support_conference_member_departed: [...standard, ...member],
      support_conference_customer_exit_survey_completed: standard,
      support_conference_representative_exit_survey_completed: standard,
    });
    expect(
      encodeEvent({
        event: 'support_conference_member_added',
        version: 1,
        timestamp: 1,
        lsid: 'L',
        external_key: 'K',
        type: 'representative',
        display_name: 'D',
        user_id: '7',
        username: 'u',
      }),
    ).toBe(
      'event=support_conference_member_added&version=1&timestamp=1&lsid=L&external_key=K' +
        '&type=representative&display_name=D&user_id=7&username=u',
    );
  });

  it('requires user_id and username of a representative only', () => {
    const added = 'support_conference_member_added';
    expect(requiredVariablesOf(added, 'customer')).toEqual([
      'event',
      'version',
      'timestamp',
      'lsid',
      'type',
      'display_name',
    ]);
    expect(requiredVariablesOf(added, 'representative')).toEqual([
      'event',
      'version',
      'timestamp',
      'lsid',
      'type',
      'display_name',
      'user_id',
      'username',
    ]);
  });
});
