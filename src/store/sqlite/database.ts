import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  loadSqliteDriver,
  type SqliteDatabase,
  type SqliteDriverChoice,
  type SqliteRunResult,
  type SqliteStatement,
} from '../../sqlite/index.js';
import { StorageHealth, storageFaultOf } from '../storage-health.js';
import { DatabaseFiles, refuseLostDatabase } from './database-files.js';

export type SyncLevel = 'FULL' | 'NORMAL';

/**
 * One connection in WAL mode. `synchronous` is switched per transaction: FULL (an fsync at
 * commit) for what the API acknowledges, NORMAL for a lane's bookkeeping, which a killed
 * process keeps and only a power cut can roll back (see README, "What a crash can cause").
 *
 * Every write goes through here, so here is where storage faults are seen (`health`): a write
 * failing for the storage's sake (disk full, I/O error, read-only) is rethrown as a
 * StorageUnavailableError; a durable commit is checked, once made, against the files at the
 * database's paths, and nothing is written once the database was found gone from under us.
 */
export class SqliteConnection {
  readonly db: SqliteDatabase;
  readonly health = new StorageHealth();
  private readonly files: DatabaseFiles | undefined;
  private level: SyncLevel = 'FULL';
  private readonly statements = new Map<string, SqliteStatement>();

  /** `driver`: which SQLite driver opens the file (OUTBOUND_SQLITE_DRIVER; see src/sqlite/). */
  constructor(
    readonly path: string,
    driver: SqliteDriverChoice = 'auto',
  ) {
    // Loaded before anything is created: a driver that cannot load leaves no file behind.
    const sqlite = loadSqliteDriver(driver);
    if (path !== ':memory:') {
      refuseLostDatabase(path);
      mkdirSync(dirname(path), { recursive: true });
      this.files = new DatabaseFiles(path);
    }
    this.db = sqlite.open(path);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      // Other processes (the CLI) may hold the write lock for a moment.
      this.db.pragma('busy_timeout = 5000');
    } catch (error) {
      // Not a database, or not one we may write: the caller says why; nothing stays open.
      this.db.close();
      throw error;
    }
    this.files?.problem();
  }

  /** The prepared statement for `text`, prepared once per connection. */
  statement(text: string): SqliteStatement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** The first row a statement reads, converted; undefined when it reads none. */
  first<R extends object, T>(
    text: string,
    params: unknown[],
    convert: (row: R) => T,
  ): T | undefined {
    const row = this.statement(text).get(...params) as R | undefined;
    return row === undefined ? undefined : convert(row);
  }

  /**
   * Runs `fn` in one IMMEDIATE transaction committed at the given durability. `proves`: its
   * success shows a failing store writable again: only for writes that add rows (acceptance,
   * the probe), not for bookkeeping rewritten in place (the writer lock's renewal, a token's
   * last use), which succeeds on a disk too full for anything else.
   */
  transaction<T>(level: SyncLevel, fn: () => T, proves = false): T {
    return this.write(level, () => this.db.immediate(fn), proves);
  }

  /**
   * Runs one statement as its own transaction (autocommit), at the given durability: what a
   * lane does per delivery, without the BEGIN and COMMIT round of `transaction`.
   */
  run(level: SyncLevel, statement: SqliteStatement, ...params: unknown[]): SqliteRunResult {
    return this.write(level, () => statement.run(...params));
  }

  private write<T>(level: SyncLevel, fn: () => T, proves = false): T {
    this.health.assertUsable();
    let result: T;
    try {
      this.durability(level);
      result = fn();
    } catch (error) {
      const fault = storageFaultOf(error);
      if (fault === undefined) throw error;
      // SQLite refuses writes to a file unlinked or moved under it (SQLITE_READONLY_DBMOVED):
      // that is a lost database, not a read-only one.
      this.verifyFiles();
      this.health.failing(fault);
      throw this.health.error(error);
    }
    // A durable commit is acknowledged by the caller: only if it went to the file that will
    // be opened again. Checked after the commit, so that a file swapped during it is seen.
    if (level === 'FULL') this.verifyFiles();
    if (proves) this.health.succeeded();
    return result;
  }

  /**
   * Throws once the database's files are no longer the ones this connection writes to (and
   * remembers it for good: see StorageHealth).
   */
  verifyFiles(): void {
    this.health.assertUsable();
    const problem = this.files?.problem();
    if (problem === undefined) return;
    this.files?.markLost(problem);
    this.health.lost(problem);
    throw this.health.error();
  }

  /**
   * A durable write that needs new pages and leaves no row behind: what shows a failing store
   * (a full disk) writable again when nothing else writes. Prepared per call: the table it
   * makes is gone after it.
   */
  probeWrite(): void {
    const size = Number(this.db.pragmaValue('page_size'));
    this.transaction(
      'FULL',
      () => {
        this.db.exec('CREATE TABLE outbound_probe (filler BLOB)');
        this.db.prepare('INSERT INTO outbound_probe VALUES (zeroblob(?))').run(size * 2);
        this.db.exec('DROP TABLE outbound_probe');
      },
      true,
    );
  }

  private durability(level: SyncLevel): void {
    if (level !== this.level) {
      this.db.pragma(`synchronous = ${level}`);
      this.level = level;
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db.close();
  }
}
