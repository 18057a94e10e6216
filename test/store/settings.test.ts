/** The settings table (Settings → Email) on every backend. */
import { describe, expect, it } from 'vitest';
import { BACKENDS } from './backends.js';
import { freshStore } from './harness.js';

for (const backend of BACKENDS) {
  describe(`${backend.name}: settings`, () => {
    const fresh = freshStore(backend);

    it('is empty until saved, then keeps the last value saved, seen by another store', async () => {
      const { store } = fresh;
      expect(await store.settings.get('mail')).toBeUndefined();
      await store.settings.put('mail', { host: 'smtp.example.com', port: 587 }, 1_000);
      await store.settings.put('mail', { host: 'relay.example.com', port: 25, user: null }, 2_000);
      await store.settings.put('other', 'x', 2_000);
      const another = fresh.db.openAnother();
      expect(await another.settings.get('mail')).toEqual({
        host: 'relay.example.com',
        port: 25,
        user: null,
      });
      expect(await another.settings.get('other')).toBe('x');
    });
  });
}
