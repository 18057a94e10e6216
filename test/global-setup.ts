/**
 * One PostgreSQL server for the whole test run: OUTBOUND_TEST_DATABASE_URL when set (a role
 * that may CREATE DATABASE), else an embedded one started here and stopped at the end. Tests
 * get its URL with `inject('postgresUrl')` and create a database of their own on it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { buildCli } from './support/cli-bundle.js';
import { startPostgres } from './support/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL (its maintenance database) on which tests may create databases. */
    postgresUrl: string;
    /** Names of this run's test databases start with it; they are dropped at the end. */
    postgresPrefix: string;
    /** The CLI bundled from src/ for this run (support/cli.ts), unless it did not build. */
    cliEntry: string;
    /** Why src/cli/main.ts did not build; the tests that start the CLI fail with it. */
    cliBuildError: string | undefined;
  }
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

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prefix = `test_${randomBytes(4).toString('hex')}_`;
  project.provide('postgresPrefix', prefix);
  const given = process.env.OUTBOUND_TEST_DATABASE_URL;
  const [cli, server] = await Promise.all([
    buildCli(),
    given !== undefined && given !== '' ? undefined : startPostgres(),
  ]);
  if ('error' in cli) {
    project.provide('cliEntry', '');
    project.provide('cliBuildError', cli.error);
  } else {
    project.provide('cliEntry', cli.entry);
    project.provide('cliBuildError', undefined);
  }
  const removeCli = () => ('remove' in cli ? cli.remove() : undefined);
  if (server === undefined) {
    const url = given as string;
    project.provide('postgresUrl', url);
    return async () => {
      removeCli();
      await dropTestDatabases(url, prefix);
    };
  }
  project.provide('postgresUrl', server.url);
  return async () => {
    removeCli();
    await server.remove();
  };
}
