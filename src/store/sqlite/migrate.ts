import type { SqliteDatabase } from '../../sqlite/index.js';
import type { MigrationReport } from '../store.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

/**
 * Applies the migrations not yet applied, each in its own IMMEDIATE transaction, checking
 * again under the write lock, so that several processes starting at once apply each once.
 */
export function migrate(
  db: SqliteDatabase,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationReport {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const current = db.prepare('SELECT max(version) AS v FROM schema_migrations');
  const known = () => (current.get() as { v: number | null } | undefined)?.v ?? 0;
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const applied: string[] = [];
  const latest = migrations.length;
  const found = known();
  if (found > latest) {
    throw new Error(
      `the database is at schema version ${found}, newer than this program knows (${latest}); upgrade Outbound`,
    );
  }
  for (const migration of migrations) {
    const step = db.immediate(() => {
      if (known() >= migration.version) return false;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
      return true;
    });
    if (step) applied.push(`${String(migration.version).padStart(4, '0')}-${migration.name}`);
  }
  return { applied, current: known() };
}
