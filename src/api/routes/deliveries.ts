import type { FastifyInstance } from 'fastify';
import { badRequest } from '../../http/http-error.js';
import type { OperationsContext } from '../../operations/context.js';
import { listDeliveryPage } from '../../operations/delivery-pages.js';
import { loadRecipient } from '../../operations/load-recipient.js';
import { toNewEvent } from '../../operations/new-event.js';
import { sendTestEvent } from '../../operations/recipient-actions.js';
import type { Attempt, Delivery, DeliveryState } from '../../types.js';
import { changedBy } from '../changed-by.js';
import { type Query, queryText } from '../list-query.js';
import { LIST_DELIVERIES, SEND_TEST_EVENT } from '../openapi/deliveries.js';

const STATES: DeliveryState[] = ['pending', 'delivered', 'failed'];

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function deliveryJson(d: Delivery, attempts: Attempt[]) {
  return {
    seq: d.seq,
    eventId: d.eventUid,
    event: d.eventName,
    lsid: d.lsid,
    state: d.state,
    attemptCount: d.attempts,
    acceptedAt: iso(d.acceptedAt),
    firstFailedAt: iso(d.firstFailedAt),
    nextAttemptAt: iso(d.nextAttemptAt),
    lastAttemptAt: iso(d.lastAttemptAt),
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    deliveredAt: iso(d.deliveredAt),
    failedAt: iso(d.failedAt),
    failedAttempts: attempts.map((a) => ({
      n: a.n,
      at: iso(a.at),
      status: a.status,
      errorCode: a.errorCode,
      error: a.error,
      latencyMs: a.latencyMs,
      snippet: a.snippet,
    })),
  };
}

export function deliveryRoutes(app: FastifyInstance, ctx: OperationsContext): void {
  app.get('/api/v1/recipients/:id/deliveries', LIST_DELIVERIES, async (request) => {
    const recipient = await loadRecipient(ctx, request.params);
    const q = request.query as Query & Record<string, string | undefined>;
    const state = q.state as DeliveryState | undefined;
    if (state !== undefined && !STATES.includes(state)) {
      throw badRequest(`state must be one of ${STATES.join(', ')}`, 'state');
    }
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw badRequest('limit must be 1 to 500', 'limit');
    const before = q.before === undefined ? undefined : Number(q.before);
    if (before !== undefined && !Number.isSafeInteger(before))
      throw badRequest('before must be a seq number', 'before');
    const cursor = queryText(q, 'cursor');
    if (cursor !== undefined && before !== undefined) {
      throw badRequest(
        'give cursor or before, not both (before is the older way to page)',
        'cursor',
      );
    }
    const page = await listDeliveryPage(ctx, recipient.id, { limit, state, before, cursor });
    const out = [];
    for (const d of page.deliveries) {
      const attempts = d.attempts > 0 ? await ctx.store.listAttempts(recipient.id, d.seq) : [];
      out.push(deliveryJson(d, attempts));
    }
    return { deliveries: out, next_cursor: page.next };
  });

  /** A test event for this recipient only: the body's event, or a default one. */
  app.post('/api/v1/recipients/:id/test', SEND_TEST_EVENT, async (request, reply) => {
    const recipient = await loadRecipient(ctx, request.params);
    const given = request.body;
    const event =
      given === undefined ||
      given === null ||
      (typeof given === 'object' && Object.keys(given).length === 0)
        ? undefined
        : toNewEvent(given, ctx.clock());
    const id = await sendTestEvent(ctx, recipient, event, changedBy(request));
    return reply.status(202).send({ ids: [id] });
  });
}
