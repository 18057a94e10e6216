import type { FastifyInstance } from 'fastify';
import { FORM_CONTENT_TYPE, formFields } from '../../events/index.js';
import { badRequest } from '../../http/http-error.js';
import type { OperationsContext } from '../../operations/context.js';
import { toNewEvent } from '../../operations/new-event.js';
import type { NewEvent } from '../../types.js';
import { sendIdempotent } from '../idempotency.js';
import { SUBMIT_EVENTS } from '../openapi/events.js';

/** Most events in one bulk request. */
export const MAX_BULK = 10_000;

export function eventRoutes(app: FastifyInstance, ctx: OperationsContext): void {
  app.post('/api/v1/events', SUBMIT_EVENTS, async (request, reply) => {
    const body = request.body;
    // A string body is a form only when sent as one: a JSON string is no event.
    const contentType = request.headers['content-type'] ?? '';
    const form =
      typeof body === 'string' &&
      contentType.trimStart().toLowerCase().startsWith(FORM_CONTENT_TYPE);
    return sendIdempotent(
      ctx,
      request,
      reply,
      async (rememberAs) => {
        const events = readEvents(body, form, ctx.clock());
        const answer = { status: 202, body: { ids: events.map((e) => e.uid) } };
        // The key is committed in the same transaction as the events (group commit).
        await ctx.ingest.submit(events, rememberAs?.(answer));
        return answer;
      },
      form,
    );
  });
}

/** The request's events, validated: a form, a JSON object or a JSON array of them. */
function readEvents(body: unknown, form: boolean, now: number): NewEvent[] {
  if (form) return [toNewEvent(formFields(body as string), now, undefined, 'form')];
  if (Array.isArray(body)) {
    if (body.length === 0) throw badRequest('the array holds no events');
    if (body.length > MAX_BULK) throw badRequest(`at most ${MAX_BULK} events per request`);
    return body.map((item, i) => toNewEvent(item, now, `[${i}]`));
  }
  if (body === undefined || body === null) {
    throw badRequest(
      'the body must be a schema-1 event (JSON object or form) or a JSON array of them',
    );
  }
  return [toNewEvent(body, now)];
}
