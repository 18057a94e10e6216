/**
 * Errors the store raises whatever the backend, with stable codes (never renamed once
 * released): callers test the class or the code, never a driver's error codes.
 */

/**
 * A name that must be unique is taken: a recipient created or renamed to the name of another.
 * Raised by both backends instead of their drivers' constraint errors; the API answers 409
 * naming the field `name`, the CLI says so in one line. (An administrator's taken name is
 * not an error: AdminStore.createUser and useSetupToken answer undefined.)
 */
export class NameTakenError extends Error {
  readonly code = 'OUTBOUND_NAME_TAKEN';

  constructor(
    /** What kind of thing has the name. */
    readonly kind: 'recipient' | 'user',
    /** The name asked for (not `name`: that is the error's class name). */
    readonly takenName: string,
    options?: { cause?: unknown },
  ) {
    super(`a ${kind} named "${takenName}" already exists (names are unique)`, options);
    this.name = 'NameTakenError';
  }
}

/**
 * A database URL the store cannot open: an unknown scheme, or sqlite: without a path. The
 * message names OUTBOUND_DATABASE_URL and shows what it takes; the command line reports it in
 * one line, as it does a bad setting.
 */
export class StoreUrlError extends Error {
  readonly code = 'OUTBOUND_DATABASE_URL';

  constructor(message: string) {
    super(message);
    this.name = 'StoreUrlError';
  }
}
