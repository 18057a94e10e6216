import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OperationsContext } from '../../operations/context.js';
import type { Answer } from '../../operations/idempotency.js';
import { splitSessionKey, startSessionWithKey } from '../../operations/session-keys.js';
import {
  findSession,
  type RememberStep,
  startSession,
  stepSession,
} from '../../operations/sessions.js';
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
import { sendIdempotent } from '../idempotency.js';
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

/** A step's outcome, as the store hands it to the Idempotency-Key's answer. */
type Done = { session: SessionRecord; result: number | undefined };

/**
 * The sessions API (CONTRACT §5): input checked here, each step in src/operations/sessions.ts.
 * Every call that records a step takes an Idempotency-Key (../idempotency.ts): its answer is
 * made inside the step's transaction and stored with it.
 */
export function sessionRoutes(app: FastifyInstance, ctx: OperationsContext): void {
  const show = (record: SessionRecord) => sessionJson(record, ctx.clock());
  const shown = (done: Done): Answer => ({ status: 200, body: show(done.session) });

  /**
   * Runs `perform` once per Idempotency-Key. With a key, the answer is `answerOf` the step's
   * outcome, made in its transaction and stored with it; without, what `perform` answers.
   */
  const once = (
    request: FastifyRequest,
    reply: FastifyReply,
    perform: (remember: RememberStep | undefined) => Promise<Answer>,
    answerOf: (done: Done) => Answer,
  ) =>
    sendIdempotent(ctx, request, reply, async (rememberAs) => {
      let answer: Answer | undefined;
      const remember =
        rememberAs &&
        ((done: Done) => {
          answer = answerOf(done);
          return rememberAs(answer);
        });
      const answered = await perform(remember);
      return answer ?? answered;
    });
  const step = (
    request: FastifyRequest<ByLsid>,
    reply: FastifyReply,
    action: () => SessionAction,
    answerOf: (done: Done) => Answer = shown,
  ) =>
    once(
      request,
      reply,
      async (remember) => answerOf(await stepSession(ctx, request.params.lsid, action(), remember)),
      answerOf,
    );

  app.post('/api/v1/sessions', START_SESSION, async (request, reply) =>
    once(
      request,
      reply,
      async (remember) => {
        // A key from the Command API's generate_session_key brings its external key and queue.
        const { sessionKey, rest } = splitSessionKey(request.body);
        const input = parseNewSession(rest);
        const lsid =
          sessionKey === undefined
            ? await startSession(ctx, input, undefined, remember)
            : await startSessionWithKey(ctx, sessionKey, input, remember);
        return { status: 201, body: { lsid } };
      },
      (done) => ({ status: 201, body: { lsid: done.session.state.lsid } }),
    ),
  );

  app.get<ByLsid>('/api/v1/sessions/:lsid', GET_SESSION, async (request) => {
    return show(await findSession(ctx, request.params.lsid));
  });

  app.put<ByLsid>('/api/v1/sessions/:lsid/external-key', SET_EXTERNAL_KEY, (request, reply) =>
    step(request, reply, () => ({
      kind: 'external-key',
      externalKey: parseExternalKey(request.body),
    })),
  );

  app.put<ByLsid>('/api/v1/sessions/:lsid/attributes', SET_ATTRIBUTES, (request, reply) =>
    step(request, reply, () => {
      // external_key among them is the session's external key, as the Command API takes it.
      const { external_key: externalKey, ...values } = parseAttributes(request.body);
      const action: SessionAction = { kind: 'attributes', values };
      if (externalKey !== undefined) {
        action.externalKey =
          externalKey === '' ? '' : parseExternalKey({ external_key: externalKey });
      }
      return action;
    }),
  );

  app.post<ByLsid>('/api/v1/sessions/:lsid/owner', TRANSFER_SESSION, (request, reply) =>
    step(request, reply, () => ({ kind: 'owner', owner: parseOwner(request.body) })),
  );

  app.post<ByLsid>('/api/v1/sessions/:lsid/members', ADD_MEMBER, (request, reply) =>
    step(
      request,
      reply,
      () => ({ kind: 'add-member', ...parseNewMember(request.body) }),
      (done) => ({ status: 201, body: { memberId: done.result } }),
    ),
  );

  app.delete<{ Params: { lsid: string; memberId: string } }>(
    '/api/v1/sessions/:lsid/members/:memberId',
    REMOVE_MEMBER,
    (request, reply) =>
      once(
        request,
        reply,
        async (remember) => {
          const { lsid, memberId: raw } = request.params;
          const memberId = parseMemberId(raw);
          if (memberId === undefined) {
            // Still 404 for an unknown session: the session is what the caller got wrong first.
            await findSession(ctx, lsid);
            throw new SessionError('MEMBER_NOT_FOUND', `session ${lsid} has no member "${raw}"`);
          }
          return shown(await stepSession(ctx, lsid, { kind: 'remove-member', memberId }, remember));
        },
        shown,
      ),
  );

  app.post<ByLsid>('/api/v1/sessions/:lsid/chat', CHAT, (request, reply) =>
    step(request, reply, () => ({ kind: 'chat', ...parseChat(request.body) })),
  );

  app.post<ByLsid>('/api/v1/sessions/:lsid/notes', NOTE, (request, reply) =>
    step(request, reply, () => ({ kind: 'note', ...parseNote(request.body) })),
  );

  app.post<ByLsid>('/api/v1/sessions/:lsid/files', FILE_TRANSFER, (request, reply) =>
    step(request, reply, () => ({ kind: 'file', ...parseFileTransfer(request.body) })),
  );

  app.post<ByLsid>('/api/v1/sessions/:lsid/end', END_SESSION, (request, reply) =>
    step(request, reply, () => ({ kind: 'end' })),
  );

  for (const party of ['customer', 'representative'] as const) {
    app.post<ByLsid>(`/api/v1/sessions/:lsid/surveys/${party}`, SURVEY[party], (request, reply) =>
      step(request, reply, () => ({ kind: 'survey', party, ...parseSurvey(request.body) })),
    );
  }
}
