import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DestinationPolicy } from '../../delivery/destination-policy.js';
import { destinationWarnings } from '../../delivery/destination-warning.js';
import { OutboundError } from '../../errors.js';
import { HttpError } from '../../http/http-error.js';
import type { OperationsContext } from '../../operations/context.js';
import { loadRecipient } from '../../operations/load-recipient.js';
import {
  deleteRecipient,
  replayFailed,
  replayRange,
  retryNow,
  sendTestEvent,
  setHeadAside,
  setPaused,
} from '../../operations/recipient-actions.js';
import type { Recipient } from '../../types.js';
import type { AdminContext } from '../context.js';
import { loadDeliveryCharts } from '../delivery-chart.js';
import { formOf } from '../form.js';
import { recipientSnapshot, recipientTarget } from '../recipient-audit.js';
import { recipientRows } from '../recipient-rows.js';
import { audit, sendPage } from '../respond.js';
import { parseUtcTime } from '../utc-time.js';
import { deliveryCharts } from '../views/delivery-chart.js';
import { type DeliveryWithAttempts, recipientPage } from '../views/recipient.js';

const NOTICES: Record<string, string> = {
  created: 'The recipient was added.',
  saved: 'The changes were saved.',
  test: 'A test event was queued for this recipient.',
  retry: 'The head event is due now.',
  'retry-empty': 'Nothing to retry: the queue is empty.',
  'set-aside': 'The head event was set aside as failed.',
  replay: 'The failed events were queued again.',
  'replay-range': 'The events of that time range were queued again, at their original place.',
  'replay-none': 'There was no event to replay.',
  pause: 'Paused: events keep being queued; nothing is sent until you resume.',
  resume: 'Resumed.',
};

/** Most attempts shown per delivery: the first ones and the cause are what matter. */
const ATTEMPTS_SHOWN = 10;

/** Pending deliveries shown per page. */
const PENDING_PAGE = 50;

/** Where in the pending queue the page starts: after seq `after`, `offset` rows from the head. */
interface PendingPosition {
  after?: number;
  offset: number;
}

function pendingPosition(query: { after?: string; offset?: string }): PendingPosition {
  const after = /^\d{1,15}$/.test(query.after ?? '') ? Number(query.after) : undefined;
  // The offset only numbers the rows; without `after` the page is the head's.
  const offset =
    after !== undefined && /^\d{1,9}$/.test(query.offset ?? '') ? Number(query.offset) : 0;
  return after === undefined ? { offset: 0 } : { after, offset };
}

async function withAttempts(
  api: OperationsContext,
  id: number,
  state: 'pending' | 'failed',
  limit: number,
  afterSeq?: number,
) {
  const deliveries = await api.store.listDeliveries(id, {
    state,
    limit,
    ...(afterSeq === undefined ? {} : { afterSeq }),
  });
  const out: DeliveryWithAttempts[] = [];
  for (const delivery of deliveries) {
    const attempts =
      delivery.attempts > 0
        ? (await api.store.listAttempts(id, delivery.seq)).slice(-ATTEMPTS_SHOWN)
        : [];
    out.push({ delivery, attempts });
  }
  return out;
}

async function showRecipient(
  admin: AdminContext,
  request: FastifyRequest,
  reply: FastifyReply,
  recipient: Recipient,
  messages: { notice?: string | undefined; alert?: string | undefined },
  status = 200,
  position: PendingPosition = { offset: 0 },
) {
  const { api } = admin;
  const [rows, pending, failed, delivered, charts] = await Promise.all([
    recipientRows(api, admin.rate),
    withAttempts(api, recipient.id, 'pending', PENDING_PAGE + 1, position.after),
    withAttempts(api, recipient.id, 'failed', 50),
    api.store.listDeliveries(recipient.id, { state: 'delivered', limit: 20 }),
    loadDeliveryCharts(api.store, recipient, api.clock()),
  ]);
  const row = rows.find((r) => r.id === recipient.id);
  if (row === undefined) throw new HttpError(404, `no recipient with id ${recipient.id}`);
  const shown = pending.slice(0, PENDING_PAGE);
  const lastSeq = shown.at(-1)?.delivery.seq;
  const offset = position.offset;
  const next =
    pending.length > PENDING_PAGE && lastSeq !== undefined
      ? `/admin/recipients/${recipient.id}?after=${lastSeq}&offset=${offset + shown.length}#pending`
      : undefined;
  // The total counts the whole queue; a delivery sent since the count is not shown twice.
  const total = Math.max(row.queued, offset + shown.length);
  return sendPage(
    reply,
    recipientPage(
      admin.sessions.of(request),
      {
        recipient,
        row,
        pending: { rows: shown, offset, total, next },
        failed,
        delivered,
        charts: deliveryCharts(charts),
      },
      messages,
    ),
    status,
  );
}

