import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ownerOf } from '../../src/delivery/rendezvous.js';

const nodeIds = fc.uniqueArray(fc.integer({ min: 1, max: 2 ** 40 }), {
  minLength: 1,
  maxLength: 8,
});
const recipientIds = fc.uniqueArray(fc.integer({ min: 1, max: 2 ** 40 }), {
  minLength: 1,
  maxLength: 200,
});

describe('rendezvous hashing of lanes over nodes', () => {
  it('gives no owner without nodes, and the only node everything', () => {
    expect(ownerOf([], 1)).toBeUndefined();
    for (let id = 1; id < 100; id++) expect(ownerOf([42], id)).toBe(42);
  });

  it('every node computes the same owner, whatever the order of its list', () => {
    fc.assert(
      fc.property(nodeIds, recipientIds, (nodes, recipients) => {
        const reversed = [...nodes].reverse();
        for (const id of recipients) {
          const owner = ownerOf(nodes, id);
          expect(nodes).toContain(owner);
          expect(ownerOf(reversed, id)).toBe(owner);
        }
      }),
    );
  });

  it('when a node leaves, only its own lanes move; when one joins, lanes move only to it', () => {
    fc.assert(
      fc.property(
        nodeIds,
        recipientIds,
        fc.integer({ min: 1, max: 2 ** 40 }),
        (nodes, recipients, extra) => {
          fc.pre(!nodes.includes(extra));
          const gone = nodes[0] as number;
          const rest = nodes.slice(1);
          const grown = [...nodes, extra];
          for (const id of recipients) {
            const before = ownerOf(nodes, id);
            if (rest.length > 0 && before !== gone) expect(ownerOf(rest, id)).toBe(before);
            const after = ownerOf(grown, id);
            expect(after === before || after === extra).toBe(true);
          }
        },
      ),
    );
  });

  it('spreads consecutive recipient ids evenly over consecutive node ids', () => {
    for (const nodes of [
      [1, 2],
      [1, 2, 3],
      [7, 8, 9, 10, 11],
    ]) {
      const counts = new Map<number, number>();
      const total = 6_000;
      for (let id = 1; id <= total; id++) {
        const owner = ownerOf(nodes, id) as number;
        counts.set(owner, (counts.get(owner) ?? 0) + 1);
      }
      const fair = total / nodes.length;
      for (const node of nodes) {
        expect(counts.get(node) ?? 0).toBeGreaterThan(fair * 0.85);
        expect(counts.get(node) ?? 0).toBeLessThan(fair * 1.15);
      }
    }
  });
});
