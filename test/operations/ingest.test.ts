/**
 * The one "commit, then wake the lanes" path (src/operations/ingest.ts): events and session
 * changes both wake the lanes that got work, only after the commit, and a wake-up that fails
 * never fails work that is already stored (the sweep picks it up).
 */
import { describe, expect, it } from 'vitest';
import { Ingest } from '../../src/operations/ingest.js';
import { startSession, stepSession } from '../../src/operations/sessions.js';
import { parseNewSession } from '../../src/sessions/index.js';
import { BACKENDS } from '../store/backends.js';
import { newEvent, recipientInput } from '../store/fixtures.js';
import { freshStore } from '../store/harness.js';

const clock = () => 1_700_000_000_000;

for (const backend of BACKENDS) {
  describe(`${backend.name}: ingest`, () => {
    const t = freshStore(backend);

    it('events and session changes wake the lanes that got work, once stored', async () => {
      const { store } = t;
      const recipient = await store.createRecipient(recipientInput(), clock());
      // Each wake-up reads what is queued at that moment: the work must be there already.
      const woken: Promise<[number[], number]>[] = [];
      const queued = async () => (await store.pendingDeliveries(recipient.id, 100)).length;
      const lanes = {
        wake: (ids: readonly number[]) => {
          woken.push(queued().then((n) => [[...ids], n]));
        },
      };
      const ingest = new Ingest(store, lanes, { clock });
      const ctx = { store, ingest, clock };

      // Events queued when woken: the lone event; the new session's begin and owner; its end.
      await ingest.submit([newEvent()]);
      expect(await woken[0]).toEqual([[recipient.id], 1]);
      const lsid = await startSession(ctx, parseNewSession({}));
      expect(await woken[1]).toEqual([[recipient.id], 3]);
      await stepSession(ctx, lsid, { kind: 'end' });
      expect(await woken[2]).toEqual([[recipient.id], 4]);
      expect(woken).toHaveLength(3);
    });

    it('a wake-up that throws fails neither events nor a session change', async () => {
      const { store } = t;
      const recipient = await store.createRecipient(recipientInput(), clock());
      const lanes = {
        wake: () => {
          throw new Error('the dispatcher is gone');
        },
      };
      const ingest = new Ingest(store, lanes, { clock });
      const ctx = { store, ingest, clock };

      expect(await ingest.submit([newEvent()])).toHaveLength(1);
      const lsid = await startSession(ctx, parseNewSession({}));
      expect((await store.getSession(lsid))?.state.lsid).toBe(lsid);
      // The lone event, and the new session's begin and owner.
      expect(await store.pendingDeliveries(recipient.id, 100)).toHaveLength(3);
    });
  });
}
