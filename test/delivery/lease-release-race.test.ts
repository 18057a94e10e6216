/**
 * A node hands a lane over (releases it) while one of its sweeps is claiming: the claim may
 * have read the node's lanes before the release committed. What it read must not bring the
 * lane back, or the node would drive it again while the node it was handed to drives it too:
 * two requests in flight to one recipient (seen in the freeze test, right as a thawed node got
 * lanes back). Real PostgreSQL; the claim's answer is held back until the release is done.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LeasedOwnership } from '../../src/delivery/leased-ownership.js';
import type { ClusterStore } from '../../src/store/cluster-store.js';
import { PostgresStore } from '../../src/store/postgres/store.js';
import { recipientInput } from '../store/fixtures.js';
import { createDatabase } from '../support/postgres.js';
import { waitUntil } from '../support/wait.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** The real cluster store, except that a claim's answer waits for `answer()` once armed. */
function slowClaims(cluster: ClusterStore): {
  store: ClusterStore;
  arm: () => void;
  claimed: () => boolean;
  answer: () => void;
} {
  let armed = false;
  let claimed = false;
  let answer = () => {};
  const store = new Proxy(cluster, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== 'claim' || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result = await value.apply(target, args);
        if (!armed) return result;
        armed = false;
        claimed = true;
        await new Promise<void>((resolve) => {
          answer = resolve;
        });
        return result;
      };
    },
  });
  return { store, arm: () => (armed = true), claimed: () => claimed, answer: () => answer() };
}

describe('a lane released while a claim is under way', () => {
  it('stays given up: the claim read before the release does not bring it back', async () => {
    const db = await createDatabase();
    const pgStore = new PostgresStore(db.url);
    cleanups.push(db.drop, () => pgStore.close());
    await pgStore.migrate();
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push((await pgStore.createRecipient(recipientInput(), 1)).id);

    const link = slowClaims(pgStore.cluster);
    const a = new LeasedOwnership(link.store, { name: 'a', leaseMs: 60_000, onLost: () => {} });
    cleanups.push(() => a.stop());
    await a.start();
    await a.sync(ids);
    const [handed] = ids as [number];
    expect(a.holds(handed)).toBe(true);

    // A sweep claims; its read is made, its answer held back while the lane is released.
    link.arm();
    const sweep = a.sync(ids);
    await waitUntil(() => link.claimed(), 'the claim to have read');
    await a.release([handed]);
    link.answer();
    await sweep;
    expect(a.holds(handed)).toBe(false);

    // The node it was handed to takes it; the first node does not hold it again.
    const b = await pgStore.cluster.register('b', 60_000);
    expect((await pgStore.cluster.claim(b, [handed])).has(handed)).toBe(true);
    await a.sync(ids);
    expect(a.holds(handed)).toBe(false);
    for (const id of ids.slice(1)) expect(a.holds(id)).toBe(true);
  });
});
