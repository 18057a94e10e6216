/**
 * Both SQLite drivers behind src/sqlite/ give the same rows, results and error codes for the
 * statements the store runs. Each driver that loads on this Node runs the same script against
 * the same expectations; which ones ran is asserted, never skipped silently.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteDatabase, SqliteDriver } from '../../src/sqlite/index.js';
import { storageFaultOf } from '../../src/store/storage-health.js';
import { loadableDrivers, requiredDriver } from '../support/sqlite-drivers.js';

const { drivers, missing } = loadableDrivers();

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0).reverse()) fn();
});

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-driver-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'parity.db');
}

function open(driver: SqliteDriver, path: string, options = {}): SqliteDatabase {
  const db = driver.open(path, options);
  cleanup.push(() => db.close());
  return db;
}

/** The error `fn` throws, as the fields callers read. */
function thrown(fn: () => unknown): { code: unknown; message: unknown; error: unknown } {
  try {
    fn();
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return { code, message, error };
  }
  throw new Error('expected an error');
}

const SCHEMA = `
  CREATE TABLE parents (id INTEGER PRIMARY KEY);
  CREATE TABLE t (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    n INTEGER,
    x REAL,
    parent INTEGER REFERENCES parents (id)
  );`;

function schema(driver: SqliteDriver): SqliteDatabase {
  const db = open(driver, tempPath());
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  return db;
}

describe('the drivers that run here', () => {
  it(`include the one this Node needs (${requiredDriver()}), and say why another is missing`, () => {
    const names = drivers.map((d) => d.name);
    console.info(
      `SQLite drivers on Node ${process.versions.node}: ${names.join(', ')}${Object.entries(missing)
        .map(([name, why]) => `; not ${name}: ${why}`)
        .join('')}`,
    );
    expect(names).toContain(requiredDriver());
    for (const [name, why] of Object.entries(missing)) {
      expect(why, name).toMatch(name === 'node' ? /node:sqlite/ : /better-sqlite3/);
    }
    if (Number(process.versions.node.split('.')[0]) < 22) {
      // Node 20 has no node:sqlite: only better-sqlite3 runs this suite here.
      expect(names).toEqual(['better-sqlite3']);
    }
  });
});

