/**
 * Cursor pagination, as a property on both backends: walking any set of events, deliveries or
 * recipients with any page size yields every item exactly once, in the listing's order, also
 * when items are added between pages — newer events (and deliveries, newest first) never
 * appear in a walk begun before them; recipients, in id order, come on a later page; nothing
 * is skipped.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeliveryPage } from '../../src/operations/delivery-pages.js';
import { listEvents } from '../../src/operations/events.js';
import { listRecipientPage } from '../../src/operations/recipient-pages.js';
import type { Store } from '../../src/store/store.js';
import { BACKENDS, type Backend, type TestDatabase } from '../store/backends.js';
import { BEGIN, newEvent, recipientInput } from '../store/fixtures.js';

const RUNS = 25;

/** Initial items, a page size, and how many items are added after each page. */
const walk = fc.record({
  initial: fc.nat(25),
  limit: fc.integer({ min: 1, max: 8 }),
  added: fc.array(fc.nat(3), { maxLength: 12 }),
});

let runs = 0;

function suite(backend: Backend) {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await backend.open();
    store = db.store;
    await store.migrate();
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  /** Events of one session (its own lsid keeps each run apart); returns their ids. */
  const accept = async (lsid: string, n: number, now = Date.now()) =>
    n === 0
      ? []
      : (
          await store.acceptEvents(
            Array.from({ length: n }, () => newEvent(BEGIN, { lsid })),
            now,
          )
        ).ids;

  it('events, newest first: each of those there at the start once, none added later', async () => {
    await fc.assert(
      fc.asyncProperty(walk, async ({ initial, limit, added }) => {
        const lsid = `walk${++runs}`;
        const ids = await accept(lsid, initial);
        const seen: number[] = [];
        let cursor: string | undefined;
        let page = 0;
        for (;;) {
          const result = await listEvents({ store }, { lsid }, limit, cursor);
          expect(result.events.length).toBeLessThanOrEqual(limit);
          seen.push(...result.events.map((e) => e.event.id));
          await accept(lsid, added[page++] ?? 0);
          if (result.next === null) break;
          cursor = result.next;
        }
        expect(seen).toEqual([...ids].reverse());
      }),
      { numRuns: RUNS },
    );
  });

  it('deliveries: newest first as events; the pending queue from its head takes in what is added', async () => {
    await fc.assert(
      fc.asyncProperty(walk, fc.boolean(), async ({ initial, limit, added }, queue) => {
        const recipient = await store.createRecipient(recipientInput(), Date.now());
        const lsid = `dwalk${++runs}`;
        const ids = await accept(lsid, initial);
        const state = queue ? ('pending' as const) : undefined;
        const seen: number[] = [];
        const addedIds: number[] = [];
        let cursor: string | undefined;
        let page = 0;
        for (;;) {
          const result = await listDeliveryPage({ store }, recipient.id, {
            limit,
            state,
            before: undefined,
            cursor,
          });
          seen.push(...result.deliveries.map((d) => d.seq));
          addedIds.push(...(await accept(lsid, added[page++] ?? 0)));
          if (result.next === null) break;
          cursor = result.next;
        }
        // Other runs' recipients are not subscribed to this one's events: seq is the event id.
        if (queue) {
          // Added before the walk reached the tail: they are in it, after the first ones.
          expect(seen.slice(0, ids.length)).toEqual(ids);
          expect(seen.slice(ids.length)).toEqual(addedIds.slice(0, seen.length - ids.length));
        } else {
          expect(seen).toEqual([...ids].reverse());
        }
        await store.deleteRecipient(recipient.id);
      }),
      { numRuns: RUNS },
    );
  });

  it('recipients, in id order: every one once, those added during the walk on later pages', async () => {
    await fc.assert(
      fc.asyncProperty(walk, async ({ initial, limit, added }) => {
        const add = async (n: number) => {
          for (let i = 0; i < n; i++) await store.createRecipient(recipientInput(), Date.now());
        };
        await add(Math.min(initial, 6));
        const seen: number[] = [];
        let cursor: string | undefined;
        let page = 0;
        for (;;) {
          const result = await listRecipientPage({ store }, limit, cursor);
          seen.push(...result.recipients.map((r) => r.id));
          if (result.next === null) break;
          await add(added[page++] ?? 0);
          cursor = result.next;
        }
        const all = (await store.listRecipients()).map((r) => r.id);
        expect(seen).toEqual(all);
        // Keep the set small for the next run.
        for (const id of all.slice(0, -3)) await store.deleteRecipient(id);
      }),
      { numRuns: RUNS },
    );
  });
}

for (const backend of BACKENDS) describe(backend.name, () => suite(backend));
