/**
 * Schema 1: the seven events, their variables, the validator and the wire encoder. Free of
 * server concerns, so that the receiver SDK can share it.
 */
export { decodeEvent, formFields } from './decode.js';
export { encodeEvent, FORM_CONTENT_TYPE } from './encode.js';
export { EventValidationError } from './errors.js';
export { EVENT_FIELDS, fieldsOf, STANDARD_FIELDS } from './fields.js';
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
export type * from './types.js';
export { MAX_FIELD_LENGTH, type ValidateOptions, validateEvent } from './validate.js';
