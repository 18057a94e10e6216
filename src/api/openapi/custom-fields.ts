import { describeRoute, jsonBody } from './describe.js';

const field = {
  type: 'object',
  properties: {
    code_name: {
      type: 'string',
      pattern: '^[a-z][a-z0-9_]{0,63}$',
      description: 'As integrations send it: session.custom.<code_name> (case-sensitive)',
    },
    display_name: { type: 'string', minLength: 1, maxLength: 255 },
    createdAt: { type: 'string', format: 'date-time', readOnly: true },
  },
};

export const LIST_CUSTOM_FIELDS = describeRoute({
  operationId: 'listCustomFields',
  summary: 'Custom session attribute definitions, by code name',
  responses: {
    200: {
      description: 'Definitions',
      schema: { type: 'object', properties: { custom_fields: { type: 'array', items: field } } },
    },
  },
  errors: [401],
});

export const ADD_CUSTOM_FIELD = describeRoute({
  operationId: 'addCustomField',
  summary: 'Define a custom session attribute (audited)',
  body: jsonBody(
    {
      type: 'object',
      required: ['code_name', 'display_name'],
      properties: {
        code_name: field.properties.code_name,
        display_name: field.properties.display_name,
      },
      additionalProperties: false,
    },
    true,
  ),
  responses: { 201: { description: 'Defined', schema: field } },
  errors: [400, 401, 409],
});

export const GET_CUSTOM_FIELD = describeRoute({
  operationId: 'getCustomField',
  summary: 'One custom session attribute definition',
  params: { code_name: { type: 'string' } },
  responses: { 200: { description: 'The definition', schema: field } },
  errors: [401, 404],
});

export const REMOVE_CUSTOM_FIELD = describeRoute({
  operationId: 'removeCustomField',
  summary:
    'Remove a definition (audited): values already set stay in their sessions, the code name can no longer be set',
  params: { code_name: { type: 'string' } },
  responses: { 200: { description: 'Removed', schema: field } },
  errors: [401, 404],
});
