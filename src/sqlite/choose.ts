import { loadBetterSqlite3Driver } from './better-sqlite3-driver.js';
import type { SqliteDriver, SqliteDriverChoice, SqliteDriverName } from './driver.js';
import { SqliteDriverError } from './errors.js';
import { loadNodeDriver } from './node-driver.js';

/**
 * Whether node:sqlite needs no flag and prints no warning on this Node: from 24.15 on the 24
 * line (a release candidate there) and on 25 and later. On 22 it prints an ExperimentalWarning
 * at every start, and Node 20 does not have it.
 */
export function nodeSqliteIsStable(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major >= 25 || (major === 24 && minor >= 15);
}

/** The driver `auto` means on this Node. */
export function autoDriverName(version: string = process.versions.node): SqliteDriverName {
  return nodeSqliteIsStable(version) ? 'node' : 'better-sqlite3';
}

const loaded = new Map<SqliteDriverName, SqliteDriver>();
let betterSqlite3Addon: string | undefined;

/**
 * The better-sqlite3 addon file (better_sqlite3.node) to load instead of node_modules' own:
 * one built for another Node, as the bench does to run both drivers on one Node
 * (OUTBOUND_BETTER_SQLITE3_ADDON). Set at start, before a store opens.
 */
export function useBetterSqlite3Addon(path: string | undefined): void {
  if (path === betterSqlite3Addon) return;
  betterSqlite3Addon = path;
  loaded.delete('better-sqlite3');
}

/**
 * The driver a choice names, loaded once per process; SqliteDriverError (one line saying what
 * to do) when it cannot be used on this Node or install.
 */
export function loadSqliteDriver(choice: SqliteDriverChoice = 'auto'): SqliteDriver {
  const name = choice === 'auto' ? autoDriverName() : choice;
  const known = loaded.get(name);
  if (known !== undefined) return known;
  const driver = name === 'node' ? tryNode(choice) : tryBetterSqlite3(choice);
  loaded.set(name, driver);
  return driver;
}

function tryNode(choice: SqliteDriverChoice): SqliteDriver {
  try {
    return loadNodeDriver();
  } catch (error) {
    throw new SqliteDriverError(
      `OUTBOUND_SQLITE_DRIVER=${choice} needs node:sqlite, which Node ${process.versions.node} does not provide (${oneLine(error)}): use Node ≥ 24.15, or OUTBOUND_SQLITE_DRIVER=better-sqlite3`,
      { cause: error },
    );
  }
}

function tryBetterSqlite3(choice: SqliteDriverChoice): SqliteDriver {
  try {
    return loadBetterSqlite3Driver(betterSqlite3Addon);
  } catch (error) {
    const why =
      choice === 'auto'
        ? `Node ${process.versions.node} needs`
        : 'OUTBOUND_SQLITE_DRIVER=better-sqlite3 needs';
    const instead = nodeSqliteIsStable()
      ? 'use OUTBOUND_SQLITE_DRIVER=auto (built-in node:sqlite on this Node, nothing to compile)'
      : 'use Node ≥ 24.15 (built-in node:sqlite, nothing to compile)';
    throw new SqliteDriverError(
      `${why} the SQLite driver better-sqlite3, which cannot be loaded (${oneLine(error)}): ${instead}, or reinstall so that better-sqlite3 builds for this Node (npm rebuild better-sqlite3)`,
      { cause: error },
    );
  }
}

/** An error as part of one line: its code, and its message without line breaks, cut short. */
function oneLine(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  let text = (typeof message === 'string' ? message : String(error)).replace(/\s+/g, ' ').trim();
  // Node's own advice on a mismatched addon: ours follows.
  text = text.replace(/ Please try re-compiling.*$/, '');
  text = text.replace(/ Require stack:.*$/, '');
  if (text.length > 300) text = `${text.slice(0, 299)}…`;
  return typeof code === 'string' ? `${code}: ${text}` : text;
}
