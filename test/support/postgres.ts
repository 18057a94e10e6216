import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** A database of its own on the test PostgreSQL server (test/global-setup.ts). */
export async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${inject('postgresPrefix')}${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const onServer = async (sql: string) => {
    const client = new pg.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(inject('postgresUrl'));
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
