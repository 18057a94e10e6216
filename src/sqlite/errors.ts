/**
 * An error SQLite reported, as better-sqlite3's `SqliteError`: `code` is the name of SQLite's
 * extended result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_UNIQUE`…), the message SQLite's own.
 */
export class SqliteError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SqliteError';
  }
}

/** The driver asked for cannot be used here: start fails with this one line (exit 2). */
export class SqliteDriverError extends Error {
  readonly code = 'OUTBOUND_SQLITE_DRIVER';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SqliteDriverError';
  }
}
