const DELTA_SECONDS = /^\s*(\d+)\s*$/;
const HAS_LETTER = /[a-z]/i;

/**
 * The wait a `Retry-After` header asks for, in milliseconds: delta-seconds (`120`) or an
 * HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`, 0 once past). Null when absent or unreadable.
 * Only the first value counts when the header was sent more than once. This is only what the
 * receiver asked for: the retry policy (`afterFailure`) never lets it shorten the recipient's
 * retry interval, so `0` or a date in the past means "after the interval".
 */
export function parseRetryAfter(
  value: string | readonly string[] | null | undefined,
  now: number,
): number | null {
  const text = typeof value === 'string' ? value : value?.[0];
  if (text === undefined) return null;
  const delta = DELTA_SECONDS.exec(text);
  if (delta) return Math.min(Number(delta[1]) * 1000, Number.MAX_SAFE_INTEGER);
  // Date.parse reads bare numbers such as "1.5" as dates; an HTTP-date always has a day or
  // month name.
  if (!HAS_LETTER.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}
