import type { FastifyInstance } from 'fastify';
import type { OperationsContext } from '../../operations/context.js';
import { splitSessionKey, startSessionWithKey } from '../../operations/session-keys.js';
import { findSession, startSession, stepSession } from '../../operations/sessions.js';
import {
  parseAttributes,
  parseChat,
  parseExternalKey,
  parseFileTransfer,
  parseMemberId,
  parseNewMember,
  parseNewSession,
  parseNote,
  parseOwner,
  parseSurvey,
  type SessionAction,
  SessionError,
  type SessionRecord,
} from '../../sessions/index.js';
import {
  ADD_MEMBER,
  CHAT,
  END_SESSION,
  FILE_TRANSFER,
  GET_SESSION,
  NOTE,
  REMOVE_MEMBER,
  SET_ATTRIBUTES,
  SET_EXTERNAL_KEY,
  START_SESSION,
  SURVEY,
  TRANSFER_SESSION,
} from '../openapi/sessions.js';
import { sessionJson } from './session-json.js';

export { sessionJson } from './session-json.js';

/** The route parameters, typed for the handlers (documented in ../openapi/sessions.ts). */
interface ByLsid {
  Params: { lsid: string };
}

/** The sessions API (CONTRACT §5): input checked here, each step in src/operations/sessions.ts. */
export function sessionRoutes(app: FastifyInstance, ctx: OperationsContext): void {
  const show = (record: SessionRecord) => sessionJson(record, ctx.clock());
  const step = async (lsid: string, action: SessionAction) =>
    show((await stepSession(ctx, lsid, action)).session);

  app.post('/api/v1/sessions', START_SESSION, async (request, reply) => {
    // A key from the Command API's generate_session_key brings its external key and queue.
    const { sessionKey, rest } = splitSessionKey(request.body);
    const input = parseNewSession(rest);
    const lsid =
      sessionKey === undefined
        ? await startSession(ctx, input)
        : await startSessionWithKey(ctx, sessionKey, input);
    return reply.status(201).send({ lsid });
  });

  app.get<ByLsid>('/api/v1/sessions/:lsid', GET_SESSION, async (request) => {
    return show(await findSession(ctx, request.params.lsid));
  });

  app.put<ByLsid>('/api/v1/sessions/:lsid/external-key', SET_EXTERNAL_KEY, async (request) => {
    const externalKey = parseExternalKey(request.body);
    return step(request.params.lsid, { kind: 'external-key', externalKey });
  });

  app.put<ByLsid>('/api/v1/sessions/:lsid/attributes', SET_ATTRIBUTES, async (request) => {
    // external_key among them is the session's external key, as the Command API takes it.
    const { external_key: externalKey, ...values } = parseAttributes(request.body);
    const action: SessionAction = { kind: 'attributes', values };
    if (externalKey !== undefined) {
      action.externalKey =
        externalKey === '' ? '' : parseExternalKey({ external_key: externalKey });
    }
    return step(request.params.lsid, action);
  });

  app.post<ByLsid>('/api/v1/sessions/:lsid/owner', TRANSFER_SESSION, async (request) => {
    const owner = parseOwner(request.body);
    return step(request.params.lsid, { kind: 'owner', owner });
  });

  app.post<ByLsid>('/api/v1/sessions/:lsid/members', ADD_MEMBER, async (request, reply) => {
    const joining = parseNewMember(request.body);
    const done = await stepSession(ctx, request.params.lsid, { kind: 'add-member', ...joining });
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
      return step(lsid, { kind: 'remove-member', memberId });
    },
  );

  app.post<ByLsid>('/api/v1/sessions/:lsid/chat', CHAT, async (request) => {
    return step(request.params.lsid, { kind: 'chat', ...parseChat(request.body) });
  });

  app.post<ByLsid>('/api/v1/sessions/:lsid/notes', NOTE, async (request) => {
    return step(request.params.lsid, { kind: 'note', ...parseNote(request.body) });
  });

  app.post<ByLsid>('/api/v1/sessions/:lsid/files', FILE_TRANSFER, async (request) => {
    return step(request.params.lsid, { kind: 'file', ...parseFileTransfer(request.body) });
  });

  app.post<ByLsid>('/api/v1/sessions/:lsid/end', END_SESSION, async (request) => {
    return step(request.params.lsid, { kind: 'end' });
  });

  for (const party of ['customer', 'representative'] as const) {
    app.post<ByLsid>(`/api/v1/sessions/:lsid/surveys/${party}`, SURVEY[party], async (request) => {
      return step(request.params.lsid, { kind: 'survey', party, ...parseSurvey(request.body) });
    });
  }
}
