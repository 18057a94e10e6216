import { EventValidationError } from './errors.js';
import { decodeFormBody } from './form-body.js';
import type { OutboundEvent } from './types.js';
import { type ValidateOptions, validateEvent } from './validate.js';

/**
 * The variables of a form body, decoded strictly (decodeFormBody: broken escapes, bytes that
 * are not UTF-8, NUL and `__proto__` are refused, never repaired). A variable given twice is
 * refused: a form parser would keep only one of the values, so the receiver and we would
 * disagree on what was sent.
 */
export function formFields(body: string | URLSearchParams): Record<string, string> {
  const params = typeof body === 'string' ? decodeFormBody(body) : body;
  // No prototype: a `__proto__` variable must be kept (and refused as unknown), not swallowed.
  const fields: Record<string, string> = Object.create(null);
  for (const [key, value] of params) {
    if (Object.hasOwn(fields, key)) {
      throw new EventValidationError(`${key} appears more than once`, key);
    }
    fields[key] = value;
  }
  return fields;
}

/** Parses and validates a schema-1 form body (as a recipient receives it). */
export function decodeEvent(
  body: string | URLSearchParams,
  options: ValidateOptions = {},
): OutboundEvent {
  return validateEvent(formFields(body), { ...options, source: 'form' });
}
