/**
 * The receiver SDK and the recipients' wire options (CONTRACT §7): the deployed survey name,
 * `appliance_id` and declared custom fields pass strict mode, typed; anything else stays an
 * error naming the variable.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { encodeEvent } from '../../src/events/index.js';
import {
  createHandler,
  type ParseOptions,
  parseEvent,
  type ReceivedEvent,
  ReceiverError,
} from '../../src/receiver/index.js';
import { SAMPLE_EVENTS } from './events.js';
import { newId, SECRET, signed } from './requests.js';

const BEGIN = encodeEvent(SAMPLE_EVENTS[0]!); // support_conference_begin, lsid 42
const GUID = '1c7e0b0e-3f4a-4d8e-9a51-6a0f2a9b7c11';
/** What a ServiceNow-style receiver gets from a recipient with all three options on. */
const DEPLOYED_SURVEY =
  'event=support_conference_rep_exit_survey_completed&version=1&timestamp=1700000008&lsid=42' +
  `&appliance_id=${GUID}&ticket_id=INC0012&priority=2+-+High`;

const fields = (entries: Record<string, string>) =>
  Object.assign(Object.create(null) as Record<string, string>, entries);

function refusal(fn: () => unknown): ReceiverError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ReceiverError);
    return error as ReceiverError;
  }
  throw new Error('expected a refusal');
}

describe('parseEvent: what the wire options add', () => {
  it('reads the deployed survey name, appliance_id and declared custom fields in strict mode', () => {
    const event = parseEvent(DEPLOYED_SURVEY, { customFields: ['ticket_id', 'priority'] });
    expect(event).toStrictEqual({
      event: 'support_conference_representative_exit_survey_completed',
      version: 1,
      timestamp: 1700000008,
      lsid: '42',
      appliance_id: GUID,
      customFields: fields({ ticket_id: 'INC0012', priority: '2 - High' }),
    });
    expectTypeOf(event.appliance_id).toEqualTypeOf<string | undefined>();
    expectTypeOf(event.customFields).toEqualTypeOf<Readonly<Record<string, string>> | undefined>();
    // Still a discriminated union: `event.event` narrows it, extras and all.
    if (event.event === 'support_conference_member_added' && event.type === 'representative') {
      expectTypeOf(event.username).toEqualTypeOf<string>();
      expectTypeOf(event.appliance_id).toEqualTypeOf<string | undefined>();
    }
  });

  it('accepts appliance_id without any option; leaves customFields out when none came', () => {
    expect(parseEvent(`${BEGIN}&appliance_id=appliance-7.example.com`)).toStrictEqual({
      ...SAMPLE_EVENTS[0],
      appliance_id: 'appliance-7.example.com',
    });
    expect(parseEvent(BEGIN, { customFields: ['ticket_id'] })).toStrictEqual(SAMPLE_EVENTS[0]);
  });

  it('refuses an undeclared custom field in strict mode, naming it and how to declare it', () => {
    const error = refusal(() => parseEvent(`${BEGIN}&ticket_id=INC0012`));
    expect(error).toMatchObject({ code: 'OUTBOUND_MALFORMED_EVENT', status: 400 });
    expect(error.field).toBe('ticket_id');
    expect(error.message).toBe(
      'unknown field "ticket_id" for support_conference_begin ' +
        "(a custom field? declare it: customFields: ['ticket_id'])",
    );
    const other = refusal(() =>
      parseEvent(`${BEGIN}&ticket_id=1&priority=2`, { customFields: ['ticket_id'] }),
    );
    expect(other.field).toBe('priority');
  });

  it("'any' takes every variable shaped like a code name; others stay errors", () => {
    const event = parseEvent(`${BEGIN}&constructor=c&a1_b=x`, { customFields: 'any' });
    expect(event.customFields).toStrictEqual(fields({ constructor: 'c', a1_b: 'x' }));
    for (const name of ['Ticket', 'ticket-id', '1st', '_x', `a${'b'.repeat(64)}`]) {
      const error = refusal(() =>
        parseEvent(`${BEGIN}&${encodeURIComponent(name)}=1`, { customFields: 'any' }),
      );
      expect(error.field, name).toBe(name);
      expect(error.message).toBe(`unknown field "${name}" for support_conference_begin`);
    }
  });

  it('checks their values as any schema-1 text: an empty one is refused, naming it', () => {
    expect(refusal(() => parseEvent(`${BEGIN}&appliance_id=`)).field).toBe('appliance_id');
    const options: ParseOptions = { customFields: ['ticket_id'] };
    expect(refusal(() => parseEvent(`${BEGIN}&ticket_id=`, options)).message).toBe(
      'ticket_id must be a non-empty string',
    );
    expect(refusal(() => parseEvent(`${BEGIN}&appliance_id=a&appliance_id=b`)).field).toBe(
      'appliance_id',
    );
  });

  it('lenient keeps appliance_id and declared custom fields, and drops the rest', () => {
    const event = parseEvent(`${DEPLOYED_SURVEY}&schema_2=x`, {
      mode: 'lenient',
      customFields: ['ticket_id'],
    });
    expect(event).toMatchObject({ appliance_id: GUID });
    expect(event.customFields).toStrictEqual(fields({ ticket_id: 'INC0012' }));
    expect(Object.keys(event)).not.toContain('schema_2');
    expect(Object.keys(event)).not.toContain('priority');
  });

  it('refuses a customFields option that cannot be a custom field, at once', () => {
    for (const customFields of [
      ['lsid'],
      ['appliance_id'],
      ['external_key'],
      ['Ticket'],
      [''],
      'all',
    ]) {
      expect(
        () => parseEvent(BEGIN, { customFields } as ParseOptions),
        JSON.stringify(customFields),
      ).toThrow(TypeError);
      expect(() => createHandler({ customFields, on: {} } as never)).toThrow(TypeError);
    }
    expect(() => parseEvent(BEGIN, { customFields: ['lsid'] })).toThrow(
      'customFields: lsid is a variable of schema 1, not a custom field',
    );
  });
});

describe('createHandler with the wire options', () => {
  const request = (body: string) => ({
    method: 'POST',
    url: '/outbound',
    headers: signed(body, { id: newId() }),
    body,
  });

  it('hands the survey under the deployed name to its function, with the extras typed', async () => {
    const seen: ReceivedEvent[] = [];
    const handler = createHandler({
      secret: SECRET,
      customFields: ['ticket_id', 'priority'],
      on: {
        support_conference_rep_exit_survey_completed(event) {
          expectTypeOf(event.appliance_id).toEqualTypeOf<string | undefined>();
          seen.push(event);
        },
      },
    });
    expect(await handler.handle(request(DEPLOYED_SURVEY))).toMatchObject({ status: 200 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      event: 'support_conference_representative_exit_survey_completed',
      appliance_id: GUID,
    });
    expect(seen[0]?.customFields?.priority).toBe('2 - High');
  });

  it('answers 400 naming an undeclared custom field', async () => {
    const errors: ReceiverError[] = [];
    const handler = createHandler({
      secret: SECRET,
      onError: (e) => errors.push(e),
      on: {},
    });
    const answer = await handler.handle(request(DEPLOYED_SURVEY));
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('unknown field "ticket_id"');
    expect(errors[0]?.field).toBe('ticket_id');
  });
});
