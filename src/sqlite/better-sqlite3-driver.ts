import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteDriver, SqliteOpenOptions, SqliteStatement } from './driver.js';

class BetterSqlite3Database implements SqliteDatabase {
  readonly driver = 'better-sqlite3';

  constructor(private readonly db: BetterSqlite3.Database) {}

  get isOpen(): boolean {
    return this.db.open;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): SqliteStatement {
    // Its statements already have this shape and throw SqliteError with the codes we read.
    return this.db.prepare(sql);
  }

  pragma(assignment: string): void {
    this.db.pragma(assignment);
  }

  pragmaValue(name: string): unknown {
    return this.db.pragma(name, { simple: true });
  }

  immediate<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * better-sqlite3, required only when chosen: a machine using node:sqlite never loads (nor
 * needs to have built) its addon. `nativeBinding`: the addon file to use instead of the one
 * in node_modules (the bench's build for another Node). Throws when the addon cannot load.
 */
export function loadBetterSqlite3Driver(nativeBinding?: string): SqliteDriver {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  const version = (require('better-sqlite3/package.json') as { version: string }).version;
  const options = nativeBinding === undefined ? {} : { nativeBinding };
  // The addon is loaded by the first connection: a missing or mismatched build fails here.
  const probe = new Database(':memory:', options);
  const sqlite = (probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  probe.close();
  return {
    name: 'better-sqlite3',
    description: `better-sqlite3 ${version} (SQLite ${sqlite})${nativeBinding === undefined ? '' : `, addon ${nativeBinding}`}`,
    open: (path: string, open: SqliteOpenOptions = {}) =>
      new BetterSqlite3Database(
        new Database(path, { ...options, readonly: open.readonly === true }),
      ),
  };
}
