import type { Access } from '../../http/access.js';

/** A JSON Schema object (draft 2020-12, as OpenAPI 3.1 takes it). */
export type JsonSchema = Record<string, unknown>;

/** One answer of a route: its description and, when it has one, the JSON body's schema. */
export interface ResponseDescription {
  description: string;
  schema?: JsonSchema;
  /** Another media type than JSON (the metrics text). */
  contentType?: string;
}

/**
 * An API route described once, next to its handler: the OpenAPI document is generated from
 * these (./document.ts). Documentation only — the handlers keep validating their input
 * themselves, so their error messages stay what callers are told (CONTRACT §4).
 */
export interface RouteDescription {
  operationId: string;
  summary: string;
  /** Longer text (CommonMark): rules a caller must know beyond the summary. */
  description?: string;
  /** Path parameters' schemas; a parameter of the URL not named here is a string. */
  params?: Record<string, JsonSchema>;
  query?: Record<string, JsonSchema & { description?: string }>;
  /** Request headers it reads (`Idempotency-Key`). */
  headers?: Record<string, JsonSchema & { description?: string }>;
  /** The body's schema per media type (`application/json` when given as a plain schema). */
  body?: { required?: boolean; content: Record<string, JsonSchema> };
  /** The success answer(s): the first one is what a valid call answers. */
  responses: Record<number, ResponseDescription>;
  /** The error statuses it may answer, described once in ./errors.ts. */
  errors?: number[];
  /** Public routes need no bearer token. */
  security?: 'none';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's description in the OpenAPI document. */
    openapi?: RouteDescription;
  }
}

/** Route options carrying the description: `app.get(url, describeRoute({...}), handler)`. */
export function describeRoute(
  openapi: RouteDescription,
  access?: Access,
): { config: { openapi: RouteDescription; access?: Access } } {
  return { config: access === undefined ? { openapi } : { openapi, access } };
}

/** A JSON request body. */
export const jsonBody = (schema: JsonSchema, required = false) => ({
  ...(required ? { required } : {}),
  content: { 'application/json': schema },
});

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
