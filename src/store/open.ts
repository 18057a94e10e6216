import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SqliteDriverChoice } from '../sqlite/index.js';
import { DEFAULT_DATABASE_URL } from './database-url.js';
import { StoreUrlError } from './errors.js';
import { PostgresStore } from './postgres/store.js';
import { DatabaseMissingError } from './sqlite/database-files.js';
import { SqliteStore } from './sqlite/store.js';
import type { Store } from './store.js';

/**
 * Opens (but does not migrate) the store a database URL names; StoreUrlError when it cannot.
 * `sqliteDriver`: OUTBOUND_SQLITE_DRIVER, for a sqlite: URL (SqliteDriverError when unusable).
 */
export function openStore(
  databaseUrl: string,
  options: { sqliteDriver?: SqliteDriverChoice } = {},
): Store {
  const sqlite = { driver: options.sqliteDriver };
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '')
      throw new StoreUrlError(
        'OUTBOUND_DATABASE_URL sqlite: needs a path, e.g. sqlite:./data/outbound.db',
      );
    if (path === ':memory:') return new SqliteStore(path, sqlite);
    ensureFolder(resolve(path), databaseUrl === DEFAULT_DATABASE_URL);
    return new SqliteStore(resolve(path), sqlite);
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return new PostgresStore(databaseUrl);
  throw new StoreUrlError(
    `OUTBOUND_DATABASE_URL "${databaseUrl}" is not understood: use sqlite:PATH (default ${DEFAULT_DATABASE_URL}) or postgres://USER:PASSWORD@HOST:PORT/DATABASE`,
  );
}

/** The SQLite file a database URL names (resolved), or undefined for PostgreSQL and :memory:. */
export function sqliteFileOf(databaseUrl: string): string | undefined {
  if (!databaseUrl.startsWith('sqlite:')) return undefined;
  const path = databaseUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return path === '' || path === ':memory:' ? undefined : resolve(path);
}

/**
 * A new database is created only in a folder that exists: a typo in a given path must not
 * start an empty database beside the real one. The default folder (./data) is the one
 * exception, created on first use, so that a fresh checkout starts with no setting at all.
 */
function ensureFolder(path: string, isDefault: boolean): void {
  const folder = dirname(path);
  if (existsSync(folder)) return;
  if (isDefault) {
    mkdirSync(folder, { recursive: true });
    return;
  }
  throw new DatabaseMissingError(
    `the folder ${folder} does not exist, so there is no database ${path}: check --database-url or OUTBOUND_DATABASE_URL, or create the folder to start a new database there`,
  );
}
