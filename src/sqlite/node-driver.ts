import { createRequire } from 'node:module';
import type {
  SqliteDatabase,
  SqliteDriver,
  SqliteOpenOptions,
  SqliteRunResult,
  SqliteStatement,
} from './driver.js';
import { SqliteError } from './errors.js';
import { sqliteCodeName } from './result-codes.js';

/** The part of `node:sqlite` used here (its types are not in @types/node 20). */
interface NodeStatementSync {
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  setAllowUnknownNamedParameters(enabled: boolean): void;
}
interface NodeDatabaseSync {
  readonly isOpen: boolean;
  readonly isTransaction: boolean;
  exec(sql: string): void;
  prepare(sql: string): NodeStatementSync;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string, options?: { readOnly?: boolean }) => NodeDatabaseSync;
}

/**
 * node:sqlite throws `ERR_SQLITE_ERROR` with the extended result code as `errcode`: rethrown as
 * the same error better-sqlite3 gives (`code` the code's name), the original as its cause.
 */
function normalised(error: unknown): unknown {
  const { code, errcode, message } = (error ?? {}) as {
    code?: unknown;
    errcode?: unknown;
    message?: unknown;
  };
  if (code !== 'ERR_SQLITE_ERROR' || typeof errcode !== 'number') return error;
  return new SqliteError(String(message), sqliteCodeName(errcode), { cause: error });
}

function call<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw normalised(error);
  }
}

/**
 * better-sqlite3 binds `undefined` as NULL; node:sqlite refuses it on Node 24 (26 binds NULL):
 * replaced here, so that a missing optional value means the same on both.
 */
function bindable(params: unknown[]): unknown[] {
  for (let i = 0; i < params.length; i++) {
    const value = params[i];
    if (value === undefined) params[i] = null;
    else if (i === 0 && typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
      const named = value as Record<string, unknown>;
      for (const key in named) {
        if (named[key] === undefined) {
          params[0] = Object.fromEntries(
            Object.entries(named).map(([k, v]) => [k, v === undefined ? null : v]),
          );
          break;
        }
      }
    }
  }
  return params;
}

class NodeStatement implements SqliteStatement {
  constructor(private readonly statement: NodeStatementSync) {
    // better-sqlite3 ignores keys of a parameter object the statement does not name; our
    // queries pass one object for several variants of a statement.
    statement.setAllowUnknownNamedParameters(true);
  }

  run(...params: unknown[]): SqliteRunResult {
    const result = call(() => this.statement.run(...bindable(params)));
    return { changes: Number(result.changes), lastInsertRowid: result.lastInsertRowid };
  }

  get(...params: unknown[]): unknown {
    return call(() => this.statement.get(...bindable(params)));
  }

  all(...params: unknown[]): unknown[] {
    return call(() => this.statement.all(...bindable(params)));
  }
}

class NodeDatabase implements SqliteDatabase {
  readonly driver = 'node';
  private transactionStatements: Record<
    'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo',
    NodeStatementSync
  > | null = null;

  constructor(private readonly db: NodeDatabaseSync) {}

  get isOpen(): boolean {
    return this.db.isOpen;
  }

  exec(sql: string): void {
    call(() => this.db.exec(sql));
  }

  prepare(sql: string): SqliteStatement {
    return new NodeStatement(call(() => this.db.prepare(sql)));
  }

  pragma(assignment: string): void {
    this.exec(`PRAGMA ${assignment}`);
  }

  pragmaValue(name: string): unknown {
    const row = call(() => this.db.prepare(`PRAGMA ${name}`).get()) as object | undefined;
    return row === undefined ? undefined : Object.values(row)[0];
  }

  /** As better-sqlite3's transaction functions do it (lib/methods/transaction.js). */
  immediate<T>(fn: () => T): T {
    const s = this.transactionStatements ?? this.prepareTransactionStatements();
    const nested = this.db.isTransaction;
    const [before, after, undo] = nested
      ? [s.savepoint, s.release, s.rollbackTo]
      : [s.begin, s.commit, s.rollback];
    call(() => before.run());
    try {
      const result = fn();
      if (result instanceof Promise) {
        throw new TypeError('Transaction function cannot return a promise');
      }
      call(() => after.run());
      return result;
    } catch (error) {
      if (this.db.isTransaction) {
        call(() => undo.run());
        if (nested) call(() => after.run());
      }
      throw error;
    }
  }

  private prepareTransactionStatements() {
    const p = (sql: string) => call(() => this.db.prepare(sql));
    this.transactionStatements = {
      begin: p('BEGIN IMMEDIATE'),
      commit: p('COMMIT'),
      rollback: p('ROLLBACK'),
      savepoint: p('SAVEPOINT outbound_nested'),
      release: p('RELEASE outbound_nested'),
      rollbackTo: p('ROLLBACK TO outbound_nested'),
    };
    return this.transactionStatements;
  }

  close(): void {
    this.transactionStatements = null;
    if (this.db.isOpen) this.db.close();
  }
}

/** node:sqlite, loaded when chosen (it does not exist before Node 22.5). */
export function loadNodeDriver(): SqliteDriver {
  const { DatabaseSync } = createRequire(import.meta.url)('node:sqlite') as NodeSqliteModule;
  const probe = new DatabaseSync(':memory:');
  const version = (probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  probe.close();
  return {
    name: 'node',
    description: `node:sqlite (Node ${process.versions.node}, SQLite ${version})`,
    open: (path: string, options: SqliteOpenOptions = {}) =>
      new NodeDatabase(call(() => new DatabaseSync(path, { readOnly: options.readonly === true }))),
  };
}
