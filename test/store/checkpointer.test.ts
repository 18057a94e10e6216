/**
 * SQLite's WAL checkpoints from a background thread (what `serve` uses): the writer's commits
 * no longer checkpoint, yet the WAL stays bounded and is copied back.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackgroundCheckpointer } from '../../src/store/sqlite/checkpointer.js';
import { SqliteConnection } from '../../src/store/sqlite/database.js';
import { waitUntil } from '../support/wait.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-ckpt-'));
  dirs.push(dir);
  return join(dir, 'outbound.db');
}

describe('background WAL checkpoints', () => {
  it('copy the WAL back off the writer thread and keep it bounded under a steady writer', async () => {
    const path = tempPath();
    const errors: string[] = [];
    const conn = new SqliteConnection(path, {
      backgroundCheckpoints: true,
      onCheckpointError: (message) => errors.push(message),
    });
    const [{ wal_autocheckpoint: auto } = { wal_autocheckpoint: -1 }] = conn.db.pragma(
      'wal_autocheckpoint',
    ) as { wal_autocheckpoint: number }[];
    expect(auto).toBe(0);
    conn.db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = conn.db.prepare('INSERT INTO t (v) VALUES (?)');
    const payload = 'x'.repeat(3000);
    let largestWal = 0;
    // Each commit appends about three 4 KiB pages: some 240 MB of WAL frames in all, which a
    // WAL that never starts over would hold.
    for (let i = 0; i < 20_000; i++) {
      conn.run('NORMAL', insert, payload);
      if (i % 500 === 0) largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
    }
    expect(largestWal).toBeLessThan(80 * 1024 * 1024);
    // Once the writer rests, the thread copies everything back.
    await waitUntil(() => {
      const [row] = conn.db.pragma('wal_checkpoint(PASSIVE)') as {
        log: number;
        checkpointed: number;
      }[];
      return row !== undefined && row.log === row.checkpointed;
    }, 'the WAL to be checkpointed');
    expect(errors).toEqual([]);
    await conn.close();
    // The last connection to close removes the WAL: the thread's closed first.
    expect(existsSync(`${path}-wal`)).toBe(false);
    const reopened = new SqliteConnection(path);
    expect(reopened.db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 20_000 });
    await reopened.close();
  });

  it('reports a thread that cannot open the database', async () => {
    const errors: string[] = [];
    const checkpointer = new BackgroundCheckpointer(
      join(tempPath(), 'missing', 'x.db'),
      50,
      (message) => errors.push(message),
    );
    await waitUntil(() => errors.length > 0, 'the error');
    expect(errors[0]).toMatch(/unable to open|directory does not exist|SQLITE_CANTOPEN/i);
    await checkpointer.stop();
  });

  it('a connection without it keeps SQLite’s automatic checkpoints', async () => {
    const conn = new SqliteConnection(tempPath());
    expect(conn.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await conn.close();
  });
});
