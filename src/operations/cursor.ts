import { createHash } from 'node:crypto';
import { InvalidInputError } from '../errors.js';

/*
 * Cursor pagination of the API's listings: `limit` and `cursor` in, `next_cursor` out (null on
 * the last page). A cursor is opaque to callers: base64url of the listing's name, a digest of
 * its filters and the keyset of the last item sent, with a check digest. It is validated, not
 * secret: whoever holds the token may read every page anyway. A cursor that does not decode,
 * whose check fails (tampered, cut short), or that belongs to another listing or to other
 * filters is a 400 naming `cursor`.
 */

/** The field errors name. */
export const CURSOR = 'cursor';

/** Keeps digests of this code apart from any other use of SHA-256 over the same text. */
const CHECK = 'outbound-cursor-v1';

const digest = (text: string, length: number) =>
  createHash('sha256').update(text).digest('base64url').slice(0, length);

/** The filters a listing was asked with, digested: a cursor is valid only with the same ones. */
export function filtersDigest(filters: Record<string, unknown>): string {
  const entries = Object.entries(filters)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return digest(JSON.stringify(entries), 11);
}

/** The cursor after `keyset` (whole numbers: ids, seqs) in `listing` with `filters`. */
export function encodeCursor(
  listing: string,
  filters: Record<string, unknown>,
  keyset: readonly number[],
): string {
  const payload = JSON.stringify([listing, filtersDigest(filters), keyset]);
  return Buffer.from(`${payload}${digest(CHECK + payload, 11)}`).toString('base64url');
}

const refused = (why: string) =>
  new InvalidInputError(
    `cursor ${why}: pass the next_cursor of the previous page as it was given`,
    CURSOR,
  );

/** The keyset a cursor carries, checked to be of `listing` with `filters` and `size` numbers. */
export function decodeCursor(
  raw: string,
  listing: string,
  filters: Record<string, unknown>,
  size: number,
): number[] {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(raw)) throw refused('is not a cursor');
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  const payload = text.slice(0, -11);
  if (text.length <= 11 || digest(CHECK + payload, 11) !== text.slice(-11)) {
    throw refused('is damaged or was changed');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    throw refused('is not a cursor');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw refused('is not a cursor');
  const [name, filtersHash, keyset] = parsed as [unknown, unknown, unknown];
  if (name !== listing) throw refused(`belongs to another listing (${String(name)})`);
  if (filtersHash !== filtersDigest(filters)) {
    throw refused('was made for other filters: keep the filters of the first page');
  }
  if (
    !Array.isArray(keyset) ||
    keyset.length !== size ||
    !keyset.every((n) => Number.isSafeInteger(n) && n >= 0)
  ) {
    throw refused('is not a cursor');
  }
  return keyset as number[];
}

/** `limit` from the query: a whole number from 1 to `max`, `fallback` when absent. */
export function parseLimit(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const text = Array.isArray(raw) ? raw[0] : raw;
  const limit = typeof text === 'string' && /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new InvalidInputError(`limit must be a whole number from 1 to ${max}`, 'limit');
  }
  return limit;
}
