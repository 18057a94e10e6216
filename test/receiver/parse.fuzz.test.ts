import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEvent,
  decodeFormBody,
  EVENT_NAMES,
  encodeEvent,
  type OutboundEvent,
} from '../../src/events/index.js';
import { type ParseOptions, parseEvent, ReceiverError } from '../../src/receiver/index.js';
import { EVENT_KEYS, formPair, pairedBodies, validEvent } from '../events/arbitraries.js';

const KEYS = [...EVENT_KEYS, '__proto__', 'constructor', 'foo'];

const VALUES = [
  ...EVENT_NAMES,
  'support_conference_rep_exit_survey_completed',
  '1',
  '0',
  '-1',
  '1.0',
  '1700000000',
  '253402300800',
  'customer',
  'representative',
  '',
  '%FF',
  '%ZZ',
  '%',
];

const pair = formPair(KEYS, [fc.constantFrom(...VALUES)]);

/** Bodies near valid ones (so that both outcomes happen) and far from them. */
const body: fc.Arbitrary<string> = fc.oneof(
  ...pairedBodies(pair),
  // A valid body with one variable dropped.
  fc.tuple(validEvent, fc.nat()).map(([event, n]) => {
    const pairs = encodeEvent(event).split('&');
    pairs.splice(n % pairs.length, 1);
    return pairs.join('&');
  }),
  fc.string(),
  fc.string({ unit: 'binary' }),
);

const MODES: ParseOptions[] = [{}, { mode: 'strict' }, { mode: 'lenient' }];

/** The validator's verdict: the event, or undefined when it refuses. */
function validator(input: string, options: ParseOptions): OutboundEvent | undefined {
  try {
    return decodeEvent(input, { mode: options.mode ?? 'strict' });
  } catch {
    return undefined;
  }
}

function strictlyDecodable(input: string): boolean {
  try {
    decodeFormBody(input);
    return true;
  } catch {
    return false;
  }
}

/** parseEvent's verdict; anything thrown that is not a ReceiverError fails the property. */
function parsed(fn: () => OutboundEvent): OutboundEvent | undefined {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof ReceiverError)) throw error;
    expect(error.status).toBe(400);
    expect(error.code).toBe('OUTBOUND_MALFORMED_EVENT');
    return undefined;
  }
}

describe('parseEvent on arbitrary bodies', () => {
  it('throws only ReceiverError, and agrees with the validator (decodeEvent) exactly', () => {
    fc.assert(
      fc.property(body, fc.constantFrom(...MODES), (input, options) => {
        const expected = validator(input, options);
        expect(parsed(() => parseEvent(input, options))).toStrictEqual(expected);
        // Variables split by URLSearchParams have lost their raw escapes (a %zz kept as text,
        // %ff turned into U+FFFD): they agree when the body decodes strictly.
        if (strictlyDecodable(input)) {
          expect(parsed(() => parseEvent(new URLSearchParams(input), options))).toStrictEqual(
            expected,
          );
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('as bytes: accepts only UTF-8 that the validator accepts', () => {
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(
        fc.oneof(
          body.map((s) => new TextEncoder().encode(s)),
          fc.uint8Array({ maxLength: 64 }),
          // A valid body with one byte replaced.
          fc
            .tuple(validEvent, fc.nat(), fc.integer({ min: 0, max: 255 }))
            .map(([event, at, byte]) => {
              const bytes = new TextEncoder().encode(encodeEvent(event));
              bytes[at % bytes.length] = byte;
              return bytes;
            }),
        ),
        fc.constantFrom(...MODES),
        (bytes, options) => {
          let expected: OutboundEvent | undefined;
          try {
            expected = validator(utf8.decode(bytes), options);
          } catch {
            expected = undefined; // not UTF-8
          }
          expect(parsed(() => parseEvent(bytes, options))).toStrictEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the generator finds accepted bodies often enough to test both outcomes', () => {
    const accepted = fc
      .sample(body, { numRuns: 2000, seed: 7 })
      .filter((input) => validator(input, { mode: 'lenient' }) !== undefined);
    expect(accepted.length).toBeGreaterThan(100);
  });
});
