import type { ClusterStore } from './cluster-store.js';
import type { Store } from './store.js';

/**
 * Where the store's lanes are leased from, as its capabilities declare: nowhere for a
 * single-writer store (its one process owns every lane under the writer lock), its cluster
 * part otherwise. A backend whose parts contradict its declaration is refused: a shared
 * database without leases would let two nodes drive one lane.
 */
export function leasingCluster(store: Store): ClusterStore | undefined {
  if (store.capabilities.singleWriter) {
    if (store.writerLock === undefined)
      throw new Error('a single-writer store needs a writer lock');
    return undefined;
  }
  if (store.cluster === undefined) throw new Error('a shared store needs a cluster part (leases)');
  return store.cluster;
}