function utcTime(value: string | undefined, label: string): number {
  const ms = parseUtcTime(value);
  if (Number.isNaN(ms))
    throw new HttpError(
      400,
      `${label} must be a time like 2026-11-24T09:30 (UTC)`,
      label.toLowerCase(),
    );
  return ms;
}

/** A recipient's page: its queue, its history, and what an operator can do about them. */
export function recipientRoutes(app: FastifyInstance, admin: AdminContext): void {
  const { api } = admin;

  app.get('/admin/recipients/:id', async (request, reply) => {
    const recipient = await loadRecipient(api, request.params);
    const query = request.query as {
      notice?: string;
      warning?: string;
      after?: string;
      offset?: string;
    };
    const notice = NOTICES[query.notice ?? ''];
    // After a save whose URL the destination policy refuses now (routes/recipients.ts).
    const warnings =
      query.warning === 'destination' && recipient.kind === 'http'
        ? await destinationWarnings(api.destinations ?? DestinationPolicy.DEFAULT, recipient.url)
        : [];
    const alert = warnings.length === 0 ? undefined : `Saved, but ${warnings.join('; ')}.`;
    return showRecipient(
      admin,
      request,
      reply,
      recipient,
      { notice, alert },
      200,
      pendingPosition(query),
    );
  });

  /**
   * An action: done, written to the audit log, then back to the page (a reload does not
   * repeat it). A refusal (an empty queue, a disabled recipient) shows on the page.
   */
  const action = (
    name: string,
    run: (r: Recipient, request: FastifyRequest) => Promise<{ notice: string; after?: unknown }>,
  ) =>
    app.post(`/admin/recipients/:id/${name}`, async (request, reply) => {
      const recipient = await loadRecipient(api, request.params);
      let done: { notice: string; after?: unknown };
      try {
        done = await run(recipient, request);
      } catch (error) {
        if (!(error instanceof OutboundError) || error.status >= 500) throw error;
        return showRecipient(
          admin,
          request,
          reply,
          recipient,
          { alert: error.message },
          error.status,
        );
      }
      await audit(admin, request, {
        action: `recipient.${name}`,
        target: recipientTarget(recipient),
        before: null,
        after: done.after ?? null,
      });
      return reply.redirect(`/admin/recipients/${recipient.id}?notice=${done.notice}`, 303);
    });

  action('test', async (r) => ({
    notice: 'test',
    after: { eventId: await sendTestEvent(api, r) },
  }));
  action('retry', async (r) =>
    (await retryNow(api, r.id)) ? { notice: 'retry' } : { notice: 'retry-empty' },
  );
  action('set-aside', async (r) => ({
    notice: 'set-aside',
    after: { seq: await setHeadAside(api, r.id) },
  }));
  action('replay', async (r) => {
    const replayed = await replayFailed(api, r.id);
    return { notice: replayed > 0 ? 'replay' : 'replay-none', after: { replayed } };
  });
  action('replay-range', async (r, request) => {
    const form = formOf(request);
    const from = utcTime(form.get('from'), 'From');
    const to = utcTime(form.get('to'), 'To');
    if (to < from) throw new HttpError(400, 'To must not be before From', 'to');
    const replayed = await replayRange(api, r.id, from, to);
    return {
      notice: replayed > 0 ? 'replay-range' : 'replay-none',
      after: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), replayed },
    };
  });
  action('pause', async (r) => ({
    notice: 'pause',
    after: { paused: (await setPaused(api, r.id, true)).paused },
  }));
  action('resume', async (r) => ({
    notice: 'resume',
    after: { paused: (await setPaused(api, r.id, false)).paused },
  }));

  app.post('/admin/recipients/:id/delete', async (request, reply) => {
    const recipient = await loadRecipient(api, request.params);
    await deleteRecipient(api, recipient.id);
    await audit(admin, request, {
      action: 'recipient.delete',
      target: recipientTarget(recipient),
      before: recipientSnapshot(recipient),
      after: null,
    });
    return reply.redirect('/admin/recipients?notice=deleted', 303);
  });
}
