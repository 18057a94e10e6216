/**
 * The narrow SQLite interface the store and the receiver SDK use, whichever driver is under it:
 * Node's built-in `node:sqlite` (no compile, from Node 24.15) or better-sqlite3 (older lines).
 * Both give the same row objects (numbers for integers, never bigints), bind the same
 * parameters (positional `?`, or one object for `@name`), count `changes` the same way and throw
 * errors whose `code` is SQLite's name for the extended result code (`SQLITE_CONSTRAINT_UNIQUE`,
 * `SQLITE_FULL`, `SQLITE_READONLY_DBMOVED`…), as better-sqlite3 names them.
 */

export type SqliteDriverName = 'node' | 'better-sqlite3';

/** `auto`: node:sqlite where it needs no flag and prints no warning, else better-sqlite3. */
export type SqliteDriverChoice = 'auto' | SqliteDriverName;

export const SQLITE_DRIVER_CHOICES: readonly SqliteDriverChoice[] = [
  'auto',
  'node',
  'better-sqlite3',
];

export interface SqliteRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A prepared statement. Parameters: positional values, or one object of named ones. */
export interface SqliteStatement {
  run(...params: unknown[]): SqliteRunResult;
  /** The first row, or undefined when the statement reads none. */
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqliteDatabase {
  readonly driver: SqliteDriverName;
  readonly isOpen: boolean;
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  /** `PRAGMA <assignment>`, e.g. `journal_mode = WAL`; what it reads is dropped. */
  pragma(assignment: string): void;
  /** The value a `PRAGMA <name>` reads (its first column of the first row). */
  pragmaValue(name: string): unknown;
  /**
   * Runs `fn` in a BEGIN IMMEDIATE transaction (a savepoint inside one already open),
   * committed when it returns, rolled back when it throws, as better-sqlite3's
   * `transaction(fn).immediate()`.
   */
  immediate<T>(fn: () => T): T;
  close(): void;
}

export interface SqliteOpenOptions {
  readonly?: boolean;
}

export interface SqliteDriver {
  readonly name: SqliteDriverName;
  /** What the driver is, for logs and the bench: `node:sqlite (SQLite 3.50.4)`. */
  readonly description: string;
  open(path: string, options?: SqliteOpenOptions): SqliteDatabase;
}
