import {
  MAX_ANSWER_NAME_LENGTH,
  MAX_ATTRIBUTE_LENGTH,
  MAX_ATTRIBUTES_BYTES,
  MAX_BODY_BYTES,
  MAX_DETAIL_LENGTH,
  MAX_DETAILS,
  MAX_FILENAME_LENGTH,
  MAX_SURVEY_ANSWERS,
} from '../../sessions/index.js';
import type { JsonSchema } from './describe.js';

/*
 * The report parts of a session, as the sessions API takes and shows them (the Session
 * component in ./components.ts, the step bodies in ./sessions.ts).
 */

const text = (description?: string): JsonSchema =>
  description === undefined ? { type: 'string' } : { type: 'string', description };
const short = { type: 'string', maxLength: MAX_DETAIL_LENGTH };
const dateTime = { type: ['string', 'null'], format: 'date-time' };

/** A member's report details: a customer's or a representative's. */
export const MEMBER_DETAILS: JsonSchema = {
  type: 'object',
  description:
    'What the reports show of the member. A customer: username, public_ip (`ip:port`, IPv6 as `[addr]:port`), private_ip, hostname, os, info {name, company, company_code, issue, details}. A representative: public_display_name, private_display_name, public_ip, private_ip, hostname, os. All optional, each at most 1024 characters (info.details 32 KiB).',
  properties: {
    username: short,
    public_display_name: short,
    private_display_name: short,
    public_ip: short,
    private_ip: short,
    hostname: short,
    os: short,
    info: {
      type: 'object',
      properties: {
        name: short,
        company: short,
        company_code: short,
        issue: short,
        details: text(),
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

/** What a session member shows beyond the schema-1 variables. */
export const SESSION_MEMBER_EXTRA: Record<string, JsonSchema> = {
  gsnumber: {
    type: 'integer',
    description: "The reports' gsnumber: the memberId (0 is the system)",
  },
  details: MEMBER_DETAILS,
  joinedAt: dateTime,
  leftAt: dateTime,
  seconds_involved: {
    type: 'integer',
    description: 'Until the member left, else until the end, else until now',
  },
};

const party: JsonSchema = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: ['system', 'customer', 'representative'] },
    gsnumber: { type: 'integer' },
    name: { type: 'string' },
  },
};

const nameValue: JsonSchema = {
  type: 'object',
  required: ['name', 'value'],
  properties: { name: { type: 'string' }, value: { type: 'string' } },
  additionalProperties: false,
};

const surveyAnswers = { type: 'array', items: nameValue };

/** The Session component's properties beyond the schema-1 ones. */
export const SESSION_EXTRA: Record<string, JsonSchema> = {
  lseq: { type: 'integer', description: 'The sessions in creation order: 1, 2, 3…' },
  primary_customer: {
    type: ['integer', 'null'],
    description: 'memberId of the first customer who joined',
  },
  primary_rep: {
    type: ['integer', 'null'],
    description: 'memberId of the representative owning the session (rep:N), else the first',
  },
  survey_answers: {
    type: 'object',
    properties: { customer: surveyAnswers, representative: surveyAnswers },
  },
  custom_attributes: {
    type: 'object',
    description: 'Values by code name (definitions: /api/v1/custom-fields)',
    additionalProperties: { type: 'string' },
  },
  file_counts: {
    type: 'object',
    properties: {
      transfers: { type: 'integer' },
      moves: { type: 'integer' },
      deletes: { type: 'integer' },
    },
  },
  chat: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        at: dateTime,
        from: { type: ['integer', 'null'] },
        to: { type: ['integer', 'null'], description: 'null: to everyone' },
        body: { type: 'string' },
      },
    },
  },
  notes: {
    type: 'array',
    items: {
      type: 'object',
      properties: { at: dateTime, by: { type: ['integer', 'null'] }, body: { type: 'string' } },
    },
  },
  files: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        at: dateTime,
        by: { type: ['integer', 'null'] },
        direction: { type: 'string', enum: ['upload', 'download'] },
        filename: { type: 'string' },
        filesize: { type: 'integer' },
      },
    },
  },
  details: {
    type: 'array',
    description: `The reports' session_details, in order (at most ${MAX_DETAILS} from repeatable steps): Session Start, Conference Owner Changed, Conference Member Added/Departed, Chat Message, Session Note Added, File Upload/Download, External Key Changed, Custom Attribute Changed, Customer/Representative Exit Survey, Session End`,
    items: {
      type: 'object',
      required: ['timestamp', 'event_type'],
      properties: {
        timestamp: { type: 'integer', description: 'Unix seconds' },
        event_type: { type: 'string' },
        performed_by: party,
        destination: party,
        body: { type: 'string' },
        data: { type: 'array', items: nameValue },
        files: {
          type: 'array',
          items: {
            type: 'object',
            properties: { filename: { type: 'string' }, filesize: { type: 'integer' } },
          },
        },
      },
    },
  },
};

const memberId = (description: string): JsonSchema => ({
  type: 'integer',
  minimum: 1,
  description,
});

export const CHAT_BODY: JsonSchema = {
  type: 'object',
  required: ['from', 'body'],
  properties: {
    from: memberId('The member who wrote it (present)'),
    to: memberId('The member it was sent to; absent: to everyone'),
    body: {
      type: 'string',
      minLength: 1,
      description: `At most ${MAX_BODY_BYTES} bytes of UTF-8; any Unicode, control characters included (the report encodes what XML cannot hold)`,
    },
  },
  additionalProperties: false,
};

export const NOTE_BODY: JsonSchema = {
  type: 'object',
  required: ['by', 'body'],
  properties: {
    by: memberId('The member who wrote it (present)'),
    body: { type: 'string', minLength: 1, description: `At most ${MAX_BODY_BYTES} bytes of UTF-8` },
  },
  additionalProperties: false,
};

export const FILE_BODY: JsonSchema = {
  type: 'object',
  required: ['by', 'direction', 'filename', 'filesize'],
  properties: {
    by: memberId('The member who transferred it (present)'),
    direction: { type: 'string', enum: ['upload', 'download'] },
    filename: { type: 'string', minLength: 1, maxLength: MAX_FILENAME_LENGTH },
    filesize: { type: 'integer', minimum: 0, description: 'Bytes' },
  },
  additionalProperties: false,
};

export const ATTRIBUTES_BODY: JsonSchema = {
  type: 'object',
  description: `Custom attribute values by code name (defined ones only; \`external_key\` sets the external key, as the Command API's session.custom.external_key); each at most ${MAX_ATTRIBUTE_LENGTH} characters, '' clears one, a code name left out keeps its value; at most ${MAX_ATTRIBUTES_BYTES} bytes in all, the external key included`,
  propertyNames: { pattern: '^[a-z][a-z0-9_]{0,63}$' },
  additionalProperties: { type: 'string', maxLength: MAX_ATTRIBUTE_LENGTH },
};

export const SURVEY_BODY: JsonSchema = {
  type: 'object',
  properties: {
    answers: {
      type: 'array',
      maxItems: MAX_SURVEY_ANSWERS,
      items: {
        ...nameValue,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: MAX_ANSWER_NAME_LENGTH },
          value: { type: 'string' },
        },
      },
      description: "The answers (rating, comments, …), as the reports' value[@name,@value]",
    },
  },
  additionalProperties: false,
};

/** POST …/members: the Member's variables plus `details`. */
export const NEW_MEMBER_DETAILS = MEMBER_DETAILS;
