import {
  anyEventJsonSchema,
  EVENT_NAMES,
  eventVariablesJsonSchema,
  NUMERIC_ID,
} from '../events/index.js';
import {
  RECIPIENT_DEFAULTS as D,
  MAX_ALERT_CONTACTS,
  MAX_HEADER_NAME_LENGTH,
  MAX_HEADER_VALUE_LENGTH,
  MAX_HEADERS,
  MAX_TIMEOUT_SECONDS,
  RESERVED_HEADERS,
} from '../recipients/index.js';

const error = { $ref: '#/components/schemas/Error' };
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const errors = {
  400: { description: 'Bad input; `message` and `field` name what is wrong', ...json(error) },
  401: { description: 'Missing, unknown or revoked API token', ...json(error) },
  404: { description: 'No such recipient', ...json(error) },
};
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }];
const action = (summary: string, response: object, body?: object) => ({
  post: {
    summary,
    parameters: idParam,
    ...(body ? { requestBody: json(body) } : {}),
    responses: { 200: { description: 'Done', ...json(response) }, ...errors },
  },
});

const session = { $ref: '#/components/schemas/Session' };
const lsidParam = { name: 'lsid', in: 'path', required: true, schema: { type: 'string' } };
const sessionErrors = {
  400: errors[400],
  401: errors[401],
  404: { description: 'No such session (or member)', ...json(error) },
  409: {
    description: 'A step that cannot happen: the session has ended, the member already left…',
    ...json(error),
  },
};
const sessionStep = (summary: string, body?: object, extra: object[] = []) => ({
  summary: `${summary}. Nothing is emitted when refused.`,
  parameters: [lsidParam, ...extra],
  ...(body ? { requestBody: { required: true, ...json(body) } } : {}),
  responses: {
    200: { description: 'The session after the step', ...json(session) },
    ...sessionErrors,
  },
});

/** Sessions emit the events themselves, in a valid order (CONTRACT §5). */
const SESSION_PATHS = {
  '/api/v1/sessions': {
    post: {
      summary: 'Start a session: emits begin, then owner_changed (to General unless `owner`)',
      requestBody: json({
        type: 'object',
        properties: {
          external_key: { type: 'string' },
          owner: { $ref: '#/components/schemas/Owner' },
        },
        additionalProperties: false,
      }),
      responses: {
        201: {
          description: 'Started',
          ...json({ type: 'object', properties: { lsid: { type: 'string' } } }),
        },
        400: errors[400],
        401: errors[401],
      },
    },
  },
  '/api/v1/sessions/{lsid}': {
    get: {
      summary: 'A session: owner, members, external key, end, surveys',
      parameters: [lsidParam],
      responses: { 200: { description: 'The session', ...json(session) }, ...sessionErrors },
    },
  },
  '/api/v1/sessions/{lsid}/external-key': {
    put: sessionStep(
      'Assign the external key: every later event carries it (no event of its own)',
      {
        type: 'object',
        required: ['external_key'],
        properties: { external_key: { type: 'string' } },
        additionalProperties: false,
      },
    ),
  },
  '/api/v1/sessions/{lsid}/owner': {
    post: sessionStep('Transfer the session: emits owner_changed', {
      $ref: '#/components/schemas/Owner',
    }),
  },
  '/api/v1/sessions/{lsid}/members': {
    post: {
      summary: 'A member joins: emits member_added',
      parameters: [lsidParam],
      requestBody: { required: true, ...json({ $ref: '#/components/schemas/Member' }) },
      responses: {
        201: {
          description: 'Joined',
          ...json({ type: 'object', properties: { memberId: { type: 'integer' } } }),
        },
        ...sessionErrors,
      },
    },
  },
  '/api/v1/sessions/{lsid}/members/{memberId}': {
    delete: sessionStep(
      'A member leaves: emits member_departed, then owner_changed when the primary representative left',
      undefined,
      [{ name: 'memberId', in: 'path', required: true, schema: { type: 'integer' } }],
    ),
  },
  '/api/v1/sessions/{lsid}/end': {
    post: sessionStep('End: members still present depart (in join order), then end'),
  },
  '/api/v1/sessions/{lsid}/surveys/customer': {
    post: sessionStep(
      'The customer exit survey: once, if a customer took part; also after the end',
    ),
  },
  '/api/v1/sessions/{lsid}/surveys/representative': {
    post: sessionStep(
      'The representative exit survey: once, if a representative took part; also after the end',
    ),
  },
};

/** A member's variables; the sessions API also wants a representative's user_id numeric. */
function memberSchema() {
  const schema = eventVariablesJsonSchema('support_conference_member_added');
  const properties = schema.properties as Record<string, object>;
  properties.user_id = { ...properties.user_id, pattern: NUMERIC_ID.source };
  return {
    description:
      '`user_id` and `username` for a representative only (and required then); `user_id` is the N of the owner `rep:N` they may become',
    ...schema,
  };
}

