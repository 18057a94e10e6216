/**
 * The SQLite drivers that load on the Node running the tests, each tried for real: on Node 20
 * only better-sqlite3 (there is no node:sqlite); on Node 24 and 26 node:sqlite, and
 * better-sqlite3 too only when its addon in node_modules was built for that Node (CI builds it
 * for the machine's Node only; OUTBOUND_BETTER_SQLITE3_ADDON may name one built for this Node).
 * The tests assert which ones ran: nothing is skipped silently.
 */
import { createRequire } from 'node:module';
import {
  loadSqliteDriver,
  nodeSqliteIsStable,
  type SqliteDriver,
  type SqliteDriverName,
  useBetterSqlite3Addon,
} from '../../src/sqlite/index.js';

export interface LoadedDrivers {
  drivers: SqliteDriver[];
  /** Why each driver that did not load did not. */
  missing: Partial<Record<SqliteDriverName, string>>;
}

export function loadableDrivers(): LoadedDrivers {
  useBetterSqlite3Addon(process.env.OUTBOUND_BETTER_SQLITE3_ADDON || undefined);
  const drivers: SqliteDriver[] = [];
  const missing: Partial<Record<SqliteDriverName, string>> = {};
  for (const name of ['node', 'better-sqlite3'] as const) {
    try {
      drivers.push(loadSqliteDriver(name));
    } catch (error) {
      missing[name] = (error as Error).message;
    }
  }
  return { drivers, missing };
}

/** What must load on this Node: node:sqlite from 24.15 (and 25+), better-sqlite3 before. */
export function requiredDriver(): SqliteDriverName {
  return nodeSqliteIsStable() ? 'node' : 'better-sqlite3';
}

/** A database as an integrator's code opens it, without our wrapper: for the receiver SDK. */
export interface RawDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): {
    run(...params: unknown[]): { changes: number | bigint };
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
  };
  close(): void;
}

/**
 * The raw drivers an integrator could pass to the receiver SDK here: better-sqlite3's
 * `Database` and node:sqlite's `DatabaseSync`, each that loads on this Node.
 */
export function rawDrivers(): { name: SqliteDriverName; open(path: string): RawDatabase }[] {
  const require = createRequire(import.meta.url);
  const { drivers } = loadableDrivers();
  return drivers.map((driver) => {
    if (driver.name === 'node') {
      const { DatabaseSync } = require('node:sqlite') as {
        DatabaseSync: new (path: string) => RawDatabase;
      };
      return { name: driver.name, open: (path: string) => new DatabaseSync(path) };
    }
    const Database = require('better-sqlite3') as new (
      path: string,
      options: { nativeBinding?: string },
    ) => RawDatabase;
    const nativeBinding = process.env.OUTBOUND_BETTER_SQLITE3_ADDON || undefined;
    return { name: driver.name, open: (path: string) => new Database(path, { nativeBinding }) };
  });
}
