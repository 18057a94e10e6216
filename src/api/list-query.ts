import { badRequest } from '../http/http-error.js';

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

/** A date (UTC midnight) or a date and time with its zone, as Date.parse reads it unambiguously. */
const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** An ISO 8601 time as ms since the epoch; 400 naming the parameter when it is not one. */
export function queryTime(query: Query, name: string): number | undefined {
  const text = queryText(query, name, 40);
  if (text === undefined) return undefined;
  const ms = ISO_TIME.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw badRequest(
      `${name} must be an ISO 8601 time with its zone, like 2026-11-24T09:30:00Z, or a date`,
      name,
    );
  }
  return ms;
}
