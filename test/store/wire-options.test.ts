/**
 * What the wire options need from the store, on every backend: the custom fields emitted with
 * each event (events.custom_fields), read back where the lanes get their heads, and the
 * installation id created once in the settings store.
 */
import { describe, expect, it } from 'vitest';
import { INSTALLATION_ID_KEY, loadInstallationId } from '../../src/operations/installation.js';
import { BACKENDS } from './backends.js';
import { BEGIN, newEvent, recipientInput } from './fixtures.js';
import { freshStore } from './harness.js';

for (const backend of BACKENDS) {
  describe(`${backend.name}: wire options`, () => {
    const t = freshStore(backend);

    it('keeps each event’s custom fields and hands them to the lane with its head', async () => {
      const { store } = t;
      const recipient = await store.createRecipient(recipientInput({ events: 'all' }), 500);
      const fields = { ticket_id: 'INC 1 & ✓', region: 'emea' };
      const withFields = { ...newEvent(BEGIN), customFields: fields };
      const without = newEvent(BEGIN);
      const empty = { ...newEvent(BEGIN), customFields: {} };
      const { ids } = await store.acceptEvents([withFields, without, empty], 1_000);

      const heads = await store.pendingDeliveries(recipient.id, 10);
      expect(heads.map((h) => h.customFieldsJson)).toEqual([JSON.stringify(fields), null, null]);
      expect(JSON.parse(heads[0]?.customFieldsJson ?? 'null')).toEqual(fields);
      expect((await store.getEvent(ids[0] as number))?.customFields).toEqual(fields);
      expect((await store.getEvent(ids[1] as number))?.customFields).toBeUndefined();
    });

    it('several events accepted at once keep each its own custom fields', async () => {
      const { store } = t;
      const recipient = await store.createRecipient(recipientInput({ events: 'all' }), 500);
      // Sessions' events (test/delivery/wire-options.test.ts) come through this same path.
      const many = Array.from({ length: 5 }, (_, i) => ({
        ...newEvent(BEGIN),
        customFields: { n: String(i) },
      }));
      await store.acceptEvents(many, 2_000);
      const heads = await store.pendingDeliveries(recipient.id, 100);
      const ns = heads.map((h) => JSON.parse(h.customFieldsJson ?? 'null')?.n);
      expect(ns).toEqual(['0', '1', '2', '3', '4']);
    });

    it('creates the installation id once: every store and restart reads the same', async () => {
      const { store } = t;
      const first = await loadInstallationId(store.settings, null, 1_000);
      expect(first.overridden).toBe(false);
      expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const another = t.db.openAnother();
      expect(await loadInstallationId(another.settings, null, 2_000)).toEqual(first);
      expect(await another.settings.get(INSTALLATION_ID_KEY)).toBe(first.id);
      // The override wins without replacing the stored id.
      expect(await loadInstallationId(store.settings, 'appliance-7', 3_000)).toEqual({
        id: 'appliance-7',
        overridden: true,
      });
      expect(await store.settings.get(INSTALLATION_ID_KEY)).toBe(first.id);
    });

    it('putIfAbsent: of two creators racing, both read the value saved first', async () => {
      const { store } = t;
      const another = t.db.openAnother();
      const [a, b] = await Promise.all([
        store.settings.putIfAbsent('k', 'from-a', 1_000),
        another.settings.putIfAbsent('k', 'from-b', 1_000),
      ]);
      expect(a).toBe(b);
      expect(await store.settings.putIfAbsent('k', 'later', 2_000)).toBe(a);
    });
  });
}
