import type { FastifyInstance } from 'fastify';
import type { Recipient } from '../../types.js';
import type { ApiContext } from '../context.js';
import { badRequest, conflict, notFound } from '../http-error.js';
import {
  checkIntervals,
  parseRecipientInput,
  parseRecipientPatch,
  recipientJson,
} from '../recipient-json.js';

export function recipientId(params: unknown): number {
  const raw = (params as { id?: string }).id ?? '';
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound(`no recipient with id "${raw}"`);
  return id;
}

export async function loadRecipient(ctx: ApiContext, params: unknown): Promise<Recipient> {
  const id = recipientId(params);
  const recipient = await ctx.store.getRecipient(id);
  if (recipient === undefined) throw notFound(`no recipient with id ${id}`);
  return recipient;
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

export function recipientRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const show = async (recipient: Recipient) => {
    const stats = (await ctx.store.laneStats()).find((s) => s.recipientId === recipient.id);
    return recipientJson(recipient, stats, ctx.dispatcher.laneStatus(recipient.id), ctx.clock());
  };

  app.get('/api/v1/recipients', async () => {
    const [recipients, stats] = await Promise.all([
      ctx.store.listRecipients(),
      ctx.store.laneStats(),
    ]);
    const byId = new Map(stats.map((s) => [s.recipientId, s]));
    const now = ctx.clock();
    return {
      recipients: recipients.map((r) =>
        recipientJson(r, byId.get(r.id), ctx.dispatcher.laneStatus(r.id), now),
      ),
    };
  });

  app.post('/api/v1/recipients', async (request, reply) => {
    const input = parseRecipientInput(request.body);
    let created: Recipient;
    try {
      created = await ctx.store.createRecipient(input, ctx.clock());
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict(`a recipient named "${input.name}" already exists`, 'name');
      throw error;
    }
    await ctx.dispatcher.refresh(created.id);
    return reply.status(201).send(await show(created));
  });

  app.get('/api/v1/recipients/:id', async (request) =>
    show(await loadRecipient(ctx, request.params)),
  );

  app.patch('/api/v1/recipients/:id', async (request) => {
    const current = await loadRecipient(ctx, request.params);
    const patch = parseRecipientPatch(request.body, current, ctx.clock());
    checkIntervals({ ...current, ...patch });
    let updated: Recipient | undefined;
    try {
      updated = await ctx.store.updateRecipient(current.id, patch, ctx.clock());
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict(`a recipient named "${patch.name}" already exists`, 'name');
      throw error;
    }
    if (updated === undefined) throw notFound(`no recipient with id ${current.id}`);
    await ctx.dispatcher.refresh(updated.id);
    return show(updated);
  });

  app.delete('/api/v1/recipients/:id', async (request, reply) => {
    const id = recipientId(request.params);
    const deleted = await ctx.dispatcher.withLaneIdle(id, () => ctx.store.deleteRecipient(id));
    if (!deleted) throw notFound(`no recipient with id ${id}`);
    await ctx.dispatcher.refresh(id);
    return reply.status(204).send();
  });

  const setPaused = (paused: boolean) => async (request: { params: unknown }) => {
    const current = await loadRecipient(ctx, request.params);
    const updated = await ctx.store.updateRecipient(current.id, { paused }, ctx.clock());
    if (updated === undefined) throw notFound(`no recipient with id ${current.id}`);
    await ctx.dispatcher.refresh(updated.id);
    return show(updated);
  };
  app.post('/api/v1/recipients/:id/pause', setPaused(true));
  app.post('/api/v1/recipients/:id/resume', setPaused(false));

  app.post('/api/v1/recipients/:id/retry', async (request) => {
    const recipient = await loadRecipient(ctx, request.params);
    const retried = await ctx.dispatcher.withLaneIdle(recipient.id, () =>
      ctx.store.retryNow(recipient.id, ctx.clock()),
    );
    return { retried };
  });

  app.post('/api/v1/recipients/:id/set-aside', async (request) => {
    const recipient = await loadRecipient(ctx, request.params);
    const seq = await ctx.dispatcher.withLaneIdle(recipient.id, async () => {
      const [head] = await ctx.store.pendingDeliveries(recipient.id, 1);
      if (head === undefined) return null;
      await ctx.store.setAside(recipient.id, head.seq, ctx.clock());
      return head.seq;
    });
    if (seq === null) throw conflict('the queue is empty: there is no head event to set aside');
    return { setAside: seq };
  });

  app.post('/api/v1/recipients/:id/replay', async (request) => {
    const recipient = await loadRecipient(ctx, request.params);
    const seqs = replaySeqs(request.body);
    const replayed = await ctx.dispatcher.withLaneIdle(recipient.id, () =>
      ctx.store.replayFailed(recipient.id, ctx.clock(), seqs),
    );
    return { replayed };
  });

  app.post('/api/v1/recipients/:id/replay-range', async (request) => {
    const recipient = await loadRecipient(ctx, request.params);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const from = instant(body.from, 'from');
    const to = instant(body.to, 'to');
    if (to < from) throw badRequest('to must not be before from', 'to');
    const replayed = await ctx.dispatcher.withLaneIdle(recipient.id, () =>
      ctx.store.replayRange(recipient.id, from, to, ctx.clock()),
    );
    return { replayed };
  });
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
