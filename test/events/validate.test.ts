import { describe, expect, it } from 'vitest';
import {
  decodeEvent,
  EventValidationError,
  formFields,
  MAX_FIELD_LENGTH,
  type ValidateOptions,
  validateEvent,
} from '../../src/events/index.js';

const EXPECTED_NAMES =
  'support_conference_begin, support_conference_end, support_conference_owner_changed, ' +
  'support_conference_member_added, support_conference_member_departed, ' +
  'support_conference_customer_exit_survey_completed, ' +
  'support_conference_representative_exit_survey_completed';

const TIMESTAMP_MESSAGE = 'timestamp must be Unix seconds: a whole number from 0 to 253402300799';

/** The EventValidationError `fn` throws (fails the test if it throws anything else, or nothing). */
function caught(fn: () => unknown): EventValidationError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(EventValidationError);
  return thrown as EventValidationError;
}

function expectInvalid(
  input: unknown,
  message: string,
  field: string | undefined,
  options?: ValidateOptions,
): void {
  const error = caught(() => validateEvent(input, options));
  expect({ message: error.message, field: error.field }).toEqual({ message, field });
}

function expectUndecodable(body: string, message: string, field: string | undefined): void {
  const error = caught(() => decodeEvent(body));
  expect({ message: error.message, field: error.field }).toEqual({ message, field });
}

const begin = { event: 'support_conference_begin', version: 1, timestamp: 1700000000, lsid: '42' };
const owner = {
  event: 'support_conference_owner_changed',
  version: 1,
  timestamp: 1700000000,
  lsid: '42',
  conference_id: 'rep:12',
  conference_name: 'John Smith',
};
const customer = {
  event: 'support_conference_member_added',
  version: 1,
  timestamp: 1700000000,
  lsid: '42',
  type: 'customer',
  display_name: 'José Müller',
};
const rep = {
  event: 'support_conference_member_departed',
  version: 1,
  timestamp: 1700000000,
  lsid: '42',
  type: 'representative',
  display_name: '王小明',
  user_id: '17',
  username: 'xiaoming.wang',
};

describe('EventValidationError', () => {
  it('is an Error with a name, a code and the field at fault', () => {
    const error = caught(() => validateEvent({ ...begin, lsid: 42 }));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('EventValidationError');
    expect(error.code).toBe('OUTBOUND_INVALID_EVENT');
    expect(error.field).toBe('lsid');
  });
});

describe('validateEvent: accepts valid events', () => {
  it('returns a typed copy with version and timestamp as numbers', () => {
    expect(validateEvent(begin)).toStrictEqual(begin);
    expect(validateEvent(owner)).toStrictEqual(owner);
    expect(validateEvent(customer)).toStrictEqual(customer);
    expect(validateEvent(rep)).toStrictEqual(rep);
    // A form's variables are text: version "1" and timestamp digits.
    expect(
      validateEvent({ ...begin, version: '1', timestamp: '1700000000' }, { source: 'form' }),
    ).toStrictEqual(begin);
  });

  it('does not return the input object itself', () => {
    const input = { ...begin };
    const out = validateEvent(input);
    expect(out).not.toBe(input);
  });

  it('keeps external_key when given', () => {
    expect(validateEvent({ ...begin, external_key: 'INC-7' })).toStrictEqual({
      ...begin,
      external_key: 'INC-7',
    });
  });

  it('accepts the alias support_conference_rep_exit_survey_completed as the guide name', () => {
    const out = validateEvent({ ...begin, event: 'support_conference_rep_exit_survey_completed' });
    expect(out).toStrictEqual({
      ...begin,
      event: 'support_conference_representative_exit_survey_completed',
    });
  });

  it('accepts timestamps 0 and 253402300799, as numbers (JSON) or digit strings (form)', () => {
    const form = { source: 'form' } as const;
    const formBegin = { ...begin, version: '1' };
    expect(validateEvent({ ...begin, timestamp: 0 }).timestamp).toBe(0);
    expect(validateEvent({ ...formBegin, timestamp: '0' }, form).timestamp).toBe(0);
    expect(validateEvent({ ...begin, timestamp: 253402300799 }).timestamp).toBe(253402300799);
    expect(validateEvent({ ...formBegin, timestamp: '253402300799' }, form).timestamp).toBe(
      253402300799,
    );
  });

  it('turns a JSON -0 timestamp into 0', () => {
    const out = validateEvent(
      JSON.parse('{"event":"support_conference_begin","version":1,"timestamp":-0,"lsid":"1"}'),
    );
    expect(Object.is(out.timestamp, 0)).toBe(true);
  });

  it('accepts a field of exactly MAX_FIELD_LENGTH characters', () => {
    expect(MAX_FIELD_LENGTH).toBe(4096);
    const long = 'x'.repeat(MAX_FIELD_LENGTH);
    const out = validateEvent({ ...customer, display_name: long });
    expect(out).toHaveProperty('display_name', long);
  });

  it('accepts well-formed astral characters', () => {
    const out = validateEvent({ ...customer, display_name: '😀 王' });
    expect(out).toHaveProperty('display_name', '😀 王');
  });

  it('accepts an object without a prototype', () => {
    const input = Object.assign(Object.create(null), begin);
    expect(validateEvent(input)).toStrictEqual(begin);
  });
});

