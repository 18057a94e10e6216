import { InvalidInputError } from '../errors.js';

/**
 * A date (UTC midnight) or a date and time with its zone: what Date.parse reads the same on
 * every machine (a time without a zone would be the server's local time).
 */
const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** An ISO 8601 time as ms since the epoch; InvalidInputError naming `field` otherwise. */
export function parseIsoTime(text: string, field: string): number {
  const ms = ISO_TIME.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new InvalidInputError(
      `${field} must be an ISO 8601 time with its zone, like 2026-11-24T09:30:00Z, or a date`,
      field,
    );
  }
  return ms;
}
