import { createHash, timingSafeEqual } from 'node:crypto';
import { ReceiverError, ReceiverErrorCode } from './errors.js';

/** The query parameter that integrations put in the recipient URL to authenticate Outbound. */
export const TOKEN_PARAMETER = 'outbound_event_token';

/** Digests of the accepted tokens; refuses an empty one, which would accept an empty value. */
export function tokenDigests(token: string | readonly string[]): Buffer[] {
  const tokens = typeof token === 'string' ? [token] : token;
  if (tokens.length === 0 || tokens.some((t) => typeof t !== 'string' || t.length === 0)) {
    throw new TypeError('token must be a non-empty string (or a non-empty list of them)');
  }
  return tokens.map(digest);
}

/**
 * Checks `?outbound_event_token=` in a request URL (a path with query, or absolute) against
 * the accepted tokens (several while one is being replaced). The value compared is the decoded
 * one, as every framework's query accessor gives it. Throws ReceiverError (401) when it is
 * missing, repeated or wrong.
 */
export function verifyToken(url: string | URL, token: string | readonly string[]): void {
  verifyTokenDigests(url, tokenDigests(token));
}

export function verifyTokenDigests(url: string | URL, accepted: readonly Buffer[]): void {
  let values: string[];
  try {
    values = new URL(url, 'http://receiver.invalid').searchParams.getAll(TOKEN_PARAMETER);
  } catch {
    values = [];
  }
  if (values.length !== 1) {
    throw new ReceiverError(
      ReceiverErrorCode.INVALID_TOKEN,
      values.length === 0 ? `${TOKEN_PARAMETER} is missing` : `${TOKEN_PARAMETER} is repeated`,
    );
  }
  // Digests have equal lengths, so timingSafeEqual applies and the token's length stays
  // secret; every accepted token is compared, so timing does not tell which one matched.
  const given = digest(values[0] as string);
  let match = false;
  for (const expected of accepted) match = timingSafeEqual(given, expected) || match;
  if (!match)
    throw new ReceiverError(ReceiverErrorCode.INVALID_TOKEN, `${TOKEN_PARAMETER} is wrong`);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
