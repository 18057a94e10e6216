import { InvalidInputError } from '../errors.js';
import {
  EventValidationError,
  encodeEvent,
  type ValidateOptions,
  validateEvent,
} from '../events/index.js';
import { newEventUid } from '../ids.js';
import type { NewEvent } from '../types.js';

/**
 * Validates one event (a JSON object, or with `source: 'form'` a form's fields) into what the
 * store keeps. `field` places it in a larger input (`[3]` in a bulk array): a refusal names
 * the field under it.
 */
export function toNewEvent(
  input: unknown,
  now: number,
  field?: string,
  source: ValidateOptions['source'] = 'json',
): NewEvent {
  let event: ReturnType<typeof validateEvent>;
  try {
    event = validateEvent(input, { defaultTimestamp: () => Math.floor(now / 1000), source });
  } catch (error) {
    if (error instanceof EventValidationError && field !== undefined) {
      const where = error.field === undefined ? field : `${field}.${error.field}`;
      throw new InvalidInputError(`${field}: ${error.message}`, where);
    }
    throw error;
  }
  return {
    uid: newEventUid(now),
    name: event.event,
    lsid: event.lsid,
    externalKey: event.external_key ?? null,
    timestamp: event.timestamp,
    body: encodeEvent(event),
  };
}
