import type { FastifyInstance } from 'fastify';
import { FORM_CONTENT_TYPE, formFields } from '../../events/index.js';
import { badRequest } from '../../http/http-error.js';
import type { OperationsContext } from '../../operations/context.js';
import { toNewEvent } from '../../operations/new-event.js';
import type { NewEvent } from '../../types.js';
import { SUBMIT_EVENTS } from '../openapi/events.js';

/** Most events in one bulk request. */
export const MAX_BULK = 10_000;

export function eventRoutes(app: FastifyInstance, ctx: OperationsContext): void {
  app.post('/api/v1/events', SUBMIT_EVENTS, async (request, reply) => {
    const now = ctx.clock();
    const body = request.body;
    let events: NewEvent[];
    // A string body is a form only when sent as one: a JSON string is no event.
    const contentType = request.headers['content-type'] ?? '';
    if (
      typeof body === 'string' &&
      contentType.trimStart().toLowerCase().startsWith(FORM_CONTENT_TYPE)
    ) {
      events = [toNewEvent(formFields(body), now, undefined, 'form')];
    } else if (Array.isArray(body)) {
      if (body.length === 0) throw badRequest('the array holds no events');
      if (body.length > MAX_BULK) throw badRequest(`at most ${MAX_BULK} events per request`);
      events = body.map((item, i) => toNewEvent(item, now, `[${i}]`));
    } else if (body === undefined || body === null) {
      throw badRequest(
        'the body must be a schema-1 event (JSON object or form) or a JSON array of them',
      );
    } else {
      events = [toNewEvent(body, now)];
    }
    await ctx.ingest.submit(events);
    return reply.status(202).send({ ids: events.map((e) => e.uid) });
  });
}
