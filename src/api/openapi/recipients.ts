import { describeRoute, jsonBody, type RouteDescription, ref } from './describe.js';
import { NEXT_CURSOR, pageQuery } from './events.js';

const id = { id: { type: 'integer', minimum: 1 } };
const recipient = ref('Recipient');

/** A POST on one recipient that answers 200 with `response`. */
const action = (
  operationId: string,
  summary: string,
  response: object,
  body?: RouteDescription['body'],
) =>
  describeRoute({
    operationId,
    summary,
    params: id,
    ...(body === undefined ? {} : { body }),
    responses: { 200: { description: 'Done', schema: response as Record<string, unknown> } },
    errors: body === undefined ? [401, 404] : [400, 401, 404],
  });

/** How many recipients a page of GET /api/v1/recipients holds. */
export const RECIPIENTS_PAGE = { default: 100, max: 500 };

export const LIST_RECIPIENTS = describeRoute({
  operationId: 'listRecipients',
  summary: 'List recipients with their delivery status, in id order, a page at a time',
  description: `Each \`url\` is masked: a user-info password and the values of credential-like query parameters (names containing auth, key, token, secret, pass, cookie, signature…) read \`•••\`, and so does every extra header's value in \`headers\` (its name kept), so that a list can be shown, logged or pasted safely. \`GET /api/v1/recipients/{id}\` gives the full URL and header values (what an edit round trip needs). Cursor-paged: ${RECIPIENTS_PAGE.default} per page unless \`limit\` says otherwise (at most ${RECIPIENTS_PAGE.max}); \`next_cursor\` is null on the last page. A recipient added while you page comes on a later page; none is skipped or repeated.`,
  query: pageQuery(RECIPIENTS_PAGE),
  responses: {
    200: {
      description: 'Recipients, URLs and header values masked',
      schema: {
        type: 'object',
        properties: {
          recipients: { type: 'array', items: recipient },
          next_cursor: NEXT_CURSOR,
        },
      },
    },
  },
  errors: [400, 401],
});

export const CREATE_RECIPIENT = describeRoute({
  operationId: 'createRecipient',
  summary: 'Create a recipient',
  body: jsonBody(recipient, true),
  responses: { 201: { description: 'Created', schema: recipient } },
  errors: [400, 401, 409],
});

export const GET_RECIPIENT = describeRoute({
  operationId: 'getRecipient',
  summary: 'One recipient, with its full URL and header values (the list masks them)',
  params: id,
  responses: { 200: { description: 'The recipient', schema: recipient } },
  errors: [401, 404],
});

export const UPDATE_RECIPIENT = describeRoute({
  operationId: 'updateRecipient',
  summary: 'Change some fields',
  params: id,
  body: jsonBody(recipient, true),
  responses: { 200: { description: 'Updated', schema: recipient } },
  errors: [400, 401, 404, 409],
});

export const DELETE_RECIPIENT = describeRoute({
  operationId: 'deleteRecipient',
  summary: 'Delete with its queue and history',
  params: id,
  responses: { 204: { description: 'Deleted' } },
  errors: [401, 404],
});

export const PAUSE_RECIPIENT = action(
  'pauseRecipient',
  'Pause delivery (events keep being queued)',
  recipient,
);
export const RESUME_RECIPIENT = action('resumeRecipient', 'Resume delivery', recipient);

export const RETRY_HEAD = action('retryHead', 'Retry the head now', {
  type: 'object',
  properties: { retried: { type: 'boolean' } },
});

export const SET_HEAD_ASIDE = action('setHeadAside', 'Set the head aside as failed', {
  type: 'object',
  properties: { setAside: { type: 'integer' } },
});

const replayed = { type: 'object', properties: { replayed: { type: 'integer' } } };

export const REPLAY_FAILED = action(
  'replayFailed',
  'Queue failed deliveries again (all, or `seqs`)',
  replayed,
  jsonBody({
    type: 'object',
    properties: { seqs: { type: 'array', items: { type: 'integer', minimum: 1 } } },
  }),
);

export const REPLAY_RANGE = action(
  'replayRange',
  'Queue again every subscribed event accepted in [from, to] (ISO 8601 times or Unix seconds)',
  replayed,
  jsonBody(
    {
      type: 'object',
      required: ['from', 'to'],
      properties: { from: { type: ['string', 'number'] }, to: { type: ['string', 'number'] } },
    },
    true,
  ),
);
