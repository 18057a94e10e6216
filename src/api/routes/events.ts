import type { FastifyInstance } from 'fastify';
import {
  EventValidationError,
  encodeEvent,
  formFields,
  validateEvent,
} from '../../events/index.js';
import { newEventUid } from '../../ids.js';
import type { NewEvent } from '../../types.js';
import type { ApiContext } from '../context.js';
import { badRequest } from '../http-error.js';

/** Most events in one bulk request. */
export const MAX_BULK = 10_000;

/** Validates one event (JSON object or form fields) into what the store keeps. */
export function toNewEvent(input: unknown, now: number, field?: string): NewEvent {
  let event: ReturnType<typeof validateEvent>;
  try {
    event = validateEvent(input, { defaultTimestamp: () => Math.floor(now / 1000) });
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
    if (typeof body === 'string') {
      events = [toNewEvent(formFields(body), now)];
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
