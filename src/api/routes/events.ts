import type { FastifyInstance } from 'fastify';
import {
  EventValidationError,
  encodeEvent,
  FORM_CONTENT_TYPE,
  formFields,
  type ValidateOptions,
  validateEvent,
} from '../../events/index.js';
import { newEventUid } from '../../ids.js';
import type { NewEvent } from '../../types.js';
import type { ApiContext } from '../context.js';
import { badRequest } from '../http-error.js';

/** Most events in one bulk request. */
export const MAX_BULK = 10_000;

/**
 * Validates one event (a JSON object, or with `source: 'form'` a form's fields) into what the
 * store keeps.
 */
export function toNewEvent(
  input: unknown,
  now: number,
  field?: string,
  source: ValidateOptions['source'] = 'json',
): NewEvent {
  let event: ReturnType<typeof validateEvent>;
  try {
    event = validateEvent(input, { defaultTimestamp: () => Math.floor(now / 1000), source });
  } catch (error) {
    if (error instanceof EventValidationError && field !== undefined) {
      const where = error.field === undefined ? field : `${field}.${error.field}`;
      throw badRequest(`${field}: ${error.message}`, where);
    }
    throw error;
  }
  return {
    uid: newEventUid(now),
    name: event.event,
    lsid: event.lsid,
    externalKey: event.external_key ?? null,
    timestamp: event.timestamp,
    body: encodeEvent(event),
  };
}

export function eventRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post('/api/v1/events', async (request, reply) => {
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
    await ctx.committer.submit(events);
    return reply.status(202).send({ ids: events.map((e) => e.uid) });
  });
}
