import type { FastifyInstance } from 'fastify';
import {
  applyAction,
  createSession,
  newLsid,
  parseExternalKey,
  parseMember,
  parseMemberId,
  parseNewSession,
  parseOwner,
  type SessionAction,
  SessionError,
  type SessionOutcome,
  type SessionRecord,
  sessionNotFound,
} from '../../sessions/index.js';
import type { SessionChangeResult } from '../../store/store.js';
import type { ApiContext } from '../context.js';
import { HttpError, notFound } from '../http-error.js';
import { toNewEvent } from './events.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** GET's answer, and that of every change that creates nothing. */
export function sessionJson(record: SessionRecord) {
  const { state } = record;
  return {
    lsid: state.lsid,
    external_key: state.externalKey,
    owner: state.owner,
    ended: state.ended,
    members: state.members.map((m) => ({ memberId: m.id, ...m.member, present: m.present })),
    surveys: state.surveys,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    endedAt: iso(record.endedAt),
  };
}

const lsidOf = (params: unknown) => (params as { lsid: string }).lsid;

/**
 * The sessions API (CONTRACT §5): each call is one step of the session rules, and its events
 * are committed in the same transaction as the session's new state.
 */
export function sessionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  /**
   * Runs one step of the rules on the stored session (`timestamp`: Unix seconds for its
   * events) and commits the outcome; a refused step stores nothing.
   */
  const change = async (
    lsid: string,
    outcome: (current: SessionRecord | undefined, timestamp: number) => SessionOutcome,
  ) => {
    const now = ctx.clock();
    const timestamp = Math.floor(now / 1000);
    let done: SessionChangeResult<number | undefined>;
    try {
      done = await ctx.store.changeSession(
        lsid,
        (current) => {
          const { state, events, memberId } = outcome(current, timestamp);
          return { state, events: events.map((e) => toNewEvent(e, now)), result: memberId };
        },
        now,
      );
    } catch (error) {
      if (error instanceof SessionError) throw new HttpError(error.status, error.message);
      throw error;
    }
    try {
      if (done.recipientIds.length > 0) ctx.dispatcher.wake(done.recipientIds);
    } catch {
      // A failed wake-up must not fail a committed change: the sweep picks the work up.
    }
    return done;
  };
  const step = (lsid: string, action: SessionAction) =>
    change(lsid, (current, timestamp) => {
      if (current === undefined) throw sessionNotFound(lsid);
      return applyAction(current.state, action, timestamp);
    });

  app.post('/api/v1/sessions', async (request, reply) => {
    const input = parseNewSession(request.body);
    const lsid = newLsid();
    await change(lsid, (current, timestamp) => {
      // 122 random bits do not collide; if they ever did, fail rather than merge sessions.
      if (current !== undefined) throw new Error(`lsid ${lsid} is taken`);
      return createSession(lsid, input, timestamp);
    });
    return reply.status(201).send({ lsid });
  });

  app.get('/api/v1/sessions/:lsid', async (request) => {
    const lsid = lsidOf(request.params);
    const record = await ctx.store.getSession(lsid);
    if (record === undefined) throw notFound(sessionNotFound(lsid).message);
    return sessionJson(record);
  });

  app.put('/api/v1/sessions/:lsid/external-key', async (request) => {
    const externalKey = parseExternalKey(request.body);
    const lsid = lsidOf(request.params);
    return sessionJson((await step(lsid, { kind: 'external-key', externalKey })).session);
  });

  app.post('/api/v1/sessions/:lsid/owner', async (request) => {
    const owner = parseOwner(request.body);
    const lsid = lsidOf(request.params);
    return sessionJson((await step(lsid, { kind: 'owner', owner })).session);
  });

  app.post('/api/v1/sessions/:lsid/members', async (request, reply) => {
    const member = parseMember(request.body);
    const done = await step(lsidOf(request.params), { kind: 'add-member', member });
    return reply.status(201).send({ memberId: done.result });
  });

  app.delete('/api/v1/sessions/:lsid/members/:memberId', async (request) => {
    const { lsid, memberId: raw } = request.params as { lsid: string; memberId: string };
    const memberId = parseMemberId(raw);
    if (memberId === undefined) {
      // Still 404 for an unknown session: the session is what the caller got wrong first.
      if ((await ctx.store.getSession(lsid)) === undefined) {
        throw notFound(sessionNotFound(lsid).message);
      }
      throw notFound(`session ${lsid} has no member "${raw}"`);
    }
    return sessionJson((await step(lsid, { kind: 'remove-member', memberId })).session);
  });

  app.post('/api/v1/sessions/:lsid/end', async (request) => {
    return sessionJson((await step(lsidOf(request.params), { kind: 'end' })).session);
  });

  for (const party of ['customer', 'representative'] as const) {
    app.post(`/api/v1/sessions/:lsid/surveys/${party}`, async (request) => {
      return sessionJson((await step(lsidOf(request.params), { kind: 'survey', party })).session);
    });
  }
}
