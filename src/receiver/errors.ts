/**
 * Why a receiver refused a request. Codes are stable (programs branch on them, logs are grepped
 * for them); each maps to the HTTP status the handler answers, which tells Outbound whether
 * the event is accepted (only 200 is) or must be retried.
 */
export const ReceiverErrorCode = {
  /** The body is not a valid schema-1 event (`field` names the variable at fault). */
  MALFORMED_EVENT: 'OUTBOUND_MALFORMED_EVENT',
  BODY_TOO_LARGE: 'OUTBOUND_BODY_TOO_LARGE',
  /** A secret is configured but the request carries no `webhook-*` signature headers. */
  MISSING_SIGNATURE: 'OUTBOUND_MISSING_SIGNATURE',
  INVALID_SIGNATURE: 'OUTBOUND_INVALID_SIGNATURE',
  /** `webhook-timestamp` is further from now than the tolerance (a replayed or delayed request). */
  TIMESTAMP_OUT_OF_RANGE: 'OUTBOUND_TIMESTAMP_OUT_OF_RANGE',
  /** `outbound_event_token` is missing from the URL or wrong. */
  INVALID_TOKEN: 'OUTBOUND_INVALID_TOKEN',
  METHOD_NOT_ALLOWED: 'OUTBOUND_METHOD_NOT_ALLOWED',
  /** Another request is handling the same `webhook-id` right now; Outbound retries later. */
  DELIVERY_IN_PROGRESS: 'OUTBOUND_DELIVERY_IN_PROGRESS',
  /** The application's handler threw or rejected; `cause` holds what it threw. */
  HANDLER_FAILED: 'OUTBOUND_HANDLER_FAILED',
  /** The seen-store threw; the event was not handled. */
  SEEN_STORE_FAILED: 'OUTBOUND_SEEN_STORE_FAILED',
  /** A body parser consumed the body before the signature could be checked over its bytes. */
  RAW_BODY_UNAVAILABLE: 'OUTBOUND_RAW_BODY_UNAVAILABLE',
  /** A configured secret is not `whsec_` followed by base64. */
  INVALID_SECRET: 'OUTBOUND_INVALID_SECRET',
} as const;

export type ReceiverErrorCode = (typeof ReceiverErrorCode)[keyof typeof ReceiverErrorCode];

const STATUS: Readonly<Record<ReceiverErrorCode, number>> = {
  OUTBOUND_MALFORMED_EVENT: 400,
  OUTBOUND_BODY_TOO_LARGE: 413,
  OUTBOUND_MISSING_SIGNATURE: 401,
  OUTBOUND_INVALID_SIGNATURE: 401,
  OUTBOUND_TIMESTAMP_OUT_OF_RANGE: 401,
  OUTBOUND_INVALID_TOKEN: 401,
  OUTBOUND_METHOD_NOT_ALLOWED: 405,
  OUTBOUND_DELIVERY_IN_PROGRESS: 409,
  OUTBOUND_HANDLER_FAILED: 500,
  OUTBOUND_SEEN_STORE_FAILED: 500,
  OUTBOUND_RAW_BODY_UNAVAILABLE: 500,
  OUTBOUND_INVALID_SECRET: 500,
};

/** The one error type the receiver SDK throws. `status` is what the handler answers for it. */
export class ReceiverError extends Error {
  readonly code: ReceiverErrorCode;
  readonly status: number;
  /** The variable at fault, for a malformed event. */
  readonly field: string | undefined;

  constructor(
    code: ReceiverErrorCode,
    message: string,
    options: { cause?: unknown; field?: string | undefined } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ReceiverError';
    this.code = code;
    this.status = STATUS[code];
    this.field = options.field;
  }
}

export function bodyTooLarge(limit: number): ReceiverError {
  return new ReceiverError(
    ReceiverErrorCode.BODY_TOO_LARGE,
    `body larger than ${limit} bytes (maxBodyBytes)`,
  );
}
