import type { EventName } from './names.js';
import { perEvent, SCHEMA_1, STANDARD_VARIABLES } from './schema.js';

/** Variables every event carries, in the order they are encoded. */
export const STANDARD_FIELDS: readonly string[] = Object.keys(STANDARD_VARIABLES);

const STANDARD_SET: ReadonlySet<string> = new Set(STANDARD_FIELDS);

/** The variables each event adds to the standard ones, in the order they are encoded. */
export const EVENT_FIELDS: Readonly<Record<EventName, readonly string[]>> = perEvent((name) =>
  Object.keys(SCHEMA_1[name]).filter((field) => !STANDARD_SET.has(field)),
);

const ALL_FIELDS = perEvent((name) => Object.freeze(Object.keys(SCHEMA_1[name])));

/** Every variable `name` may carry, in encoding order (the wire order of CONTRACT §2). */
export function fieldsOf(name: EventName): readonly string[] {
  return ALL_FIELDS[name];
}
