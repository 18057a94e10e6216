import { OutboundError } from '../errors.js';

/** The codes of the statuses the HTTP front doors answer with themselves. */
const CODES: Record<number, string> = {
  400: 'OUTBOUND_BAD_REQUEST',
  401: 'OUTBOUND_UNAUTHORIZED',
  404: 'OUTBOUND_NOT_FOUND',
  405: 'OUTBOUND_METHOD_NOT_ALLOWED',
  409: 'OUTBOUND_CONFLICT',
  413: 'OUTBOUND_PAYLOAD_TOO_LARGE',
  415: 'OUTBOUND_UNSUPPORTED_MEDIA_TYPE',
};

/**
 * A refusal of the HTTP front doors themselves (no route, no credentials, a query parameter):
 * its code follows from its status. Use cases throw the errors of src/errors.ts instead.
 */
export class HttpError extends OutboundError {
  constructor(status: number, message: string, field?: string) {
    super(CODES[status] ?? 'OUTBOUND_ERROR', status, message, field);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, field?: string) => new HttpError(400, message, field);
export const notFound = (message: string) => new HttpError(404, message);
export const conflict = (message: string, field?: string) => new HttpError(409, message, field);
