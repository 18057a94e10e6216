/**
 * Whether the store can be written, as its own writes found it. A fault that may pass (a full
 * disk, an I/O error, a lost PostgreSQL connection) makes the store `failing` until a write
 * succeeds again; a database file removed or replaced under the process makes it `lost` for
 * good: whatever is written now goes to a file nobody will open again, so nothing may be
 * acknowledged, or delivered and recorded, until an operator restored it and restarted.
 */
export type StorageState = 'ok' | 'failing' | 'lost';

export type StorageErrorCode = 'OUTBOUND_STORAGE_FAILING' | 'OUTBOUND_STORAGE_LOST';

/** The store cannot take the write: the API answers 503 with this message. */
export class StorageUnavailableError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

export function isStorageUnavailable(error: unknown): error is StorageUnavailableError {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'OUTBOUND_STORAGE_FAILING' || code === 'OUTBOUND_STORAGE_LOST';
}

export type StorageListener = (state: StorageState, reason: string) => void;

export class StorageHealth {
  private current: StorageState = 'ok';
  private why = '';
  private readonly listeners = new Set<StorageListener>();

  get state(): StorageState {
    return this.current;
  }

  /** What went wrong; empty while ok. */
  get reason(): string {
    return this.why;
  }

  /** Called on every change of state, with its reason. */
  onChange(listener: StorageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Throws unless the store may still be written (it may be failing: the write will tell). */
  assertUsable(): void {
    if (this.current === 'lost') throw this.error();
  }

  /** The error a refused write gets now. */
  error(cause?: unknown): StorageUnavailableError {
    return this.current === 'lost'
      ? new StorageUnavailableError(
          'OUTBOUND_STORAGE_LOST',
          `storage is lost: ${this.why}; nothing is accepted or delivered until the database is restored and outbound restarted`,
          { cause },
        )
      : new StorageUnavailableError(
          'OUTBOUND_STORAGE_FAILING',
          `storage is failing: ${this.why}; nothing was stored, try again later`,
          { cause },
        );
  }

  /** A write failed with a fault that may pass. */
  failing(reason: string): void {
    if (this.current === 'lost') return;
    if (this.current === 'failing' && this.why === reason) return;
    this.set('failing', reason);
  }

  /** The database is gone from under the process: for good. The first reason stays. */
  lost(reason: string): void {
    if (this.current === 'lost') return;
    this.set('lost', reason);
  }

  /** A write went through: a failing store has recovered. */
  succeeded(): void {
    if (this.current === 'failing') this.set('ok', '');
  }

  private set(state: StorageState, reason: string): void {
    this.current = state;
    this.why = reason;
    for (const listener of this.listeners) {
      try {
        listener(state, reason);
      } catch {
        // A listener (a log line) must not turn a store write into another error.
      }
    }
  }
}

/** SQLite result codes (extended ones start with these) that say the storage is at fault. */
const SQLITE_FAULTS: [prefix: string, cause: string][] = [
  ['SQLITE_FULL', 'disk full'],
  ['SQLITE_IOERR', 'I/O error'],
  ['SQLITE_READONLY', 'the database is read-only'],
  ['SQLITE_CORRUPT', 'the database is corrupt'],
  ['SQLITE_NOTADB', 'the file is not a SQLite database'],
  ['SQLITE_CANTOPEN', 'the database file cannot be opened'],
  ['SQLITE_PERM', 'permission denied'],
];

/** Errors of the operating system (the ack log's writes, a socket) that are storage faults. */
const SYSTEM_FAULTS: Record<string, string> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EIO: 'I/O error',
  EROFS: 'read-only file system',
  ECONNREFUSED: 'PostgreSQL refused the connection',
  ECONNRESET: 'PostgreSQL connection lost',
  EPIPE: 'PostgreSQL connection lost',
  ETIMEDOUT: 'PostgreSQL did not answer',
  EHOSTUNREACH: 'PostgreSQL host unreachable',
  ENOTFOUND: 'PostgreSQL host not found',
  EAI_AGAIN: 'PostgreSQL host not found',
};

/** PostgreSQL SQLSTATEs (and classes, two characters) that are storage faults. */
const POSTGRES_FAULTS: Record<string, string> = {
  '08': 'PostgreSQL connection lost',
  '57P01': 'PostgreSQL is shutting down',
  '57P02': 'PostgreSQL is shutting down',
  '57P03': 'PostgreSQL is not accepting connections yet',
  '53100': 'disk full on the PostgreSQL server',
  '53300': 'PostgreSQL has too many connections',
  '25006': 'the PostgreSQL database is read-only',
  '28P01': 'PostgreSQL refused the password',
  '28000': 'PostgreSQL refused the user',
  '3D000': 'the PostgreSQL database does not exist',
};

/** node-postgres reports some losses by message only, without a code. */
const POSTGRES_MESSAGES: [pattern: RegExp, cause: string][] = [
  [/^Connection terminated/, 'PostgreSQL connection lost'],
  [/timeout exceeded when trying to connect/, 'PostgreSQL did not answer'],
  [/Client has encountered a connection error/, 'PostgreSQL connection lost'],
];

/**
 * The storage fault an error shows, as "cause (code: driver message)"; undefined when it is
 * something else (a bug, a constraint, a bad request).
 */
export function storageFaultOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (typeof code === 'string') {
    const cause =
      SQLITE_FAULTS.find(([prefix]) => code.startsWith(prefix))?.[1] ??
      SYSTEM_FAULTS[code] ??
      POSTGRES_FAULTS[code] ??
      (/^[0-9A-Z]{5}$/.test(code) ? POSTGRES_FAULTS[code.slice(0, 2)] : undefined);
    if (cause !== undefined) return `${cause} (${code}: ${text})`;
  }
  const cause = POSTGRES_MESSAGES.find(([pattern]) => pattern.test(text))?.[1];
  if (cause !== undefined) return `${cause} (${text})`;
  // AggregateError (a host with several addresses, all refused) carries the codes inside.
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0) return storageFaultOf(inner[0]);
  return undefined;
}
