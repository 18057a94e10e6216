import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SyncLevel = 'FULL' | 'NORMAL';

/**
 * One connection in WAL mode. `synchronous` is switched per transaction: FULL (an fsync at
 * commit) for what the API acknowledges, NORMAL for a lane's bookkeeping, which a killed
 * process keeps and only a power cut can roll back (see README, "What a crash can cause").
 */
export class SqliteConnection {
  readonly db: Database.Database;
  private level: SyncLevel = 'FULL';
  private readonly statements = new Map<string, Database.Statement>();

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // Other processes (the CLI) may hold the write lock for a moment.
    this.db.pragma('busy_timeout = 5000');
  }

  /** The prepared statement for `text`, prepared once per connection. */
  statement(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Runs `fn` in one IMMEDIATE transaction committed at the given durability. */
  transaction<T>(level: SyncLevel, fn: () => T): T {
    this.durability(level);
    return this.db.transaction(fn).immediate();
  }

  /**
   * Runs one statement as its own transaction (autocommit), at the given durability: what a
   * lane does per delivery, without the BEGIN and COMMIT round of `transaction`.
   */
  run(level: SyncLevel, statement: Database.Statement, ...params: unknown[]): Database.RunResult {
    this.durability(level);
    return statement.run(...params);
  }

  private durability(level: SyncLevel): void {
    if (level !== this.level) {
      this.db.pragma(`synchronous = ${level}`);
      this.level = level;
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}
