/**
 * Property: any valid schema-1 body, plus appliance_id and any subset of the declared custom
 * fields (in any order), parses in strict mode into the event with those extras; one
 * undeclared extra variable anywhere among them is refused, naming it (and dropped in lenient
 * mode).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeEvent, type OutboundEvent, VARIABLES } from '../../src/events/index.js';
import { type ParseOptions, parseEvent, ReceiverError } from '../../src/receiver/index.js';
import { text, validEvent } from '../events/arbitraries.js';

const RESERVED = new Set([...Object.keys(VARIABLES), 'appliance_id']);

const codeName = fc.stringMatching(/^[a-z][a-z0-9_]{0,63}$/).filter((name) => !RESERVED.has(name));

interface Case {
  event: OutboundEvent;
  declared: string[];
  /** The extras sent, in the order sent. */
  extras: Array<[string, string]>;
}

/** An event, the declared custom fields, and appliance_id plus a subset of them, shuffled. */
const validCase: fc.Arbitrary<Case> = fc
  .tuple(
    validEvent,
    fc.uniqueArray(codeName, { maxLength: 6 }),
    fc.option(text, { nil: undefined }),
  )
  .chain(([event, declared, applianceId]) =>
    fc
      .tuple(
        fc.subarray(declared),
        fc.array(text, { minLength: declared.length, maxLength: declared.length }),
      )
      .chain(([sent, values]) => {
        const extras: Array<[string, string]> = sent.map((name, i) => [name, values[i] as string]);
        if (applianceId !== undefined) extras.push(['appliance_id', applianceId]);
        return fc.shuffledSubarray(extras, { minLength: extras.length });
      })
      .map((extras) => ({ event, declared, extras })),
  );

function body(event: OutboundEvent, extras: Array<[string, string]>): string {
  const tail = new URLSearchParams(extras).toString();
  return tail === '' ? encodeEvent(event) : `${encodeEvent(event)}&${tail}`;
}

/** The event the SDK returns for `c`. */
function expected({ event, extras }: Case): Record<string, unknown> {
  const out: Record<string, unknown> = { ...event };
  const custom: Record<string, string> = Object.create(null);
  let anyCustom = false;
  for (const [name, value] of extras) {
    if (name === 'appliance_id') out.appliance_id = value;
    else {
      custom[name] = value;
      anyCustom = true;
    }
  }
  if (anyCustom) out.customFields = custom;
  return out;
}

/** A variable name no option makes known: any text, or a code name nobody declared. */
const stranger = fc
  .oneof(codeName, fc.string({ minLength: 0, maxLength: 12 }))
  // __proto__ is refused by the form decoder in every mode (a trap for plain objects).
  .filter(
    (name) =>
      !RESERVED.has(name) && name !== '__proto__' && name.isWellFormed() && !name.includes('\0'),
  );

describe('parseEvent with the wire options (property)', () => {
  it('accepts any valid body with appliance_id and any declared custom fields, in strict mode', () => {
    fc.assert(
      fc.property(
        validCase,
        fc.constantFrom<ParseOptions['mode']>('strict', 'lenient'),
        (c, mode) => {
          const input = body(c.event, c.extras);
          const options: ParseOptions = { mode, customFields: c.declared };
          expect(parseEvent(input, options)).toStrictEqual(expected(c));
          expect(parseEvent(new URLSearchParams(input), options)).toStrictEqual(expected(c));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses one undeclared extra variable, wherever it is, naming it', () => {
    fc.assert(
      fc.property(validCase, stranger, text, fc.nat(), (c, name, value, at) => {
        fc.pre(!c.declared.includes(name));
        const extras = [...c.extras];
        extras.splice(at % (extras.length + 1), 0, [name, value]);
        const input = body(c.event, extras);
        let refused: unknown;
        try {
          parseEvent(input, { customFields: c.declared });
        } catch (error) {
          refused = error;
        }
        expect(refused).toBeInstanceOf(ReceiverError);
        expect(refused).toMatchObject({
          code: 'OUTBOUND_MALFORMED_EVENT',
          status: 400,
          field: name,
        });
        // Lenient mode drops it and keeps everything else.
        expect(parseEvent(input, { mode: 'lenient', customFields: c.declared })).toStrictEqual(
          expected(c),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
