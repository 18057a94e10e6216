/**
 * The SQLite store watches its own files: a database deleted, moved away or replaced under it
 * is never written again, leaves a marker, and a later open refuses instead of starting empty.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseMissingError } from '../../src/store/sqlite/database-files.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';

describe("the SQLite store's files", () => {
  let dir: string;
  let path: string;
  const stores: SqliteStore[] = [];

  const open = async () => {
    const store = new SqliteStore(path);
    stores.push(store);
    await store.migrate();
    // The first durable write: the write-ahead log and shared memory exist from here on.
    await store.createToken('t', `hash-${stores.length}`, Date.now());
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outbound-files-'));
    path = join(dir, 'data', 'outbound.db');
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('a whole data folder removed: lost for good, and the folder gets a marker', async () => {
    const store = await open();
    rmSync(join(dir, 'data'), { recursive: true, force: true });
    await expect(store.ping()).rejects.toMatchObject({
      code: 'OUTBOUND_STORAGE_LOST',
      message: expect.stringContaining(`the database file ${path} was deleted`),
    });
    expect(store.health.state).toBe('lost');
    // Nothing more is written, even what would succeed on the unlinked file.
    await expect(store.createToken('u', 'hash-u', Date.now())).rejects.toMatchObject({
      code: 'OUTBOUND_STORAGE_LOST',
    });
    expect(readFileSync(`${path}-lost`, 'utf8')).toContain('was deleted');
    await store.close();
    expect(() => new SqliteStore(path)).toThrow(DatabaseMissingError);
    expect(existsSync(path)).toBe(false);
  });

  it('a durable write finds the file gone at once, not only the renewal', async () => {
    const store = await open();
    rmSync(path);
    await expect(store.createToken('u', 'hash-u', Date.now())).rejects.toMatchObject({
      code: 'OUTBOUND_STORAGE_LOST',
    });
  });

  it('a lane write after the file went is refused as lost, never as read-only', async () => {
    const store = await open();
    const seen: string[] = [];
    store.health.onChange((state) => seen.push(state));
    rmSync(path);
    // A lane's write is the first to find out (SQLite may refuse it as SQLITE_READONLY_DBMOVED).
    await expect(
      store.recordFailure(
        1,
        1,
        { at: 1, status: 500, error: 'x', errorCode: null, latencyMs: 1, snippet: null } as never,
        2,
      ),
    ).rejects.toMatchObject({ code: 'OUTBOUND_STORAGE_LOST' });
    expect(seen).toEqual(['lost']);
  });

  it("the database's write-ahead log deleted under it is seen as well", async () => {
    const store = await open();
    rmSync(`${path}-wal`);
    await expect(store.ping()).rejects.toMatchObject({
      code: 'OUTBOUND_STORAGE_LOST',
      message: expect.stringContaining('write-ahead log'),
    });
  });

  it('a missing database with a left-over write-ahead log or shared memory is refused', async () => {
    const store = await open();
    await store.close();
    rmSync(path);
    rmSync(`${path}-acks`, { force: true });
    // As a killed process leaves it (a clean close removes it).
    writeFileSync(`${path}-shm`, '');
    expect(() => new SqliteStore(path)).toThrow(/outbound\.db-shm show/);
  });

  it('the marker names what to remove to go on, and removing it opens the file there', async () => {
    const store = await open();
    rmSync(path);
    await expect(store.ping()).rejects.toThrow();
    await store.close();
    expect(() => new SqliteStore(path)).toThrow(/remove .*outbound\.db-lost/);
    for (const file of ['-lost', '-acks', '-wal', '-shm'])
      rmSync(`${path}${file}`, { force: true });
    const fresh = await open();
    expect(fresh.health.state).toBe('ok');
  });

  it('an untouched store stays healthy through pings and writes', async () => {
    const store = await open();
    for (let i = 0; i < 3; i++) {
      await store.ping();
      await store.createToken(`n${i}`, `h${i}`, Date.now());
    }
    expect(store.health.state).toBe('ok');
    expect(existsSync(`${path}-lost`)).toBe(false);
  });
});
