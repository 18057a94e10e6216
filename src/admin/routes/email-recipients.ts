import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addressOf, emailRecipientInput } from '../../alerts/email-recipient.js';
import { HttpError } from '../../http/http-error.js';
import { createRecipient, deleteRecipient } from '../../operations/recipient-actions.js';
import { recipientStatus } from '../../operations/recipient-status.js';
import type { AdminContext } from '../context.js';
import { formOf } from '../form.js';
import { recipientSnapshot, recipientTarget } from '../recipient-audit.js';
import { audit, sendPage } from '../respond.js';
import { type EmailRecipientRow, emailRecipientsPage } from '../views/email-recipients.js';

const NOTICES: Record<string, string> = {
  added: 'The email recipient was added.',
  removed: 'The email recipient was removed.',
};

/** Outbound Events → Email recipients: recipients of kind `email`, added and removed here. */
export function emailRecipientRoutes(app: FastifyInstance, admin: AdminContext): void {
  const { api, sessions } = admin;

  const rows = async (): Promise<EmailRecipientRow[]> => {
    const [recipients, stats] = await Promise.all([
      api.store.listRecipients(),
      api.store.laneStats(),
    ]);
    return recipients
      .filter((r) => r.kind === 'email')
      .map((r) => {
        const status = recipientStatus(
          r,
          stats.find((s) => s.recipientId === r.id),
          api.dispatcher.laneStatus(r.id),
          api.clock(),
        );
        return {
          id: r.id,
          address: addressOf(r),
          events: r.events === 'all' ? [] : r.events,
          queued: status.queued,
          failed: status.failed,
          lastError: status.lastError,
        };
      });
  };

  const render = async (request: FastifyRequest, options = {}) =>
    emailRecipientsPage(sessions.of(request), await rows(), await api.mail.status(), options);

  app.get('/admin/email-recipients', async (request, reply) => {
    const notice = NOTICES[(request.query as { notice?: string }).notice ?? ''];
    return sendPage(reply, await render(request, { notice }));
  });

  app.post('/admin/email-recipients', async (request, reply) => {
    const form = formOf(request);
    const address = (form.get('address') ?? '').trim();
    const events = form.all('events');
    const parsed = emailRecipientInput(address, events, await api.store.listRecipients());
    if (!parsed.ok) {
      const page = await render(request, { form: { address, events }, errors: parsed.errors });
      return sendPage(reply, page, 400);
    }
    const created = await createRecipient(api, parsed.value);
    await audit(admin, request, {
      action: 'email-recipient.create',
      target: recipientTarget(created),
      before: null,
      after: recipientSnapshot(created),
    });
    return reply.redirect('/admin/email-recipients?notice=added', 303);
  });

  app.post('/admin/email-recipients/:id/delete', async (request, reply) => {
    const raw = (request.params as { id: string }).id;
    const id = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
    const recipient = Number.isNaN(id) ? undefined : await api.store.getRecipient(id);
    if (recipient?.kind !== 'email') throw new HttpError(404, `no email recipient with id ${raw}`);
    await deleteRecipient(api, id);
    await audit(admin, request, {
      action: 'email-recipient.delete',
      target: recipientTarget(recipient),
      before: recipientSnapshot(recipient),
      after: null,
    });
    return reply.redirect('/admin/email-recipients?notice=removed', 303);
  });
}