describe('validateEvent: input that is not an object', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'event=support_conference_begin'],
    ['a number', 42],
    ['a boolean', true],
    ['an array', [begin]],
  ])('refuses %s', (_label, input) => {
    expectInvalid(input, 'an event must be an object of schema-1 variables', undefined);
  });
});

describe('validateEvent: event', () => {
  it('requires event', () => {
    const { event: _event, ...rest } = begin;
    expectInvalid(rest, 'event is required', 'event');
    expectInvalid({ ...begin, event: '' }, 'event is required', 'event');
    expectInvalid({ ...begin, event: null }, 'event is required', 'event');
  });

  it('requires a string', () => {
    expectInvalid({ ...begin, event: 1 }, 'event must be a string', 'event');
    expectInvalid(
      { ...begin, event: ['support_conference_begin'] },
      'event must be a string',
      'event',
    );
  });

  it('refuses an unknown event and lists the expected names', () => {
    expectInvalid(
      { ...begin, event: 'support_conference_started' },
      `unknown event "support_conference_started"; expected one of ${EXPECTED_NAMES}`,
      'event',
    );
    // Names are case-sensitive.
    expectInvalid(
      { ...begin, event: 'SUPPORT_CONFERENCE_BEGIN' },
      `unknown event "SUPPORT_CONFERENCE_BEGIN"; expected one of ${EXPECTED_NAMES}`,
      'event',
    );
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'refuses %s (a name of Object.prototype) as an unknown event',
    (name) => {
      expectInvalid(
        { ...begin, event: name },
        `unknown event "${name}"; expected one of ${EXPECTED_NAMES}`,
        'event',
      );
    },
  );
});

describe('validateEvent: unknown fields', () => {
  it('refuses a field schema 1 does not define', () => {
    expectInvalid(
      { ...begin, foo: 'bar' },
      'unknown field "foo" for support_conference_begin',
      'foo',
    );
  });

  it('refuses a field that belongs to another event', () => {
    expectInvalid(
      { ...begin, conference_id: 'rep:1' },
      'unknown field "conference_id" for support_conference_begin',
      'conference_id',
    );
    expectInvalid(
      { ...owner, type: 'customer' },
      'unknown field "type" for support_conference_owner_changed',
      'type',
    );
    expectInvalid(
      { ...customer, conference_name: 'General' },
      'unknown field "conference_name" for support_conference_member_added',
      'conference_name',
    );
  });

  it('names the canonical event when the alias was used', () => {
    expectInvalid(
      { ...begin, event: 'support_conference_rep_exit_survey_completed', extra: '1' },
      'unknown field "extra" for support_conference_representative_exit_survey_completed',
      'extra',
    );
  });

  it('refuses an own __proto__ key (as JSON.parse makes it)', () => {
    expectInvalid(
      JSON.parse(
        '{"event":"support_conference_begin","version":1,"timestamp":1,"lsid":"1","__proto__":{"x":1}}',
      ),
      'unknown field "__proto__" for support_conference_begin',
      '__proto__',
    );
  });

  it('reports an unknown field before a missing one', () => {
    expectInvalid(
      { event: 'support_conference_begin', foo: 'bar' },
      'unknown field "foo" for support_conference_begin',
      'foo',
    );
  });

  it('strict is the default mode', () => {
    expectInvalid(
      { ...begin, foo: 'bar' },
      'unknown field "foo" for support_conference_begin',
      'foo',
      {
        mode: 'strict',
      },
    );
  });

  it('lenient mode drops unknown fields', () => {
    expect(
      validateEvent({ ...begin, foo: 'bar', type: 'customer' }, { mode: 'lenient' }),
    ).toStrictEqual(begin);
    expect(validateEvent({ ...owner, display_name: 'x', n: 3 }, { mode: 'lenient' })).toStrictEqual(
      owner,
    );
  });

  it('lenient mode still checks the fields schema 1 defines', () => {
    expectInvalid({ ...begin, foo: 'bar', lsid: 42 }, 'lsid must be a non-empty string', 'lsid', {
      mode: 'lenient',
    });
    expectInvalid(
      { ...customer, user_id: '1' },
      'user_id is only sent for a representative',
      'user_id',
      { mode: 'lenient' },
    );
  });
});

describe('validateEvent: lsid', () => {
  it('must be a non-empty string', () => {
    expectInvalid({ ...begin, lsid: 42 }, 'lsid must be a non-empty string', 'lsid');
    expectInvalid({ ...begin, lsid: '' }, 'lsid must be a non-empty string', 'lsid');
    expectInvalid({ ...begin, lsid: null }, 'lsid must be a non-empty string', 'lsid');
    expectInvalid({ ...begin, lsid: ['42'] }, 'lsid must be a non-empty string', 'lsid');
  });

  it('is required', () => {
    const { lsid: _lsid, ...rest } = begin;
    expectInvalid(rest, 'lsid is required', 'lsid');
  });
});

describe('validateEvent: external_key', () => {
  it('refuses an empty key (absent, never empty)', () => {
    expectInvalid(
      { ...begin, external_key: '' },
      'external_key must be a non-empty string',
      'external_key',
    );
  });

  it('refuses a non-string key', () => {
    expectInvalid(
      { ...begin, external_key: 7 },
      'external_key must be a non-empty string',
      'external_key',
    );
    expectInvalid(
      { ...begin, external_key: null },
      'external_key must be a non-empty string',
      'external_key',
    );
  });

  it('is optional', () => {
    expect(validateEvent(begin)).not.toHaveProperty('external_key');
  });
});

describe('validateEvent: owner_changed', () => {
  it('requires conference_id and conference_name', () => {
    const { conference_id: _id, ...noId } = owner;
    const { conference_name: _name, ...noName } = owner;
    expectInvalid(noId, 'conference_id is required', 'conference_id');
    expectInvalid(noName, 'conference_name is required', 'conference_name');
    expectInvalid(
      { ...owner, conference_name: '' },
      'conference_name must be a non-empty string',
      'conference_name',
    );
    expectInvalid(
      { ...owner, conference_id: 12 },
      'conference_id must be a non-empty string',
      'conference_id',
    );
  });
});

describe('validateEvent: members', () => {
  it('refuses user_id and username for a customer', () => {
    expectInvalid(
      { ...customer, user_id: '17' },
      'user_id is only sent for a representative',
      'user_id',
    );
    expectInvalid(
      { ...customer, username: 'amy' },
      'username is only sent for a representative',
      'username',
    );
  });

  it('requires user_id and username for a representative', () => {
    const { user_id: _u, ...noUserId } = rep;
    const { username: _n, ...noUsername } = rep;
    expectInvalid(noUserId, 'user_id is required', 'user_id');
    expectInvalid(noUsername, 'username is required', 'username');
    expectInvalid({ ...rep, user_id: 17 }, 'user_id must be a non-empty string', 'user_id');
    expectInvalid({ ...rep, username: '' }, 'username must be a non-empty string', 'username');
  });

  it('requires a known type', () => {
    const { type: _t, ...noType } = customer;
    expectInvalid(noType, 'type is required', 'type');
    for (const type of ['agent', 'Customer', 'REPRESENTATIVE', '', 1, null]) {
      expectInvalid({ ...customer, type }, 'type must be "customer" or "representative"', 'type');
    }
  });

  it('requires display_name', () => {
    const { display_name: _d, ...noName } = customer;
    expectInvalid(noName, 'display_name is required', 'display_name');
    expectInvalid(
      { ...rep, display_name: '' },
      'display_name must be a non-empty string',
      'display_name',
    );
  });
});

describe('validateEvent: version', () => {
  it('must be the number 1 in JSON', () => {
    for (const version of [2, '2', 0, '01', ' 1', '1', 1.5, true, null, '']) {
      expectInvalid({ ...begin, version }, 'version must be the number 1', 'version');
    }
  });

  it('must be the text 1 in a form', () => {
    for (const version of ['2', '01', ' 1', '1.0', '']) {
      expectInvalid({ ...begin, version }, 'version must be 1', 'version', { source: 'form' });
    }
  });

  it('is required without defaults', () => {
    const { version: _v, ...rest } = begin;
    expectInvalid(rest, 'version is required', 'version');
  });

  it('is still checked when defaults are on', () => {
    expectInvalid({ ...begin, version: 2 }, 'version must be the number 1', 'version', {
      defaultTimestamp: () => 1,
    });
  });
});

describe('validateEvent: timestamp', () => {
  it.each([
    ['negative', -1],
    ['a float', 1.5],
    ['too large', 253402300800],
    ['beyond safe integers', 2 ** 53],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('refuses %s', (_label, timestamp) => {
    expectInvalid({ ...begin, timestamp }, TIMESTAMP_MESSAGE, 'timestamp');
  });

  it.each([
    ['a string', '1700000000', 'a string'],
    ['null', null, 'null'],
    ['a boolean', true, 'a boolean'],
    ['an array', [1], 'an array'],
  ])('refuses %s in JSON, naming its type', (_label, timestamp, type) => {
    expectInvalid(
      { ...begin, timestamp },
      `timestamp must be a JSON number of Unix seconds, not ${type}`,
      'timestamp',
    );
  });

  it.each([
    ['negative string', '-5'],
    ['a float string', '1700000000.5'],
    ['"12a"', '12a'],
    ['exponent notation string', '1e3'],
    ['padded string', ' 12'],
    ['hex string', '0x10'],
    ['empty string', ''],
    ['non-ASCII digits', '١٢٣'],
    ['too large string', '253402300800'],
    ['a huge digit string', '9'.repeat(400)],
  ])('refuses %s in a form', (_label, timestamp) => {
    expectInvalid({ ...begin, version: '1', timestamp }, TIMESTAMP_MESSAGE, 'timestamp', {
      source: 'form',
    });
  });

  it('is required without defaults', () => {
    const { timestamp: _t, ...rest } = begin;
    expectInvalid(rest, 'timestamp is required', 'timestamp');
  });

  it('is still checked when defaults are on', () => {
    expectInvalid({ ...begin, timestamp: -1 }, TIMESTAMP_MESSAGE, 'timestamp', {
      defaultTimestamp: () => 1,
    });
  });
});

describe('validateEvent: defaults', () => {
  it('fills in version 1 and the timestamp from defaultTimestamp', () => {
    const out = validateEvent(
      { event: 'support_conference_begin', lsid: '42', external_key: 'INC-7' },
      { defaultTimestamp: () => 1234567890 },
    );
    expect(out).toStrictEqual({
      event: 'support_conference_begin',
      version: 1,
      timestamp: 1234567890,
      lsid: '42',
      external_key: 'INC-7',
    });
  });

  it('keeps a given timestamp without asking the clock', () => {
    let calls = 0;
    const clock = () => {
      calls += 1;
      return 999;
    };
    expect(validateEvent({ ...begin, timestamp: 5 }, { defaultTimestamp: clock }).timestamp).toBe(
      5,
    );
    expect(calls).toBe(0);
    expect(
      validateEvent({ event: 'support_conference_end', lsid: '1' }, { defaultTimestamp: clock })
        .timestamp,
    ).toBe(999);
    expect(calls).toBe(1);
  });
});

describe('validateEvent: length and Unicode', () => {
  it.each(['lsid', 'external_key', 'display_name'] as const)(
    'refuses a %s that is too long',
    (field) => {
      expectInvalid(
        { ...customer, [field]: 'x'.repeat(MAX_FIELD_LENGTH + 1) },
        `${field} must be at most 4096 characters`,
        field,
      );
    },
  );

  it('refuses too-long owner and representative fields', () => {
    const long = 'é'.repeat(MAX_FIELD_LENGTH + 1);
    expectInvalid(
      { ...owner, conference_name: long },
      'conference_name must be at most 4096 characters',
      'conference_name',
    );
    expectInvalid(
      { ...rep, username: long },
      'username must be at most 4096 characters',
      'username',
    );
  });

  it('refuses a lone surrogate', () => {
    for (const display_name of ['\uD800', 'a\uDC00b', 'x\uD83D']) {
      expectInvalid(
        { ...customer, display_name },
        'display_name must be valid Unicode text',
        'display_name',
      );
    }
    expectInvalid({ ...begin, lsid: '4\uD800' }, 'lsid must be valid Unicode text', 'lsid');
    expectInvalid(
      { ...begin, external_key: '\uDFFF' },
      'external_key must be valid Unicode text',
      'external_key',
    );
  });
});

describe('decodeEvent: form bodies', () => {
  const body = 'event=support_conference_begin&version=1&timestamp=1700000000&lsid=42';

  it('decodes a body into a typed event', () => {
    expect(decodeEvent(body)).toStrictEqual(begin);
    expect(decodeEvent(new URLSearchParams(body))).toStrictEqual(begin);
  });

  it('reads + and %20 as spaces and percent escapes as UTF-8', () => {
    expect(
      decodeEvent(
        'event=support_conference_member_added&version=1&timestamp=1700000000&lsid=42&type=customer&display_name=Jos%C3%A9+M%C3%BCller%20%26%0D%0A',
      ),
    ).toStrictEqual({ ...customer, display_name: 'José Müller &\r\n' });
  });

  it.each(['event', 'version', 'timestamp', 'lsid', 'external_key', 'foo'])(
    'refuses %s given twice',
    (field) => {
      const value = field === 'version' ? '1' : field === 'timestamp' ? '1700000000' : '42';
      expectUndecodable(
        `${body}&external_key=K&foo=x&${field}=${value}`,
        `${field} appears more than once`,
        field,
      );
    },
  );

  it('refuses a duplicate even with the same value and in lenient mode', () => {
    const error = caught(() => decodeEvent(`${body}&lsid=42`, { mode: 'lenient' }));
    expect(error.message).toBe('lsid appears more than once');
    expect(error.field).toBe('lsid');
    const extra = caught(() => decodeEvent(`${body}&x=1&x=1`, { mode: 'lenient' }));
    expect(extra.message).toBe('x appears more than once');
  });

  it('requires version and timestamp on the wire', () => {
    expectUndecodable(
      'event=support_conference_begin&timestamp=1700000000&lsid=42',
      'version is required',
      'version',
    );
    expectUndecodable(
      'event=support_conference_begin&version=1&lsid=42',
      'timestamp is required',
      'timestamp',
    );
  });

  it('refuses empty variables', () => {
    expectUndecodable(
      `${body}&external_key=`,
      'external_key must be a non-empty string',
      'external_key',
    );
    expectUndecodable(
      'event=support_conference_begin&version=&timestamp=1700000000&lsid=42',
      'version must be 1',
      'version',
    );
    expectUndecodable(
      'event=support_conference_begin&version=1&timestamp=&lsid=42',
      TIMESTAMP_MESSAGE,
      'timestamp',
    );
    expectUndecodable(
      'event=support_conference_begin&version=1&timestamp=1&lsid=',
      'lsid must be a non-empty string',
      'lsid',
    );
    expectUndecodable('', 'event is required', 'event');
    expectUndecodable('event=', 'event is required', 'event');
  });

  it('refuses unknown variables, and __proto__ as a name of its own', () => {
    expectUndecodable(`${body}&foo=bar`, 'unknown field "foo" for support_conference_begin', 'foo');
    expectUndecodable(
      `${body}&__proto__=x`,
      '"__proto__" is not allowed as a field name',
      '__proto__',
    );
    expectUndecodable(
      `${body}&__proto__=x&__proto__=y`,
      '"__proto__" is not allowed as a field name',
      '__proto__',
    );
  });

  it('accepts the alias on the wire', () => {
    expect(
      decodeEvent(
        'event=support_conference_rep_exit_survey_completed&version=1&timestamp=1700000000&lsid=42',
      ).event,
    ).toBe('support_conference_representative_exit_survey_completed');
  });

  it('fills in defaults only when asked to', () => {
    expect(
      decodeEvent('event=support_conference_end&lsid=42', { defaultTimestamp: () => 77 }),
    ).toStrictEqual({ event: 'support_conference_end', version: 1, timestamp: 77, lsid: '42' });
  });

  it('formFields returns each variable once', () => {
    expect({ ...formFields('a=1&b=+2+&c=%25') }).toEqual({ a: '1', b: ' 2 ', c: '%' });
    expect(caught(() => formFields('a=1&a=2')).message).toBe('a appears more than once');
  });
});
