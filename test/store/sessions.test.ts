import { describe, expect, it } from 'vitest';
import {
  applyAction,
  createSession,
  type SessionAction,
  SessionError,
  type SessionRecord,
  type SessionState,
  sessionNotFound,
} from '../../src/sessions/index.js';
import type { Store } from '../../src/store/store.js';
import type { NewEvent } from '../../src/types.js';
import { BACKENDS } from './backends.js';
import { newEvent, recipientInput } from './fixtures.js';
import { freshStore } from './harness.js';

const ANN = {
  type: 'representative',
  display_name: 'Ann',
  user_id: '12',
  username: 'ann',
} as const;

/** Stands in for the API's encoding: one stored event per emitted event, by name. */
const stored = (lsid: string, names: string[]): NewEvent[] =>
  names.map((name) => newEvent(name as NewEvent['name'], { lsid }));

function create(store: Store, lsid: string, now: number) {
  return store.changeSession(
    lsid,
    (current) => {
      if (current !== undefined) throw new Error('taken');
      const { state, events } = createSession(lsid, {}, 1);
      return {
        state,
        events: stored(
          lsid,
          events.map((e) => e.event),
        ),
        result: undefined,
      };
    },
    now,
  );
}

function step(store: Store, lsid: string, action: SessionAction, now: number) {
  return store.changeSession(
    lsid,
    (current: SessionRecord | undefined) => {
      if (current === undefined) throw sessionNotFound(lsid);
      const outcome = applyAction(current.state, action, 1);
      return {
        state: outcome.state,
        events: stored(
          lsid,
          outcome.events.map((e) => e.event),
        ),
        result: outcome.memberId,
      };
    },
    now,
  );
}

