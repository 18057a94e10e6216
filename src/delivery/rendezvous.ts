/**
 * Rendezvous (highest random weight) hashing: every node computes the same owner for a lane
 * from the same list of live nodes, and when a node joins or leaves only the lanes it gains or
 * loses move.
 */
export function ownerOf(nodes: readonly number[], recipientId: number): number | undefined {
  let best: number | undefined;
  let bestScore = -1;
  for (const node of nodes) {
    const score = weight(node, recipientId);
    if (score > bestScore || (score === bestScore && best !== undefined && node < best)) {
      best = node;
      bestScore = score;
    }
  }
  return best;
}

/** Both ids through murmur3's 32-bit finalizer, one after the other: well spread. */
function weight(node: number, recipientId: number): number {
  const n = fmix(fmix(node >>> 0) ^ Math.floor(node / 2 ** 32));
  return fmix(n ^ Math.imul(recipientId >>> 0, 0x85ebca6b) ^ Math.floor(recipientId / 2 ** 32));
}

function fmix(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
