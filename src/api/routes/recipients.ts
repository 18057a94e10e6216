import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DestinationPolicy } from '../../delivery/destination-policy.js';
import { destinationWarnings } from '../../delivery/destination-warning.js';
import { badRequest } from '../../http/http-error.js';
import type { OperationsContext } from '../../operations/context.js';
import { parseLimit } from '../../operations/cursor.js';
import { loadRecipient, recipientId } from '../../operations/load-recipient.js';
import {
  createRecipient,
  deleteRecipient,
  replayFailed,
  replayRange,
  retryNow,
  setHeadAside,
  setPaused,
  updateRecipient,
} from '../../operations/recipient-actions.js';
import { listRecipientPage } from '../../operations/recipient-pages.js';
import {
  checkIntervals,
  parseRecipientInput,
  parseRecipientPatch,
} from '../../recipients/index.js';
import type { Recipient } from '../../types.js';
import { changedBy } from '../changed-by.js';
import { type Query, queryText } from '../list-query.js';
import {
  CREATE_RECIPIENT,
  DELETE_RECIPIENT,
  GET_RECIPIENT,
  LIST_RECIPIENTS,
  PAUSE_RECIPIENT,
  RECIPIENTS_PAGE,
  REPLAY_FAILED,
  REPLAY_RANGE,
  RESUME_RECIPIENT,
  RETRY_HEAD,
  SET_HEAD_ASIDE,
  UPDATE_RECIPIENT,
} from '../openapi/recipients.js';
import { listedRecipientJson } from '../recipient-json.js';
import { showRecipient } from '../recipient-view.js';

export function recipientRoutes(app: FastifyInstance, ctx: OperationsContext): void {
  app.get('/api/v1/recipients', LIST_RECIPIENTS, async (request) => {
    const q = request.query as Query;
    const limit = parseLimit(q.limit, RECIPIENTS_PAGE.default, RECIPIENTS_PAGE.max);
    const [page, stats] = await Promise.all([
      listRecipientPage(ctx, limit, queryText(q, 'cursor')),
      ctx.store.laneStats(),
    ]);
    const byId = new Map(stats.map((s) => [s.recipientId, s]));
    const now = ctx.clock();
    return {
      // The list masks URLs' credentials and header values (a list is shown, logged, pasted);
      // GET …/{id} gives them in full, which an edit round trip needs.
      recipients: page.recipients.map((r) =>
        listedRecipientJson(r, byId.get(r.id), ctx.dispatcher.laneStatus(r.id), now),
      ),
      next_cursor: page.next,
    };
  });

  app.post('/api/v1/recipients', CREATE_RECIPIENT, async (request, reply) => {
    const created = await createRecipient(
      ctx,
      parseRecipientInput(request.body),
      changedBy(request),
    );
    return reply.status(201).send(await withWarnings(ctx, created));
  });

  app.get('/api/v1/recipients/:id', GET_RECIPIENT, async (request) =>
    showRecipient(ctx, await loadRecipient(ctx, request.params)),
  );

  app.patch('/api/v1/recipients/:id', UPDATE_RECIPIENT, async (request) => {
    const current = await loadRecipient(ctx, request.params);
    const patch = parseRecipientPatch(request.body, current, ctx.clock());
    checkIntervals({ ...current, ...patch });
    const updated = await updateRecipient(ctx, current.id, patch, changedBy(request));
    return patch.url === undefined ? showRecipient(ctx, updated) : withWarnings(ctx, updated);
  });

  app.delete('/api/v1/recipients/:id', DELETE_RECIPIENT, async (request, reply) => {
    await deleteRecipient(ctx, recipientId(request.params), changedBy(request));
    return reply.status(204).send();
  });

  const paused = (value: boolean) => async (request: FastifyRequest) => {
    const current = await loadRecipient(ctx, request.params);
    return showRecipient(ctx, await setPaused(ctx, current.id, value, changedBy(request)));
  };
  app.post('/api/v1/recipients/:id/pause', PAUSE_RECIPIENT, paused(true));
  app.post('/api/v1/recipients/:id/resume', RESUME_RECIPIENT, paused(false));

  app.post('/api/v1/recipients/:id/retry', RETRY_HEAD, async (request) => {
    const recipient = await loadRecipient(ctx, request.params);
    return { retried: await retryNow(ctx, recipient.id, changedBy(request)) };
  });

  app.post('/api/v1/recipients/:id/set-aside', SET_HEAD_ASIDE, async (request) => {
    const recipient = await loadRecipient(ctx, request.params);
    return { setAside: await setHeadAside(ctx, recipient.id, changedBy(request)) };
  });

  app.post('/api/v1/recipients/:id/replay', REPLAY_FAILED, async (request) => {
    const recipient = await loadRecipient(ctx, request.params);
    const seqs = replaySeqs(request.body);
    return { replayed: await replayFailed(ctx, recipient.id, seqs, changedBy(request)) };
  });

  app.post('/api/v1/recipients/:id/replay-range', REPLAY_RANGE, async (request) => {
    const recipient = await loadRecipient(ctx, request.params);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const from = instant(body.from, 'from');
    const to = instant(body.to, 'to');
    if (to < from) throw badRequest('to must not be before from', 'to');
    return { replayed: await replayRange(ctx, recipient.id, from, to, changedBy(request)) };
  });
}

/** The recipient as shown, with `warnings` when deliveries to its URL would be refused now. */
async function withWarnings(ctx: OperationsContext, recipient: Recipient) {
  const [shown, warnings] = await Promise.all([
    showRecipient(ctx, recipient),
    recipient.kind === 'email'
      ? []
      : destinationWarnings(ctx.destinations ?? DestinationPolicy.DEFAULT, recipient.url),
  ]);
  return warnings.length === 0 ? shown : { ...shown, warnings };
}

function replaySeqs(body: unknown): number[] | undefined {
  if (body === undefined || body === null) return undefined;
  const seqs = (body as { seqs?: unknown }).seqs;
  if (seqs === undefined) return undefined;
  if (!Array.isArray(seqs) || !seqs.every((s) => Number.isSafeInteger(s) && s > 0)) {
    throw badRequest('seqs must be an array of delivery seq numbers', 'seqs');
  }
  return seqs as number[];
}

/** An ISO 8601 time or Unix seconds, as milliseconds. */
function instant(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value * 1000;
  if (typeof value === 'string' && value !== '') {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  throw badRequest(`${field} must be an ISO 8601 time or Unix seconds`, field);
}
