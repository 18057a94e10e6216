/** What only the PostgreSQL backend has: its URL, its two durability levels, its int8s. */
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { PostgresConnection } from '../../src/store/postgres/database.js';

describe('postgres backend', () => {
  it('openStore takes a postgres:// URL; the store is not single-writer', async () => {
    const url = inject('postgresUrl');
    for (const scheme of ['postgres', 'postgresql']) {
      const store = openStore(url.replace(/^postgres(ql)?:/, `${scheme}:`));
      try {
        expect(store.capabilities).toEqual({ singleWriter: false });
        await expect(store.ping()).resolves.toBeUndefined();
      } finally {
        await store.close();
      }
    }
  });

  it('commits with synchronous_commit on, and a lane’s bookkeeping with it off', async () => {
    const conn = new PostgresConnection(inject('postgresUrl'));
    const level = async (q: Pick<pg.ClientBase, 'query'>) =>
      (await q.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]
        ?.synchronous_commit;
    try {
      expect(await level(conn.pool())).toBe('on');
      expect(await conn.transaction('on', level)).toBe('on');
      expect(await level(conn.pool('off'))).toBe('off');
      expect(await conn.transaction('off', level)).toBe('off');
    } finally {
      await conn.close();
      await conn.close();
    }
  });

  it('reads int8 as numbers on its own pools only', async () => {
    const conn = new PostgresConnection(inject('postgresUrl'));
    const sql = 'SELECT 9007199254740991::bigint AS big, count(*) AS n FROM pg_database';
    try {
      const [row] = (await conn.pool().query(sql)).rows;
      expect(row.big).toBe(Number.MAX_SAFE_INTEGER);
      expect(typeof row.n).toBe('number');
    } finally {
      await conn.close();
    }
    const client = new pg.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    try {
      expect((await client.query(sql)).rows[0].big).toBe('9007199254740991');
    } finally {
      await client.end();
    }
  });

  it('rolls back a failed transaction and keeps the pool usable', async () => {
    const conn = new PostgresConnection(inject('postgresUrl'));
    try {
      await expect(
        conn.transaction('on', async (client) => {
          await client.query('SELECT 1');
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      await expect(conn.transaction('on', (client) => client.query('SELECT 1/0'))).rejects.toThrow(
        /division by zero/,
      );
      expect((await conn.transaction('on', (c) => c.query('SELECT 2 AS v'))).rows).toEqual([
        { v: 2 },
      ]);
    } finally {
      await conn.close();
    }
  });
});
