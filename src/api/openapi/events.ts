import { describeRoute, ref } from './describe.js';

/** POST /api/v1/events */
export const SUBMIT_EVENTS = describeRoute({
  operationId: 'submitEvents',
  summary: 'Accept one event, or an array of them, durably',
  body: {
    content: {
      'application/json': { oneOf: [ref('Event'), { type: 'array', items: ref('Event') }] },
      'application/x-www-form-urlencoded': ref('Event'),
    },
  },
  responses: {
    202: {
      description: 'Stored durably',
      schema: { type: 'object', properties: { ids: { type: 'array', items: { type: 'string' } } } },
    },
  },
  errors: [400, 401, 413, 415, 503],
});
