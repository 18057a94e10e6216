/**
 * The PostgreSQL store's acks, many lanes' to a statement (src/store/postgres/ack-batcher.ts):
 * what goes to the server, and that each caller still learns exactly what its own ack did.
 * A lone ack held in flight makes the acks submitted behind it one batch, deterministically.
 */
import { describe, expect, it } from 'vitest';
import { type LaneFence, LeaseLostError } from '../../src/store/cluster-store.js';
import { AckBatcher } from '../../src/store/postgres/ack-batcher.js';
import { PostgresConnection } from '../../src/store/postgres/database.js';
import { PostgresStore } from '../../src/store/postgres/store.js';
import type { DeliveredHead, Store } from '../../src/store/store.js';
import type { AttemptOutcome, Recipient } from '../../src/types.js';
import { BACKENDS } from './backends.js';
import { BEGIN, failure, newEvent, recipientInput, success } from './fixtures.js';
import { freshStore } from './harness.js';

const postgres = BACKENDS.find((backend) => backend.name === 'postgres');
if (postgres === undefined) throw new Error('no postgres backend');

function postgresStore(store: Store): PostgresStore {
  if (!(store instanceof PostgresStore)) throw new Error('not a PostgresStore');
  return store;
}

function clusterOf(store: Store) {
  if (store.cluster === undefined) throw new Error('no cluster');
  return store.cluster;
}

/** The head a lane acks: its delivery, with the attempts recorded before this one. */
const head = (recipientId: number, seq: number, attempts = 0): DeliveredHead => ({
  recipientId,
  seq,
  attempts,
});

interface DeliveryRow {
  recipient_id: number;
  seq: number;
  state: string;
  attempts: number;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  last_latency_ms: number | null;
  delivered_at: number | null;
  next_attempt_at: number | null;
  failed_at: number | null;
}

/** Every delivery row as stored, by lane then seq. */
async function deliveryRows(url: string): Promise<DeliveryRow[]> {
  const conn = new PostgresConnection(url);
  try {
    const { rows } = await conn.pool().query<DeliveryRow>(
      `SELECT recipient_id, seq, state, attempts, last_attempt_at, last_status, last_error,
        last_latency_ms, delivered_at, next_attempt_at, failed_at
       FROM deliveries ORDER BY recipient_id, seq`,
    );
    return rows;
  } finally {
    await conn.close();
  }
}

/** The row a fresh ack of `outcome` leaves, after `attempts` earlier attempts. */
const deliveredAs = (outcome: AttemptOutcome, attempts = 0) => ({
  state: 'delivered',
  attempts: attempts + 1,
  last_attempt_at: outcome.at,
  last_status: outcome.status,
  last_error: null,
  last_latency_ms: outcome.latencyMs,
  delivered_at: outcome.at,
  next_attempt_at: null,
  failed_at: null,
});

/** Recipients with one pending delivery each (of one event): its seq. */
async function lanes(store: Store, n: number): Promise<{ ids: number[]; seq: number }> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push((await store.createRecipient(recipientInput(), 1)).id);
  const { ids: events } = await store.acceptEvents([newEvent(BEGIN)], 10);
  return { ids, seq: events[0] as number };
}

