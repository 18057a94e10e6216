import {
  anyEventJsonSchema,
  EVENT_NAMES,
  eventVariablesJsonSchema,
  NUMERIC_ID,
} from '../../events/index.js';
import {
  RECIPIENT_DEFAULTS as D,
  MAX_ALERT_CONTACTS,
  MAX_HEADER_NAME_LENGTH,
  MAX_HEADER_VALUE_LENGTH,
  MAX_HEADERS,
  MAX_TIMEOUT_SECONDS,
  RESERVED_HEADERS,
} from '../../recipients/index.js';
import { MEMBER_DETAILS, SESSION_EXTRA, SESSION_MEMBER_EXTRA } from './session-schemas.js';

/** A member's variables; the sessions API also wants a representative's user_id numeric. */
function memberSchema() {
  const schema = eventVariablesJsonSchema('support_conference_member_added');
  const properties = schema.properties as Record<string, object>;
  properties.user_id = { ...properties.user_id, pattern: NUMERIC_ID.source };
  // What the reports show of the member (POST …/members takes it; optional).
  properties.details = MEMBER_DETAILS;
  return {
    description:
      '`user_id` and `username` for a representative only (and required then); `user_id` is the N of the owner `rep:N` they may become',
    ...schema,
  };
}

/**
 * A member as a session shows it: the Member's variables with its id and whether it is still
 * present. Not `allOf` with Member: Member allows no other property, so no member would match.
 */
function sessionMemberSchema() {
  const { description: _, ...member } = memberSchema() as Record<string, unknown>;
  return {
    ...member,
    properties: {
      memberId: { type: 'integer' },
      ...(member.properties as Record<string, object>),
      present: { type: 'boolean' },
      ...SESSION_MEMBER_EXTRA,
    },
  };
}

/** The document's components: the event schemas come from the schema-1 table, the recipient's
 * defaults and limits from src/recipients/. Operations refer to them by `$ref`. */
export const COMPONENTS = {
  securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
  schemas: {
    Error: {
      type: 'object',
      required: ['error', 'message'],
      properties: {
        error: {
          type: 'string',
          description:
            'A stable code: `bad_request`, `unauthorized`, `not_found`, `method_not_allowed`, `conflict`, `recipient_disabled` (a test event for a disabled recipient), a session step that cannot happen: `session_not_found`, `member_not_found`, `session_ended`, `member_already_left`, `survey_without_party`, `survey_already_submitted`, `session_too_large` (413: the session has recorded as much as a session may); `payload_too_large`, `unsupported_media_type`, `storage_failing`, `storage_lost`, `internal`.',
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
          items: sessionMemberSchema(),
        },
        surveys: {
          type: 'object',
          properties: { customer: { type: 'boolean' }, representative: { type: 'boolean' } },
        },
        ...SESSION_EXTRA,
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
          description: `Extra request headers: at most ${MAX_HEADERS}; names are HTTP tokens of at most ${MAX_HEADER_NAME_LENGTH} characters; values at most ${MAX_HEADER_VALUE_LENGTH} characters of tab, printable ASCII or Latin-1. Refused, as Outbound sets them or leaves them out: ${RESERVED_HEADERS.join(', ')}, Webhook-*. A User-Agent replaces Outbound's. In the recipient list every value reads ••• (the name kept); GET /api/v1/recipients/{id} gives them in full.`,
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
        // Wire options for receivers written for deployed appliances (CONTRACT §7).
        repSurveyEventName: {
          type: 'string',
          enum: ['guide', 'rep'],
          default: D.repSurveyEventName,
          description:
            "The representative exit survey's event name on the wire: `guide` sends the guide's `support_conference_representative_exit_survey_completed`; `rep` sends `support_conference_rep_exit_survey_completed`, the name deployed appliances send (decided at send time, replays included)",
        },
        sendApplianceId: {
          type: 'boolean',
          default: D.sendApplianceId,
          description:
            "Adds `appliance_id` (this installation's id, shown on the admin Settings page; `OUTBOUND_APPLIANCE_ID` overrides it) after the standard variables",
        },
        sendCustomFields: {
          type: 'boolean',
          default: D.sendCustomFields,
          description:
            "Adds the session's custom attributes, each as a variable named by its code name, after the guide's variables",
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
};
