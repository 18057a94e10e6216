import type { FastifyInstance } from 'fastify';
import { DestinationPolicy } from '../../delivery/destination-policy.js';
import { destinationWarnings } from '../../delivery/destination-warning.js';
import { OutboundError } from '../../errors.js';
import { loadRecipient } from '../../operations/load-recipient.js';
import { createRecipient, updateRecipient } from '../../operations/recipient-actions.js';
import type { Recipient } from '../../types.js';
import type { AdminContext } from '../context.js';
import { type Form, formOf } from '../form.js';
import { isShowable, SHOWABLE_FIELDS, type ShowableField } from '../masked-field.js';
import { recipientSnapshot, recipientTarget } from '../recipient-audit.js';
import {
  hidesSecret,
  readNewRecipient,
  readRecipientChange,
  shownInFull,
  valuesOf,
} from '../recipient-form.js';
import { recipientRows } from '../recipient-rows.js';
import { audit, sendPage } from '../respond.js';
import { recipientFormPage } from '../views/recipient-form.js';
import { recipientsPage } from '../views/recipients.js';

const NOTICES: Record<string, string> = {
  deleted: 'The recipient was deleted.',
};

/** Outbound Events → HTTP recipients: the table, its live stream, add and edit. */
export function recipientListRoutes(app: FastifyInstance, admin: AdminContext): void {
  const { api, sessions } = admin;

  app.get('/admin/recipients', async (request, reply) => {
    const notice = NOTICES[(request.query as { notice?: string }).notice ?? ''];
    return sendPage(
      reply,
      recipientsPage(sessions.of(request), await recipientRows(api, admin.rate), notice),
    );
  });

  app.get('/admin/recipients/stream', async (request, reply) => {
    admin.stream.open(reply, sessions.of(request));
  });

  app.get('/admin/recipients/new', async (request, reply) =>
    sendPage(
      reply,
      recipientFormPage({ session: sessions.of(request), values: valuesOf(undefined) }),
    ),
  );

  app.post('/admin/recipients/new', async (request, reply) => {
    const session = sessions.of(request);
    const result = readNewRecipient(formOf(request), api.clock());
    if (!result.ok)
      return sendPage(
        reply,
        recipientFormPage({ session, values: result.values, errors: result.errors }),
        400,
      );
    try {
      const created = await createRecipient(api, result.value);
      await audit(admin, request, {
        action: 'recipient.create',
        target: recipientTarget(created),
        before: null,
        after: recipientSnapshot(created),
      });
      return reply.redirect(await pageAfterSave(admin, created, 'created'), 303);
    } catch (error) {
      if (!(error instanceof OutboundError) || error.field === undefined) throw error;
      return sendPage(
        reply,
        recipientFormPage({
          session,
          values: { ...valuesOf(undefined), ...fromInput(formOf(request)) },
          errors: { [error.field]: error.message },
        }),
        error.status,
      );
    }
  });

  app.get('/admin/recipients/:id/edit', async (request, reply) => {
    const recipient = await loadRecipient(api, request.params);
    // An email recipient has its address and events only: managed on its own page.
    if (recipient.kind === 'email') return reply.redirect('/admin/email-recipients', 303);
    const values = valuesOf(recipient);
    const show = (request.query as { show?: unknown }).show;
    // "Show": a saved secret leaves the server in full; who saw which one is kept, never it.
    const shown = isShowable(show) && hidesSecret(values, show) ? show : undefined;
    if (shown !== undefined) {
      await audit(admin, request, {
        action: 'recipient.show-secret',
        target: recipientTarget(recipient),
        before: null,
        after: { field: shown },
      });
    }
    return sendPage(
      reply,
      recipientFormPage({
        session: sessions.of(request),
        id: recipient.id,
        values,
        show: new Set(shown === undefined ? [] : [shown]),
      }),
    );
  });

  app.post('/admin/recipients/:id/edit', async (request, reply) => {
    const session = sessions.of(request);
    const current = await loadRecipient(api, request.params);
    if (current.kind === 'email') return reply.redirect('/admin/email-recipients', 303);
    const form = formOf(request);
    const result = readRecipientChange(form, current, api.clock());
    if (!result.ok) {
      return sendPage(
        reply,
        recipientFormPage({
          session,
          id: current.id,
          values: result.values,
          errors: result.errors,
          show: postedShown(form),
        }),
        400,
      );
    }
    try {
      const updated = await updateRecipient(api, current.id, result.value);
      await audit(admin, request, {
        action: 'recipient.update',
        target: recipientTarget(updated),
        before: recipientSnapshot(current),
        after: recipientSnapshot(updated),
      });
      return reply.redirect(await pageAfterSave(admin, updated, 'saved'), 303);
    } catch (error) {
      if (!(error instanceof OutboundError) || error.field === undefined) throw error;
      return sendPage(
        reply,
        recipientFormPage({
          session,
          id: current.id,
          values: { ...valuesOf(current), ...fromInput(form) },
          errors: { [error.field]: error.message },
          show: postedShown(form),
        }),
        error.status,
      );
    }
  });
}

/** The recipient's page, asked to show the destination warning when its URL is refused now. */
async function pageAfterSave(admin: AdminContext, r: Recipient, notice: string): Promise<string> {
  const policy = admin.api.destinations ?? DestinationPolicy.DEFAULT;
  const refused = (await destinationWarnings(policy, r.url)).length > 0;
  return `/admin/recipients/${r.id}?notice=${notice}${refused ? '&warning=destination' : ''}`;
}

/**
 * The fields a refused form posted in full (typed, or after "Show"): shown again as they were.
 * Posted masked, they stay masked.
 */
const postedShown = (form: Form): Set<ShowableField> =>
  new Set(SHOWABLE_FIELDS.filter((field) => shownInFull(form, field)));

/** The typed values to show again when the store refused an otherwise valid form. */
function fromInput(form: Form) {
  return {
    enabled: form.has('enabled'),
    name: form.get('name') ?? '',
    url: form.get('url') ?? '',
    events: form.all('events'),
    retryIntervalSeconds: form.get('retryIntervalSeconds') ?? '',
    retryDurationSeconds: form.get('retryDurationSeconds') ?? '',
    timeoutSeconds: form.get('timeoutSeconds') ?? '',
    tlsVerify: form.has('tlsVerify'),
    headers: form.get('headers') ?? '',
    alertContacts: form.get('alertContacts') ?? '',
    alertAfterSeconds: form.get('alertAfterSeconds') ?? '',
    resendAlertsSeconds: form.get('resendAlertsSeconds') ?? '',
    // The wire options only when their fieldset was posted (else as stored).
    ...(form.has('repSurveyEventName')
      ? {
          repSurveyEventName: form.get('repSurveyEventName') ?? '',
          sendApplianceId: form.has('sendApplianceId'),
          sendCustomFields: form.has('sendCustomFields'),
        }
      : {}),
  };
}
