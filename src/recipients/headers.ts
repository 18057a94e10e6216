import { invalid } from './errors.js';
import { isReservedHeader } from './reserved-headers.js';

/**
 * Limits on a recipient's extra headers: far beyond real use (an API key, a tenant id), short
 * of what receivers refuse (431) or what would weigh on every attempt.
 */
export const MAX_HEADERS = 50;
export const MAX_HEADER_NAME_LENGTH = 256;
export const MAX_HEADER_VALUE_LENGTH = 8192;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What an HTTP/1.1 field value may hold (RFC 9110): tab, printable ASCII, obs-text. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** A recipient's extra headers, names lower-cased; every one is sent as given. */
export function extraHeaders(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('headers must be an object of header names to string values', 'headers');
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_HEADERS) {
    throw invalid(
      `headers may hold at most ${MAX_HEADERS} headers (${entries.length} given)`,
      'headers',
    );
  }
  const out: Record<string, string> = {};
  for (const [name, v] of entries) {
    const field = `headers.${name}`;
    if (name === '__proto__') throw invalid('"__proto__" is not allowed as a header name', field);
    if (!HEADER_NAME.test(name)) throw invalid(`${field}: not a valid header name`, field);
    if (name.length > MAX_HEADER_NAME_LENGTH) {
      throw invalid(
        `${field}: a header name may be at most ${MAX_HEADER_NAME_LENGTH} characters`,
        field,
      );
    }
    // Refused rather than stored: the sender would leave it out of every request.
    if (isReservedHeader(name)) {
      throw invalid(
        `${field}: this header is set by Outbound (or left out) and cannot be overridden`,
        field,
      );
    }
    const lower = name.toLowerCase();
    if (Object.hasOwn(out, lower)) {
      throw invalid(`${field}: given twice (header names ignore case)`, field);
    }
    if (typeof v !== 'string') throw invalid(`${field} must be a string`, field);
    if (v.length > MAX_HEADER_VALUE_LENGTH) {
      throw invalid(
        `${field} must be at most ${MAX_HEADER_VALUE_LENGTH} characters (8 KiB)`,
        field,
      );
    }
    if (v.includes('\0')) throw invalid(`${field} must not contain NUL (U+0000)`, field);
    // The HTTP client refuses anything else at send time: every delivery would fail.
    if (!HEADER_VALUE.test(v)) {
      throw invalid(
        `${field} may hold only printable ASCII or Latin-1 characters, spaces and tabs (no line breaks or other control characters)`,
        field,
      );
    }
    out[lower] = v;
  }
  return out;
}
