/**
 * Every backend the store suite runs against. A test file loops
 * `for (const backend of BACKENDS) describe(backend.name, …)`, so the same assertions hold
 * for each; what only a backend can do for a test (open a second connection, dump its schema,
 * replay its migrations one by one) lives here, behind `TestDatabase`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { loadSqliteDriver } from '../../src/sqlite/index.js';
import { migrate as migratePostgres } from '../../src/store/postgres/migrate.js';
import { MIGRATIONS as POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations/index.js';
import { PostgresStore } from '../../src/store/postgres/store.js';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations/index.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/store.js';

/** One fresh, empty database of a backend, for one test. */
export interface TestDatabase {
  /** A store on the database, not migrated yet. */
  readonly store: Store;
  /** Its OUTBOUND_DATABASE_URL. */
  readonly url: string;
  /** Another store on the same database, as a second process would open it. */
  openAnother(): Store;
  /** The schema as comparable text: one line per table, index or trigger, sorted. */
  schema(): Promise<string[]>;
  /**
   * Brings an empty database up to date as successive releases would have, one migration at a
   * time; returns the schema version after each step.
   */
  upgradeStepByStep(): Promise<number[]>;
  /** Closes every store opened on it and deletes the database. */
  cleanup(): Promise<void>;
}

export interface Backend {
  name: string;
  /** The schema version once every migration is applied. */
  latestVersion: number;
  open(): Promise<TestDatabase>;
}

function openSqlite(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-store-'));
  const path = join(dir, 'outbound.db');
  const stores: Store[] = [new SqliteStore(path)];
  const [store] = stores as [Store];
  return {
    store,
    url: `sqlite:${path}`,
    openAnother() {
      const another = new SqliteStore(path);
      stores.push(another);
      return another;
    },
    async schema() {
      const db = loadSqliteDriver().open(path, { readonly: true });
      try {
        const rows = db
          .prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name')
          .all() as { type: string; name: string; tbl_name: string; sql: string | null }[];
        return rows.map((r) => `${r.type} ${r.name} ON ${r.tbl_name}: ${r.sql ?? '(implicit)'}`);
      } finally {
        db.close();
      }
    },
    async upgradeStepByStep() {
      const db = loadSqliteDriver().open(path);
      try {
        db.pragma('journal_mode = WAL');
        db.pragma('foreign_keys = ON');
        // The program of release k knew the first k migrations.
        return MIGRATIONS.map((_, i) => migrate(db, MIGRATIONS.slice(0, i + 1)).current);
      } finally {
        db.close();
      }
    },
    async cleanup() {
      for (const s of stores) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` on a short-lived connection to the test server's maintenance database. */
async function onServer<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgresUrl') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The same server, another database. */
function databaseUrl(name: string): string {
  const url = new URL(inject('postgresUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Databases of this test file that a finished test left empty, for the next one: emptying a
 * database (dropping its schema) is several times cheaper than CREATE DATABASE. Whatever is
 * left at the end is dropped by test/global-setup.ts.
 */
const spare: string[] = [];

const EMPTY = 'DROP SCHEMA public CASCADE; CREATE SCHEMA public';

/** A database of its own on the test server (see test/global-setup.ts), emptied after. */
async function openPostgres(): Promise<TestDatabase> {
  let name = spare.pop();
  if (name === undefined) {
    const created = `${inject('postgresPrefix')}${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    await onServer((client) => client.query(`CREATE DATABASE ${created}`));
    name = created;
  }
  const url = databaseUrl(name);
  const stores: Store[] = [new PostgresStore(url)];
  const [store] = stores as [Store];
  const onDatabase = async <T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T> => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      return await fn(pool);
    } finally {
      await pool.end();
    }
  };
  return {
    store,
    url,
    openAnother() {
      const another = new PostgresStore(url);
      stores.push(another);
      return another;
    },
    schema: () =>
      onDatabase(async (pool) => {
        const { rows } = await pool.query<{ line: string }>(POSTGRES_SCHEMA);
        return rows.map((r) => r.line).sort();
      }),
    upgradeStepByStep: () =>
      onDatabase(async (pool) => {
        const versions: number[] = [];
        // The program of release k knew the first k migrations.
        for (let i = 0; i < POSTGRES_MIGRATIONS.length; i++) {
          versions.push((await migratePostgres(pool, POSTGRES_MIGRATIONS.slice(0, i + 1))).current);
        }
        return versions;
      }),
    async cleanup() {
      for (const s of stores) await s.close();
      try {
        await onDatabase((pool) => pool.query(EMPTY));
        spare.push(name);
      } catch {
        await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      }
    },
  };
}

/** Tables with their options, columns, constraints, indexes and sequences, one per line. */
const POSTGRES_SCHEMA = `
SELECT format('table %s %s', relname, coalesce(reloptions::text, '')) AS line
FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'S')
UNION ALL
SELECT format('column %s.%s %s %s %s', table_name, column_name, data_type, is_nullable,
  coalesce(column_default, ''))
FROM information_schema.columns WHERE table_schema = 'public'
UNION ALL
SELECT format('constraint %s %s: %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname = 'public'`;

export const BACKENDS: readonly Backend[] = [
  { name: 'sqlite', latestVersion: MIGRATIONS.length, open: async () => openSqlite() },
  { name: 'postgres', latestVersion: POSTGRES_MIGRATIONS.length, open: openPostgres },
];
