/** The custom field definitions sub-store, on each backend. */
import { describe, expect, it } from 'vitest';
import { BACKENDS } from './backends.js';
import { freshStore } from './harness.js';

for (const backend of BACKENDS) {
  describe(`${backend.name}: custom fields`, () => {
    const t = freshStore(backend);

    it('adds, lists by code name, refuses a taken code name, removes', async () => {
      const { store } = t;
      expect(await store.customFields.list()).toEqual([]);
      const ticket = { codeName: 'ticket', displayName: 'Ticket «№»', createdAt: 1_000 };
      expect(await store.customFields.add(ticket)).toBe(true);
      expect(
        await store.customFields.add({ codeName: 'asset', displayName: 'A', createdAt: 2 }),
      ).toBe(true);
      expect(await store.customFields.add({ ...ticket, displayName: 'Other' })).toBe(false);
      expect(await t.db.openAnother().customFields.list()).toEqual([
        { codeName: 'asset', displayName: 'A', createdAt: 2 },
        ticket,
      ]);
      expect(await store.customFields.remove('asset')).toBe(true);
      expect(await store.customFields.remove('asset')).toBe(false);
      expect((await store.customFields.list()).map((f) => f.codeName)).toEqual(['ticket']);
    });
  });
}
