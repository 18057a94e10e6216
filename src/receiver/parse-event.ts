import { decodeEvent, EventValidationError, type OutboundEvent } from '../events/index.js';
import { ReceiverError, ReceiverErrorCode } from './errors.js';

export interface ParseOptions {
  /**
   * `strict` (default) refuses variables schema 1 does not define, as the sender's validator
   * does; `lenient` ignores them (and drops them from the result), for a receiver that must
   * keep accepting events from a newer Outbound that adds variables.
   */
  mode?: 'strict' | 'lenient';
}

/** A body as a receiver may hold it: raw text, raw bytes, or already split into variables. */
export type FormBody = string | Uint8Array | URLSearchParams;

// Fatal: bytes that are not UTF-8 are a malformed body, not silently replaced characters.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads one schema-1 event from a form body (a Web `Request` is read first, hence the
 * Promise), with the same validator the sender uses; the alias
 * `support_conference_rep_exit_survey_completed` comes back under the guide's name. Throws
 * only ReceiverError: `OUTBOUND_MALFORMED_EVENT` (status 400), naming the field at fault.
 */
export function parseEvent(body: Request, options?: ParseOptions): Promise<OutboundEvent>;
export function parseEvent(body: FormBody, options?: ParseOptions): OutboundEvent;
export function parseEvent(
  body: FormBody | Request,
  options: ParseOptions = {},
): OutboundEvent | Promise<OutboundEvent> {
  if (isRequest(body)) return parseRequest(body, options);
  return parseForm(body, options);
}

function parseForm(body: FormBody, options: ParseOptions): OutboundEvent {
  try {
    const form = body instanceof Uint8Array ? utf8.decode(body) : body;
    return decodeEvent(form, { mode: options.mode === 'lenient' ? 'lenient' : 'strict' });
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

async function parseRequest(request: Request, options: ParseOptions): Promise<OutboundEvent> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await request.arrayBuffer());
  } catch (error) {
    throw new ReceiverError(ReceiverErrorCode.MALFORMED_EVENT, 'request body unreadable', {
      cause: error,
    });
  }
  return parseForm(bytes, options);
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
