import { COMPONENTS } from './components.js';
import type { JsonSchema, RouteDescription } from './describe.js';

/** A registered route, as the onRoute hook sees it. */
export interface DescribedRoute {
  method: string;
  url: string;
  description: RouteDescription;
}

const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });
const error = { $ref: '#/components/schemas/Error' };

/** The error statuses, described once; a route lists the ones it may answer. */
const ERRORS: Record<number, string> = {
  400: 'Bad input; `message` and `field` name what is wrong',
  401: 'Missing, unknown or revoked API token',
  404: 'No such resource',
  409: 'A conflict: a name taken, a step that cannot happen (the session has ended…), a disabled recipient; `idempotency_key_in_flight`: a request with the same Idempotency-Key is still being handled (retry once it has answered)',
  413: 'Body too large',
  415: 'Neither JSON nor a form',
  422: '`idempotency_key_reused`: the Idempotency-Key was used within 24 h for a different request (method, path or body); `field` is `Idempotency-Key`',
  503: 'Not ready, or storage unavailable',
};

/** `/api/v1/recipients/:id` → `/api/v1/recipients/{id}`, with the parameters' names. */
export function openApiPath(url: string): { path: string; names: string[] } {
  const names: string[] = [];
  const path = url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    names.push(name);
    return `{${name}}`;
  });
  return { path, names };
}

function operation(names: string[], d: RouteDescription) {
  const parameters = [
    ...names.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: d.params?.[name] ?? { type: 'string' },
    })),
    ...Object.entries(d.query ?? {}).map(([name, { description, ...schema }]) => ({
      name,
      in: 'query',
      ...(description === undefined ? {} : { description }),
      schema,
    })),
    ...Object.entries(d.headers ?? {}).map(([name, { description, ...schema }]) => ({
      name,
      in: 'header',
      ...(description === undefined ? {} : { description }),
      schema,
    })),
  ];
  const responses: Record<string, object> = {};
  for (const [status, r] of Object.entries(d.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.schema === undefined
        ? {}
        : { content: { [r.contentType ?? 'application/json']: { schema: r.schema } } }),
    };
  }
  for (const status of d.errors ?? []) {
    responses[status] = { description: ERRORS[status] ?? 'An error', ...json(error) };
  }
  return {
    operationId: d.operationId,
    summary: d.summary,
    ...(d.description === undefined ? {} : { description: d.description }),
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(d.body === undefined
      ? {}
      : {
          requestBody: {
            ...(d.body.required ? { required: true } : {}),
            content: Object.fromEntries(
              Object.entries(d.body.content).map(([type, schema]) => [type, { schema }]),
            ),
          },
        }),
    responses,
    ...(d.security === 'none' ? { security: [] } : {}),
  };
}

/** The API's OpenAPI 3.1 document, generated from the described routes in registration order. */
export function openApiDocument(routes: DescribedRoute[]) {
  const paths: Record<string, Record<string, object>> = {};
  for (const { method, url, description } of routes) {
    const { path, names } = openApiPath(url);
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = operation(names, description);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Outbound API',
      version: '1',
      description:
        'Accepts schema-1 support-session events and delivers them, in order, to HTTP recipients. Every call needs `Authorization: Bearer <token>` (`outbound token create --name NAME`).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: COMPONENTS,
    paths,
  };
}
