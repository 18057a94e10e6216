import { describeRoute, jsonBody, ref } from './describe.js';
import { NEXT_CURSOR, pageQuery } from './events.js';

const iso = { type: ['string', 'null'], format: 'date-time' };

const delivery = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    eventId: { type: 'string' },
    event: { type: 'string' },
    lsid: { type: 'string' },
    state: { enum: ['pending', 'delivered', 'failed'] },
    attemptCount: { type: 'integer' },
    acceptedAt: iso,
    firstFailedAt: iso,
    nextAttemptAt: iso,
    lastAttemptAt: iso,
    lastStatus: { type: ['integer', 'null'] },
    lastError: { type: ['string', 'null'] },
    deliveredAt: iso,
    failedAt: iso,
    failedAttempts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          n: { type: 'integer' },
          at: iso,
          status: { type: ['integer', 'null'] },
          errorCode: { type: ['string', 'null'] },
          error: { type: ['string', 'null'] },
          latencyMs: { type: ['number', 'null'] },
          snippet: { type: ['string', 'null'] },
        },
      },
    },
  },
};

export const LIST_DELIVERIES = describeRoute({
  operationId: 'listDeliveries',
  summary:
    'Deliveries (pending head first; delivered and failed newest first) with failed attempts',
  description:
    'Cursor-paged: pass `next_cursor` as `cursor` for the next page (null on the last). `state=pending` walks the queue from its head, in the order it will be sent (deliveries queued meanwhile come on later pages); otherwise newest first, and deliveries queued meanwhile do not appear in the walk. `before` (a seq) is the older way to page newest first; its answer carries a `next_cursor` too. `cursor` with `before`: 400.',
  params: { id: { type: 'integer', minimum: 1 } },
  query: {
    state: { enum: ['pending', 'delivered', 'failed'] },
    limit: { type: 'integer', default: 50, minimum: 1, maximum: 500 },
    before: {
      type: 'integer',
      description:
        'Page: seq below this, newest first (the older way to page; `cursor` is preferred)',
    },
    cursor: pageQuery({ default: 50, max: 500 }).cursor,
  },
  responses: {
    200: {
      description: 'Deliveries',
      schema: {
        type: 'object',
        properties: {
          deliveries: { type: 'array', items: delivery },
          next_cursor: NEXT_CURSOR,
        },
      },
    },
  },
  errors: [400, 401, 404],
});

export const SEND_TEST_EVENT = describeRoute({
  operationId: 'sendTestEvent',
  summary: 'Queue a test event (the body, or a default one) for this recipient only',
  params: { id: { type: 'integer', minimum: 1 } },
  body: jsonBody(ref('Event')),
  responses: {
    202: {
      description: 'Queued',
      schema: { type: 'object', properties: { ids: { type: 'array', items: { type: 'string' } } } },
    },
  },
  errors: [400, 401, 404, 409],
});
