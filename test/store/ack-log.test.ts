import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AckRecord,
  decodeAcks,
  encodeAck,
  RECORD_BYTES,
  readAckLog,
} from '../../src/store/sqlite/ack-log.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/store.js';
import { head, newEvent, recipientInput, success } from './fixtures.js';

const ack = fc.record<AckRecord>({
  recipientId: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  attempts: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  at: fc.integer({ min: 0, max: 2 ** 45 }),
  status: fc.option(fc.integer({ min: 100, max: 599 }), { nil: null }),
  latencyMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
});

describe('ack log records', () => {
  it('decode(encode) is the identity, record by record', () => {
    fc.assert(
      fc.property(fc.array(ack, { maxLength: 40 }), (records) => {
        const bytes = Buffer.concat(records.map((r) => encodeAck(r)));
        expect(bytes.length).toBe(records.length * RECORD_BYTES);
        expect(decodeAcks(bytes)).toEqual(records);
      }),
    );
  });

  it('a log cut anywhere (a torn last write) yields exactly the whole records before the cut', () => {
    fc.assert(
      fc.property(fc.array(ack, { minLength: 1, maxLength: 20 }), fc.nat(), (records, cut) => {
        const bytes = Buffer.concat(records.map((r) => encodeAck(r)));
        const at = cut % (bytes.length + 1);
        expect(decodeAcks(bytes.subarray(0, at))).toEqual(
          records.slice(0, Math.floor(at / RECORD_BYTES)),
        );
      }),
    );
  });

  it('nothing at or after a damaged record is trusted', () => {
    fc.assert(
      fc.property(
        fc.array(ack, { minLength: 1, maxLength: 20 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (records, where, flip) => {
          const bytes = Buffer.concat(records.map((r) => encodeAck(r)));
          const at = where % bytes.length;
          bytes[at] = (bytes[at] as number) ^ flip;
          expect(decodeAcks(bytes)).toEqual(records.slice(0, Math.floor(at / RECORD_BYTES)));
        },
      ),
    );
  });

  it('a missing log file has no records', () => {
    expect(readAckLog(join(tmpdir(), 'outbound-no-such-log'))).toEqual([]);
  });
});

describe('SQLite: 200s go through the ack log', () => {
  let dir: string;
  let path: string;
  let stores: Store[];
  const open = async (): Promise<Store> => {
    const store = new SqliteStore(path);
    stores.push(store);
    await store.migrate();
    return store;
  };
  const logBytes = () => statSync(`${path}-acks`, { throwIfNoEntry: false })?.size ?? 0;
  const states = async (store: Store, recipientId: number) =>
    (await store.listDeliveries(recipientId, { limit: 100 })).map((d) => [d.seq, d.state]);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outbound-acks-'));
    path = join(dir, 'outbound.db');
    stores = [];
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function laneOf(store: Store, count: number) {
    const r = await store.createRecipient(recipientInput(), 1_000);
    const { ids } = await store.acceptEvents(
      Array.from({ length: count }, () => newEvent()),
      1_000,
    );
    return { id: r.id, seqs: ids };
  }

  it('a 200 is in the log when markDelivered returns, and the lane’s next read folds it', async () => {
    const serve = await open();
    const { id, seqs } = await laneOf(serve, 3);
    const [s1, s2, s3] = seqs as [number, number, number];
    await serve.markDelivered(head(id, s1), success(2_000));
    await serve.markDelivered(head(id, s2), success(2_001));
    expect(readAckLog(`${path}-acks`)).toMatchObject([
      { recipientId: id, seq: s1, attempts: 0, at: 2_000, status: 200 },
      { recipientId: id, seq: s2, attempts: 0, at: 2_001, status: 200 },
    ]);
    expect((await serve.pendingDeliveries(id, 10)).map((d) => d.seq)).toEqual([s3]);
    expect(logBytes()).toBe(0);
    expect(await states(serve, id)).toEqual([
      [s3, 'pending'],
      [s2, 'delivered'],
      [s1, 'delivered'],
    ]);
  });

  it('a 200 applies only at the attempt count the lane sent it at', async () => {
    const serve = await open();
    const { id, seqs } = await laneOf(serve, 2);
    const [s1, s2] = seqs as [number, number];
    const delivery = async (seq: number) =>
      (await serve.listDeliveries(id, { limit: 10 })).find((d) => d.seq === seq);
    await serve.markDelivered(head(id, s1), success(2_000));
    // The same 200 again, and again after an operator re-queued it: nothing changes.
    await serve.markDelivered(head(id, s1), success(2_050));
    expect(await delivery(s1)).toMatchObject({ attempts: 1, deliveredAt: 2_000 });
    expect(await serve.replayRange(id, 0, 10_000, 3_000)).toBe(1);
    await serve.markDelivered(head(id, s1), success(3_050));
    expect(await delivery(s1)).toMatchObject({ state: 'pending', attempts: 1 });
    // Sent anew (one attempt before it), its 200 counts.
    await serve.markDelivered(head(id, s1, 1), success(3_100));
    expect(await delivery(s1)).toMatchObject({
      state: 'delivered',
      attempts: 2,
      deliveredAt: 3_100,
    });
    // A lane that counted a failure the store did not keep still gets its 200 recorded.
    await serve.markDelivered(head(id, s2, 3), success(3_200));
    expect(await delivery(s2)).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('another process (the CLI) sees logged 200s, without emptying the owner’s log', async () => {
    const serve = await open();
    const { id, seqs } = await laneOf(serve, 2);
    const [s1, s2] = seqs as [number, number];
    await serve.markDelivered(head(id, s1), success(2_000));
    const cli = await open();
    expect(await states(cli, id)).toEqual([
      [s2, 'pending'],
      [s1, 'delivered'],
    ]);
    expect(logBytes()).toBe(RECORD_BYTES);
    // The owner folds it again later: applied once, counted once.
    expect(await states(serve, id)).toEqual(await states(cli, id));
    expect((await serve.listDeliveries(id, { limit: 10 }))[1]).toMatchObject({ attempts: 1 });
    expect(logBytes()).toBe(0);
  });

  it('a replay made by another process is never undone by the owner’s later fold', async () => {
    const serve = await open();
    const { id, seqs } = await laneOf(serve, 2);
    const [s1, s2] = seqs as [number, number];
    await serve.markDelivered(head(id, s1), success(2_000));
    const cli = await open();
    // The CLI's write folds the logged 200 first, inside its own transaction.
    expect(await cli.replayRange(id, 0, 5_000, 3_000)).toBe(1);
    expect(await states(serve, id)).toEqual([
      [s2, 'pending'],
      [s1, 'pending'],
    ]);
    expect(logBytes()).toBe(0);
  });

  it('what a killed process logged is folded by the next one before it reads a lane', async () => {
    const first = await open();
    const { id, seqs } = await laneOf(first, 3);
    const [s1, s2, s3] = seqs as [number, number, number];
    await first.markDelivered(head(id, s1), success(2_000));
    await first.markDelivered(head(id, s2), success(2_001));
    // A torn third record, as a kill in the middle of a write leaves.
    const torn = encodeAck({ ...head(id, s3), at: 2_002, status: 200, latencyMs: 1 });
    writeFileSync(`${path}-acks`, torn.subarray(0, 17), { flag: 'a' });
    const next = await open();
    expect((await next.pendingDeliveries(id, 10)).map((d) => d.seq)).toEqual([s3]);
    // Its own first 200 takes over the log: folded, then emptied.
    await next.markDelivered(head(id, s3), success(3_000));
    expect(readAckLog(`${path}-acks`)).toMatchObject([{ seq: s3 }]);
    expect(logBytes()).toBe(RECORD_BYTES);
    expect((await next.pendingDeliveries(id, 10)).map((d) => d.seq)).toEqual([]);
  });

  it('taking the writer lock takes the log over: what a killed process left is committed, the log emptied', async () => {
    const killed = await open();
    const { id, seqs } = await laneOf(killed, 2);
    await killed.markDelivered(head(id, seqs[0] as number), success(2_000));
    const restarted = (await open()) as SqliteStore;
    const me = { token: 'restarted', pid: process.pid, host: 'here' };
    expect(await restarted.writerLock.take(me, 3_000, () => true)).toBeUndefined();
    expect(logBytes()).toBe(0);
    expect(await states(restarted, id)).toEqual([
      [seqs[1], 'pending'],
      [seqs[0], 'delivered'],
    ]);
  });

  it('a process that lost the writer lock commits its 200s and leaves the new holder’s log alone', async () => {
    const frozen = (await open()) as SqliteStore;
    const { id, seqs } = await laneOf(frozen, 2);
    const [s1, s2] = seqs as [number, number];
    const me = { pid: process.pid, host: 'here' };
    await frozen.writerLock.take({ ...me, token: 'frozen' }, 1_000, () => true);
    await frozen.markDelivered(head(id, s1), success(2_000));
    // It froze; another process took the database over and logged a 200 of its own.
    const next = (await open()) as SqliteStore;
    await next.writerLock.take({ ...me, token: 'next' }, 20_000, () => true);
    await next.markDelivered(head(id, s2), success(21_000));
    // The frozen one wakes: its renewal fails, and it stops.
    expect(await frozen.writerLock.renew('frozen', 21_001)).toBe(false);
    await frozen.close();
    expect(readAckLog(`${path}-acks`)).toMatchObject([{ seq: s2, at: 21_000 }]);
    expect(await states(next, id)).toEqual([
      [s2, 'delivered'],
      [s1, 'delivered'],
    ]);
  });

  it('the log is folded within a fraction of a second even when nothing reads', async () => {
    const serve = await open();
    const { id, seqs } = await laneOf(serve, 1);
    await serve.markDelivered(head(id, seqs[0] as number), success(2_000));
    expect(logBytes()).toBe(RECORD_BYTES);
    const deadline = Date.now() + 5_000;
    while (logBytes() > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(logBytes()).toBe(0);
    const cli = await open();
    expect(await states(cli, id)).toEqual([[seqs[0], 'delivered']]);
  });

  it('close folds what is left and empties the log', async () => {
    const serve = await open();
    const { id, seqs } = await laneOf(serve, 2);
    for (const seq of seqs) await serve.markDelivered(head(id, seq), success(2_000));
    await serve.close();
    expect(logBytes()).toBe(0);
    const cli = await open();
    expect((await cli.pendingDeliveries(id, 10)).length).toBe(0);
  });
});
