import { describe, expect, it } from 'vitest';
import { NameTakenError } from '../../src/store/errors.js';
import { BACKENDS } from './backends.js';
import { BEGIN, END, failure, newEvents, recipientInput } from './fixtures.js';
import { freshStore } from './harness.js';

for (const backend of BACKENDS) {
  describe(`${backend.name}: recipients`, () => {
    const t = freshStore(backend);

    it('creates, reads, lists and finds by name', async () => {
      const { store } = t;
      const input = recipientInput({
        events: [BEGIN, END],
        paused: true,
        retryDurationMs: 3_600_000,
        tlsVerify: false,
        caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
        headers: { 'X-Token': 'abc', 'X-Empty': '' },
        secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      });
      const created = await store.createRecipient(input, 1_000);
      expect(created).toEqual({ ...input, id: created.id, createdAt: 1_000, updatedAt: 1_000 });
      expect(await store.getRecipient(created.id)).toEqual(created);
      expect(await store.findRecipientByName(input.name)).toEqual(created);
      expect(await store.findRecipientByName('nobody')).toBeUndefined();
      expect(await store.getRecipient(created.id + 1)).toBeUndefined();
      const second = await store.createRecipient(recipientInput(), 1_000);
      expect(await store.listRecipients()).toEqual([created, second]);
    });

    it('updateRecipient changes only what the patch gives; undefined for an unknown id', async () => {
      const { store } = t;
      const created = await store.createRecipient(recipientInput({ events: [BEGIN] }), 1_000);
      const updated = await store.updateRecipient(
        created.id,
        { url: 'https://example.test/hook?x=1', events: 'all', timeoutMs: 9_000 },
        2_000,
      );
      expect(updated).toEqual({
        ...created,
        url: 'https://example.test/hook?x=1',
        events: 'all',
        timeoutMs: 9_000,
        updatedAt: 2_000,
      });
      expect(await store.getRecipient(created.id)).toEqual(updated);
      expect(await store.updateRecipient(created.id + 100, { enabled: false }, 2_000)).toBe(
        undefined,
      );
    });

    it('refuses a second recipient with the same name', async () => {
      const { store } = t;
      const a = await store.createRecipient(recipientInput({ name: 'crm' }), 1_000);
      await expect(store.createRecipient(recipientInput({ name: 'crm' }), 1_000)).rejects.toThrow(
        /UNIQUE/i,
      );
      const b = await store.createRecipient(recipientInput({ name: 'ticketing' }), 1_000);
      await expect(store.updateRecipient(b.id, { name: 'crm' }, 2_000)).rejects.toThrow(/UNIQUE/i);
      expect(await store.getRecipient(b.id)).toMatchObject({ name: 'ticketing' });
      expect(await store.listRecipients()).toEqual([a, b]);
    });

    it('a taken name raises NameTakenError (OUTBOUND_NAME_TAKEN), on create and on rename', async () => {
      const { store } = t;
      await store.createRecipient(recipientInput({ name: 'crm' }), 1_000);
      const created = await store.createRecipient(recipientInput({ name: 'crm' }), 1_000).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(created).toBeInstanceOf(NameTakenError);
      expect(created).toMatchObject({
        code: 'OUTBOUND_NAME_TAKEN',
        kind: 'recipient',
        takenName: 'crm',
      });
      const b = await store.createRecipient(recipientInput({ name: 'ticketing' }), 1_000);
      const renamed = await store.updateRecipient(b.id, { name: 'crm' }, 2_000).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(renamed).toBeInstanceOf(NameTakenError);
      expect(renamed).toMatchObject({ code: 'OUTBOUND_NAME_TAKEN', takenName: 'crm' });
      // Another constraint is not a taken name: a PATCH that keeps its own name is no conflict.
      expect(await store.updateRecipient(b.id, { name: 'ticketing' }, 3_000)).toMatchObject({
        name: 'ticketing',
      });
    });

    it('deleteRecipient removes its queue and attempts, and nothing of the others', async () => {
      const { store } = t;
      const doomed = await store.createRecipient(recipientInput(), 500);
      const kept = await store.createRecipient(recipientInput(), 500);
      const { ids } = await store.acceptEvents(newEvents(BEGIN, END), 1_000);
      const [s1, s2] = ids as [number, number];
      for (const r of [doomed, kept]) {
        await store.recordFailure(r.id, s1, failure(2_000), 3_000);
        await store.setAside(r.id, s1, 4_000, failure(4_000));
      }

      expect(await store.deleteRecipient(doomed.id)).toBe(true);
      expect(await store.getRecipient(doomed.id)).toBeUndefined();
      expect(await store.listDeliveries(doomed.id, { limit: 10 })).toEqual([]);
      expect(await store.pendingDeliveries(doomed.id, 10)).toEqual([]);
      expect(await store.listAttempts(doomed.id, s1)).toEqual([]);
      expect((await store.laneStats()).map((s) => s.recipientId)).toEqual([kept.id]);
      expect(await store.deleteRecipient(doomed.id)).toBe(false);

      expect((await store.listDeliveries(kept.id, { limit: 10 })).map((d) => d.seq)).toEqual([
        s2,
        s1,
      ]);
      expect(await store.listAttempts(kept.id, s1)).toHaveLength(2);
      // Events stay: they belong to the log, not to the recipient.
      expect(await store.getEvent(s1)).toBeDefined();
    });
  });

  describe(`${backend.name}: tokens`, () => {
    const t = freshStore(backend);

    it('creates, uses, lists and revokes', async () => {
      const { store } = t;
      const ci = await store.createToken('ci', 'hash-ci', 1_000);
      expect(ci).toEqual({
        id: ci.id,
        name: 'ci',
        createdAt: 1_000,
        lastUsedAt: null,
        revokedAt: null,
      });
      const sim = await store.createToken('simulator', 'hash-sim', 1_100);

      expect(await store.useToken('hash-ci', 2_000)).toEqual({ ...ci, lastUsedAt: 2_000 });
      expect(await store.useToken('hash-ci', 2_500)).toEqual({ ...ci, lastUsedAt: 2_500 });
      expect(await store.useToken('no-such-hash', 2_000)).toBeUndefined();
      expect(await store.listTokens()).toEqual([{ ...ci, lastUsedAt: 2_500 }, sim]);

      expect(await store.revokeToken(ci.id, 3_000)).toBe(true);
      expect(await store.revokeToken(ci.id, 3_100)).toBe(false);
      expect(await store.revokeToken(9_999, 3_100)).toBe(false);
      expect(await store.useToken('hash-ci', 4_000)).toBeUndefined();
      expect(await store.useToken('hash-sim', 4_000)).toMatchObject({ id: sim.id });
      expect(await store.listTokens()).toEqual([
        { ...ci, lastUsedAt: 2_500, revokedAt: 3_000 },
        { ...sim, lastUsedAt: 4_000 },
      ]);
    });

    it('refuses a hash already stored', async () => {
      await t.store.createToken('a', 'same', 1_000);
      await expect(t.store.createToken('b', 'same', 1_000)).rejects.toThrow();
      expect(await t.store.listTokens()).toHaveLength(1);
    });
  });
}