for (const driver of drivers) {
  describe(driver.description, () => {
    it('reads rows as plain objects of numbers, strings and nulls', () => {
      const db = schema(driver);
      const insert = db.prepare('INSERT INTO t (name, n, x) VALUES (?, ?, ?)');
      expect(insert.run('a', 1, 1.5)).toEqual({ changes: 1, lastInsertRowid: 1 });
      expect(insert.run('b', 2 ** 40, null)).toEqual({ changes: 1, lastInsertRowid: 2 });
      const named = db.prepare('INSERT INTO t (name, n) VALUES (@name, @n)');
      // A key the statement does not name is ignored, as the store's queries rely on.
      expect(named.run({ name: 'c', n: 3, unused: 'x' }).lastInsertRowid).toBe(3);
      // undefined binds NULL (better-sqlite3 does; node:sqlite is made to).
      expect(insert.run('d', undefined, undefined).changes).toBe(1);
      expect(
        db.prepare('INSERT INTO t (name, n) VALUES (@name, @n)').run({ name: 'e', n: undefined })
          .changes,
      ).toBe(1);

      const rows = db.prepare('SELECT id, name, n, x FROM t ORDER BY id').all();
      expect(rows.map((r) => ({ ...(r as object) }))).toEqual([
        { id: 1, name: 'a', n: 1, x: 1.5 },
        { id: 2, name: 'b', n: 2 ** 40, x: null },
        { id: 3, name: 'c', n: 3, x: null },
        { id: 4, name: 'd', n: null, x: null },
        { id: 5, name: 'e', n: null, x: null },
      ]);
      expect(typeof (rows[1] as { n: unknown }).n).toBe('number');
      expect(db.prepare('SELECT name FROM t WHERE id = ?').get(99)).toBeUndefined();
      expect({ ...(db.prepare('SELECT count(*) AS c FROM t').get() as object) }).toEqual({ c: 5 });
      expect(db.prepare('UPDATE t SET n = n + 1 WHERE n IS NOT NULL').run().changes).toBe(3);
      expect(db.prepare('DELETE FROM t WHERE id = ?').run(99).changes).toBe(0);
      expect(
        db
          .prepare(
            'SELECT id FROM t WHERE name IN (SELECT value FROM json_each(@names)) ORDER BY id',
          )
          .all({ names: '["a","c"]' })
          .map((r) => (r as { id: number }).id),
      ).toEqual([1, 3]);
    });

    it('reads and sets pragmas', () => {
      const db = schema(driver);
      expect(db.pragmaValue('journal_mode')).toBe('wal');
      expect(db.pragmaValue('page_size')).toBe(4096);
      db.pragma('synchronous = NORMAL');
      expect(db.pragmaValue('synchronous')).toBe(1);
      expect(db.pragmaValue('foreign_keys')).toBe(1);
    });

    it('commits an immediate transaction, rolls it back on a throw, nests as a savepoint', () => {
      const db = schema(driver);
      const insert = db.prepare('INSERT INTO t (name) VALUES (?)');
      const names = () =>
        db
          .prepare('SELECT name FROM t ORDER BY id')
          .all()
          .map((r) => (r as { name: string }).name);
      expect(db.immediate(() => insert.run('kept').changes)).toBe(1);
      expect(() =>
        db.immediate(() => {
          insert.run('undone');
          throw new Error('no');
        }),
      ).toThrow('no');
      db.immediate(() => {
        insert.run('outer');
        expect(() =>
          db.immediate(() => {
            insert.run('inner');
            throw new Error('inner only');
          }),
        ).toThrow('inner only');
      });
      expect(names()).toEqual(['kept', 'outer']);
      // A constraint failing inside: nothing of the transaction stays, the error is SQLite's.
      const failed = thrown(() =>
        db.immediate(() => {
          insert.run('half');
          insert.run('kept');
        }),
      );
      expect(failed.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
      expect(names()).toEqual(['kept', 'outer']);
    });

    it('names constraint violations with better-sqlite3 codes and SQLite messages', () => {
      const db = schema(driver);
      db.prepare('INSERT INTO t (name) VALUES (?)').run('taken');
      expect(
        thrown(() => db.prepare('INSERT INTO t (name) VALUES (?)').run('taken')),
      ).toMatchObject({
        code: 'SQLITE_CONSTRAINT_UNIQUE',
        message: 'UNIQUE constraint failed: t.name',
      });
      expect(thrown(() => db.prepare('INSERT INTO t (name) VALUES (NULL)').run())).toMatchObject({
        code: 'SQLITE_CONSTRAINT_NOTNULL',
        message: 'NOT NULL constraint failed: t.name',
      });
      expect(
        thrown(() => db.prepare('INSERT INTO t (name, parent) VALUES (?, ?)').run('orphan', 7)),
      ).toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
      expect(
        thrown(() => db.prepare('INSERT INTO t (id, name) VALUES (1, ?)').run('same id')),
      ).toMatchObject({
        code: 'SQLITE_CONSTRAINT_PRIMARYKEY',
      });
      expect(thrown(() => db.prepare('SELEC 1'))).toMatchObject({ code: 'SQLITE_ERROR' });
      expect(thrown(() => db.exec('INSERT INTO nowhere VALUES (1)'))).toMatchObject({
        code: 'SQLITE_ERROR',
        message: 'no such table: nowhere',
      });
    });

    it('says SQLITE_BUSY when another connection holds the write lock', () => {
      const path = tempPath();
      const a = open(driver, path);
      a.pragma('journal_mode = WAL');
      a.exec(SCHEMA);
      const b = open(driver, path);
      b.pragma('busy_timeout = 0');
      a.immediate(() => {
        a.prepare('INSERT INTO t (name) VALUES (?)').run('a');
        expect(thrown(() => b.immediate(() => 0))).toMatchObject({
          code: 'SQLITE_BUSY',
          message: 'database is locked',
        });
      });
      expect(b.immediate(() => b.prepare('SELECT count(*) AS c FROM t').get())).toMatchObject({
        c: 1,
      });
    });

    it('says SQLITE_READONLY for a read-only connection, a storage fault', () => {
      const path = tempPath();
      open(driver, path).exec(SCHEMA);
      const db = open(driver, path, { readonly: true });
      const error = thrown(() => db.prepare('INSERT INTO t (name) VALUES (?)').run('x'));
      expect(error.code).toBe('SQLITE_READONLY');
      expect(storageFaultOf(error.error)).toBe(
        'the database is read-only (SQLITE_READONLY: attempt to write a readonly database)',
      );
    });

    it('says SQLITE_FULL when no page may be added, a storage fault', () => {
      const db = schema(driver);
      const pages = Number(db.pragmaValue('page_count'));
      db.pragma(`max_page_count = ${pages}`);
      const error = thrown(() =>
        db.immediate(() => {
          const insert = db.prepare('INSERT INTO t (name) VALUES (?)');
          for (let i = 0; i < 1000; i++) insert.run(`row ${i} ${'x'.repeat(200)}`);
        }),
      );
      expect(error.code).toBe('SQLITE_FULL');
      expect(storageFaultOf(error.error)).toMatch(
        /^disk full \(SQLITE_FULL: database or disk is full\)$/,
      );
    });

    it('says SQLITE_NOTADB for a file that is not a database', () => {
      const path = tempPath();
      writeFileSync(path, Buffer.alloc(8192, 'not a database '));
      const error = thrown(() => open(driver, path).pragma('journal_mode = WAL'));
      expect(error.code).toBe('SQLITE_NOTADB');
      expect(storageFaultOf(error.error)).toMatch(/^the file is not a SQLite database/);
    });
  });
}

if (drivers.length === 2) {
  describe('both drivers on one file', () => {
    it('read what the other wrote', () => {
      const [first, second] = drivers as [SqliteDriver, SqliteDriver];
      const path = tempPath();
      const a = open(first, path);
      a.pragma('journal_mode = WAL');
      a.exec(SCHEMA);
      a.prepare('INSERT INTO t (name, n) VALUES (?, ?)').run('from a', 1);
      const b = open(second, path);
      b.prepare('INSERT INTO t (name, n) VALUES (?, ?)').run('from b', 2);
      const rows = (db: SqliteDatabase) =>
        db
          .prepare('SELECT name, n FROM t ORDER BY id')
          .all()
          .map((r) => ({ ...(r as object) }));
      expect(rows(a)).toEqual(rows(b));
      expect(rows(a)).toHaveLength(2);
    });
  });
}
