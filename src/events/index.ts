/**
 * Schema 1: the seven events, their variables (one table, schema.ts), the validator, the wire
 * encoder and the JSON Schemas the OpenAPI document shows. Free of server concerns, so that
 * the receiver SDK can share it.
 */
export { decodeEvent, formFields } from './decode.js';
export { encodeEvent, FORM_CONTENT_TYPE } from './encode.js';
export { EventValidationError } from './errors.js';
export { EVENT_FIELDS, fieldsOf, STANDARD_FIELDS } from './fields.js';
export { decodeFormBody } from './form-body.js';
export {
  anyEventJsonSchema,
  eventJsonSchema,
  eventVariablesJsonSchema,
  variableSchema,
} from './json-schema.js';
export {
  canonicalEventName,
  EVENT_ALIASES,
  EVENT_NAMES,
  type EventName,
  isEventName,
  MEMBER_TYPES,
  type MemberType,
  SCHEMA_VERSION,
} from './names.js';
export {
  CONFERENCE_ID,
  type Format,
  MAX_FIELD_LENGTH,
  MAX_TIMESTAMP,
  NUMERIC_ID,
  type OptionalVariablesOfEvent,
  type Presence,
  requiredVariablesOf,
  SCHEMA_1,
  VARIABLES,
  type Variable,
  type VariableName,
  type VariablesOfEvent,
  variablesOf,
} from './schema.js';
export type * from './types.js';
export { type ValidateOptions, validateEvent } from './validate.js';
