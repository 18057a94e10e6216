/**
 * The session_keys table on every backend: a key is stored hashed, used once, refused after
 * its expiry, and of two claims racing for it one wins.
 */
import { describe, expect, it } from 'vitest';
import type { NewSessionKey } from '../../src/store/session-key-store.js';
import { BACKENDS } from '../store/backends.js';
import { freshStore } from '../store/harness.js';

const KEY: NewSessionKey = {
  hash: 'a'.repeat(64),
  externalKey: 'INC0012345',
  queue: 'team:5',
  createdBy: 'api-account:ticketing',
  createdAt: 1_000,
  expiresAt: 61_000,
};

for (const backend of BACKENDS) {
  describe(`${backend.name}: session keys`, () => {
    const fresh = freshStore(backend);

    it('stores a key, which one claim uses and every later claim is refused', async () => {
      const keys = fresh.store.sessionKeys;
      expect(await keys.create(KEY)).toBe(true);
      expect(await keys.find(KEY.hash)).toEqual({ ...KEY, lsid: null });
      const first = await keys.claim(KEY.hash, 'f'.repeat(32), 2_000);
      expect(first).toEqual({ outcome: 'claimed', key: { ...KEY, lsid: 'f'.repeat(32) } });
      expect(await keys.claim(KEY.hash, 'e'.repeat(32), 3_000)).toEqual({ outcome: 'used' });
      expect(await keys.claim('b'.repeat(64), 'e'.repeat(32), 3_000)).toEqual({
        outcome: 'unknown',
      });
      // Seen by another process.
      const another = fresh.db.openAnother();
      expect((await another.sessionKeys.find(KEY.hash))?.lsid).toBe('f'.repeat(32));
    });

    it('refuses a key at and after its expiry, and deletes expired keys', async () => {
      const keys = fresh.store.sessionKeys;
      await keys.create(KEY);
      expect(await keys.claim(KEY.hash, 'f'.repeat(32), KEY.expiresAt)).toEqual({
        outcome: 'expired',
      });
      expect(await keys.deleteExpired(KEY.expiresAt - 1)).toBe(0);
      expect(await keys.deleteExpired(KEY.expiresAt)).toBe(1);
      expect(await keys.find(KEY.hash)).toBeUndefined();
    });

    it('does not overwrite a live key with the same hash, but replaces a used one', async () => {
      const keys = fresh.store.sessionKeys;
      await keys.create(KEY);
      expect(await keys.create({ ...KEY, externalKey: 'other', createdAt: 2_000 })).toBe(false);
      expect((await keys.find(KEY.hash))?.externalKey).toBe('INC0012345');
      await keys.claim(KEY.hash, 'f'.repeat(32), 2_000);
      expect(await keys.create({ ...KEY, externalKey: 'next', createdAt: 3_000 })).toBe(true);
      expect(await keys.find(KEY.hash)).toEqual({
        ...KEY,
        externalKey: 'next',
        createdAt: 3_000,
        lsid: null,
      });
    });

    it('releases a claim whose session could not start: the key is usable again', async () => {
      const keys = fresh.store.sessionKeys;
      await keys.create(KEY);
      await keys.claim(KEY.hash, 'f'.repeat(32), 2_000);
      await keys.release(KEY.hash, 'e'.repeat(32)); // someone else's lsid: no effect
      expect((await keys.find(KEY.hash))?.lsid).toBe('f'.repeat(32));
      await keys.release(KEY.hash, 'f'.repeat(32));
      expect((await keys.claim(KEY.hash, 'd'.repeat(32), 3_000)).outcome).toBe('claimed');
    });

    it('of many claims racing for one key, exactly one wins', async () => {
      await fresh.store.sessionKeys.create(KEY);
      const stores = [fresh.store, fresh.db.openAnother(), fresh.db.openAnother()];
      const claims = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (stores[i % stores.length] as (typeof stores)[number]).sessionKeys.claim(
            KEY.hash,
            i.toString(16).padStart(32, '0'),
            2_000,
          ),
        ),
      );
      expect(claims.filter((c) => c.outcome === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.outcome === 'used')).toHaveLength(11);
    });
  });
}
