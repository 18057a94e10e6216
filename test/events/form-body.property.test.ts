/**
 * The strict form decoder: every valid UTF-8 text comes back exactly, every byte string that
 * is not UTF-8 is refused, and where it accepts a body it reads what URLSearchParams reads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFormBody, EventValidationError } from '../../src/events/index.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Any well-formed text (astral characters included) without NUL, which is refused. */
const unicodeText = fc
  .oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('José Müller', '王小明 😀', 'a+b&c=d%25', '\uFEFFbom', ' \t\r\n'),
  )
  .filter((s) => !s.includes('\0'));

const isUtf8 = (bytes: Uint8Array) => {
  try {
    UTF8.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

const percentEncoded = (bytes: Uint8Array) =>
  [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/** Byte strings that are not UTF-8: random bytes, and valid text with one byte broken. */
const notUtf8 = fc
  .oneof(
    fc.uint8Array({ minLength: 1, maxLength: 32 }),
    fc
      .tuple(unicodeText, fc.nat(), fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xff))
      .map(([text, at, byte]) => {
        const bytes = new TextEncoder().encode(`${text}x`);
        bytes[at % bytes.length] = byte;
        return bytes;
      }),
  )
  .filter((bytes) => !isUtf8(bytes));

function refusal(body: string): EventValidationError {
  try {
    decodeFormBody(body);
  } catch (error) {
    expect(error).toBeInstanceOf(EventValidationError);
    return error as EventValidationError;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe('decodeFormBody', () => {
  it('gives back any valid UTF-8 text encoded with encodeURIComponent, as value or name', () => {
    fc.assert(
      fc.property(unicodeText, unicodeText, (name, value) => {
        fc.pre(name !== '__proto__');
        const body = `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
        expect(decodeFormBody(body)).toEqual([[name, value]]);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives back what the WHATWG encoder wrote (+ for spaces), several pairs in order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(unicodeText, unicodeText), { maxLength: 8 }), (pairs) => {
        fc.pre(pairs.every(([name]) => name !== '__proto__'));
        const body = new URLSearchParams(pairs).toString();
        expect(decodeFormBody(body)).toEqual(pairs);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses any byte string that is not UTF-8, naming the field', () => {
    fc.assert(
      fc.property(notUtf8, (bytes) => {
        const error = refusal(`display_name=${percentEncoded(bytes)}`);
        expect(error.field).toBe('display_name');
        expect(error.message).toBe('display_name is not valid UTF-8 once percent-decoded');
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a % not followed by two hex digits', () => {
    fc.assert(
      fc.property(
        unicodeText,
        fc.constantFrom('%', '%z', '%4', '%g0', '%0g', '% 1', '%%41'),
        unicodeText,
        (before, broken, after) => {
          // `~` is no hex digit: the escape stays broken whatever follows.
          const body = `v=${encodeURIComponent(before)}${broken}~${encodeURIComponent(after)}`;
          expect(refusal(body).message).toContain('invalid percent-encoding');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads what URLSearchParams reads, whenever it accepts a body', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[a-z%0-9+&=]*$/)),
        (body) => {
          let strict: Array<[string, string]>;
          try {
            strict = decodeFormBody(body);
          } catch (error) {
            expect(error).toBeInstanceOf(EventValidationError);
            return;
          }
          // The leading & keeps the constructor from dropping a leading ? (a URL's query
          // syntax, not the form parser's).
          expect(strict).toEqual([...new URLSearchParams(`&${body}`)]);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
