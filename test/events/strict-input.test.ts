/**
 * Input that used to be "repaired" or accepted loosely is now refused with a 400-style error
 * naming the field: broken percent-encoding, bytes that are not UTF-8, NUL, a `__proto__`
 * variable, the wrong JSON type for version/timestamp, and a conference_id that is not
 * `rep:N`, `team:N` or `general`.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeEvent,
  EventValidationError,
  formFields,
  validateEvent,
} from '../../src/events/index.js';

function caught(fn: () => unknown): { message: string; field: string | undefined } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EventValidationError);
    const e = error as EventValidationError;
    return { message: e.message, field: e.field };
  }
  throw new Error('expected an EventValidationError, got a result');
}

const HEAD = 'event=support_conference_member_added&version=1&timestamp=1700000000&lsid=42';
const customerForm = (displayName: string) => `${HEAD}&type=customer&display_name=${displayName}`;

const begin = { event: 'support_conference_begin', version: 1, timestamp: 1700000000, lsid: '42' };
const owner = (conference_id: unknown) => ({
  ...begin,
  event: 'support_conference_owner_changed',
  conference_id,
  conference_name: 'Tier 1',
});

describe('form bodies are decoded strictly', () => {
  it.each([
    ['%zz', '"%zz"'],
    ['ab%4', '"%4"'],
    ['%', '"%"'],
    ['x%g0y', '"%g0"'],
  ])('refuses invalid percent-encoding %s, naming the field', (value, quoted) => {
    const error = caught(() => decodeEvent(customerForm(value)));
    expect(error.field).toBe('display_name');
    expect(error.message).toContain('percent-encoding');
    expect(error.message).toContain(quoted);
  });

  it.each([
    ['%ff', 'a lone 0xFF'],
    ['%C3', 'a truncated sequence'],
    ['%C0%AF', 'an overlong encoding'],
    ['%ED%A0%80', 'an encoded surrogate'],
    ['%F4%90%80%80', 'a code point above U+10FFFF'],
    ['Jos%E9', 'Latin-1'],
  ])('refuses %s (%s): not UTF-8 once decoded', (value) => {
    expect(caught(() => decodeEvent(customerForm(value)))).toEqual({
      field: 'display_name',
      message: 'display_name is not valid UTF-8 once percent-decoded',
    });
  });

  it('names a field name that is itself badly encoded', () => {
    const error = caught(() => formFields(`${HEAD}&dis%zzplay=1`));
    expect(error.message).toContain('field name "dis%zzplay"');
    expect(error.message).toContain('"%zz"');
    const utf8 = caught(() => formFields(`${HEAD}&%ff=1`));
    expect(utf8.message).toBe('field name "%ff" is not valid UTF-8 once percent-decoded');
  });

  it('still reads + as a space, %2B as +, and valid UTF-8 escapes', () => {
    expect(formFields('a=J+M%2B%C3%A9%F0%9F%98%80&b=')).toEqual({ a: 'J M+é😀', b: '' });
  });

  it('refuses NUL in a value or a name, encoded or raw', () => {
    for (const value of ['a%00b', 'a\0b']) {
      expect(caught(() => decodeEvent(customerForm(value)))).toEqual({
        field: 'display_name',
        message: 'display_name must not contain NUL (U+0000)',
      });
    }
    expect(caught(() => formFields('a%00=1')).message).toContain('NUL');
  });

  it('refuses a __proto__ variable, however it is spelled', () => {
    for (const name of ['__proto__', '%5F_proto__', '__proto%5F%5F']) {
      expect(caught(() => decodeEvent(`${HEAD}&type=customer&display_name=A&${name}=x`))).toEqual({
        field: '__proto__',
        message: '"__proto__" is not allowed as a field name',
      });
    }
  });
});

describe('version and timestamp have the right type', () => {
  it('JSON: version is the number 1; the string "1" is refused', () => {
    expect(validateEvent({ ...begin, version: 1 }).version).toBe(1);
    for (const version of ['1', true, 1.5, 2, 0, null, [1], '01']) {
      expect(caught(() => validateEvent({ ...begin, version }))).toEqual({
        field: 'version',
        message: 'version must be the number 1',
      });
    }
  });

  it('JSON: timestamp is a whole number of seconds in range, never a string or a boolean', () => {
    expect(validateEvent({ ...begin, timestamp: 0 }).timestamp).toBe(0);
    expect(validateEvent({ ...begin, timestamp: 253402300799 }).timestamp).toBe(253402300799);
    for (const timestamp of ['1700000000', true, false, null, [1700000000], {}]) {
      const error = caught(() => validateEvent({ ...begin, timestamp }));
      expect(error.field).toBe('timestamp');
      expect(error.message).toMatch(/^timestamp must be a JSON number/);
    }
    for (const timestamp of [1.5, -1, 253402300800, Number.NaN, 2 ** 53]) {
      expect(caught(() => validateEvent({ ...begin, timestamp }))).toEqual({
        field: 'timestamp',
        message: 'timestamp must be Unix seconds: a whole number from 0 to 253402300799',
      });
    }
  });

  it('form: version is the text 1 and timestamp digits', () => {
    const form = (version: string, timestamp: string) =>
      `event=support_conference_begin&version=${version}&timestamp=${timestamp}&lsid=42`;
    expect(decodeEvent(form('1', '1700000000'))).toStrictEqual(begin);
    for (const version of ['01', '1.0', '+1', '%201', 'true', '2']) {
      expect(caught(() => decodeEvent(form(version, '1'))).field).toBe('version');
    }
    for (const timestamp of ['1.5', '-1', '1e9', '0x10', 'true', '253402300800', '%2B1']) {
      expect(caught(() => decodeEvent(form('1', timestamp))).field).toBe('timestamp');
    }
  });
});

describe('conference_id is rep:N, team:N or general', () => {
  it.each(['general', 'rep:12', 'team:5', 'rep:1', 'team:900719925474099'])('accepts %s', (id) => {
    expect(validateEvent(owner(id))).toHaveProperty('conference_id', id);
  });

  it.each([
    'General',
    'GENERAL',
    'rep:0',
    'rep:012',
    'rep:',
    'rep:-1',
    'rep:1.5',
    'team:x',
    'rep:12 ',
    ' rep:12',
    'rep:12\n',
    'group:3',
    'rep12',
    'rep:１２',
    'bob',
  ])('refuses %j', (id) => {
    expect(caught(() => validateEvent(owner(id)))).toEqual({
      field: 'conference_id',
      message: 'conference_id must be rep:N or team:N (N a positive whole number) or general',
    });
  });
});

describe('NUL is refused in every string variable', () => {
  it.each(['lsid', 'external_key'])('%s', (field) => {
    expect(caught(() => validateEvent({ ...begin, [field]: 'a\0b' }))).toEqual({
      field,
      message: `${field} must not contain NUL (U+0000)`,
    });
  });

  it('member and owner variables', () => {
    const rep = {
      ...begin,
      event: 'support_conference_member_added',
      type: 'representative',
      display_name: 'Ann',
      user_id: '12',
      username: 'ann',
    };
    for (const field of ['display_name', 'user_id', 'username']) {
      expect(caught(() => validateEvent({ ...rep, [field]: '\0' })).field).toBe(field);
    }
    expect(caught(() => validateEvent({ ...owner('general'), conference_name: 'x\0' })).field).toBe(
      'conference_name',
    );
  });
});
