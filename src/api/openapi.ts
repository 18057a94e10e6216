import { COMPONENTS } from './openapi/components.js';

/**
 * What the OpenAPI document holds besides the operations: its component schemas. The document
 * itself (/api/v1/openapi.json) is generated from the routes' descriptions (src/api/openapi/,
 * one file per resource; ./openapi/document.ts builds it).
 */
export const OPENAPI = { components: COMPONENTS } as const;
