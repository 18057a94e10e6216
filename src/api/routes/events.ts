import type { FastifyInstance } from 'fastify';
import { FORM_CONTENT_TYPE, formFields, isEventName } from '../../events/index.js';
import { badRequest } from '../../http/http-error.js';
import type { OperationsContext } from '../../operations/context.js';
import { parseLimit } from '../../operations/cursor.js';
import { type EventFilters, eventWithDeliveries, listEvents } from '../../operations/events.js';
import { toNewEvent } from '../../operations/new-event.js';
import type { NewEvent } from '../../types.js';
import { eventDetailJson, eventSummaryJson } from '../event-json.js';
import { sendIdempotent } from '../idempotency.js';
import { type Query, queryText, queryTime } from '../list-query.js';
import { EVENTS_PAGE, GET_EVENT, LIST_EVENTS, SUBMIT_EVENTS } from '../openapi/events.js';

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

  app.get('/api/v1/events', LIST_EVENTS, async (request) => {
    const q = request.query as Query;
    const filters: EventFilters = {};
    const lsid = queryText(q, 'lsid');
    if (lsid !== undefined) filters.lsid = lsid;
    const externalKey = queryText(q, 'external_key');
    if (externalKey !== undefined) filters.externalKey = externalKey;
    const type = queryText(q, 'type');
    if (type !== undefined) {
      if (!isEventName(type)) throw badRequest(`type: unknown event "${type}"`, 'type');
      filters.name = type;
    }
    const since = queryTime(q, 'since');
    if (since !== undefined) filters.since = since;
    const until = queryTime(q, 'until');
    if (until !== undefined) filters.until = until;
    const limit = parseLimit(q.limit, EVENTS_PAGE.default, EVENTS_PAGE.max);
    const page = await listEvents(ctx, filters, limit, queryText(q, 'cursor'));
    return {
      events: page.events.map(({ event, deliveries }) => eventSummaryJson(event, deliveries)),
      next_cursor: page.next,
    };
  });

  app.get<{ Params: { id: string } }>('/api/v1/events/:id', GET_EVENT, async (request) => {
    return eventDetailJson(await eventWithDeliveries(ctx, request.params.id));
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
