import { ConfigError, loadConfig } from '../config/config.js';
import { useBetterSqlite3Addon } from '../sqlite/index.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';

/** Errors a command reports as one line, with exit code 2, instead of a stack trace. */
export class UsageError extends Error {}

/** Opens and migrates the store of OUTBOUND_DATABASE_URL (or --database-url), runs `fn`, closes. */
export async function withStore<T>(
  databaseUrl: string | undefined,
  fn: (store: Store) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfig(databaseUrl === undefined ? {} : { databaseUrl });
  useBetterSqlite3Addon(config.betterSqlite3Addon ?? undefined);
  const store = openStore(config.databaseUrl, { sqliteDriver: config.sqliteDriver });
  try {
    if (options.migrate !== false) await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Runs a command's action, turning expected errors into a message and exit code 2. */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      const expected =
        error instanceof UsageError ||
        error instanceof ConfigError ||
        (error as { name?: string }).name === 'HttpError' ||
        (error as { code?: string }).code === 'OUTBOUND_INVALID_EVENT' ||
        (error as { code?: string }).code === 'OUTBOUND_BAD_REQUEST' ||
        (error as { code?: string }).code === 'OUTBOUND_DATABASE_IN_USE' ||
        // A recipient added or renamed to a taken name: the message names it.
        (error as { code?: string }).code === 'OUTBOUND_NAME_TAKEN' ||
        // A database URL the store cannot open names the setting, as a ConfigError does.
        (error as { code?: string }).code === 'OUTBOUND_DATABASE_URL' ||
        // A database lost or missing, storage failing (read-only, full), a SQLite driver that
        // cannot load: the message says why.
        /^OUTBOUND_(DATABASE_MISSING|STORAGE_|SQLITE_DRIVER)/.test(
          String((error as { code?: string }).code),
        );
      process.stderr.write(
        `outbound: ${expected ? (error as Error).message : String((error as Error).stack ?? error)}\n`,
      );
      process.exitCode = expected ? 2 : 1;
    }
  };
}
