import { EventValidationError } from '../events/index.js';
import { SessionError } from './errors.js';
import type { SessionState } from './types.js';

/*
 * Bounds on what a session records. The store rewrites a session's whole state on every step,
 * so each step costs time and space in proportion to everything recorded so far: these keep
 * that cost bounded (at most ~10,000 detail events, each at most ~32 KiB of text).
 */

/** A chat message or note: UTF-8 bytes. */
export const MAX_BODY_BYTES = 32 * 1024;
/** A transferred file's name: characters (code points). */
export const MAX_FILENAME_LENGTH = 255;
/** A custom attribute or the external key set with it: characters, as the appliance counts. */
export const MAX_ATTRIBUTE_LENGTH = 1024;
/** All custom attribute values and the external key together: UTF-8 bytes ("10 KB"). */
export const MAX_ATTRIBUTES_BYTES = 10 * 1024;
/** Detail events a session may grow to by steps that can repeat (chat, notes, files, …). */
export const MAX_DETAILS = 10_000;
/**
 * All chat and note text of a session together: UTF-8 bytes. Without it 10,000 messages of
 * 32 KiB would make a 320 MiB state, rewritten whole on every step.
 */
export const MAX_SESSION_TEXT_BYTES = 4 * 1024 * 1024;
/** Exit survey answers: how many, and each name's and value's length. */
export const MAX_SURVEY_ANSWERS = 100;
export const MAX_ANSWER_NAME_LENGTH = 255;
export const MAX_ANSWER_VALUE_BYTES = 32 * 1024;
/** A member detail (hostname, os, ip, info.issue…): characters. */
export const MAX_DETAIL_LENGTH = 1024;
/** info.details, the customer's free text about the issue: UTF-8 bytes. */
export const MAX_INFO_DETAILS_BYTES = 32 * 1024;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const codePoints = (text: string) => [...text].length;
/** A lone surrogate: not Unicode, and not storable as UTF-8 text. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Free text (chat, notes, survey comments): any Unicode, control characters and NUL included,
 * for the report encodes what XML cannot hold; only what is not Unicode is refused.
 */
export function checkText(value: unknown, field: string, maxBytes: number, empty = false): string {
  if (typeof value !== 'string') throw new EventValidationError(`${field} must be a string`, field);
  if (!empty && value === '') throw new EventValidationError(`${field} must not be empty`, field);
  if (LONE_SURROGATE.test(value)) {
    throw new EventValidationError(
      `${field} must be well-formed Unicode (a lone surrogate)`,
      field,
    );
  }
  if (bytes(value) > maxBytes) {
    throw new EventValidationError(`${field} must be at most ${maxBytes} bytes of UTF-8`, field);
  }
  return value;
}

/** A short value (names, attributes): like checkText, counted in characters. */
export function checkShort(
  value: unknown,
  field: string,
  maxLength: number,
  empty = false,
): string {
  const text = checkText(value, field, maxLength * 4, empty);
  if (codePoints(text) > maxLength) {
    throw new EventValidationError(`${field} must be at most ${maxLength} characters`, field);
  }
  return text;
}

/** The external key and custom attributes as they would be stored, within 10 KB in all. */
export function checkAttributesSize(state: SessionState): void {
  let total = state.externalKey === null ? 0 : bytes(state.externalKey);
  for (const value of Object.values(state.customAttributes)) total += bytes(value);
  if (total > MAX_ATTRIBUTES_BYTES) {
    throw new EventValidationError(
      `the external key and custom attributes must be at most ${MAX_ATTRIBUTES_BYTES} bytes in all (would be ${total})`,
      'custom_attributes',
    );
  }
}

/** Refuses a repeatable step once the session has recorded MAX_DETAILS detail events. */
export function checkRoom(state: SessionState): void {
  if (state.details.length >= MAX_DETAILS) {
    throw new SessionError(
      'SESSION_TOO_LARGE',
      `session ${state.lsid} has recorded ${MAX_DETAILS} detail events, as many as a session may; it can still lose members, end and take its exit surveys`,
    );
  }
}

/** Refuses a chat message or note that would take the session's text past its bound. */
export function checkTextRoom(state: SessionState, adding: string): void {
  let total = bytes(adding);
  for (const detail of state.details) {
    if (detail.body !== undefined) total += bytes(detail.body);
  }
  if (total > MAX_SESSION_TEXT_BYTES) {
    throw new SessionError(
      'SESSION_TOO_LARGE',
      `session ${state.lsid} would hold more than ${MAX_SESSION_TEXT_BYTES} bytes of chat and notes, as much as a session may; it can still lose members, end and take its exit surveys`,
    );
  }
}
