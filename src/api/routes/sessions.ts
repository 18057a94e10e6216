import type { FastifyInstance } from 'fastify';
import type { OperationsContext } from '../../operations/context.js';
import { findSession, startSession, stepSession } from '../../operations/sessions.js';
import {
  parseExternalKey,
  parseMember,
  parseMemberId,
  parseNewSession,
  parseOwner,
  type SessionAction,
  SessionError,
  type SessionRecord,
} from '../../sessions/index.js';
import {
  ADD_MEMBER,
  END_SESSION,
  GET_SESSION,
  REMOVE_MEMBER,
  SET_EXTERNAL_KEY,
  START_SESSION,
  SURVEY,
  TRANSFER_SESSION,
} from '../openapi/sessions.js';

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

/** The route parameters, typed for the handlers (documented in ../openapi/sessions.ts). */
interface ByLsid {
  Params: { lsid: string };
}

/** The sessions API (CONTRACT §5): input checked here, each step in src/operations/sessions.ts. */
export function sessionRoutes(app: FastifyInstance, ctx: OperationsContext): void {
  const step = (lsid: string, action: SessionAction) => stepSession(ctx, lsid, action);

  app.post('/api/v1/sessions', START_SESSION, async (request, reply) => {
    const lsid = await startSession(ctx, parseNewSession(request.body));
    return reply.status(201).send({ lsid });
  });

  app.get<ByLsid>('/api/v1/sessions/:lsid', GET_SESSION, async (request) => {
    return sessionJson(await findSession(ctx, request.params.lsid));
  });

  app.put<ByLsid>('/api/v1/sessions/:lsid/external-key', SET_EXTERNAL_KEY, async (request) => {
    const externalKey = parseExternalKey(request.body);
    const lsid = request.params.lsid;
    return sessionJson((await step(lsid, { kind: 'external-key', externalKey })).session);
  });

  app.post<ByLsid>('/api/v1/sessions/:lsid/owner', TRANSFER_SESSION, async (request) => {
    const owner = parseOwner(request.body);
    const lsid = request.params.lsid;
    return sessionJson((await step(lsid, { kind: 'owner', owner })).session);
  });

  app.post<ByLsid>('/api/v1/sessions/:lsid/members', ADD_MEMBER, async (request, reply) => {
    const member = parseMember(request.body);
    const done = await step(request.params.lsid, { kind: 'add-member', member });
    return reply.status(201).send({ memberId: done.result });
  });

  app.delete<{ Params: { lsid: string; memberId: string } }>(
    '/api/v1/sessions/:lsid/members/:memberId',
    REMOVE_MEMBER,
    async (request) => {
      const { lsid, memberId: raw } = request.params;
      const memberId = parseMemberId(raw);
      if (memberId === undefined) {
        // Still 404 for an unknown session: the session is what the caller got wrong first.
        await findSession(ctx, lsid);
        throw new SessionError('MEMBER_NOT_FOUND', `session ${lsid} has no member "${raw}"`);
      }
      return sessionJson((await step(lsid, { kind: 'remove-member', memberId })).session);
    },
  );

  app.post<ByLsid>('/api/v1/sessions/:lsid/end', END_SESSION, async (request) => {
    return sessionJson((await step(request.params.lsid, { kind: 'end' })).session);
  });

  for (const party of ['customer', 'representative'] as const) {
    app.post<ByLsid>(`/api/v1/sessions/:lsid/surveys/${party}`, SURVEY[party], async (request) => {
      return sessionJson((await step(request.params.lsid, { kind: 'survey', party })).session);
    });
  }
}
