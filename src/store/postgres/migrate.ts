import type pg from 'pg';
import type { MigrationReport } from '../store.js';
import { withClient } from './database.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { LOCK, MIGRATION_LOCK } from './sql/locks.js';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;
const CURRENT = 'SELECT max(version) AS v FROM schema_migrations';
const RECORD = 'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)';

/**
 * Applies the migrations not yet applied, each in its own transaction. Each transaction first
 * takes an advisory lock and reads the version again under it, so that several processes
 * starting at once apply each migration once; the others wait, then find it done. (Even
 * `CREATE TABLE IF NOT EXISTS` needs the lock: two at once can fail on the catalog's unique
 * index.)
 */
export async function migrate(
  pool: pg.Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationReport> {
  return withClient(pool, async (client, inTransaction) => {
    // Runs `fn` in a transaction, with the lock held and the current version read under it.
    const locked = <T>(fn: (version: number) => Promise<T>): Promise<T> =>
      inTransaction(async () => {
        await client.query(LOCK, [MIGRATION_LOCK]);
        await client.query(CREATE_TABLE);
        const { rows } = await client.query<{ v: number | null }>(CURRENT);
        return fn(rows[0]?.v ?? 0);
      });
    const latest = migrations.length;
    await locked(async (known) => {
      if (known > latest) {
        throw new Error(
          `the database is at schema version ${known}, newer than this program knows (${latest}); upgrade Outbound`,
        );
      }
    });
    const applied: string[] = [];
    for (const migration of migrations) {
      const done = await locked(async (version) => {
        if (version >= migration.version) return false;
        await client.query(migration.sql);
        await client.query(RECORD, [migration.version, migration.name, Date.now()]);
        return true;
      });
      if (done) applied.push(`${String(migration.version).padStart(4, '0')}-${migration.name}`);
    }
    return { applied, current: await locked(async (version) => version) };
  });
}
