import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEvent,
  EVENT_NAMES,
  EventValidationError,
  encodeEvent,
  MAX_FIELD_LENGTH,
  type OutboundEvent,
  type ValidateOptions,
  validateEvent,
} from '../../src/events/index.js';

/** Pieces that stress the form encoding: separators, escapes, line breaks, non-ASCII. */
const SPECIAL = [
  '&',
  '=',
  '+',
  ' ',
  '%',
  '%20',
  '%2B',
  '%zz',
  '\n',
  '\r\n',
  '\r',
  '\t',
  '\0',
  '#',
  '?',
  ';',
  '\uFEFF',
  '\u00A0',
  'José Müller',
  '王小明',
  '😀',
  'é', // combining accent
];

/** A valid field value: non-empty, well-formed Unicode, at most MAX_FIELD_LENGTH long. */
const text: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...SPECIAL) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }) },
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => parts.join(''))
  .filter((s) => s.length > 0 && s.length <= MAX_FIELD_LENGTH && s.isWellFormed());

const timestamp = fc.oneof(
  fc.integer({ min: 0, max: 253_402_300_799 }),
  fc.constantFrom(0, 1, 1_700_000_000, 253_402_300_799),
);

const base = (name: string) =>
  fc
    .record({ timestamp, lsid: text, external_key: fc.option(text, { nil: undefined }) })
    .map(({ timestamp, lsid, external_key }) => {
      const event: Record<string, unknown> = { event: name, version: 1, timestamp, lsid };
      if (external_key !== undefined) event.external_key = external_key;
      return event;
    });

const member = fc.oneof(
  fc.record({ type: fc.constant('customer'), display_name: text }),
  fc.record({
    type: fc.constant('representative'),
    display_name: text,
    user_id: text,
    username: text,
  }),
);

/** Any valid schema-1 event, as a plain object with no undefined members. */
const validEvent: fc.Arbitrary<OutboundEvent> = fc
  .constantFrom(...EVENT_NAMES)
  .chain((name) => {
    if (name === 'support_conference_owner_changed') {
      return fc
        .tuple(base(name), fc.record({ conference_id: text, conference_name: text }))
        .map(([b, extra]) => ({ ...b, ...extra }));
    }
    if (
      name === 'support_conference_member_added' ||
      name === 'support_conference_member_departed'
    ) {
      return fc.tuple(base(name), member).map(([b, extra]) => ({ ...b, ...extra }));
    }
    return base(name);
  })
  .map((event) => event as unknown as OutboundEvent);

const KNOWN_KEYS = [
  'event',
  'version',
  'timestamp',
  'lsid',
  'external_key',
  'conference_id',
  'conference_name',
  'type',
  'display_name',
  'user_id',
  'username',
];

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
      { weight: 4, arbitrary: fc.constantFrom(...KNOWN_KEYS) },
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
      fc.constantFrom(...KNOWN_KEYS, 'foo', '__proto__'),
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
const pair = fc
  .tuple(
    fc.oneof(fc.constantFrom(...KNOWN_KEYS, '__proto__', 'foo'), fc.string()),
    fc.oneof(
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
      text,
      fc.string(),
    ),
    fc.boolean(),
  )
  .map(([key, value, raw]) =>
    raw ? `${key}=${value}` : new URLSearchParams([[key, value]]).toString(),
  );

const looseBody: fc.Arbitrary<string> = fc.oneof(
  fc.array(pair, { maxLength: 12 }).map((pairs) => pairs.join('&')),
  // A valid body with something appended.
  fc
    .tuple(validEvent, fc.array(pair, { maxLength: 2 }))
    .map(([event, pairs]) => [encodeEvent(event), ...pairs].join('&')),
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
