import { EVENT_NAMES } from '../../events/index.js';
import { describeRoute, type JsonSchema, ref } from './describe.js';

/** The Idempotency-Key header, as every route that takes it documents it. */
export const IDEMPOTENCY_KEY_HEADER = {
  'Idempotency-Key': {
    type: 'string',
    minLength: 1,
    maxLength: 255,
    pattern: '^[\\x20-\\x7e]+$',
    description:
      'Optional; 1–255 printable ASCII characters (a UUID is a good key), scoped to the API token. The first successful answer is stored in the same transaction as what the request stores; the same key with the same request (method, path, body with its members in any order) within 24 h gets that answer again, with `Idempotent-Replayed: true`, and stores nothing. The same key with another request: 422 `idempotency_key_reused`. While the first request with the key is still being handled: 409 `idempotency_key_in_flight` (retry; it is then replayed). Refusals (4xx) and failures (5xx) are not stored: a corrected request may reuse the key. Keys are forgotten after 24 h.',
  },
};

/** How many events a page of GET /api/v1/events holds. */
export const EVENTS_PAGE = { default: 50, max: 500 };

/** `limit`, `cursor` of a cursor-paged listing. */
export function pageQuery(page: { default: number; max: number }) {
  return {
    limit: {
      type: 'integer',
      default: page.default,
      minimum: 1,
      maximum: page.max,
      description: `Items per page (default ${page.default}, at most ${page.max})`,
    },
    cursor: {
      type: 'string',
      description:
        'The `next_cursor` of the previous page, as given (opaque). A damaged cursor, one of another listing or one used with other filters: 400 naming `cursor`',
    },
  };
}

const NEXT_CURSOR: JsonSchema = {
  type: ['string', 'null'],
  description: 'Pass as `cursor` for the next page; null on the last page',
};

const iso = { type: ['string', 'null'], format: 'date-time' };
const counts = {
  type: 'object',
  properties: {
    pending: { type: 'integer' },
    delivered: { type: 'integer' },
    failed: { type: 'integer' },
    total: { type: 'integer' },
  },
};
const summary = {
  id: { type: 'string', description: 'The event id (`evt_…`)' },
  type: { enum: [...EVENT_NAMES] },
  lsid: { type: 'string' },
  external_key: { type: ['string', 'null'] },
  created_at: { type: 'string', format: 'date-time', description: 'When it was accepted' },
  webhook_id: {
    type: 'string',
    description: 'The `webhook-id` header every delivery of it carries (the event id)',
  },
  deliveries: { ...counts, description: 'Its deliveries by state' },
};

/** POST /api/v1/events */
export const SUBMIT_EVENTS = describeRoute({
  operationId: 'submitEvents',
  summary: 'Accept one event, or an array of them, durably',
  headers: IDEMPOTENCY_KEY_HEADER,
  body: {
    content: {
      'application/json': { oneOf: [ref('Event'), { type: 'array', items: ref('Event') }] },
      'application/x-www-form-urlencoded': ref('Event'),
    },
  },
  responses: {
    202: {
      description:
        'Stored durably (or, with `Idempotent-Replayed: true`, the answer to the first request with this Idempotency-Key)',
      schema: { type: 'object', properties: { ids: { type: 'array', items: { type: 'string' } } } },
    },
  },
  errors: [400, 401, 409, 413, 415, 422, 503],
});

/** GET /api/v1/events */
export const LIST_EVENTS = describeRoute({
  operationId: 'listEvents',
  summary: 'Events accepted, newest first, filtered, with their deliveries by state',
  description:
    'Cursor-paged: each page gives `next_cursor`, null on the last. Events accepted while you page are newer than your first page and do not appear in that walk; none is skipped or repeated. Events are kept as long as the retention (OUTBOUND_RETENTION) keeps them.',
  query: {
    lsid: { type: 'string', description: 'Only this session’s events' },
    external_key: { type: 'string', description: 'Only events with this external key' },
    type: { enum: [...EVENT_NAMES], description: 'Only events of this name' },
    since: {
      type: 'string',
      format: 'date-time',
      description: 'Accepted at or after (ISO 8601 with a zone, or a date)',
    },
    until: {
      type: 'string',
      format: 'date-time',
      description: 'Accepted at or before (ISO 8601 with a zone, or a date)',
    },
    ...pageQuery(EVENTS_PAGE),
  },
  responses: {
    200: {
      description: 'A page of events',
      schema: {
        type: 'object',
        properties: {
          events: { type: 'array', items: { type: 'object', properties: summary } },
          next_cursor: NEXT_CURSOR,
        },
      },
    },
  },
  errors: [400, 401],
});

/** GET /api/v1/events/{id} */
export const GET_EVENT = describeRoute({
  operationId: 'getEvent',
  summary: 'One event: its body and its delivery to every recipient',
  params: {
    id: { type: 'string', description: 'The event id (`evt_…`) POST /api/v1/events gave' },
  },
  responses: {
    200: {
      description: 'The event',
      schema: {
        type: 'object',
        properties: {
          ...summary,
          timestamp: { type: 'integer', description: 'The event’s own time (Unix seconds)' },
          body: { type: 'string', description: 'The schema-1 body as stored (a form)' },
          custom_fields: {
            type: ['object', 'null'],
            additionalProperties: { type: 'string' },
            description: 'The session’s custom attributes when it happened',
          },
          recipients: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                recipient_id: { type: 'integer' },
                recipient_name: { type: ['string', 'null'] },
                state: { enum: ['pending', 'delivered', 'failed'] },
                attempts: { type: 'integer' },
                last_status: { type: ['integer', 'null'] },
                last_error: { type: ['string', 'null'] },
                last_attempt_at: iso,
                next_attempt_at: { ...iso, description: 'While pending' },
                delivered_at: iso,
                failed_at: { ...iso, description: 'When it was set aside' },
              },
            },
          },
        },
      },
    },
  },
  errors: [401, 404],
});

export { NEXT_CURSOR };
