/** The sessions API's bodies: what is accepted, and a 400 naming the field for the rest. */
import { describe, expect, it } from 'vitest';
import { EventValidationError } from '../../src/events/index.js';
import {
  parseExternalKey,
  parseMember,
  parseMemberId,
  parseNewSession,
  parseOwner,
} from '../../src/sessions/index.js';

function fieldOf(fn: () => unknown): { field: string | undefined; message: string } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EventValidationError);
    const e = error as EventValidationError;
    return { field: e.field, message: e.message };
  }
  throw new Error('expected a validation error');
}

describe('session input', () => {
  it('new session: empty, key, owner', () => {
    expect(parseNewSession(undefined)).toEqual({});
    expect(parseNewSession({})).toEqual({});
    expect(
      parseNewSession({
        external_key: 'INC-7',
        owner: { conference_id: 'team:5', conference_name: 'Tier 1' },
      }),
    ).toEqual({
      externalKey: 'INC-7',
      owner: { conference_id: 'team:5', conference_name: 'Tier 1' },
    });
  });

  it('new session: refusals name the field', () => {
    expect(fieldOf(() => parseNewSession({ external_key: '' }))).toEqual({
      field: 'external_key',
      message: 'external_key must be a non-empty string',
    });
    expect(fieldOf(() => parseNewSession({ external_key: 7 })).field).toBe('external_key');
    expect(fieldOf(() => parseNewSession({ external_key: null })).field).toBe('external_key');
    expect(fieldOf(() => parseNewSession({ owner: { conference_id: 'general' } }))).toEqual({
      field: 'owner.conference_name',
      message: 'owner.conference_name is required',
    });
    expect(fieldOf(() => parseNewSession({ owner: 'general' })).field).toBe('owner');
    expect(
      fieldOf(() =>
        parseNewSession({ owner: { conference_id: 'x', conference_name: 'y', colour: 1 } }),
      ).field,
    ).toBe('owner.colour');
    expect(fieldOf(() => parseNewSession({ lsid: '42' }))).toEqual({
      field: 'lsid',
      message: 'unknown field "lsid"; expected external_key, owner',
    });
    expect(fieldOf(() => parseNewSession([])).message).toBe('the body must be a JSON object');
    expect(fieldOf(() => parseNewSession('external_key=x')).field).toBeUndefined();
  });

  it('external key and owner', () => {
    expect(parseExternalKey({ external_key: 'ü & =' })).toBe('ü & =');
    expect(fieldOf(() => parseExternalKey({})).field).toBe('external_key');
    expect(fieldOf(() => parseExternalKey({ external_key: 'x'.repeat(5000) })).field).toBe(
      'external_key',
    );
    expect(fieldOf(() => parseExternalKey({ external_key: '\uD800' })).field).toBe('external_key');
    expect(parseOwner({ conference_id: 'rep:12', conference_name: 'Ann' })).toEqual({
      conference_id: 'rep:12',
      conference_name: 'Ann',
    });
    expect(fieldOf(() => parseOwner({ conference_id: '', conference_name: 'Ann' })).field).toBe(
      'conference_id',
    );
    expect(fieldOf(() => parseOwner(undefined)).message).toBe('the body must be a JSON object');
  });

  it('members: user_id and username for representatives only, and required then', () => {
    expect(parseMember({ type: 'customer', display_name: 'Zoë' })).toEqual({
      type: 'customer',
      display_name: 'Zoë',
    });
    expect(
      parseMember({ type: 'representative', display_name: 'Ann', user_id: '12', username: 'ann' }),
    ).toEqual({ type: 'representative', display_name: 'Ann', user_id: '12', username: 'ann' });
    expect(
      fieldOf(() => parseMember({ type: 'customer', display_name: 'Z', user_id: '1' })),
    ).toEqual({ field: 'user_id', message: 'user_id is only sent for a representative' });
    expect(
      fieldOf(() => parseMember({ type: 'representative', display_name: 'A', user_id: '12' })),
    ).toEqual({ field: 'username', message: 'username is required' });
    expect(fieldOf(() => parseMember({ type: 'guest', display_name: 'A' })).field).toBe('type');
    expect(fieldOf(() => parseMember({ type: 'customer' })).field).toBe('display_name');
    expect(fieldOf(() => parseMember({ type: 'customer', display_name: '' })).field).toBe(
      'display_name',
    );
    expect(fieldOf(() => parseMember({ type: 'customer', display_name: 'A', id: 1 })).field).toBe(
      'id',
    );
  });

  it('owners are rep:N, team:N or general; NUL is refused', () => {
    for (const id of ['general', 'team:5', 'rep:12']) {
      expect(parseOwner({ conference_id: id, conference_name: 'X' }).conference_id).toBe(id);
    }
    for (const id of ['General', 'rep:0', 'rep:012', 'team:', 'queue']) {
      expect(fieldOf(() => parseOwner({ conference_id: id, conference_name: 'X' }))).toEqual({
        field: 'conference_id',
        message: 'conference_id must be rep:N or team:N (N a positive whole number) or general',
      });
    }
    expect(
      fieldOf(() => parseNewSession({ owner: { conference_id: 'rep:x', conference_name: 'X' } })),
    ).toEqual({
      field: 'owner.conference_id',
      message: 'owner.conference_id must be rep:N or team:N (N a positive whole number) or general',
    });
    expect(
      fieldOf(() => parseOwner({ conference_id: 'general', conference_name: 'G\u0000' })),
    ).toEqual({
      field: 'conference_name',
      message: 'conference_name must not contain NUL (U+0000)',
    });
  });

  it("a representative's user_id is the N of rep:N they may come to own", () => {
    for (const user_id of ['ann', '0', '012', '-3', '1.5', '12 ']) {
      expect(
        fieldOf(() =>
          parseMember({ type: 'representative', display_name: 'A', user_id, username: 'a' }),
        ).field,
      ).toBe('user_id');
    }
  });

  it('member ids', () => {
    expect(parseMemberId('3')).toBe(3);
    for (const raw of ['0', '-1', '03', 'x', '1.5', '', '9999999999']) {
      expect(parseMemberId(raw)).toBeUndefined();
    }
  });
});
