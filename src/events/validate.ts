import { EventValidationError } from './errors.js';
import { fieldsOf } from './fields.js';
import { canonicalEventName, EVENT_NAMES, type EventName, SCHEMA_VERSION } from './names.js';
import { type Format, MAX_FIELD_LENGTH, MAX_TIMESTAMP, VARIABLES, variablesOf } from './schema.js';
import type { OutboundEvent } from './types.js';

type TextFormat = Extract<Format, { kind: 'text' }>;

export interface ValidateOptions {
  /**
   * Fill in what the API lets a caller leave out: `version` (1) and `timestamp` (this clock,
   * Unix seconds). Without it both are required, as they are on the wire.
   */
  defaultTimestamp?: () => number;
  /** `strict` (default) refuses variables schema 1 does not define; `lenient` drops them. */
  mode?: 'strict' | 'lenient';
  /**
   * Where the variables come from. `json` (default): a parsed JSON object, whose `version`
   * must be the number 1 and `timestamp` a number: a string there is a client's type error
   * worth reporting, not something to coerce. `form`: a form body's variables, all text, so
   * `version` is the text `1` and `timestamp` digits.
   */
  source?: 'json' | 'form';
}

/**
 * Checks that `input` (a parsed JSON object, or with `source: 'form'` the variables of a form
 * body, all strings) is one schema-1 event, and returns it typed, with `version` and
 * `timestamp` as numbers. Throws EventValidationError naming the field at fault. The rules
 * are read from the schema-1 table (schema.ts), one variable at a time in the order they are
 * sent, so the first fault in that order is the one reported.
 */
export function validateEvent(input: unknown, options: ValidateOptions = {}): OutboundEvent {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new EventValidationError('an event must be an object of schema-1 variables');
  }
  const record = input as Record<string, unknown>;
  const name = eventName(record.event);
  const allowed = new Set(fieldsOf(name));
  const out: Record<string, unknown> = { event: name };

  for (const key of Object.keys(record)) {
    if (!allowed.has(key) && options.mode !== 'lenient') {
      throw new EventValidationError(`unknown field "${key}" for ${name}`, key);
    }
  }

  const form = options.source === 'form';
  for (const [field, presence] of variablesOf(name)) {
    const value = record[field];
    const format: Format = VARIABLES[field].format;
    if (format.kind === 'name') continue; // read first: it decides the other rules
    if (format.kind === 'version') {
      out.version = version(value, options.defaultTimestamp !== undefined, form);
    } else if (format.kind === 'timestamp') {
      out.timestamp = timestamp(value, options.defaultTimestamp, form);
    } else if (presence === 'representative' && out.type !== 'representative') {
      // `type` comes before the variables it decides, so it is already in `out`.
      if (value !== undefined) {
        throw new EventValidationError(`${field} is only sent for a representative`, field);
      }
    } else if (value === undefined) {
      if (presence !== 'optional') throw new EventValidationError(`${field} is required`, field);
    } else {
      out[field] =
        format.kind === 'choice'
          ? choice(value, field, format.values)
          : checkedText(value, field, format);
    }
  }
  return out as unknown as OutboundEvent;
}

function eventName(value: unknown): EventName {
  if (value === undefined || value === null || value === '') {
    throw new EventValidationError('event is required', 'event');
  }
  if (typeof value !== 'string') throw new EventValidationError('event must be a string', 'event');
  const name = canonicalEventName(value);
  if (name === undefined) {
    throw new EventValidationError(
      `unknown event "${value}"; expected one of ${EVENT_NAMES.join(', ')}`,
      'event',
    );
  }
  return name;
}

function version(value: unknown, defaulted: boolean, form: boolean): 1 {
  if (value === undefined && defaulted) return SCHEMA_VERSION;
  if (value === undefined) throw new EventValidationError('version is required', 'version');
  if (form ? value === String(SCHEMA_VERSION) : value === SCHEMA_VERSION) return SCHEMA_VERSION;
  throw new EventValidationError(
    form ? `version must be ${SCHEMA_VERSION}` : `version must be the number ${SCHEMA_VERSION}`,
    'version',
  );
}

function timestamp(value: unknown, fallback: (() => number) | undefined, form: boolean): number {
  if (value === undefined && fallback) return fallback();
  if (value === undefined) throw new EventValidationError('timestamp is required', 'timestamp');
  if (!form && typeof value !== 'number') {
    throw new EventValidationError(
      `timestamp must be a JSON number of Unix seconds, not ${jsonType(value)}`,
      'timestamp',
    );
  }
  const seconds =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > MAX_TIMESTAMP) {
    throw new EventValidationError(
      `timestamp must be Unix seconds: a whole number from 0 to ${MAX_TIMESTAMP}`,
      'timestamp',
    );
  }
  return seconds === 0 ? 0 : seconds; // -0 (JSON `-0`) would not survive the wire as itself
}

function checkedText(value: unknown, field: string, format: TextFormat): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new EventValidationError(`${field} must be a non-empty string`, field);
  }
  if (value.length > MAX_FIELD_LENGTH) {
    throw new EventValidationError(
      `${field} must be at most ${MAX_FIELD_LENGTH} characters`,
      field,
    );
  }
  if (!value.isWellFormed()) {
    throw new EventValidationError(`${field} must be valid Unicode text`, field);
  }
  // No receiver expects it, and C-string code (databases, logs) would cut the value there.
  if (value.includes('\0')) {
    throw new EventValidationError(`${field} must not contain NUL (U+0000)`, field);
  }
  if (format.pattern !== undefined && !format.pattern.test(value)) {
    throw new EventValidationError(`${field} must be ${format.patternMessage}`, field);
  }
  return value;
}

/** `value` when it is one of `values`: `type must be "customer" or "representative"`. */
function choice(value: unknown, field: string, values: readonly string[]): string {
  if (typeof value !== 'string' || !values.includes(value)) {
    const quoted = values.map((v) => `"${v}"`).join(' or ');
    throw new EventValidationError(`${field} must be ${quoted}`, field);
  }
  return value;
}

/** How a JSON value's type reads in a message: "a string", "a boolean", "null"… */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
