import type { RouteDescription } from './describe.js';

// Descriptions only: the route files say who may call them (`describeRoute(HEALTH, 'public')`).

const status = { type: 'object', properties: { status: { type: 'string' } } };

export const HEALTH: RouteDescription = {
  operationId: 'health',
  summary: 'The process is up',
  responses: { 200: { description: 'Up', schema: status } },
  security: 'none',
};

export const READY: RouteDescription = {
  operationId: 'ready',
  summary: 'Ready to accept events: the store answers and the process is not shutting down',
  responses: {
    200: {
      description: 'Ready; with PostgreSQL, the node id and the lanes it drives',
      schema: {
        type: 'object',
        properties: {
          status: { const: 'ready' },
          node: { type: 'string' },
          lanes: { type: 'integer' },
        },
      },
    },
    503: {
      description: 'Shutting down, or the store is unavailable',
      schema: {
        type: 'object',
        properties: {
          status: { type: 'string' },
          storage: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
  security: 'none',
};

export const METRICS: RouteDescription = {
  operationId: 'metrics',
  summary:
    'Prometheus metrics; needs `Authorization: Bearer <OUTBOUND_METRICS_TOKEN>` when one is set',
  responses: {
    200: {
      description: 'The Prometheus text format',
      schema: { type: 'string' },
      contentType: 'text/plain',
    },
  },
  errors: [401],
  security: 'none',
};

export const OPENAPI_DOCUMENT: RouteDescription = {
  operationId: 'openApiDocument',
  summary: 'This document',
  responses: { 200: { description: 'The OpenAPI 3.1 document', schema: { type: 'object' } } },
  security: 'none',
};
