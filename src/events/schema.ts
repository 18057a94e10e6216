import { EVENT_NAMES, type EventName, MEMBER_TYPES } from './names.js';

/**
 * Schema 1 as one table: every variable with its format (VARIABLES), and per event which
 * variables it carries, in the order they are sent, and whether each is required (SCHEMA_1).
 * The validator, the wire order (fields.ts), the listener's inspection and the OpenAPI event
 * schemas (json-schema.ts) are all read from here: a new variable is one row in each table.
 */

/** Longest value accepted for any variable: far beyond any real name, short of abuse. */
export const MAX_FIELD_LENGTH = 4096;
/** Latest accepted timestamp: 9999-12-31, so that every date formatter can show it. */
export const MAX_TIMESTAMP = 253_402_300_799;

/**
 * The N of `rep:N` and `team:N`: the appliance's numeric id of a representative or a team,
 * a positive whole number written without leading zeros (`rep:12`, never `rep:012`), so that
 * one owner has one spelling.
 */
export const NUMERIC_ID = /^[1-9][0-9]*$/;

/** `conference_id`: `rep:N`, `team:N` or `general`, exactly as the guide spells them. */
export const CONFERENCE_ID = /^(?:(?:rep|team):[1-9][0-9]*|general)$/;

/** How a variable's value is written. */
export type Format =
  /** One of the seven event names (or the alias of one). */
  | { kind: 'name' }
  /** The schema's version: the number 1 in JSON, the text `1` in a form. */
  | { kind: 'version' }
  /** Unix seconds, a whole number from 0 to MAX_TIMESTAMP (digits in a form). */
  | { kind: 'timestamp' }
  /**
   * Text: non-empty, at most MAX_FIELD_LENGTH UTF-16 units, well-formed Unicode, no NUL;
   * with `pattern`, also matching it (`patternMessage` says how, in a refusal).
   */
  | { kind: 'text'; pattern?: RegExp; patternMessage?: string; example?: string }
  /** One of `values`, exactly. */
  | { kind: 'choice'; values: readonly string[] };

export interface Variable {
  format: Format;
  /** What it holds, after the vendor guide. */
  about: string;
}

const text = (about: string): Variable => ({ format: { kind: 'text' }, about });

/** Every schema-1 variable, in the order they are sent. */
export const VARIABLES = {
  event: { format: { kind: 'name' }, about: 'The name of the event that occurred' },
  version: { format: { kind: 'version' }, about: 'The schema version: 1' },
  timestamp: {
    format: { kind: 'timestamp' },
    about: 'Unix seconds when the event originated; a retry re-sends the original value',
  },
  lsid: text('The Logging Session ID: always a string, never a number'),
  external_key: text('Present only once an external key has been assigned to the session'),
  conference_id: {
    format: {
      kind: 'text',
      pattern: CONFERENCE_ID,
      patternMessage: 'rep:N or team:N (N a positive whole number) or general',
      example: 'general',
    },
    about: '`rep:12`, `team:5` or `general`',
  },
  conference_name: text('The name of the representative or team'),
  type: { format: { kind: 'choice', values: MEMBER_TYPES }, about: 'Who joined or left' },
  display_name: text('The display name of the individual'),
  user_id: text('The unique ID of the representative'),
  username: text('The username of the representative'),
} as const satisfies Record<string, Variable>;

export type VariableName = keyof typeof VARIABLES;

/**
 * Whether an event carries a variable: always (`required`), when it has one (`optional`), or
 * exactly when its `type` is `representative` (`representative`: required then, refused for a
 * customer).
 */
export type Presence = 'required' | 'optional' | 'representative';

const STANDARD = {
  event: 'required',
  version: 'required',
  timestamp: 'required',
  lsid: 'required',
  external_key: 'optional',
} as const;

const MEMBER = {
  type: 'required',
  display_name: 'required',
  user_id: 'representative',
  username: 'representative',
} as const;

/**
 * The variables each event adds to the standard ones, in the order they are sent (object
 * keys keep their insertion order).
 */
const EVENT_VARIABLES = {
  support_conference_begin: {},
  support_conference_end: {},
  support_conference_owner_changed: { conference_id: 'required', conference_name: 'required' },
  support_conference_member_added: MEMBER,
  support_conference_member_departed: MEMBER,
  support_conference_customer_exit_survey_completed: {},
  support_conference_representative_exit_survey_completed: {},
} as const satisfies Record<EventName, Partial<Record<VariableName, Presence>>>;

/** The variables `N` may carry, as a type (types.ts is checked against it). */
export type VariablesOfEvent<N extends EventName> =
  | keyof typeof STANDARD
  | keyof (typeof EVENT_VARIABLES)[N];

/** The variables `N` may leave out whatever else it carries. */
export type OptionalVariablesOfEvent<N extends EventName> = {
  [K in VariablesOfEvent<N>]: (typeof STANDARD & (typeof EVENT_VARIABLES)[N])[K] extends 'optional'
    ? K
    : never;
}[VariablesOfEvent<N>];

/** The standard variables every event carries, in the order they are sent. */
export const STANDARD_VARIABLES: Readonly<Partial<Record<VariableName, Presence>>> = STANDARD;

/** `make(name)` for each of the seven events. */
export function perEvent<T>(make: (name: EventName) => T): Record<EventName, T> {
  return Object.fromEntries(EVENT_NAMES.map((name) => [name, make(name)])) as Record<EventName, T>;
}

/** Schema 1: per event, every variable it may carry with its presence, in the order sent. */
export const SCHEMA_1: Readonly<
  Record<EventName, Readonly<Partial<Record<VariableName, Presence>>>>
> = perEvent((name) => ({ ...STANDARD, ...EVENT_VARIABLES[name] }));

/** The variables of `name` with their presence, in the order they are sent. */
export function variablesOf(name: EventName): Array<[VariableName, Presence]> {
  return Object.entries(SCHEMA_1[name]) as Array<[VariableName, Presence]>;
}

/** The variables of `name` required of a member of `type` (any type for other events). */
export function requiredVariablesOf(name: EventName, type: string | undefined): VariableName[] {
  return variablesOf(name)
    .filter(([, p]) => p === 'required' || (p === 'representative' && type === 'representative'))
    .map(([field]) => field);
}
