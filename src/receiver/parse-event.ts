import {
  canonicalEventName,
  EVENT_NAMES,
  type EventName,
  EventValidationError,
  fieldsOf,
  formFields,
  validateEvent,
} from '../events/index.js';
import { ReceiverError, ReceiverErrorCode } from './errors.js';
import {
  type CustomFieldPolicy,
  type CustomFieldsOption,
  customFieldPolicy,
  type ReceivedEvent,
  takeWireExtras,
} from './wire-extras.js';

export interface ParseOptions {
  /**
   * `strict` (default) refuses variables schema 1 does not define, as the sender's validator
   * does, except `appliance_id` and the declared `customFields` (a recipient's wire options);
   * `lenient` ignores the others (and drops them from the result), for a receiver that must
   * keep accepting events from a newer Outbound that adds variables.
   */
  mode?: 'strict' | 'lenient';
  /**
   * The custom fields this receiver expects, by code name (`['ticket_id', 'priority']`), sent
   * when the recipient has `sendCustomFields` on; they come back in `event.customFields`.
   * `'any'` takes every variable shaped like a code name that schema 1 does not define.
   * Default: none (a custom field is an unknown variable). A name that is not a code name, or
   * is a schema-1 variable, throws TypeError.
   */
  customFields?: CustomFieldsOption;
}

/** A body as a receiver may hold it: raw text, raw bytes, or already split into variables. */
export type FormBody = string | Uint8Array | URLSearchParams;

// Fatal: bytes that are not UTF-8 are a malformed body, not silently replaced characters.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads one schema-1 event from a form body (a Web `Request` is read first, hence the
 * Promise), with the same validator the sender uses; the alias
 * `support_conference_rep_exit_survey_completed` comes back under the guide's name, and
 * `appliance_id` and the declared custom fields next to the schema-1 variables. A body is
 * refused only with ReceiverError: `OUTBOUND_MALFORMED_EVENT` (status 400), naming the field
 * at fault; a malformed `customFields` option throws TypeError.
 */
export function parseEvent(body: Request, options?: ParseOptions): Promise<ReceivedEvent>;
export function parseEvent(body: FormBody, options?: ParseOptions): ReceivedEvent;
export function parseEvent(
  body: FormBody | Request,
  options: ParseOptions = {},
): ReceivedEvent | Promise<ReceivedEvent> {
  const rules = parseRules(options);
  if (isRequest(body)) return parseRequest(body, rules);
  return parseForm(body, rules);
}

/** ParseOptions checked once (the handler does it at start-up). */
export interface ParseRules {
  mode: 'strict' | 'lenient';
  isCustomField: CustomFieldPolicy;
}

export function parseRules(options: ParseOptions): ParseRules {
  return {
    mode: options.mode === 'lenient' ? 'lenient' : 'strict',
    isCustomField: customFieldPolicy(options.customFields),
  };
}

const ALLOWED = new Map<EventName, ReadonlySet<string>>(
  EVENT_NAMES.map((name) => [name, new Set(fieldsOf(name))]),
);

/** `body` read with rules already checked; throws only ReceiverError. */
export function parseForm(body: FormBody, rules: ParseRules): ReceivedEvent {
  try {
    const form = body instanceof Uint8Array ? utf8.decode(body) : body;
    const fields = formFields(form);
    const name = fields.event === undefined ? undefined : canonicalEventName(fields.event);
    // Without an event name the validator says what is wrong with `event`, as before.
    const extras =
      name === undefined
        ? {}
        : takeWireExtras(
            fields,
            name,
            ALLOWED.get(name) as ReadonlySet<string>,
            rules.isCustomField,
            rules.mode,
          );
    const event = validateEvent(fields, { mode: rules.mode, source: 'form' });
    return Object.assign(event, extras) as ReceivedEvent;
  } catch (error) {
    if (error instanceof EventValidationError) {
      throw new ReceiverError(ReceiverErrorCode.MALFORMED_EVENT, error.message, {
        cause: error,
        field: error.field,
      });
    }
    // TextDecoder's TypeError, or anything unforeseen: still the caller's bad input.
    throw new ReceiverError(ReceiverErrorCode.MALFORMED_EVENT, 'body is not UTF-8 form data', {
      cause: error,
    });
  }
}

async function parseRequest(request: Request, rules: ParseRules): Promise<ReceivedEvent> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await request.arrayBuffer());
  } catch (error) {
    throw new ReceiverError(ReceiverErrorCode.MALFORMED_EVENT, 'request body unreadable', {
      cause: error,
    });
  }
  return parseForm(bytes, rules);
}

/** Duck-typed so that a `Request` from another realm or runtime (Bun, Deno, undici) works. */
function isRequest(value: unknown): value is Request {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof URLSearchParams) &&
    !(value instanceof Uint8Array) &&
    typeof (value as Request).arrayBuffer === 'function' &&
    typeof (value as Request).headers === 'object'
  );
}