for (const backend of BACKENDS) {
  describe(`${backend.name}: sessions`, () => {
    const t = freshStore(backend);

    it('creates, changes and reads a session with its events and deliveries, atomically', async () => {
      const { store } = t;
      const recipient = await store.createRecipient(recipientInput(), 500);
      const created = await create(store, 's1', 1_000);
      expect(created.session).toMatchObject({
        version: 1,
        createdAt: 1_000,
        updatedAt: 1_000,
        endedAt: null,
        lseq: 1,
      });
      expect(created.ids).toHaveLength(2);
      expect(created.recipientIds).toEqual([recipient.id]);

      const joined = await step(store, 's1', { kind: 'add-member', member: ANN }, 2_000);
      expect(joined.result).toBe(1);
      const ended = await step(store, 's1', { kind: 'end' }, 3_000);
      expect(ended.ids).toHaveLength(2);

      const record = await store.getSession('s1');
      expect(record).toEqual({
        state: ended.session.state,
        version: 3,
        createdAt: 1_000,
        updatedAt: 3_000,
        endedAt: 3_000,
        lseq: 1,
      });
      expect(record?.state.members).toEqual([
        { id: 1, member: ANN, present: false, joinedAt: 1, leftAt: 1 },
      ]);
      expect(await store.getSession('nope')).toBeUndefined();

      const pending = await store.pendingDeliveries(recipient.id, 100);
      expect(pending.map((d) => d.eventId)).toEqual([...created.ids, ...joined.ids, ...ended.ids]);
      expect(pending.map((d) => d.eventName)).toEqual([
        'support_conference_begin',
        'support_conference_owner_changed',
        'support_conference_member_added',
        'support_conference_member_departed',
        'support_conference_end',
      ]);

      // A survey after the end keeps the first end time.
      await step(store, 's1', { kind: 'survey', party: 'representative' }, 4_000);
      expect(await store.getSession('s1')).toMatchObject({ version: 4, endedAt: 3_000 });
    });

    it('a refused change stores nothing: no state, no event, no delivery', async () => {
      const { store } = t;
      const recipient = await store.createRecipient(recipientInput(), 500);
      await create(store, 's2', 1_000);
      await step(store, 's2', { kind: 'end' }, 2_000);
      const before = await store.getSession('s2');

      await expect(
        step(store, 's2', { kind: 'add-member', member: ANN }, 3_000),
      ).rejects.toBeInstanceOf(SessionError);
      await expect(step(store, 'missing', { kind: 'end' }, 3_000)).rejects.toMatchObject({
        code: 'SESSION_NOT_FOUND',
      });
      // Even when the events were already written: the transaction rolls them back.
      await expect(
        store.changeSession(
          's2',
          (current) => {
            if (current === undefined) throw new Error('missing');
            return {
              state: { ...current.state, ended: false },
              events: [
                newEvent('support_conference_begin', { lsid: 's2', uid: 'dup' }),
                newEvent('support_conference_end', { lsid: 's2', uid: 'dup' }),
              ],
              result: null,
            };
          },
          3_000,
        ),
      ).rejects.toThrow();

      expect(await store.getSession('s2')).toEqual(before);
      expect(await store.getSession('missing')).toBeUndefined();
      expect(await store.pendingDeliveries(recipient.id, 100)).toHaveLength(3);
    });

    it('serializes changes to one session, also from another store on the same database', async () => {
      const { store } = t;
      const other = t.db.openAnother();
      await create(store, 's3', 1_000);
      await step(store, 's3', { kind: 'add-member', member: ANN }, 1_500);
      const results = await Promise.allSettled([
        step(store, 's3', { kind: 'remove-member', memberId: 1 }, 2_000),
        step(other, 's3', { kind: 'remove-member', memberId: 1 }, 2_000),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toMatchObject({ code: 'MEMBER_ALREADY_LEFT' });
      expect(await other.getSession('s3')).toMatchObject({ version: 3 });
    });

    it('creating an existing lsid fails and changes nothing', async () => {
      const { store } = t;
      await create(store, 's4', 1_000);
      await expect(create(store, 's4', 2_000)).rejects.toThrow('taken');
      expect(await store.getSession('s4')).toMatchObject({ version: 1, updatedAt: 1_000 });
    });

    it('reads a state stored before the report fields as complete; keeps any text as given', async () => {
      const { store } = t;
      // A state as releases before migration 0009 stored it.
      const old = {
        lsid: 'old',
        externalKey: null,
        owner: { conference_id: 'general', conference_name: 'General' },
        members: [{ id: 1, member: ANN, present: true }],
        ended: false,
        surveys: { customer: false, representative: false },
      } as unknown as SessionState;
      await store.changeSession(
        'old',
        () => ({ state: old, events: [], result: undefined }),
        1_000,
      );
      const read = await store.getSession('old');
      expect(read?.state).toMatchObject({
        surveyAnswers: { customer: [], representative: [] },
        customAttributes: {},
        fileCounts: { transfers: 0, moves: 0, deletes: 0 },
        details: [],
      });
      // Text XML cannot hold, and that PostgreSQL's text cannot either (NUL): kept exactly.
      const body = 'a\u0000b\u0001\uFFFF😀';
      await step(store, 'old', { kind: 'note', by: 1, body }, 2_000);
      expect((await t.db.openAnother().getSession('old'))?.state.details).toEqual([
        { timestamp: 1, type: 'Session Note Added', performedBy: expect.any(Object), body },
      ]);
    });

    it('numbers sessions 1, 2, 3 in creation order (lseq), kept by changes, never reused', async () => {
      const { store } = t;
      expect((await create(store, 'a', 1_000)).session.lseq).toBe(1);
      expect((await create(store, 'b', 1_100)).session.lseq).toBe(2);
      await expect(create(store, 'b', 1_150)).rejects.toThrow('taken');
      const third = (await create(store, 'c', 1_200)).session.lseq;
      expect(third).toBeGreaterThanOrEqual(3);
      const changed = await step(store, 'b', { kind: 'end' }, 1_300);
      expect(changed.session).toMatchObject({ version: 2, lseq: 2 });
      expect(await store.getSession('b')).toMatchObject({ version: 2, lseq: 2 });
      // Pruning the newest session does not hand its number out again.
      await step(store, 'c', { kind: 'end' }, 1_400);
      await store.pruneBatch(2_000, 100);
      expect(await store.getSession('c')).toBeUndefined();
      expect((await create(store, 'd', 3_000)).session.lseq).toBeGreaterThan(third);
      expect(await t.db.openAnother().getSession('a')).toMatchObject({ lseq: 1 });
    });
  });
}
