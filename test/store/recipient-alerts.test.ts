/** A recipient's alert settings (Email Contact, Send Email Alert After, Resend) and kind. */
import { describe, expect, it } from 'vitest';
import { BACKENDS } from './backends.js';
import { recipientInput } from './fixtures.js';
import { freshStore } from './harness.js';

for (const backend of BACKENDS) {
  describe(`${backend.name}: recipient alert settings`, () => {
    const fresh = freshStore(backend);

    it('keeps contacts and delays through create, update and list', async () => {
      const { store } = fresh;
      const created = await store.createRecipient(
        recipientInput({
          alertContacts: ['ops@example.com', 'dev@example.com'],
          alertAfterMs: 300_000,
          resendAlertsMs: 0,
        }),
        1_000,
      );
      expect(created).toMatchObject({
        alertContacts: ['ops@example.com', 'dev@example.com'],
        alertAfterMs: 300_000,
        resendAlertsMs: 0,
      });
      const updated = await store.updateRecipient(
        created.id,
        { alertContacts: [], resendAlertsMs: 7_200_000 },
        2_000,
      );
      expect(updated).toMatchObject({ alertContacts: [], alertAfterMs: 300_000 });
      expect(updated?.resendAlertsMs).toBe(7_200_000);
      const [listed] = await store.listRecipients();
      expect(listed).toEqual(updated);
      expect(await store.getRecipient(created.id)).toEqual(updated);
    });

    it('keeps the kind: http by default, email for email recipients', async () => {
      const { store } = fresh;
      const http = await store.createRecipient(recipientInput(), 1_000);
      const email = await store.createRecipient(
        recipientInput({ kind: 'email', url: 'mailto:reports@example.com' }),
        1_000,
      );
      expect(http.kind).toBe('http');
      expect((await store.getRecipient(email.id))?.kind).toBe('email');
      const kept = await store.updateRecipient(email.id, { retryIntervalMs: 100 }, 2_000);
      expect(kept?.kind).toBe('email');
    });
  });
}
