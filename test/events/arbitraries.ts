/**
 * fast-check arbitraries for schema-1 events, shared by the property tests of the events
 * module and of the receiver SDK, so that both sides are tested with the same inputs.
 */
import fc from 'fast-check';
import {
  EVENT_NAMES,
  encodeEvent,
  MAX_FIELD_LENGTH,
  type OutboundEvent,
} from '../../src/events/index.js';

/** The variables of schema-1 events, every kind together. */
export const EVENT_KEYS = [
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
  '\u0001', // a control character (NUL itself is refused)
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

/**
 * A valid field value: non-empty, well-formed Unicode without NUL, at most MAX_FIELD_LENGTH
 * long.
 */
export const text: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...SPECIAL) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }) },
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => parts.join(''))
  .filter(
    (s) => s.length > 0 && s.length <= MAX_FIELD_LENGTH && s.isWellFormed() && !s.includes('\0'),
  );

/** A valid conference_id: `general`, or `rep:N` / `team:N` with N a positive whole number. */
export const conferenceId: fc.Arbitrary<string> = fc.oneof(
  fc.constant('general'),
  fc
    .tuple(
      fc.constantFrom('rep', 'team'),
      fc.oneof(fc.integer({ min: 1, max: 99 }), fc.bigInt({ min: 1n, max: 10n ** 30n })),
    )
    .map(([kind, n]) => `${kind}:${n}`),
);

/** Any valid timestamp, with the bounds drawn more often than chance would. */
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
export const validEvent: fc.Arbitrary<OutboundEvent> = fc
  .constantFrom(...EVENT_NAMES)
  .chain((name) => {
    if (name === 'support_conference_owner_changed') {
      return fc
        .tuple(base(name), fc.record({ conference_id: conferenceId, conference_name: text }))
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

/**
 * One `key=value` of a form body: one of `keys` or any string, one of `values`, a valid field
 * value or any string; raw or percent-encoded, since parsers must cope with both.
 */
export function formPair(keys: string[], values: fc.Arbitrary<string>[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.oneof(fc.constantFrom(...keys), fc.string()),
      fc.oneof(...values, text, fc.string()),
      fc.boolean(),
    )
    .map(([key, value, raw]) =>
      raw ? `${key}=${value}` : new URLSearchParams([[key, value]]).toString(),
    );
}

/** Bodies of up to 12 pairs, and valid bodies with up to 2 pairs appended. */
export function pairedBodies(pair: fc.Arbitrary<string>): fc.Arbitrary<string>[] {
  return [
    fc.array(pair, { maxLength: 12 }).map((pairs) => pairs.join('&')),
    fc
      .tuple(validEvent, fc.array(pair, { maxLength: 2 }))
      .map(([event, pairs]) => [encodeEvent(event), ...pairs].join('&')),
  ];
}
