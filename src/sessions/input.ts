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
import {
  checkShort,
  checkText,
  MAX_ANSWER_NAME_LENGTH,
  MAX_ANSWER_VALUE_BYTES,
  MAX_ATTRIBUTE_LENGTH,
  MAX_BODY_BYTES,
  MAX_DETAIL_LENGTH,
  MAX_FILENAME_LENGTH,
  MAX_INFO_DETAILS_BYTES,
  MAX_SURVEY_ANSWERS,
} from './limits.js';
import type { FileDirection, NewSession } from './rules.js';
import type {
  CustomerDetails,
  CustomerInfo,
  Owner,
  RepresentativeDetails,
  SurveyAnswer,
} from './types.js';

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

/*
 * The report-only steps: member details, chat, notes, file transfers, survey answers, custom
 * attributes. Their text is free (any Unicode, control characters included: the report
 * encodes what XML cannot hold) within the bounds of ./limits.ts.
 */

/** A custom field's code name, as the appliance's API spells them (case-sensitive). */
export const CODE_NAME = /^[a-z][a-z0-9_]{0,63}$/;

const CUSTOMER_DETAILS = ['username', 'public_ip', 'private_ip', 'hostname', 'os', 'info'];
const CUSTOMER_INFO = ['name', 'company', 'company_code', 'issue', 'details'];
const REP_DETAILS = [
  'public_display_name',
  'private_display_name',
  'public_ip',
  'private_ip',
  'hostname',
  'os',
];

/** POST …/members: the schema-1 member fields, plus `details` as the reports show them. */
export function parseNewMember(body: unknown): {
  member: Member;
  details?: CustomerDetails | RepresentativeDetails;
} {
  const { details, ...fields } = fieldsOf(body, [
    ...EVENT_FIELDS.support_conference_member_added,
    'details',
  ]);
  const member = parseMember(fields);
  if (details === undefined) return { member };
  return { member, details: memberDetails(member, details) };
}

function memberDetails(member: Member, value: unknown): CustomerDetails | RepresentativeDetails {
  if (member.type === 'representative') {
    const record = fieldsOf(value, REP_DETAILS, 'details.');
    return shortFields(record, REP_DETAILS, 'details.');
  }
  const record = fieldsOf(value, CUSTOMER_DETAILS, 'details.');
  const out: CustomerDetails = shortFields(record, CUSTOMER_DETAILS.slice(0, -1), 'details.');
  if (record.info !== undefined) {
    const info = fieldsOf(record.info, CUSTOMER_INFO, 'details.info.');
    const parsed: CustomerInfo = shortFields(info, CUSTOMER_INFO.slice(0, -1), 'details.info.');
    if (info.details !== undefined) {
      parsed.details = checkText(
        info.details,
        'details.info.details',
        MAX_INFO_DETAILS_BYTES,
        true,
      );
    }
    out.info = parsed;
  }
  return out;
}

function shortFields(
  record: Record<string, unknown>,
  names: string[],
  prefix: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    if (record[name] === undefined) continue;
    out[name] = checkShort(record[name], prefix + name, MAX_DETAIL_LENGTH, true);
  }
  return out;
}

/** POST …/chat `{from, to?, body}`: `to` absent, the message is to everyone. */
export function parseChat(body: unknown): { from: number; to?: number; body: string } {
  const record = fieldsOf(body, ['from', 'to', 'body']);
  const out: { from: number; to?: number; body: string } = {
    from: memberIdOf(record.from, 'from'),
    body: checkText(required(record, 'body'), 'body', MAX_BODY_BYTES),
  };
  if (record.to !== undefined) out.to = memberIdOf(record.to, 'to');
  return out;
}

/** POST …/notes `{by, body}` */
export function parseNote(body: unknown): { by: number; body: string } {
  const record = fieldsOf(body, ['by', 'body']);
  return {
    by: memberIdOf(record.by, 'by'),
    body: checkText(required(record, 'body'), 'body', MAX_BODY_BYTES),
  };
}

/** POST …/files `{by, direction: 'upload'|'download', filename, filesize}` */
export function parseFileTransfer(body: unknown): {
  by: number;
  direction: FileDirection;
  filename: string;
  filesize: number;
} {
  const record = fieldsOf(body, ['by', 'direction', 'filename', 'filesize']);
  const direction = required(record, 'direction');
  if (direction !== 'upload' && direction !== 'download') {
    throw new EventValidationError('direction must be "upload" or "download"', 'direction');
  }
  const filesize = required(record, 'filesize');
  if (typeof filesize !== 'number' || !Number.isSafeInteger(filesize) || filesize < 0) {
    throw new EventValidationError(
      'filesize must be a whole number of bytes, 0 or more',
      'filesize',
    );
  }
  return {
    by: memberIdOf(record.by, 'by'),
    direction,
    filename: checkShort(required(record, 'filename'), 'filename', MAX_FILENAME_LENGTH),
    filesize,
  };
}

/**
 * PUT …/attributes `{code_name: value, …}`: each value at most 1024 characters, '' clears it.
 * Whether each code name is defined is for the caller to check (the store has the definitions).
 */
export function parseAttributes(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EventValidationError('the body must be a JSON object of code names and values');
  }
  const out: Record<string, string> = {};
  for (const [codeName, value] of Object.entries(body)) {
    if (!CODE_NAME.test(codeName)) {
      throw new EventValidationError(
        `"${codeName}" is not a custom field code name (a-z first, then a-z, 0-9, _; at most 64)`,
        codeName,
      );
    }
    out[codeName] = checkShort(value, codeName, MAX_ATTRIBUTE_LENGTH, true);
  }
  return out;
}

/** POST …/surveys/{party}: no body, or `{answers?: [{name, value}]}`. */
export function parseSurvey(body: unknown): { answers?: SurveyAnswer[] } {
  const record = fieldsOf(body ?? {}, ['answers']);
  if (record.answers === undefined) return {};
  if (!Array.isArray(record.answers)) {
    throw new EventValidationError('answers must be an array of {name, value}', 'answers');
  }
  if (record.answers.length > MAX_SURVEY_ANSWERS) {
    throw new EventValidationError(`answers must hold at most ${MAX_SURVEY_ANSWERS}`, 'answers');
  }
  const answers = record.answers.map((item: unknown, i: number) => {
    const prefix = `answers[${i}].`;
    const answer = fieldsOf(item, ['name', 'value'], prefix);
    return {
      name: checkShort(required(answer, 'name', prefix), `${prefix}name`, MAX_ANSWER_NAME_LENGTH),
      value: checkText(
        required(answer, 'value', prefix),
        `${prefix}value`,
        MAX_ANSWER_VALUE_BYTES,
        true,
      ),
    };
  });
  return { answers };
}

function required(record: Record<string, unknown>, name: string, prefix = ''): unknown {
  if (record[name] === undefined) {
    throw new EventValidationError(`${prefix}${name} is required`, prefix + name);
  }
  return record[name];
}

function memberIdOf(value: unknown, field: string): number {
  if (value === undefined) throw new EventValidationError(`${field} is required`, field);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 999_999_999) {
    throw new EventValidationError(`${field} must be a member id (a whole number from 1)`, field);
  }
  return value;
}