describe('postgres: acks many to a statement', () => {
  const t = freshStore(postgres);

  it('a lone ack is sent at once, in a statement of its own', async () => {
    const store = postgresStore(t.store);
    const { ids, seq } = await lanes(store, 1);
    const [r] = ids as [number];
    const acked = store.markDelivered(head(r, seq), success(20));
    // Sent before markDelivered returned: no timer, no waiting for company.
    expect(store.acks.sent).toEqual({ acks: 1, statements: 1, largest: 1 });
    await acked;
    expect(await deliveryRows(t.db.url)).toEqual([
      { recipient_id: r, seq, ...deliveredAs(success(20)) },
    ]);
  });

  it('many lanes acking at once share statements, and every row lands as one ack at a time would leave it', async () => {
    const store = postgresStore(t.store);
    const db = new PostgresConnection(t.db.url);
    try {
      // Seqs past 2^32, as bigint arrays must carry them.
      await db.pool().query(`SELECT setval('events_id_seq', 5000000000)`);
    } finally {
      await db.close();
    }
    const recipients = (
      await Promise.all(
        Array.from({ length: 200 }, () => store.createRecipient(recipientInput(), 1)),
      )
    ).sort((a, b) => a.id - b.id);
    const { ids: seqs } = await store.acceptEvents([newEvent(), newEvent(), newEvent()], 10);
    expect(seqs[0]).toBeGreaterThan(2 ** 32);
    // Half the lanes fenced (as a cluster node writes), half not (a single node).
    const node = await clusterOf(store).register('a', 60_000);
    const even = recipients.filter((_, n) => n % 2 === 0).map((r) => r.id);
    const tokens = await clusterOf(store).claim(node, even);
    const fenceOf = (id: number): LaneFence | undefined => {
      const token = tokens.get(id);
      return token === undefined ? undefined : { node, token };
    };
    // Outcomes with times past 2^31 and latencies with fractions, all different.
    const outcome = (n: number, k: number): AttemptOutcome => ({
      ...success(1_700_000_000_000 + n * 1000 + k),
      latencyMs: 0.25 + n + k / 8,
    });
    // A head that failed once, and one set aside while its request was in flight.
    const r0 = recipients[0] as Recipient;
    const r1 = recipients[1] as Recipient;
    const [first] = seqs as [number];
    await store.recordFailure(r0.id, first, failure(5), 6, fenceOf(r0.id));
    expect(await store.setAside(r1.id, first, 7)).toBe(true);

    await Promise.all(
      recipients.map(async (r, n) => {
        for (const [k, seq] of seqs.entries()) {
          const before = r === r0 && k === 0 ? 1 : 0;
          await store.markDelivered(head(r.id, seq, before), outcome(n, k), fenceOf(r.id));
        }
      }),
    );

    const { sent } = store.acks;
    expect(sent.acks).toBe(600);
    expect(sent.statements).toBeLessThanOrEqual(60);
    expect(sent.largest).toBeGreaterThan(100);
    const rows = await deliveryRows(t.db.url);
    expect(rows).toHaveLength(600);
    const expected = recipients.flatMap((r, n) =>
      seqs.map((seq, k) => ({
        recipient_id: r.id,
        seq,
        ...deliveredAs(outcome(n, k), r === r0 && k === 0 ? 1 : 0),
      })),
    );
    expect(rows).toEqual(expected);
  });

  it('in one batch, stale fences are refused and change nothing, the others commit', async () => {
    const store = postgresStore(t.store);
    const cluster = clusterOf(store);
    const { ids, seq } = await lanes(store, 8);
    const [r0, stale, moved, held, unfenced, done, staleDone, requeued] = ids as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const a = await cluster.register('a', 60_000);
    const b = await cluster.register('b', 60_000);
    const tokensA = await cluster.claim(a, ids);
    const fenceA = (id: number): LaneFence => ({ node: a, token: tokensA.get(id) as number });
    // Delivered already, by the lane's holder.
    await store.markDelivered(head(done, seq), success(11), fenceA(done));
    await store.markDelivered(head(staleDone, seq), success(12), fenceA(staleDone));
    // Delivered, then re-queued by an operator: a 200 that arrives now is recorded (written as it
    // arrives, unlike SQLite's folded log, which checks the attempt count).
    await store.markDelivered(head(requeued, seq), success(13), fenceA(requeued));
    expect(await store.replayRange(requeued, 0, 10, 14)).toBe(1);
    // Then three lanes change hands: a's token for them is stale.
    const handed = [stale, moved, staleDone];
    await cluster.release(a, new Map(handed.map((id) => [id, tokensA.get(id) as number])));
    const tokensB = await cluster.claim(b, handed);
    const fenceB = (id: number): LaneFence => ({ node: b, token: tokensB.get(id) as number });
    expect(fenceB(moved).token).toBe(fenceA(moved).token + 1);
    const before = store.acks.sent.statements;

    const lone = store.markDelivered(head(r0, seq), success(20), fenceA(r0));
    const outcomes = await Promise.allSettled([
      store.markDelivered(head(stale, seq), success(21), fenceA(stale)),
      store.markDelivered(head(moved, seq), success(22), fenceB(moved)),
      store.markDelivered(head(held, seq), success(23), fenceA(held)),
      store.markDelivered(head(unfenced, seq), success(24)),
      store.markDelivered(head(done, seq), success(25), fenceA(done)),
      store.markDelivered(head(staleDone, seq), success(26), fenceA(staleDone)),
      store.markDelivered(head(requeued, seq), success(27), fenceA(requeued)),
    ]);
    await lone;

    expect(store.acks.sent.statements - before).toBe(2);
    expect(store.acks.sent.largest).toBe(7);
    const [refused, ok1, ok2, ok3, alreadyDone, refusedDone, tooLate] = outcomes;
    for (const ok of [ok1, ok2, ok3, alreadyDone, tooLate]) expect(ok.status).toBe('fulfilled');
    for (const [lost, id] of [
      [refused, stale],
      [refusedDone, staleDone],
    ] as const) {
      expect(lost.status).toBe('rejected');
      const reason = (lost as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(LeaseLostError);
      expect(reason.recipientId).toBe(id);
    }
    const rows = new Map((await deliveryRows(t.db.url)).map((row) => [row.recipient_id, row]));
    expect(rows.get(r0)).toMatchObject(deliveredAs(success(20)));
    expect(rows.get(stale)).toMatchObject({ state: 'pending', attempts: 0, delivered_at: null });
    expect(rows.get(moved)).toMatchObject(deliveredAs(success(22)));
    expect(rows.get(held)).toMatchObject(deliveredAs(success(23)));
    expect(rows.get(unfenced)).toMatchObject(deliveredAs(success(24)));
    expect(rows.get(done)).toMatchObject(deliveredAs(success(11)));
    expect(rows.get(staleDone)).toMatchObject(deliveredAs(success(12)));
    expect(rows.get(requeued)).toMatchObject(deliveredAs(success(27), 1));
  });

  it('a lane’s second ack goes in the next statement and sees the first one’s outcome', async () => {
    const store = postgresStore(t.store);
    const cluster = clusterOf(store);
    const { ids, seq } = await lanes(store, 3);
    const [r0, r1, r2] = ids as [number, number, number];
    const a = await cluster.register('a', 60_000);
    const b = await cluster.register('b', 60_000);
    const tokensA = await cluster.claim(a, [r1]);
    await cluster.release(a, tokensA);
    const tokenB = (await cluster.claim(b, [r1])).get(r1) as number;
    const before = store.acks.sent.statements;

    const lone = store.markDelivered(head(r0, seq), success(20));
    const outcomes = await Promise.allSettled([
      store.markDelivered(head(r1, seq), success(21), { node: b, token: tokenB }),
      // The same head acked again under the lease r1 had before: refused, although the row
      // was delivered by then, as it would be one ack at a time.
      store.markDelivered(head(r1, seq), success(22), {
        node: a,
        token: tokensA.get(r1) as number,
      }),
      store.markDelivered(head(r2, seq), success(23)),
      store.markDelivered(head(r2, seq), success(24)),
    ]);
    await lone;

    expect(store.acks.sent.statements - before).toBe(3);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(LeaseLostError);
    const rows = await deliveryRows(t.db.url);
    expect(rows.map((row) => row.delivered_at)).toEqual([20, 21, 23]);
    expect(rows.map((row) => row.attempts)).toEqual([1, 1, 1]);
  });

  it('a failed statement fails its own acks only; the batch in flight and the next one commit', async () => {
    const store = postgresStore(t.store);
    const { ids, seq } = await lanes(store, 4);
    const [r0, r1, r2, r3] = ids as [number, number, number, number];

    const lone = store.markDelivered(head(r0, seq), success(20));
    const failed = await Promise.allSettled([
      store.markDelivered(head(r1, seq), success(21)),
      // Not a bigint: the whole statement fails.
      store.markDelivered(head(r2, seq), success(21.5)),
      store.markDelivered(head(r3, seq), success(23)),
    ]);
    await expect(lone).resolves.toBeUndefined();
    for (const outcome of failed) {
      expect(outcome.status).toBe('rejected');
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(
        /invalid input syntax for type bigint/,
      );
    }
    const states = async () => (await deliveryRows(t.db.url)).map((row) => row.state);
    expect(await states()).toEqual(['delivered', 'pending', 'pending', 'pending']);

    await Promise.all([
      store.markDelivered(head(r1, seq), success(31)),
      store.markDelivered(head(r2, seq), success(32)),
      store.markDelivered(head(r3, seq), success(33)),
    ]);
    expect(await states()).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
  });

  it('close waits for the acks in flight and queued; an ack after it fails', async () => {
    const store = postgresStore(t.store);
    const { ids, seq } = await lanes(store, 50);
    let settled = 0;
    const acked = ids.map((id) =>
      store.markDelivered(head(id, seq), success(20)).then(() => {
        settled++;
      }),
    );
    await store.close();
    expect(settled).toBe(50);
    await Promise.all(acked);
    expect(store.acks.sent.statements).toBe(2);
    const rows = await deliveryRows(t.db.url);
    expect(rows.map((row) => row.state)).toEqual(ids.map(() => 'delivered'));
    await expect(store.markDelivered(head(ids[0] as number, seq), success(30))).rejects.toThrow(
      /after calling end on the pool/,
    );
  });

  it('a batch holds at most maxBatch acks; the rest follow in the next ones', async () => {
    const { ids, seq } = await lanes(t.store, 11);
    const conn = new PostgresConnection(t.db.url);
    const acks = new AckBatcher(conn, { maxBatch: 4 });
    try {
      const ack = (id: number) =>
        acks.submit({ recipientId: id, seq, at: 20, status: 200, latencyMs: 1 });
      await Promise.all(ids.map(ack));
      // One alone, then the ten queued behind it: 4, 4 and 2.
      expect(acks.sent).toEqual({ acks: 11, statements: 4, largest: 4 });
    } finally {
      await acks.close();
      await conn.close();
    }
    const rows = await deliveryRows(t.db.url);
    expect(rows.map((row) => row.state)).toEqual(ids.map(() => 'delivered'));
  });
});
