import fc from 'fast-check';
import { EVENT_NAMES, MAX_FIELD_LENGTH, type OutboundEvent } from '../../src/events/index.js';

/** One event of each kind, with the optional parts both present and absent. */
export const SAMPLE_EVENTS: OutboundEvent[] = [
  { event: 'support_conference_begin', version: 1, timestamp: 1_700_000_000, lsid: '42' },
  {
    event: 'support_conference_begin',
    version: 1,
    timestamp: 1_700_000_001,
    lsid: '43',
    external_key: 'INC-7',
  },
  {
    event: 'support_conference_owner_changed',
    version: 1,
    timestamp: 1_700_000_002,
    lsid: '42',
    conference_id: 'rep:12',
    conference_name: 'José Müller',
  },
  {
    event: 'support_conference_member_added',
    version: 1,
    timestamp: 1_700_000_003,
    lsid: '42',
    type: 'customer',
    display_name: 'A & B = C+D',
  },
  {
    event: 'support_conference_member_added',
    version: 1,
    timestamp: 1_700_000_004,
    lsid: '42',
    type: 'representative',
    display_name: '王小明',
    user_id: '12',
    username: 'wang',
  },
  {
    event: 'support_conference_member_departed',
    version: 1,
    timestamp: 1_700_000_005,
    lsid: '42',
    external_key: 'INC-7',
    type: 'representative',
    display_name: 'Rep',
    user_id: '12',
    username: 'rep',
  },
  { event: 'support_conference_end', version: 1, timestamp: 1_700_000_006, lsid: '42' },
  {
    event: 'support_conference_customer_exit_survey_completed',
    version: 1,
    timestamp: 1_700_000_007,
    lsid: '42',
  },
  {
    event: 'support_conference_representative_exit_survey_completed',
    version: 1,
    timestamp: 1_700_000_008,
    lsid: '42',
  },
];

/** Pieces that stress the form encoding: separators, escapes, line breaks, non-ASCII. */
const SPECIAL = [
  '&',
  '=',
  '+',
  ' ',
  '%',
  '%2B',
  '%zz',
  '\n',
  '\r\n',
  '\0',
  '#',
  '?',
  '\uFEFF',
  'José',
  '王',
  '😀',
];

/** A valid field value: non-empty, well-formed Unicode, within the length limit. */
export const text: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...SPECIAL),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(''))
  .filter((s) => s.length > 0 && s.length <= MAX_FIELD_LENGTH && s.isWellFormed());

const base = (name: string) =>
  fc
    .record({
      timestamp: fc.integer({ min: 0, max: 253_402_300_799 }),
      lsid: text,
      external_key: fc.option(text, { nil: undefined }),
    })
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

/** Any valid schema-1 event. */
export const validEvent: fc.Arbitrary<OutboundEvent> = fc
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
