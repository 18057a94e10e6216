import { EVENT_ALIASES, type EventName, SCHEMA_VERSION } from './names.js';
import {
  type Format,
  MAX_FIELD_LENGTH,
  MAX_TIMESTAMP,
  type Presence,
  SCHEMA_1,
  STANDARD_VARIABLES,
  VARIABLES,
  type VariableName,
  variablesOf,
} from './schema.js';

/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 uses) read from the schema-1 table, for the OpenAPI
 * document: what the validator accepts from a JSON body, written for a client to read.
 * test/events/json-schema.test.ts checks that the two agree.
 */

type JsonSchema = Record<string, unknown>;

/**
 * Text the validator accepts: no NUL and no lone surrogate (a pattern is matched code point
 * by code point, as the `u` flag reads it, so a surrogate pair is one allowed character).
 */
const TEXT_PATTERN = '^[^\\u0000\\uD800-\\uDFFF]*$';

/** The JSON Schema of one variable's value, in a JSON body. */
export function variableSchema(field: VariableName): JsonSchema {
  const { format, about } = VARIABLES[field];
  return { ...formatSchema(format), description: about };
}

function formatSchema(format: Format): JsonSchema {
  switch (format.kind) {
    case 'name':
      return { type: 'string' };
    case 'version':
      return { const: SCHEMA_VERSION };
    case 'timestamp':
      return { type: 'integer', minimum: 0, maximum: MAX_TIMESTAMP };
    case 'choice':
      return { type: 'string', enum: format.values };
    case 'text':
      return {
        type: 'string',
        minLength: 1,
        // The validator counts UTF-16 units, JSON Schema code points: this bound is the
        // looser for text outside the BMP.
        maxLength: MAX_FIELD_LENGTH,
        pattern: format.pattern?.source ?? TEXT_PATTERN,
      };
  }
}

/**
 * An object of `variables` (with their presence) and nothing else; a variable required of a
 * representative only is required when `type` is `representative` and refused otherwise.
 * `optional` variables are not required even when the table says so.
 */
function objectSchema(
  variables: Array<[VariableName, Presence]>,
  optional: ReadonlySet<VariableName> = new Set(),
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [field] of variables) properties[field] = variableSchema(field);
  const required = variables
    .filter(([field, presence]) => presence === 'required' && !optional.has(field))
    .map(([field]) => field);
  const representative = variables
    .filter(([, presence]) => presence === 'representative')
    .map(([field]) => field);
  const schema: JsonSchema = { type: 'object', required, properties, additionalProperties: false };
  if (representative.length === 0) return schema;
  // Two branches, not if/then/else: an object with a `then` would pass for a promise.
  return {
    ...schema,
    oneOf: [
      {
        title: 'a representative',
        properties: { type: { const: 'representative' } },
        required: representative,
      },
      {
        title: 'a customer',
        properties: {
          type: { not: { const: 'representative' } },
          ...Object.fromEntries(representative.map((field) => [field, false])),
        },
      },
    ],
  };
}

/** `version` and `timestamp`, which the API fills in (1, and now) when a body leaves them out. */
const DEFAULTED: ReadonlySet<VariableName> = new Set(['version', 'timestamp']);

/**
 * One event as a JSON body may carry it: its name (or the alias of it), and its variables.
 * With `defaulted`, `version` and `timestamp` may be left out, as the API allows.
 */
export function eventJsonSchema(name: EventName, options: { defaulted: boolean }): JsonSchema {
  const aliases = Object.keys(EVENT_ALIASES).filter((alias) => EVENT_ALIASES[alias] === name);
  const schema = objectSchema(variablesOf(name), options.defaulted ? DEFAULTED : undefined);
  const properties = schema.properties as Record<string, JsonSchema>;
  properties.event = { ...properties.event, enum: [name, ...aliases] };
  return { title: name, ...schema };
}

/** Any schema-1 event as a JSON body may carry it: one of the seven. */
export function anyEventJsonSchema(options: { defaulted: boolean }): JsonSchema {
  return {
    oneOf: Object.keys(SCHEMA_1).map((name) => eventJsonSchema(name as EventName, options)),
  };
}

/**
 * The variables `name` adds to the standard ones, as an object of their own (the sessions
 * API's owner and member bodies).
 */
export function eventVariablesJsonSchema(name: EventName): JsonSchema {
  return objectSchema(variablesOf(name).filter(([field]) => !(field in STANDARD_VARIABLES)));
}
