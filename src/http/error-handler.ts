import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { OutboundError, publicCode } from '../errors.js';
import { EventValidationError } from '../events/index.js';
import { isStorageUnavailable, storageFaultOf } from '../store/storage-health.js';

/** The body's `error` of the errors that carry no code of their own, by status. */
const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  500: 'internal',
  503: 'unavailable',
};

/** Every error leaves as `{ error, message, field? }` with the right status. */
export function sendError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  let status = 500;
  let message = 'internal error; see the server log';
  let field: string | undefined;
  let code: string | undefined;
  // The store could not take the write (disk full, connection lost, file gone): nothing was
  // stored, and the caller is told so with a 503 naming the cause, never a bare 500.
  const fault = isStorageUnavailable(error) ? undefined : storageFaultOf(error);
  if (isStorageUnavailable(error) || fault !== undefined) {
    status = 503;
    message = fault === undefined ? error.message : `storage is failing: ${fault}`;
    code =
      isStorageUnavailable(error) && error.code === 'OUTBOUND_STORAGE_LOST'
        ? 'storage_lost'
        : 'storage_failing';
    request.log.error({ err: error }, 'request refused: storage unavailable');
    if (code === 'storage_failing') reply.header('retry-after', '5');
  } else if (error instanceof OutboundError) {
    // A use case's or a front door's own refusal: its code goes out with it.
    status = error.status;
    message = error.message;
    field = error.field;
    code = publicCode(error.code);
  } else if (error instanceof EventValidationError) {
    status = 400;
    message = error.message;
    field = error.field;
  } else if (
    'statusCode' in error &&
    typeof error.statusCode === 'number' &&
    error.statusCode < 500
  ) {
    // Fastify's own: malformed JSON, body too large, unsupported content type.
    status = error.statusCode;
    message =
      status === 413
        ? 'request body is too large'
        : error.message.replace(/^Body cannot be empty.*/, 'request body is empty');
  } else {
    request.log.error({ err: error }, 'request failed');
  }
  return reply
    .status(status)
    .send({ error: code ?? CODES[status] ?? 'error', message, ...(field ? { field } : {}) });
}
