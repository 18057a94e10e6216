import {
  EVENT_FIELDS,
  type EventName,
  EventValidationError,
  type Member,
  type MemberAdded,
  NUMERIC_ID,
  type OutboundEvent,
  type OwnerChanged,
  validateEvent,
} from '../events/index.js';
import type { NewSession } from './rules.js';
import type { Owner } from './types.js';

/**
 * Reads the sessions API's JSON bodies. The fields are schema-1 variables, so each is checked
 * by the events validator itself (non-empty, well-formed, no NUL, not too long; `conference_id`
 * `rep:N`, `team:N` or `general`; `user_id` and `username` for a representative only): a
 * session can only emit events that are valid.
 * Errors are EventValidationError naming the field, as for POST /api/v1/events.
 */

/** `{external_key?, owner?: {conference_id, conference_name}}`; no body at all is `{}`. */
export function parseNewSession(body: unknown): NewSession {
  const record = fieldsOf(body ?? {}, ['external_key', 'owner']);
  const out: NewSession = {};
  if (record.external_key !== undefined) out.externalKey = externalKeyOf(record);
  if (record.owner !== undefined) out.owner = ownerOf(record.owner, 'owner.');
  return out;
}

/** `{external_key}` */
export function parseExternalKey(body: unknown): string {
  const record = fieldsOf(body, ['external_key']);
  if (record.external_key === undefined) {
    throw new EventValidationError('external_key is required', 'external_key');
  }
  return externalKeyOf(record);
}

/** `{conference_id, conference_name}` */
export function parseOwner(body: unknown): Owner {
  return ownerOf(body, '');
}

/**
 * `{type, display_name, user_id?, username?}`; the last two for a representative only. A
 * representative may come to own the session, as `rep:<user_id>`, so user_id is the N of
 * `rep:N`: checked here, or that later owner_changed would be refused mid-session.
 */
export function parseMember(body: unknown): Member {
  const record = fieldsOf(body, EVENT_FIELDS.support_conference_member_added);
  const event = asEvent('support_conference_member_added', record, '') as MemberAdded;
  if (event.type === 'representative' && !NUMERIC_ID.test(event.user_id)) {
    throw new EventValidationError(
      "user_id must be a representative's numeric id (a positive whole number, as in rep:12)",
      'user_id',
    );
  }
  return event.type === 'representative'
    ? {
        type: 'representative',
        display_name: event.display_name,
        user_id: event.user_id,
        username: event.username,
      }
    : { type: 'customer', display_name: event.display_name };
}

/** The member id of a path, or undefined when it cannot name a member. */
export function parseMemberId(raw: string): number | undefined {
  return /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : undefined;
}

function externalKeyOf(record: Record<string, unknown>): string {
  const event = asEvent('support_conference_begin', { external_key: record.external_key }, '');
  return event.external_key as string;
}

function ownerOf(value: unknown, prefix: string): Owner {
  const record = fieldsOf(value, EVENT_FIELDS.support_conference_owner_changed, prefix);
  const event = asEvent('support_conference_owner_changed', record, prefix) as OwnerChanged;
  return { conference_id: event.conference_id, conference_name: event.conference_name };
}

/** `value` as an object holding only `allowed` keys. */
function fieldsOf(
  value: unknown,
  allowed: readonly string[],
  prefix = '',
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = prefix === '' ? 'the body' : prefix.slice(0, -1);
    throw new EventValidationError(
      `${what} must be a JSON object`,
      prefix === '' ? undefined : what,
    );
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new EventValidationError(
        `unknown field "${prefix}${key}"; expected ${allowed.map((f) => prefix + f).join(', ')}`,
        prefix + key,
      );
    }
  }
  return value as Record<string, unknown>;
}

/** Runs the events validator on the fields as part of a `name` event. */
function asEvent(name: EventName, fields: Record<string, unknown>, prefix: string): OutboundEvent {
  try {
    return validateEvent({ ...fields, event: name, version: 1, timestamp: 0, lsid: '-' });
  } catch (error) {
    if (error instanceof EventValidationError && prefix !== '' && error.field !== undefined) {
      throw new EventValidationError(`${prefix}${error.message}`, prefix + error.field);
    }
    throw error;
  }
}
