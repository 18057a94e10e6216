/**
 * What the admin pages ask of the store, on every backend: the pending queue a page at a time
 * from the head (afterSeq), and events that have a delivery in a given state (deliveryState).
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { BACKENDS } from './backends.js';
import { BEGIN, newEvent, recipientInput } from './fixtures.js';
import { freshStore } from './harness.js';

const T0 = 1_800_000_000_000;

async function recipient(store: Store, name: string) {
  return (await store.createRecipient(recipientInput({ name }), T0)).id;
}

for (const backend of BACKENDS) {
  describe(`${backend.name}: admin queries`, () => {
    const t = freshStore(backend);

    it('pages the pending queue from the head with afterSeq, oldest first', async () => {
      const { store } = t;
      const id = await recipient(store, 'paged');
      const { ids } = await store.acceptEvents(
        Array.from({ length: 7 }, () => newEvent(BEGIN)),
        T0,
      );
      const seqs = (await store.listDeliveries(id, { state: 'pending', limit: 10 })).map(
        (d) => d.seq,
      );
      expect(seqs).toHaveLength(ids.length);
      expect(await store.setAside(id, seqs[4]!, T0 + 1)).toBe(true);
      const page = (afterSeq: number) =>
        store.listDeliveries(id, { state: 'pending', limit: 3, afterSeq });
      expect((await page(seqs[2]!)).map((d) => d.seq)).toEqual([seqs[3], seqs[5], seqs[6]]);
      expect((await page(seqs[5]!)).map((d) => d.seq)).toEqual([seqs[6]]);
      expect(await page(seqs[6]!)).toEqual([]);
    });

    it('finds the events that have a delivery in a state', async () => {
      const { store } = t;
      const a = await recipient(store, 'a');
      const b = await recipient(store, 'b');
      const { ids } = await store.acceptEvents(
        [newEvent(BEGIN), newEvent(BEGIN), newEvent(BEGIN)],
        T0,
      );
      const [first, second, third] = ids as [number, number, number];
      const pending = async (id: number) =>
        (await store.listDeliveries(id, { state: 'pending', limit: 10 })).sort(
          (x, y) => x.seq - y.seq,
        );
      const [, aSecond] = await pending(a);
      const [, , bThird] = await pending(b);
      expect(await store.setAside(a, aSecond!.seq, T0 + 1)).toBe(true);
      expect(await store.setAside(b, bThird!.seq, T0 + 1)).toBe(true);
      const search = async (deliveryState: 'failed' | 'pending' | 'delivered') =>
        (await store.admin.searchEvents({ deliveryState, limit: 10 })).map((e) => e.id);
      expect(await search('failed')).toEqual([third, second]);
      expect(await search('pending')).toEqual([third, second, first]);
      expect(await search('delivered')).toEqual([]);
      expect(
        (
          await store.admin.searchEvents({ deliveryState: 'failed', afterId: third, limit: 10 })
        ).map((e) => e.id),
      ).toEqual([second]);
    });
  });
}
