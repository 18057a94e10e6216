import {
  type EventName,
  type EventOf,
  EventValidationError,
  MAX_FIELD_LENGTH,
  type OutboundEvent,
  VARIABLES,
} from '../events/index.js';

/*
 * Variables beyond the guide's that a recipient may ask Outbound to send, for receivers written
 * against deployed appliances (CONTRACT §7): `appliance_id` (the installation's id, with
 * `sendApplianceId`) and the session's custom fields named by their code names (with
 * `sendCustomFields`). Strict mode knows `appliance_id`, and the custom fields the receiver
 * declares; any other extra variable stays an error.
 */

/** The variable `sendApplianceId` adds. */
export const APPLIANCE_ID = 'appliance_id';

/** A custom field's code name, as Outbound accepts it in a definition. */
export const CODE_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** What the wire options add to a schema-1 event, as the receiver SDK returns it. */
export interface WireExtras {
  /** The sending installation's id (a GUID, or `OUTBOUND_APPLIANCE_ID`): `sendApplianceId`. */
  appliance_id?: string;
  /**
   * The session's custom fields by code name (`sendCustomFields`), only those the receiver
   * declared in `customFields`; absent when the body carried none. No prototype: a field named
   * `constructor` is a field, nothing else is.
   */
  customFields?: Readonly<Record<string, string>>;
}

/** A schema-1 event with the extras a recipient's wire options may add. */
export type ReceivedEvent = WithExtras<OutboundEvent>;

/** Distributes over the union, so that `event.event` still narrows the received event. */
type WithExtras<E> = E extends OutboundEvent ? E & WireExtras : never;

/** The received event named `N`. */
export type ReceivedEventOf<N extends EventName> = EventOf<N> & WireExtras;

/**
 * Which custom fields a receiver expects: their code names, or `'any'` for every variable that
 * is shaped like a code name and is not a schema-1 variable.
 */
export type CustomFieldsOption = readonly string[] | 'any';

/** The checked form of `customFields`: which extra variable names are custom fields. */
export type CustomFieldPolicy = (name: string) => boolean;

const SCHEMA_VARIABLES: ReadonlySet<string> = new Set(Object.keys(VARIABLES));

/** A name Outbound may send as a custom field (a code name that shadows no guide variable). */
export function isCustomFieldName(name: string): boolean {
  return CODE_NAME.test(name) && !SCHEMA_VARIABLES.has(name) && name !== APPLIANCE_ID;
}

/** Checks the `customFields` option once; a mistake throws TypeError (at start-up). */
export function customFieldPolicy(option: CustomFieldsOption | undefined): CustomFieldPolicy {
  if (option === undefined) return () => false;
  if (option === 'any') return isCustomFieldName;
  if (!Array.isArray(option)) {
    throw new TypeError("customFields must be a list of code names or 'any'");
  }
  const names = new Set<string>();
  for (const name of option as readonly unknown[]) {
    if (typeof name !== 'string' || !CODE_NAME.test(name)) {
      throw new TypeError(
        `customFields: ${JSON.stringify(name)} is not a code name (a-z first, then a-z, 0-9, _; at most 64)`,
      );
    }
    if (!isCustomFieldName(name)) {
      throw new TypeError(`customFields: ${name} is a variable of schema 1, not a custom field`);
    }
    names.add(name);
  }
  return (name) => names.has(name);
}

/**
 * Takes `appliance_id` and the declared custom fields out of `fields` (leaving the schema-1
 * variables for the validator) and returns them checked. `allowed` holds the variables the
 * event's schema defines. An undeclared extra is refused in strict mode, naming it, and
 * dropped in lenient mode.
 */
export function takeWireExtras(
  fields: Record<string, string>,
  name: EventName,
  allowed: ReadonlySet<string>,
  isCustomField: CustomFieldPolicy,
  mode: 'strict' | 'lenient',
): WireExtras {
  const extras: WireExtras = {};
  let custom: Record<string, string> | undefined;
  for (const key of Object.keys(fields)) {
    if (allowed.has(key)) continue;
    const value = fields[key] as string;
    delete fields[key];
    if (key === APPLIANCE_ID) {
      extras.appliance_id = checkedValue(key, value);
    } else if (isCustomField(key)) {
      custom ??= Object.create(null) as Record<string, string>;
      custom[key] = checkedValue(key, value);
    } else if (mode === 'strict') {
      throw new EventValidationError(unknownMessage(key, name), key);
    }
  }
  if (custom !== undefined) extras.customFields = custom;
  return extras;
}

function unknownMessage(key: string, name: EventName): string {
  const hint = isCustomFieldName(key)
    ? ` (a custom field? declare it: customFields: ['${key}'])`
    : '';
  return `unknown field "${key}" for ${name}${hint}`;
}

/**
 * The same rules as any schema-1 text: non-empty, not too long, well-formed, no NUL. Throws
 * EventValidationError naming `field`.
 */
export function checkedValue(field: string, value: string): string {
  if (value.length === 0) {
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
  if (value.includes('\0')) {
    throw new EventValidationError(`${field} must not contain NUL (U+0000)`, field);
  }
  return value;
}
