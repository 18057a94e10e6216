import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEvent,
  EVENT_NAMES,
  EventValidationError,
  encodeEvent,
  type OutboundEvent,
  type ValidateOptions,
  validateEvent,
} from '../../src/events/index.js';
import { EVENT_KEYS, formPair, pairedBodies, text, validEvent } from './arbitraries.js';

/** Values near and far from valid ones, so that both branches are exercised. */
const looseValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...EVENT_NAMES),
  fc.constantFrom(
    'support_conference_rep_exit_survey_completed',
    'constructor',
    '__proto__',
    'toString',
    'customer',
    'representative',
    '1',
    '0',
    '-0',
    '12a',
    '',
    '\uD800',
  ),
  fc.constantFrom(1, 0, -0, -1, 1.5, 2 ** 53, Number.NaN, null, undefined, true),
  text,
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.anything(),
);

/** Objects that look like events: known keys, odd keys, and any values. */
const looseObject: fc.Arbitrary<unknown> = fc.oneof(
  fc.dictionary(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...EVENT_KEYS) },
      { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'foo', '') },
      { weight: 1, arbitrary: fc.string() },
    ),
    looseValue,
    { maxKeys: 12 },
  ),
  // A valid event with one member replaced, removed or added.
  fc
    .tuple(
      validEvent,
      fc.constantFrom(...EVENT_KEYS, 'foo', '__proto__'),
      fc.option(looseValue, { nil: undefined }),
    )
    .map(([event, key, value]) => {
      const copy: Record<string, unknown> = { ...event };
      if (value === undefined) delete copy[key];
      else Object.defineProperty(copy, key, { value, enumerable: true, writable: true });
      return copy;
    }),
  fc.anything(),
);

/** A form body: pairs built from known and odd keys, raw or percent-encoded. */
const pair = formPair(
  [...EVENT_KEYS, '__proto__', 'foo'],
  [
    fc.constantFrom(...EVENT_NAMES, 'support_conference_rep_exit_survey_completed'),
    fc.constantFrom(
      '1',
      '1700000000',
      'customer',
      'representative',
      '',
      '%FF',
      '%ZZ',
      'constructor',
    ),
  ],
);

const looseBody: fc.Arbitrary<string> = fc.oneof(
  ...pairedBodies(pair),
  fc.string(),
  fc.string({ unit: 'binary' }),
);

const OPTIONS: ValidateOptions[] = [
  {},
  { mode: 'lenient' },
  { defaultTimestamp: () => 1_700_000_000 },
  { mode: 'lenient', defaultTimestamp: () => 0 },
];

/** Calls `fn`; anything thrown must be an EventValidationError. */
function attempt(fn: () => OutboundEvent): OutboundEvent | undefined {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof EventValidationError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
    return undefined;
  }
}

/** A returned event is valid on the wire: it encodes and decodes to itself, in every mode. */
function expectStable(event: OutboundEvent): void {
  const body = encodeEvent(event);
  expect(decodeEvent(body)).toStrictEqual(event);
  expect(validateEvent(event)).toStrictEqual(event);
  expect(encodeEvent(decodeEvent(body))).toBe(body);
}

describe('round trip of valid events', () => {
  it('encodeEvent then decodeEvent gives back the original event', () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        expect(decodeEvent(encodeEvent(event))).toStrictEqual(event);
      }),
      { numRuns: 1000 },
    );
  });

  it('validateEvent accepts a valid event unchanged', () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        expect(validateEvent(event)).toStrictEqual(event);
      }),
      { numRuns: 500 },
    );
  });

  it('a form parser reads every variable exactly once, with its original value', () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        const params = new URLSearchParams(encodeEvent(event));
        const entries = Object.entries(event).map(([k, v]) => [k, String(v)]);
        expect([...params].sort()).toEqual(entries.sort());
      }),
      { numRuns: 500 },
    );
  });

  it('the body is ASCII form syntax only', () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        expect(encodeEvent(event)).toMatch(/^[A-Za-z0-9*\-._+%&=]+$/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('validateEvent on arbitrary input', () => {
  it('returns or throws EventValidationError, and what it returns is stable', () => {
    fc.assert(
      fc.property(looseObject, fc.constantFrom(...OPTIONS), (input, options) => {
        const event = attempt(() => validateEvent(input, options));
        if (event !== undefined) expectStable(event);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('decodeEvent on arbitrary bodies', () => {
  it('returns or throws EventValidationError, and what it returns is stable', () => {
    fc.assert(
      fc.property(looseBody, fc.constantFrom(...OPTIONS), (body, options) => {
        const event = attempt(() => decodeEvent(body, options));
        if (event !== undefined) expectStable(event);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds valid bodies often enough to test the second half', () => {
    const results = fc
      .sample(looseBody, { numRuns: 2000, seed: 42 })
      .map((body) => attempt(() => decodeEvent(body, { mode: 'lenient' })));
    expect(results.filter((r) => r !== undefined).length).toBeGreaterThan(50);
  });
});
