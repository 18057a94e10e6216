/**
 * Every backend the store suite runs against. A test file loops
 * `for (const backend of BACKENDS) describe(backend.name, …)`, so the same assertions hold
 * for each; what only a backend can do for a test (open a second connection, dump its schema,
 * replay its migrations one by one) lives here, behind `TestDatabase`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations/index.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/store.js';

/** One fresh, empty database of a backend, for one test. */
export interface TestDatabase {
  /** A store on the database, not migrated yet. */
  readonly store: Store;
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
    openAnother() {
      const another = new SqliteStore(path);
      stores.push(another);
      return another;
    },
    async schema() {
      const db = new Database(path, { readonly: true });
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
      const db = new Database(path);
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

export const BACKENDS: readonly Backend[] = [
  { name: 'sqlite', latestVersion: MIGRATIONS.length, open: async () => openSqlite() },
];
