import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../store/backends.js';
import { BEGIN, END, newEvent, OWNER, recipientInput } from '../store/fixtures.js';
import { freshStore } from '../store/harness.js';

for (const backend of BACKENDS) {
  describe(`${backend.name}: admin store`, () => {
    const fresh = freshStore(backend);
    const admin = () => fresh.store.admin;

    it('creates users once per name, finds, lists and removes them', async () => {
      expect(await admin().countUsers()).toBe(0);
      const alice = await admin().createUser('alice', 'scrypt$h1', 1_000);
      expect(alice).toMatchObject({
        name: 'alice',
        passwordHash: 'scrypt$h1',
        createdAt: 1_000,
        lastSignInAt: null,
        failedSignIns: 0,
        lockedUntil: null,
      });
      expect(await admin().createUser('alice', 'scrypt$other', 2_000)).toBeUndefined();
      await admin().createUser('bob', 'scrypt$h2', 2_000);
      expect(await admin().countUsers()).toBe(2);
      expect((await admin().listUsers()).map((u) => u.name)).toEqual(['alice', 'bob']);
      expect(await admin().findUser('alice')).toEqual(alice);
      expect(await admin().deleteUser('alice')).toBe(true);
      expect(await admin().deleteUser('alice')).toBe(false);
      expect(await admin().findUser('alice')).toBeUndefined();
    });

    it('locks a user after the n-th failure in a row and clears it on success', async () => {
      const user = (await admin().createUser('alice', 'h', 0))!;
      expect(await admin().recordSignInFailure(user.id, 10, 3, 60_000)).toEqual({
        failedSignIns: 1,
        lockedUntil: null,
      });
      await admin().recordSignInFailure(user.id, 20, 3, 60_000);
      expect(await admin().recordSignInFailure(user.id, 30, 3, 60_000)).toEqual({
        failedSignIns: 3,
        lockedUntil: 60_030,
      });
      expect((await admin().findUser('alice'))?.lockedUntil).toBe(60_030);
      await admin().recordSignInSuccess(user.id, 70_000);
      expect(await admin().findUser('alice')).toMatchObject({
        failedSignIns: 0,
        lockedUntil: null,
        lastSignInAt: 70_000,
      });
      expect(await admin().recordSignInFailure(9999, 10, 3, 1)).toBeUndefined();
    });

    it('finds a session by hash until it expires, with its user; deleting the user ends it', async () => {
      const user = (await admin().createUser('alice', 'h', 0))!;
      const session = {
        hash: 'a'.repeat(64),
        userId: user.id,
        csrfToken: 'csrf',
        createdAt: 1_000,
        expiresAt: 5_000,
      };
      await admin().createSession(session);
      expect(await admin().findSession(session.hash, 4_999)).toEqual({
        ...session,
        userName: 'alice',
      });
      expect(await admin().findSession(session.hash, 5_000)).toBeUndefined();
      expect(await admin().findSession('b'.repeat(64), 1_000)).toBeUndefined();
      await admin().createSession({ ...session, hash: 'c'.repeat(64), expiresAt: 9_000 });
      expect(await admin().deleteExpiredSessions(5_000)).toBe(1);
      await admin().deleteSession('c'.repeat(64));
      expect(await admin().findSession('c'.repeat(64), 1_000)).toBeUndefined();

      await admin().createSession({ ...session, hash: 'd'.repeat(64), expiresAt: 9_000 });
      await admin().deleteUser('alice');
      expect(await admin().findSession('d'.repeat(64), 1_000)).toBeUndefined();
    });

    it('a setup token creates one user, once; every other setup token dies with it', async () => {
      await admin().createSetupToken('t1', 0);
      await admin().createSetupToken('t2', 0);
      expect(await admin().hasSetupToken('t1')).toBe(true);
      expect(await admin().useSetupToken('nope', 'root', 'h', 1)).toBeUndefined();
      const root = await admin().useSetupToken('t1', 'root', 'h', 1);
      expect(root?.name).toBe('root');
      expect(await admin().useSetupToken('t1', 'again', 'h', 2)).toBeUndefined();
      expect(await admin().useSetupToken('t2', 'again', 'h', 2)).toBeUndefined();
      expect(await admin().hasSetupToken('t2')).toBe(false);
      expect(await admin().countUsers()).toBe(1);
    });

    it('a setup token used with a taken name still works with another', async () => {
      await admin().createUser('root', 'h', 0);
      await admin().createSetupToken('t1', 0);
      expect(await admin().useSetupToken('t1', 'root', 'h', 1)).toBeUndefined();
      expect((await admin().useSetupToken('t1', 'admin', 'h', 1))?.name).toBe('admin');
    });

    it('searches events by lsid, external key, type and time, newest or oldest first', async () => {
      const store = fresh.store;
      await store.acceptEvents([newEvent(BEGIN, { lsid: 's1', externalKey: 'INC-7' })], 1_000);
      await store.acceptEvents([newEvent(OWNER, { lsid: 's1', externalKey: 'INC-7' })], 2_000);
      await store.acceptEvents([newEvent(BEGIN, { lsid: 's2' })], 3_000);
      await store.acceptEvents([newEvent(END, { lsid: 's1', externalKey: 'INC-7' })], 4_000);
      const names = (events: { lsid: string; name: string }[]) =>
        events.map((e) => `${e.lsid}:${e.name.replace('support_conference_', '')}`);
      expect(names(await admin().searchEvents({ limit: 10 }))).toEqual([
        's1:end',
        's2:begin',
        's1:owner_changed',
        's1:begin',
      ]);
      expect(names(await admin().searchEvents({ lsid: 's1', order: 'oldest', limit: 10 }))).toEqual(
        ['s1:begin', 's1:owner_changed', 's1:end'],
      );
      expect(
        names(await admin().searchEvents({ externalKey: 'INC-7', name: BEGIN, limit: 10 })),
      ).toEqual(['s1:begin']);
      expect(names(await admin().searchEvents({ from: 2_000, to: 3_000, limit: 10 }))).toEqual([
        's2:begin',
        's1:owner_changed',
      ]);
      const [newest, second] = await admin().searchEvents({ limit: 2 });
      expect(names(await admin().searchEvents({ afterId: second!.id, limit: 10 }))).toEqual([
        's1:owner_changed',
        's1:begin',
      ]);
      expect(newest?.externalKey).toBe('INC-7');
      expect(await admin().searchEvents({ lsid: 'nope', limit: 10 })).toEqual([]);
    });

    it("lists one event's delivery to each recipient", async () => {
      const store = fresh.store;
      const a = await store.createRecipient(recipientInput(), 0);
      const b = await store.createRecipient(recipientInput({ events: [END] }), 0);
      const c = await store.createRecipient(recipientInput(), 0);
      const {
        ids: [id],
      } = await store.acceptEvents([newEvent(BEGIN, { lsid: 'x' })], 1_000);
      await store.setAside(c.id, id!, 2_000);
      const deliveries = await admin().eventDeliveries(id!);
      expect(deliveries.map((d) => [d.recipientId, d.state, d.lsid])).toEqual([
        [a.id, 'pending', 'x'],
        [c.id, 'failed', 'x'],
      ]);
      expect(deliveries.some((d) => d.recipientId === b.id)).toBe(false);
    });

    it('keeps the audit log newest first, with before/after as given, and pages back', async () => {
      const first = await admin().appendAudit({
        at: 1,
        actor: 'alice',
        action: 'recipient.create',
        target: 'recipient 1 (crm)',
        before: null,
        after: { name: 'crm', secret: 'whsec_…abcd', events: ['support_conference_end'] },
      });
      const second = await admin().appendAudit({
        at: 2,
        actor: 'bob',
        action: 'token.revoke',
        target: 'token 3',
        before: { revoked: false },
        after: { revoked: true },
      });
      expect(second.id).toBeGreaterThan(first.id);
      const all = await admin().listAudit(10);
      expect(all).toEqual([second, first]);
      expect(await admin().listAudit(10, second.id)).toEqual([first]);
      expect(await admin().listAudit(1)).toEqual([second]);
    });
  });
}
