import { describeRoute, jsonBody, type RouteDescription, ref } from './describe.js';
import { IDEMPOTENCY_KEY_HEADER } from './events.js';
import {
  ATTRIBUTES_BODY,
  CHAT_BODY,
  FILE_BODY,
  NOTE_BODY,
  SURVEY_BODY,
} from './session-schemas.js';

const session = ref('Session');
const lsid = { lsid: { type: 'string' } };
/** 409 and 422 also for an Idempotency-Key in flight or reused. */
const ERRORS = [400, 401, 404, 409, 413, 422];

/** A step that answers the session after it; nothing is emitted when refused. */
const step = (
  operationId: string,
  summary: string,
  extra: Pick<RouteDescription, 'params' | 'body'> = {},
) =>
  describeRoute({
    operationId,
    summary: `${summary}. Nothing is emitted when refused.`,
    params: lsid,
    headers: IDEMPOTENCY_KEY_HEADER,
    ...extra,
    responses: { 200: { description: 'The session after the step', schema: session } },
    errors: ERRORS,
  });

/** Sessions emit the events themselves, in a valid order (CONTRACT §5). */
export const START_SESSION = describeRoute({
  operationId: 'startSession',
  summary: 'Start a session: emits begin, then owner_changed (to General unless `owner`)',
  headers: IDEMPOTENCY_KEY_HEADER,
  body: jsonBody({
    type: 'object',
    properties: {
      external_key: { type: 'string' },
      owner: ref('Owner'),
      session_key: {
        type: 'string',
        pattern: '^[0-9]{7}$',
        description:
          "A key from the Command API's generate_session_key, used once before it expires: the session takes its external key and queue (as owner) unless the body gives them.",
      },
    },
    additionalProperties: false,
  }),
  responses: {
    201: {
      description: 'Started',
      schema: { type: 'object', properties: { lsid: { type: 'string' } } },
    },
  },
  errors: [400, 401, 409, 422],
});

export const GET_SESSION = describeRoute({
  operationId: 'getSession',
  summary:
    'A session and everything its report shows: owner, members with their details, gsnumber and seconds involved, primary customer and representative, external key, custom attributes, chat, notes, files, surveys with answers, detail events, lseq, start and end',
  params: lsid,
  responses: { 200: { description: 'The session', schema: session } },
  errors: [401, 404],
});

export const SET_EXTERNAL_KEY = step(
  'setSessionExternalKey',
  'Assign the external key: every later event carries it (no event of its own)',
  {
    body: jsonBody(
      {
        type: 'object',
        required: ['external_key'],
        properties: { external_key: { type: 'string' } },
        additionalProperties: false,
      },
      true,
    ),
  },
);

export const TRANSFER_SESSION = step(
  'transferSession',
  'Transfer the session: emits owner_changed',
  {
    body: jsonBody(ref('Owner'), true),
  },
);

export const ADD_MEMBER = describeRoute({
  operationId: 'addSessionMember',
  summary:
    'A member joins: emits member_added; `details` (optional) is what the reports show of them. Nothing is emitted when refused.',
  params: lsid,
  headers: IDEMPOTENCY_KEY_HEADER,
  body: jsonBody(ref('Member'), true),
  responses: {
    201: {
      description: 'Joined',
      schema: { type: 'object', properties: { memberId: { type: 'integer' } } },
    },
  },
  errors: ERRORS,
});

export const REMOVE_MEMBER = step(
  'removeSessionMember',
  'A member leaves: emits member_departed, then owner_changed when the primary representative left',
  { params: { ...lsid, memberId: { type: 'integer' } } },
);

export const END_SESSION = step(
  'endSession',
  'End: members still present depart (in join order), then end',
);

export const SURVEY = {
  customer: step(
    'submitCustomerSurvey',
    'The customer exit survey, with its answers if any: once, if a customer took part; also after the end',
    { body: jsonBody(SURVEY_BODY) },
  ),
  representative: step(
    'submitRepresentativeSurvey',
    'The representative exit survey, with its answers if any: once, if a representative took part; also after the end',
    { body: jsonBody(SURVEY_BODY) },
  ),
};

export const SET_ATTRIBUTES = step(
  'setSessionAttributes',
  "Set custom attributes (defined code names only; '' clears one): a Custom Attribute Changed detail each, no event",
  { body: jsonBody(ATTRIBUTES_BODY, true) },
);

export const CHAT = step(
  'addSessionChatMessage',
  'A chat message from a present member, to one (`to`) or everyone: a Chat Message detail, no event',
  { body: jsonBody(CHAT_BODY, true) },
);

export const NOTE = step(
  'addSessionNote',
  'A session note by a present member: a Session Note Added detail, no event',
  { body: jsonBody(NOTE_BODY, true) },
);

export const FILE_TRANSFER = step(
  'addSessionFileTransfer',
  'A file a present member uploaded or downloaded: counted, and a File Upload/File Download detail, no event',
  { body: jsonBody(FILE_BODY, true) },
);
