import { badRequest } from '../http/http-error.js';
import { parseIsoTime } from '../operations/iso-time.js';

/*
 * Query parameters of the API's listings: each given at most once (a repeated one is a 400
 * naming it, rather than one of them silently chosen), times in ISO 8601 with a zone.
 */

export type Query = Record<string, string | string[] | undefined>;

/** The parameter's value, undefined when absent; 400 naming it when repeated or empty. */
export function queryText(query: Query, name: string, max = 512): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw badRequest(`give ${name} once`, name);
  if (value === '' || value.length > max) {
    throw badRequest(`${name} must be 1 to ${max} characters`, name);
  }
  return value;
}

/** An ISO 8601 time as ms since the epoch; 400 naming the parameter when it is not one. */
export function queryTime(query: Query, name: string): number | undefined {
  const text = queryText(query, name, 40);
  return text === undefined ? undefined : parseIsoTime(text, name);
}
