/**
 * A time typed in a form: what a `datetime-local` field sends (read as UTC, as the pages show
 * times) or ISO 8601 with its zone. NaN when it is neither.
 */
export function parseUtcTime(value: string | undefined): number {
  const text = (value ?? '').trim();
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(text)) return Number.NaN;
  return Date.parse(/(Z|[+-]\d\d:\d\d)$/.test(text) ? text : `${text}Z`);
}

/** The value for a `datetime-local` field, in UTC. */
export const toUtcField = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
