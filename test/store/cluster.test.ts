/**
 * The PostgreSQL store's cluster part: node liveness by the database clock, lane claims, the
 * fencing token on lane writes, and wake-ups through LISTEN/NOTIFY. SQLite has none (one
 * process per database), which the first test states.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type ClusterSignal, LeaseLostError } from '../../src/store/cluster-store.js';
import { decodeSignal, encodeSignal } from '../../src/store/postgres/cluster-signal.js';
import type { Store } from '../../src/store/store.js';
import { sleep, waitUntil } from '../support/wait.js';
import { BACKENDS } from './backends.js';
import { BEGIN, failure, head, newEvent, recipientInput, success } from './fixtures.js';
import { freshStore } from './harness.js';

const [sqlite, postgres] = BACKENDS as [(typeof BACKENDS)[0], (typeof BACKENDS)[0]];

describe('sqlite: no cluster', () => {
  const t = freshStore(sqlite);
  it('is single-writer and has no leases', () => {
    expect(t.store.capabilities.singleWriter).toBe(true);
    expect(t.store.cluster).toBeUndefined();
  });
});

const clusterOf = (store: Store) => {
  if (store.cluster === undefined) throw new Error('no cluster');
  return store.cluster;
};

describe('postgres: cluster', () => {
  const t = freshStore(postgres);

  it('a node is live until its lease passes; a renewal keeps it, an expired one is refused', async () => {
    const cluster = clusterOf(t.store);
    const a = await cluster.register('a', 60_000);
    const b = await cluster.register('b', 300);
    expect(await cluster.liveNodes()).toEqual([a, b]);
    expect(await cluster.renew(b, 300)).toBe(true);
    await sleep(450);
    expect(await cluster.liveNodes()).toEqual([a]);
    // Dead for good: it must register again, under a new id.
    expect(await cluster.renew(b, 60_000)).toBe(false);
    expect(await cluster.liveNodes()).toEqual([a]);
    await cluster.deregister(a);
    expect(await cluster.liveNodes()).toEqual([]);
  });

  it('a lane is claimed by one live node; another takes it only once that node died', async () => {
    const cluster = clusterOf(t.store);
    const r1 = await t.store.createRecipient(recipientInput(), 1);
    const r2 = await t.store.createRecipient(recipientInput(), 1);
    const a = await cluster.register('a', 400);
    const b = await cluster.register('b', 60_000);
    expect(await cluster.claim(a, [r1.id, r2.id])).toEqual(
      new Map([
        [r1.id, 1],
        [r2.id, 1],
      ]),
    );
    // Held by a live node: b gets nothing.
    expect(await cluster.claim(b, [r1.id, r2.id])).toEqual(new Map());
    // Claiming again what one holds changes nothing, the token included.
    expect(await cluster.claim(a, [r1.id])).toEqual(
      new Map([
        [r1.id, 1],
        [r2.id, 1],
      ]),
    );
    await sleep(550);
    expect(await cluster.claim(b, [r1.id])).toEqual(new Map([[r1.id, 2]]));
    // A node that expired claims nothing, even a free lane.
    expect(await cluster.claim(a, [r2.id])).toEqual(new Map());
    // A released lane is free at once, and only with its current token.
    await cluster.release(b, new Map([[r1.id, 1]]));
    const c = await cluster.register('c', 60_000);
    expect(await cluster.claim(c, [r1.id])).toEqual(new Map());
    await cluster.release(b, new Map([[r1.id, 2]]));
    expect(await cluster.claim(c, [r1.id, r2.id])).toEqual(
      new Map([
        [r1.id, 3],
        [r2.id, 2],
      ]),
    );
    // A clean stop frees every lane of the node for the others at once.
    await cluster.deregister(c);
    expect(await cluster.claim(b, [r1.id, r2.id])).toEqual(
      new Map([
        [r1.id, 4],
        [r2.id, 3],
      ]),
    );
  });

  it('claims skip recipients that do not exist, and a deleted recipient takes its lane along', async () => {
    const cluster = clusterOf(t.store);
    const r = await t.store.createRecipient(recipientInput(), 1);
    const a = await cluster.register('a', 60_000);
    expect(await cluster.claim(a, [r.id, 9_999])).toEqual(new Map([[r.id, 1]]));
    expect(await t.store.deleteRecipient(r.id)).toBe(true);
    expect(await cluster.claim(a, [])).toEqual(new Map());
  });

  it('lane writes with a stale fencing token change nothing and throw LeaseLostError', async () => {
    const { store } = t;
    const cluster = clusterOf(store);
    const r = await store.createRecipient(recipientInput(), 1);
    const { ids } = await store.acceptEvents([newEvent(BEGIN), newEvent(BEGIN)], 10);
    const [first, second] = ids as [number, number];
    const a = await cluster.register('a', 300);
    const tokenA = (await cluster.claim(a, [r.id])).get(r.id) as number;
    const fenceA = { node: a, token: tokenA };
    await store.recordFailure(r.id, first, failure(20), 30, fenceA);
    await sleep(450);
    const b = await cluster.register('b', 60_000);
    const fenceB = { node: b, token: (await cluster.claim(b, [r.id])).get(r.id) as number };
    expect(fenceB.token).toBe(tokenA + 1);

    await expect(
      store.markDelivered(head(r.id, first), success(40), fenceA),
    ).rejects.toBeInstanceOf(LeaseLostError);
    await expect(store.recordFailure(r.id, first, failure(40), 50, fenceA)).rejects.toThrow(
      /driven by another node/,
    );
    await expect(store.setAside(r.id, first, 40, failure(40), fenceA)).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    await expect(store.setAside(r.id, first, 40, undefined, fenceA)).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    const [pending] = await store.pendingDeliveries(r.id, 1);
    expect(pending).toMatchObject({ seq: first, attempts: 1, nextAttemptAt: 30 });
    expect(await store.listAttempts(r.id, first)).toHaveLength(1);

    // The holder's writes go through; one that finds the delivery already moved on is no error.
    await store.markDelivered(head(r.id, first, 1), success(60), fenceB);
    await store.markDelivered(head(r.id, first, 1), success(61), fenceB);
    expect(await store.setAside(r.id, first, 62, undefined, fenceB)).toBe(false);
    expect(await store.setAside(r.id, second, 63, failure(63), fenceB)).toBe(true);
    const states = (await store.listDeliveries(r.id, { limit: 10 })).map((d) => d.state);
    expect(states.sort()).toEqual(['delivered', 'failed']);
  });

  it('an acceptance wakes every listening node with the recipients that got work', async () => {
    const { store } = t;
    const other = t.db.openAnother();
    await other.migrate();
    const heard: unknown[] = [];
    const stop = await clusterOf(other).listen((signal) => heard.push(signal));
    try {
      const r1 = await store.createRecipient(recipientInput(), 1);
      const r2 = await store.createRecipient(recipientInput({ events: [BEGIN] }), 1);
      await store.createRecipient(recipientInput({ enabled: false }), 1);
      await store.acceptEvents([newEvent(BEGIN)], 10);
      await waitUntil(() => heard.length === 1, 'the wake-up');
      expect(heard[0]).toEqual({ kind: 'work', recipientIds: [r1.id, r2.id] });
      // An event nobody subscribes to, and an empty batch: nothing to wake.
      await store.acceptEvents([newEvent('support_conference_end')], 11);
      await store.acceptEvents([], 12);
      await clusterOf(store).signal({ kind: 'changed', recipientId: r2.id });
      await waitUntil(() => heard.length >= 3, 'the change signal');
      expect(heard.slice(1)).toEqual([
        { kind: 'work', recipientIds: [r1.id] },
        { kind: 'changed', recipientId: r2.id },
      ]);
    } finally {
      await stop();
    }
  });

  it('a rolled-back acceptance wakes nobody', async () => {
    const { store } = t;
    const heard: unknown[] = [];
    const stop = await clusterOf(store).listen((signal) => heard.push(signal));
    try {
      await store.createRecipient(recipientInput(), 1);
      const duplicate = newEvent(BEGIN);
      await store.acceptEvents([duplicate], 10);
      await waitUntil(() => heard.length === 1, 'the first wake-up');
      // The same uid twice violates its unique index: the whole batch is rolled back.
      await expect(store.acceptEvents([newEvent(BEGIN), duplicate], 11)).rejects.toThrow();
      await clusterOf(store).signal({ kind: 'changed', recipientId: 1 });
      await waitUntil(() => heard.length === 2, 'the marker signal');
      expect(heard[1]).toEqual({ kind: 'changed', recipientId: 1 });
    } finally {
      await stop();
    }
  });

  it('a listener whose connection is killed reconnects and reports that signals were lost', async () => {
    const { store } = t;
    const heard: unknown[] = [];
    const stop = await clusterOf(store).listen((signal) => heard.push(signal));
    const admin = new pg.Client({ connectionString: t.db.url });
    await admin.connect();
    try {
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'outbound-listen' AND datname = current_database()`,
      );
      expect(killed.rowCount).toBe(1);
      await waitUntil(() => heard.length > 0, 'the reconnection', 10_000);
      expect(heard[0]).toEqual({ kind: 'nodes' });
      const r = await store.createRecipient(recipientInput(), 1);
      await store.acceptEvents([newEvent(BEGIN)], 10);
      await waitUntil(() => heard.length === 2, 'a wake-up on the new connection');
      expect(heard[1]).toEqual({ kind: 'work', recipientIds: [r.id] });
    } finally {
      await admin.end();
      await stop();
    }
  });
});

describe('cluster signals', () => {
  it('encode and decode; long lists become "all"; unknown payloads are ignored', () => {
    const signals: ClusterSignal[] = [
      { kind: 'work', recipientIds: [1, 22, 333] },
      { kind: 'work', recipientIds: 'all' },
      { kind: 'changed', recipientId: 7 },
      { kind: 'nodes' },
    ];
    for (const signal of signals) {
      expect(decodeSignal(encodeSignal(signal))).toEqual(signal);
    }
    const many = Array.from({ length: 5_000 }, (_, i) => i + 1);
    expect(encodeSignal({ kind: 'work', recipientIds: many })).toBe('w:*');
    for (const bad of ['', 'x:1', 'w:', 'w:1,a', 'c:0', 'c:-1', 'w:1.5']) {
      expect(decodeSignal(bad)).toBeUndefined();
    }
  });
});