/** The API's OpenAPI 3.1 document, served at /api/v1/openapi.json. */
export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Outbound API',
    version: '1',
    description:
      'Accepts schema-1 support-session events and delivers them, in order, to HTTP recipients. Every call needs `Authorization: Bearer <token>` (`outbound token create --name NAME`).',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error', 'message'],
        properties: {
          error: {
            type: 'string',
            description:
              'A stable code: `bad_request`, `unauthorized`, `not_found`, `method_not_allowed`, `conflict`, `recipient_disabled` (a test event for a disabled recipient), a session step that cannot happen: `session_not_found`, `member_not_found`, `session_ended`, `member_already_left`, `survey_without_party`, `survey_already_submitted`; `payload_too_large`, `unsupported_media_type`, `storage_failing`, `storage_lost`, `internal`.',
          },
          message: { type: 'string' },
          field: { type: 'string', description: 'The input field at fault, for a 400.' },
        },
      },
      // Event, Owner and Member are read from the schema-1 table (src/events/schema.ts).
      Event: {
        description:
          'A schema-1 event with its variables. `version` defaults to 1 and `timestamp` (Unix seconds) to now. `external_key` only when one is assigned; `conference_id`/`conference_name` for owner_changed; `type`, `display_name` (and `user_id`, `username` for a representative) for member events. In a form body, `version` is the text 1 and `timestamp` digits.',
        ...anyEventJsonSchema({ defaulted: true }),
      },
      Owner: eventVariablesJsonSchema('support_conference_owner_changed'),
      Member: memberSchema(),
      Session: {
        type: 'object',
        properties: {
          lsid: { type: 'string' },
          external_key: { type: ['string', 'null'] },
          owner: { $ref: '#/components/schemas/Owner' },
          ended: { type: 'boolean' },
          members: {
            type: 'array',
            description: 'Everyone who joined, in join order',
            items: {
              allOf: [
                { $ref: '#/components/schemas/Member' },
                {
                  type: 'object',
                  properties: { memberId: { type: 'integer' }, present: { type: 'boolean' } },
                },
              ],
            },
          },
          surveys: {
            type: 'object',
            properties: { customer: { type: 'boolean' }, representative: { type: 'boolean' } },
          },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
          endedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      Recipient: {
        type: 'object',
        required: ['name', 'url'],
        properties: {
          id: { type: 'integer', readOnly: true },
          kind: {
            type: 'string',
            enum: ['http', 'email'],
            readOnly: true,
            description:
              'email: an email recipient (url is mailto:ADDRESS), managed in the admin interface',
          },
          name: { type: 'string' },
          url: { type: 'string', description: 'Used exactly as given, query string included' },
          enabled: { type: 'boolean', default: D.enabled },
          paused: { type: 'boolean', default: D.paused },
          events: {
            oneOf: [
              { const: 'all' },
              { type: 'array', items: { type: 'string', enum: EVENT_NAMES } },
            ],
            default: D.events,
          },
          retryIntervalSeconds: {
            type: 'number',
            default: D.retryIntervalSeconds,
            description: 'No retry comes sooner, whatever Retry-After the recipient sends',
          },
          retryMaxIntervalSeconds: { type: 'number', default: D.retryMaxIntervalSeconds },
          retryDurationSeconds: {
            type: 'number',
            default: D.retryDurationSeconds,
            description: '0 = retry forever',
          },
          timeoutSeconds: {
            type: 'number',
            default: D.timeoutSeconds,
            minimum: 0.01,
            maximum: MAX_TIMEOUT_SECONDS,
            description: 'Request time-out; a request still unanswered then is a failed attempt',
          },
          tlsVerify: { type: 'boolean', default: D.tlsVerify },
          caCertificate: { type: ['string', 'null'], description: 'PEM root certificate to trust' },
          headers: {
            type: 'object',
            description: `Extra request headers: at most ${MAX_HEADERS}; names are HTTP tokens of at most ${MAX_HEADER_NAME_LENGTH} characters; values at most ${MAX_HEADER_VALUE_LENGTH} characters of tab, printable ASCII or Latin-1. Refused, as Outbound sets them or leaves them out: ${RESERVED_HEADERS.join(', ')}, Webhook-*. A User-Agent replaces Outbound's.`,
            maxProperties: MAX_HEADERS,
            additionalProperties: { type: 'string', maxLength: MAX_HEADER_VALUE_LENGTH },
          },
          secret: {
            type: ['string', 'null'],
            description: 'whsec_… signing secret; returned masked',
          },
          secretRotationSeconds: {
            type: 'number',
            default: D.secretRotationSeconds,
            description: 'A replaced secret keeps signing alongside the new one this long',
          },
          alertContacts: {
            type: 'array',
            items: { type: 'string', format: 'email' },
            maxItems: MAX_ALERT_CONTACTS,
            default: [],
            description: 'Email Contact: error alerts go here; empty = no alerts',
          },
          alertAfterSeconds: {
            type: 'number',
            default: D.alertAfterSeconds,
            description: 'Send Email Alert After: how long the head fails before the first alert',
          },
          resendAlertsSeconds: {
            type: 'number',
            default: D.resendAlertsSeconds,
            description: 'Resend Email Alerts: between alerts while it keeps failing; 0 = once',
          },
          status: { type: 'object', readOnly: true },
          warnings: {
            type: 'array',
            items: { type: 'string' },
            readOnly: true,
            description:
              'In the answer to POST and PATCH only, when the URL is refused by the destination policy now (saved all the same: the policy is applied at connect time)',
          },
        },
      },
    },
  },
  paths: {
    '/api/v1/events': {
      post: {
        summary: 'Accept one event, or an array of them, durably',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { $ref: '#/components/schemas/Event' },
                  { type: 'array', items: { $ref: '#/components/schemas/Event' } },
                ],
              },
            },
            'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/Event' } },
          },
        },
        responses: {
          202: {
            description: 'Stored durably',
            ...json({
              type: 'object',
              properties: { ids: { type: 'array', items: { type: 'string' } } },
            }),
          },
          400: errors[400],
          401: errors[401],
          413: { description: 'Body too large', ...json(error) },
        },
      },
    },
    '/api/v1/recipients': {
      get: {
        summary: 'List recipients with their delivery status',
        responses: { 200: { description: 'Recipients' } },
      },
      post: {
        summary: 'Create a recipient',
        requestBody: json({ $ref: '#/components/schemas/Recipient' }),
        responses: {
          201: { description: 'Created', ...json({ $ref: '#/components/schemas/Recipient' }) },
          400: errors[400],
          409: { description: 'Name taken', ...json(error) },
        },
      },
    },
    '/api/v1/recipients/{id}': {
      get: {
        summary: 'One recipient',
        parameters: idParam,
        responses: { 200: { description: 'Recipient' }, 404: errors[404] },
      },
      patch: {
        summary: 'Change some fields',
        parameters: idParam,
        requestBody: json({ $ref: '#/components/schemas/Recipient' }),
        responses: { 200: { description: 'Updated' }, ...errors },
      },
      delete: {
        summary: 'Delete with its queue and history',
        parameters: idParam,
        responses: { 204: { description: 'Deleted' }, 404: errors[404] },
      },
    },
    '/api/v1/recipients/{id}/deliveries': {
      get: {
        summary:
          'Deliveries (pending head first; delivered and failed newest first) with failed attempts',
        parameters: [
          ...idParam,
          { name: 'state', in: 'query', schema: { enum: ['pending', 'delivered', 'failed'] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', default: 50, maximum: 500 } },
          {
            name: 'before',
            in: 'query',
            schema: { type: 'integer' },
            description: 'Page: seq below this',
          },
        ],
        responses: { 200: { description: 'Deliveries' }, ...errors },
      },
    },
    '/api/v1/recipients/{id}/test': action(
      'Queue a test event for this recipient only',
      { type: 'object' },
      { $ref: '#/components/schemas/Event' },
    ),
    '/api/v1/recipients/{id}/retry': action('Retry the head now', {
      type: 'object',
      properties: { retried: { type: 'boolean' } },
    }),
    '/api/v1/recipients/{id}/set-aside': action('Set the head aside as failed', {
      type: 'object',
      properties: { setAside: { type: 'integer' } },
    }),
    '/api/v1/recipients/{id}/replay': action(
      'Queue failed deliveries again (all, or `seqs`)',
      { type: 'object', properties: { replayed: { type: 'integer' } } },
      { type: 'object', properties: { seqs: { type: 'array', items: { type: 'integer' } } } },
    ),
    '/api/v1/recipients/{id}/replay-range': action(
      'Queue again every subscribed event accepted in [from, to]',
      { type: 'object', properties: { replayed: { type: 'integer' } } },
      {
        type: 'object',
        required: ['from', 'to'],
        properties: { from: { type: ['string', 'number'] }, to: { type: ['string', 'number'] } },
      },
    ),
    '/api/v1/recipients/{id}/pause': action('Pause delivery (events keep being queued)', {
      $ref: '#/components/schemas/Recipient',
    }),
    '/api/v1/recipients/{id}/resume': action('Resume delivery', {
      $ref: '#/components/schemas/Recipient',
    }),
    ...SESSION_PATHS,
  },
} as const;
