/**
 * LeasedOwnership against a real PostgreSQL database. A network cut is played by a cluster
 * store that fails every call while `cut` is set, in front of the real one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LeasedOwnership } from '../../src/delivery/leased-ownership.js';
import type { ClusterStore } from '../../src/store/cluster-store.js';
import { PostgresStore } from '../../src/store/postgres/store.js';
import { recipientInput } from '../store/fixtures.js';
import { createDatabase } from '../support/postgres.js';
import { sleep, waitUntil } from '../support/wait.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function database(): Promise<PostgresStore> {
  const db = await createDatabase();
  const store = new PostgresStore(db.url);
  cleanups.push(db.drop, () => store.close());
  await store.migrate();
  return store;
}

/** The real cluster store behind a switch that makes every call fail. */
function cuttable(cluster: ClusterStore): { store: ClusterStore; cut: (on: boolean) => void } {
  let cut = false;
  const store = new Proxy(cluster, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        cut
          ? Promise.reject(new Error('connection refused (cut by the test)'))
          : value.apply(target, args);
    },
  });
  return { store, cut: (on) => (cut = on) };
}

async function recipients(store: PostgresStore, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await store.createRecipient(recipientInput(), 1);
    ids.push(r.id);
  }
  return ids;
}

describe('LeasedOwnership', () => {
  it('two nodes split the lanes; a stopped one leaves them to the other', async () => {
    const store = await database();
    const ids = await recipients(store, 30);
    const a = new LeasedOwnership(store.cluster, { name: 'a', leaseMs: 2000, onLost: () => {} });
    const b = new LeasedOwnership(store.cluster, { name: 'b', leaseMs: 2000, onLost: () => {} });
    cleanups.push(
      () => a.stop(),
      () => b.stop(),
    );
    await a.start();
    expect((await a.sync(ids)).release).toEqual([]);
    expect(a.describe().lanes).toBe(30);
    await b.start();
    await b.sync(ids);
    expect(b.describe().lanes).toBe(0);
    // a gives up what b should drive; b then claims it.
    const { release } = await a.sync(ids);
    expect(release.length).toBeGreaterThan(5);
    expect(release.length).toBeLessThan(25);
    await a.release(release);
    await b.sync(ids);
    expect(a.describe().lanes + b.describe().lanes).toBe(30);
    for (const id of ids) expect(a.holds(id)).not.toBe(b.holds(id));
    for (const id of release) {
      expect(b.holds(id)).toBe(true);
      expect(b.fenceFor(id)).toEqual({ node: b.describe().node, token: 2 });
    }
    await a.stop();
    await b.sync(ids);
    expect(b.describe().lanes).toBe(30);
  });

  it('a node cut off from the database stops before another node may take its lanes', async () => {
    const store = await database();
    const ids = await recipients(store, 5);
    const link = cuttable(store.cluster);
    let lostAt: number | undefined;
    const leaseMs = 800;
    const a = new LeasedOwnership(link.store, {
      name: 'a',
      leaseMs,
      onLost: () => {
        lostAt ??= performance.now();
      },
    });
    cleanups.push(() => a.stop());
    await a.start();
    await a.sync(ids);
    const firstNode = a.describe().node;
    expect(a.describe().lanes).toBe(5);

    link.cut(true);
    const b = new LeasedOwnership(store.cluster, { name: 'b', leaseMs, onLost: () => {} });
    cleanups.push(() => b.stop());
    await b.start();
    let claimedAt: number | undefined;
    await waitUntil(
      async () => {
        await b.sync(ids);
        if (b.describe().lanes === 5) claimedAt ??= performance.now();
        return claimedAt;
      },
      'b to take the lanes',
      5000,
      5,
    );
    expect(lostAt).toBeDefined();
    expect(lostAt as number).toBeLessThan(claimedAt as number);
    for (const id of ids) expect(a.holds(id)).toBe(false);
    expect(a.describe()).toEqual({ node: null, lanes: 0 });

    // Back on the network: a new node id, and no lane while b, live, holds them.
    link.cut(false);
    await waitUntil(() => a.describe().node !== null, 'a to register again', 5000);
    expect(a.describe().node).not.toBe(firstNode);
    await a.sync(ids);
    expect(a.describe().lanes).toBe(0);
    await sleep(leaseMs);
    expect(b.describe().lanes).toBe(5);
  });
});
