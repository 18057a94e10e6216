/**
 * The short way a lone ack's statement is sent (src/store/postgres/short-statement.ts): the
 * same rows as pg's own query path, pg's bookkeeping of parsed statements kept, and failures
 * reported to the caller with the connection left usable.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runShort } from '../../src/store/postgres/short-statement.js';
import { BACKENDS } from './backends.js';
import { BEGIN, newEvent, recipientInput } from './fixtures.js';
import { freshStore } from './harness.js';

const postgres = BACKENDS.find((backend) => backend.name === 'postgres');
if (postgres === undefined) throw new Error('no postgres backend');

const SET_LAST = `UPDATE deliveries SET last_status = $3, last_latency_ms = $4, last_error = $5
WHERE recipient_id = $1 AND seq = $2`;

interface Wire {
  parsedStatements: Record<string, string>;
}
const parsedOn = (client: pg.Client) =>
  Object.keys((client as unknown as { connection: Wire }).connection.parsedStatements);

describe('postgres: a statement sent the short way', () => {
  const t = freshStore(postgres);
  let client: pg.Client;
  let recipientId: number;
  let seq: number;

  beforeEach(async () => {
    recipientId = (await t.store.createRecipient(recipientInput(), 1)).id;
    const { ids } = await t.store.acceptEvents([newEvent(BEGIN), newEvent(BEGIN)], 10);
    seq = ids[0] as number;
    client = new pg.Client({ connectionString: t.db.url });
    await client.connect();
  });
  afterEach(async () => {
    await client.end();
  });

  const row = async (s: number) =>
    (
      await client.query(
        'SELECT last_status, last_latency_ms, last_error FROM deliveries WHERE recipient_id = $1 AND seq = $2',
        [recipientId, s],
      )
    ).rows[0];

  it('changes the rows pg’s query path would, and counts them; parsed once per connection', async () => {
    const first = await runShort(client, 'short_1', SET_LAST, [recipientId, seq, 200, 0.125, null]);
    expect(first).toEqual({ rowCount: 1 });
    expect(parsedOn(client)).toContain('short_1');
    expect(await row(seq)).toEqual({ last_status: 200, last_latency_ms: 0.125, last_error: null });

    // Parsed already: only bound and run. Text with any characters arrives as it was.
    const text = 'refusé — “quoted” \\ 100%';
    const second = await runShort(client, 'short_1', SET_LAST, [
      recipientId,
      seq + 1,
      503,
      2,
      text,
    ]);
    expect(second).toEqual({ rowCount: 1 });
    expect(await row(seq + 1)).toEqual({ last_status: 503, last_latency_ms: 2, last_error: text });

    const none = await runShort(client, 'short_1', SET_LAST, [recipientId, seq + 99, 200, 1, null]);
    expect(none).toEqual({ rowCount: 0 });
  });

  it('shares pg’s bookkeeping: a statement prepared either way is not parsed again', async () => {
    await client.query({
      name: 'shared',
      text: SET_LAST,
      values: [recipientId, seq, 201, 1, null],
    });
    // A second Parse of the same name would fail with "prepared statement already exists".
    await runShort(client, 'shared', SET_LAST, [recipientId, seq, 202, 1, null]);
    await runShort(client, 'mine', SET_LAST, [recipientId, seq, 203, 1, null]);
    await client.query({ name: 'mine', text: SET_LAST, values: [recipientId, seq, 204, 1, null] });
    expect((await row(seq)).last_status).toBe(204);
  });

  it('a server error fails the statement only; the connection goes on', async () => {
    const failed = runShort(client, 'short_err', SET_LAST, [
      recipientId,
      seq,
      'not a number',
      1,
      null,
    ]);
    await expect(failed).rejects.toBeInstanceOf(pg.DatabaseError);
    await expect(failed).rejects.toMatchObject({ code: '22P02' });
    // Parsed before the bind failed: runs again without a second Parse.
    expect(await runShort(client, 'short_err', SET_LAST, [recipientId, seq, 200, 1, null])).toEqual(
      {
        rowCount: 1,
      },
    );
    const broken = runShort(client, 'short_syntax', 'UPDATE nowhere SET', []);
    await expect(broken).rejects.toMatchObject({ code: '42601' });
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('a lost connection fails the statement under way', async () => {
    const admin = new pg.Client({ connectionString: t.db.url });
    await admin.connect();
    try {
      const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      // Holds the row, so that the statement is under way when its backend goes.
      await admin.query('BEGIN');
      await admin.query(
        'SELECT 1 FROM deliveries WHERE recipient_id = $1 AND seq = $2 FOR UPDATE',
        [recipientId, seq],
      );
      client.on('error', () => {});
      const waiting = runShort(client, 'short_lost', SET_LAST, [recipientId, seq, 200, 1, null]);
      // Its outcome is taken at once: it fails while this test is still terminating the backend.
      const outcome = waiting.then(
        () => 'committed',
        (error: unknown) => error,
      );
      const other = new pg.Client({ connectionString: t.db.url });
      await other.connect();
      try {
        await other.query('SELECT pg_terminate_backend($1)', [pid]);
      } finally {
        await other.end();
      }
      expect(await outcome).toBeInstanceOf(Error);
      await admin.query('ROLLBACK');
    } finally {
      await admin.end();
    }
  });
});
