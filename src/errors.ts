/**
 * The errors a caller is shown, modelled on undici's lib/core/errors.js: one base class with a
 * stable `code` (never renamed once released), subclasses per kind. The HTTP edge
 * (src/http/error-handler.ts) answers with `status` and `{ error, message, field? }`, where
 * `error` is the code without its `OUTBOUND_` prefix, in lower case (`OUTBOUND_NOT_FOUND` →
 * `not_found`), as the storage errors' codes already read (`storage_lost`).
 */
export class OutboundError extends Error {
  constructor(
    readonly code: string,
    /** The HTTP status it maps to. */
    readonly status: number,
    message: string,
    /** The input field at fault (a 400 names it), as the API spells it. */
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OutboundError';
  }
}

/** The input is not valid: 400 naming the field. */
export class InvalidInputError extends OutboundError {
  constructor(message: string, field?: string) {
    super('OUTBOUND_BAD_REQUEST', 400, message, field);
    this.name = 'InvalidInputError';
  }
}

/** No valid credentials: 401. */
export class UnauthorizedError extends OutboundError {
  constructor(message: string) {
    super('OUTBOUND_UNAUTHORIZED', 401, message);
    this.name = 'UnauthorizedError';
  }
}

/** What the request is about does not exist: 404. */
export class NotFoundError extends OutboundError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('OUTBOUND_NOT_FOUND', 404, message, undefined, options);
    this.name = 'NotFoundError';
  }
}

/**
 * The step cannot happen in the present state: 409. `code` is more specific where callers
 * have never been told the generic `OUTBOUND_CONFLICT`.
 */
export class ConflictError extends OutboundError {
  constructor(message: string, options: { field?: string; code?: string; cause?: unknown } = {}) {
    super(options.code ?? 'OUTBOUND_CONFLICT', 409, message, options.field, options);
    this.name = 'ConflictError';
  }
}

/** The JSON error body's `error` for a code: `OUTBOUND_NOT_FOUND` → `not_found`. */
export const publicCode = (code: string) => code.replace(/^OUTBOUND_/, '').toLowerCase();
