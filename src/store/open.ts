import { resolve } from 'node:path';
import { DEFAULT_DATABASE_URL } from './database-url.js';
import { StoreUrlError } from './errors.js';
import { PostgresStore } from './postgres/store.js';
import { SqliteStore } from './sqlite/store.js';
import type { Store } from './store.js';

/** Opens (but does not migrate) the store a database URL names; StoreUrlError when it cannot. */
export function openStore(databaseUrl: string): Store {
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '')
      throw new StoreUrlError(
        'OUTBOUND_DATABASE_URL sqlite: needs a path, e.g. sqlite:./data/outbound.db',
      );
    return new SqliteStore(path === ':memory:' ? path : resolve(path));
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return new PostgresStore(databaseUrl);
  throw new StoreUrlError(
    `OUTBOUND_DATABASE_URL "${databaseUrl}" is not understood: use sqlite:PATH (default ${DEFAULT_DATABASE_URL}) or postgres://USER:PASSWORD@HOST:PORT/DATABASE`,
  );
}
