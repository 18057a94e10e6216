import { EventValidationError } from './errors.js';

/**
 * The strict application/x-www-form-urlencoded decoder. The WHATWG parser (URLSearchParams)
 * never fails: it keeps a broken escape such as `%zz` as text and turns bytes that are not
 * UTF-8 into U+FFFD, so a value would be stored as something its sender never wrote. Here
 * both are errors naming the field, as are NUL (no field of ours may hold it) and a field
 * named `__proto__` (a trap for any code that collects fields into a plain object).
 */

// Fatal: invalid UTF-8 is refused, not replaced. ignoreBOM: a leading U+FEFF is content.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/** The name/value pairs of `body`, in order, duplicates kept. Throws EventValidationError. */
export function decodeFormBody(body: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const sequence of body.split('&')) {
    if (sequence === '') continue;
    const at = sequence.indexOf('=');
    const rawName = at < 0 ? sequence : sequence.slice(0, at);
    const rawValue = at < 0 ? '' : sequence.slice(at + 1);
    const nameLabel = `field name "${shorten(rawName)}"`;
    const name = decodeComponent(rawName, nameLabel, undefined);
    if (name === '__proto__') {
      throw new EventValidationError('"__proto__" is not allowed as a field name', name);
    }
    pairs.push([name, decodeComponent(rawValue, name, name)]);
  }
  return pairs;
}

/** `+` is a space, then `%XX` escapes are bytes, and the bytes must be UTF-8. */
function decodeComponent(raw: string, label: string, field: string | undefined): string {
  const text = raw.includes('+') ? raw.replaceAll('+', ' ') : raw;
  let decoded = text;
  if (text.includes('%')) {
    const bad = BAD_ESCAPE.exec(text);
    if (bad !== null) {
      const broken = text.slice(bad.index, bad.index + 3);
      throw new EventValidationError(
        `${label} has invalid percent-encoding "${broken}": % must be followed by two hexadecimal digits (write a literal % as %25)`,
        field,
      );
    }
    if (!text.isWellFormed()) throw notUtf8(label, field);
    try {
      decoded = UTF8.decode(percentBytes(text));
    } catch {
      throw notUtf8(label, field);
    }
  }
  if (decoded.includes('\0')) {
    throw new EventValidationError(`${label} must not contain NUL (U+0000)`, field);
  }
  return decoded;
}

/** The UTF-8 bytes of `text` with every `%XX` replaced by its byte (escapes already checked). */
function percentBytes(text: string): Uint8Array {
  // `%` (0x25) and hex digits are ASCII, never part of a multi-byte sequence.
  const bytes = Buffer.from(text, 'utf8');
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === 0x25) {
      out[n++] = Number.parseInt(bytes.toString('latin1', i + 1, i + 3), 16);
      i += 2;
    } else {
      out[n++] = byte;
    }
  }
  return out.subarray(0, n);
}

const notUtf8 = (label: string, field: string | undefined) =>
  new EventValidationError(`${label} is not valid UTF-8 once percent-decoded`, field);

/** A raw name for a message: its start, not a megabyte. */
function shorten(raw: string): string {
  return raw.length <= 40 ? raw : `${raw.slice(0, 40)}…`;
}
