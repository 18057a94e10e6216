/**
 * Schema 1: the seven events, their variables, the validator and the wire encoder. Free of
 * server concerns, so that the receiver SDK can share it.
 */
export { decodeEvent, formFields } from './decode.js';
export { encodeEvent, FORM_CONTENT_TYPE } from './encode.js';
export { EventValidationError } from './errors.js';
export {
  CONFERENCE_ID,
  EVENT_FIELDS,
  fieldsOf,
  NUMERIC_ID,
  STANDARD_FIELDS,
} from './fields.js';
export { decodeFormBody } from './form-body.js';
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
