/**
 * The capability flag decides how delivery owns lanes: a single-writer store (SQLite) by its
 * writer lock, a shared one (PostgreSQL) by leases from its cluster part.
 */
import { describe, expect, it } from 'vitest';
import { leasingCluster } from '../../src/store/lane-leasing.js';
import type { Store } from '../../src/store/store.js';
import { BACKENDS } from './backends.js';
import { freshStore } from './harness.js';

const [sqlite, postgres] = BACKENDS as [(typeof BACKENDS)[0], (typeof BACKENDS)[0]];

describe('lane leasing follows capabilities.singleWriter', () => {
  describe('sqlite', () => {
    const t = freshStore(sqlite);
    it('leases nothing: the writer lock gives its process every lane', () => {
      expect(t.store.capabilities.singleWriter).toBe(true);
      expect(leasingCluster(t.store)).toBeUndefined();
    });
  });

  describe('postgres', () => {
    const t = freshStore(postgres);
    it('leases lanes from its cluster part', () => {
      expect(t.store.capabilities.singleWriter).toBe(false);
      expect(leasingCluster(t.store)).toBe(t.store.cluster);
    });

    it('refuses a shared store without a cluster part, and one declared single-writer without a writer lock', () => {
      const withFlag = (singleWriter: boolean, parts: Partial<Store>) =>
        new Proxy(t.store, {
          get: (target, key) =>
            key === 'capabilities'
              ? { singleWriter }
              : key in parts
                ? parts[key as keyof Store]
                : Reflect.get(target, key),
        }) as Store;
      expect(() => leasingCluster(withFlag(false, { cluster: undefined }))).toThrow(/cluster/);
      expect(() => leasingCluster(withFlag(true, {}))).toThrow(/writer lock/);
    });
  });
});
