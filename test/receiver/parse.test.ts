import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventValidationError, encodeEvent } from '../../src/events/index.js';
import { parseEvent, ReceiverError } from '../../src/receiver/index.js';
import { validEvent } from '../events/arbitraries.js';
import { SAMPLE_EVENTS } from './events.js';

const request = (body: string) =>
  new Request('http://receiver.test/outbound', { method: 'POST', body });

/** The error parseEvent throws for `fn`, checked to be ours. */
function refusal(fn: () => unknown): ReceiverError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ReceiverError);
    return error as ReceiverError;
  }
  throw new Error('expected parseEvent to refuse the body');
}

describe('parseEvent: every event the sender encodes comes back equal', () => {
  it.each(SAMPLE_EVENTS.map((e) => [e.event, e] as const))('%s', async (_name, event) => {
    const body = encodeEvent(event);
    expect(parseEvent(body)).toStrictEqual(event);
    expect(parseEvent(new TextEncoder().encode(body))).toStrictEqual(event);
    expect(parseEvent(new URLSearchParams(body))).toStrictEqual(event);
    expect(await parseEvent(request(body))).toStrictEqual(event);
    expect(parseEvent(body, { mode: 'lenient' })).toStrictEqual(event);
  });

  it('for any valid event (property)', () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        expect(parseEvent(encodeEvent(event))).toStrictEqual(event);
      }),
      { numRuns: 1000 },
    );
  });

  it('for any valid event read from a Request (property)', async () => {
    await fc.assert(
      fc.asyncProperty(validEvent, async (event) => {
        expect(await parseEvent(request(encodeEvent(event)))).toStrictEqual(event);
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseEvent: the representative exit survey alias', () => {
  it.each(['strict', 'lenient'] as const)('is the guide’s event in %s mode', (mode) => {
    const body = 'event=support_conference_rep_exit_survey_completed&version=1&timestamp=1&lsid=9';
    expect(parseEvent(body, { mode })).toStrictEqual({
      event: 'support_conference_representative_exit_survey_completed',
      version: 1,
      timestamp: 1,
      lsid: '9',
    });
  });
});

describe('parseEvent: modes', () => {
  const withExtra = `${encodeEvent(SAMPLE_EVENTS[0]!)}&schema_2_field=x`;

  it('strict (the default) refuses a variable schema 1 does not define, naming it', () => {
    const error = refusal(() => parseEvent(withExtra));
    expect(error).toMatchObject({ code: 'OUTBOUND_MALFORMED_EVENT', status: 400 });
    expect(error.field).toBe('schema_2_field');
    expect(error.cause).toBeInstanceOf(EventValidationError);
  });

  it('lenient accepts it and drops it', () => {
    expect(parseEvent(withExtra, { mode: 'lenient' })).toStrictEqual(SAMPLE_EVENTS[0]);
  });
});

describe('parseEvent: refusals are ReceiverError with status 400', () => {
  it.each([
    ['an empty body', '', 'event'],
    ['an unknown event', 'event=support_conference_start&version=1&timestamp=1&lsid=1', 'event'],
    [
      'a numeric-looking version 2',
      'event=support_conference_end&version=2&timestamp=1&lsid=1',
      'version',
    ],
    ['a missing lsid', 'event=support_conference_end&version=1&timestamp=1', 'lsid'],
    [
      'an empty external_key',
      'event=support_conference_end&version=1&timestamp=1&lsid=1&external_key=',
      'external_key',
    ],
    [
      'a repeated variable',
      'event=support_conference_end&version=1&timestamp=1&lsid=1&lsid=2',
      'lsid',
    ],
    [
      'user_id for a customer',
      'event=support_conference_member_added&version=1&timestamp=1&lsid=1&type=customer&display_name=a&user_id=3',
      'user_id',
    ],
  ])('%s', (_what, body, field) => {
    const error = refusal(() => parseEvent(body));
    expect(error).toMatchObject({ code: 'OUTBOUND_MALFORMED_EVENT', status: 400, field });
  });

  it('bytes that are not UTF-8', () => {
    const body = Buffer.concat([
      Buffer.from('event=support_conference_end&lsid='),
      Buffer.from([0xff]),
    ]);
    expect(refusal(() => parseEvent(body))).toMatchObject({ status: 400 });
  });

  it('a Request whose body was already read rejects with ReceiverError', async () => {
    const used = request(encodeEvent(SAMPLE_EVENTS[0]!));
    await used.text();
    await expect(parseEvent(used)).rejects.toBeInstanceOf(ReceiverError);
  });
});
