/**
 * The OpenAPI document's event schema and the validator are both read from the schema-1 table:
 * here they must agree, on valid events, on one refusing example for each rule of the table,
 * and on any JSON object near an event.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPENAPI } from '../../src/api/openapi.js';
import {
  EVENT_NAMES,
  type EventName,
  EventValidationError,
  MAX_FIELD_LENGTH,
  MAX_TIMESTAMP,
  SCHEMA_1,
  VARIABLES,
  type VariableName,
  validateEvent,
  variablesOf,
} from '../../src/events/index.js';
import { EVENT_KEYS, text, validEvent } from './arbitraries.js';

// strictRequired off: a branch of `oneOf` requires variables its parent object defines.
const ajv = new Ajv2020({ strict: true, strictRequired: false });
const schemas = OPENAPI.components.schemas as Record<string, object>;
const eventSchema = ajv.compile(schemas.Event as object);
const ownerSchema = ajv.compile(schemas.Owner as object);
const memberSchema = ajv.compile(schemas.Member as object);

/** What the API does with a JSON event: version and timestamp may be left out. */
function validatorAccepts(input: unknown): boolean {
  try {
    validateEvent(input, { defaultTimestamp: () => 1_700_000_000, source: 'json' });
    return true;
  } catch (error) {
    if (error instanceof EventValidationError) return false;
    throw error;
  }
}

function verdicts(input: unknown): { validator: boolean; openapi: boolean } {
  return { validator: validatorAccepts(input), openapi: eventSchema(input) };
}

/** A valid event of each kind (a customer and a representative for the member events). */
function examples(name: EventName): Array<Record<string, unknown>> {
  const base = { event: name, version: 1, timestamp: 1_700_000_000, lsid: '42' };
  if (name === 'support_conference_owner_changed') {
    return [{ ...base, conference_id: 'rep:12', conference_name: 'John Smith' }];
  }
  if (Object.hasOwn(SCHEMA_1[name], 'type')) {
    return [
      { ...base, type: 'customer', display_name: 'Ann' },
      { ...base, type: 'representative', display_name: 'Bo', user_id: '7', username: 'bo' },
    ];
  }
  return [base];
}

/** Values each format refuses (JSON values: what a body can hold). */
function refusedValues(field: VariableName): unknown[] {
  const format = VARIABLES[field].format;
  switch (format.kind) {
    case 'name':
      return ['support_conference_paused', '', 7, null];
    case 'version':
      return [2, '1', 0, null, true];
    case 'timestamp':
      return [-1, 1.5, MAX_TIMESTAMP + 1, '1700000000', null, 2 ** 53];
    case 'choice':
      return ['robot', '', 1, null, format.values.map((v) => v.toUpperCase())[0]];
    case 'text': {
      const values: unknown[] = ['', 'x'.repeat(MAX_FIELD_LENGTH + 1), 'a\0b', '\uD800', 42, null];
      if (format.pattern !== undefined) values.push('x', 'rep:012', 'general ', 'team:');
      return values;
    }
  }
}

describe('the OpenAPI event schema and the validator', () => {
  it('both accept every valid event, with or without version and timestamp', () => {
    fc.assert(
      fc.property(validEvent, fc.boolean(), (event, defaulted) => {
        const input: Record<string, unknown> = { ...event };
        if (defaulted) {
          delete input.version;
          delete input.timestamp;
        }
        expect(verdicts(input)).toEqual({ validator: true, openapi: true });
      }),
      { numRuns: 500 },
    );
    const alias = {
      ...examples(EVENT_NAMES[6])[0],
      event: 'support_conference_rep_exit_survey_completed',
    };
    expect(verdicts(alias)).toEqual({ validator: true, openapi: true });
  });

  it('both refuse one example for each rule of the table', () => {
    let checked = 0;
    for (const name of EVENT_NAMES) {
      for (const example of examples(name)) {
        expect(verdicts(example), name).toEqual({ validator: true, openapi: true });
        const representative = example.type === 'representative';
        for (const [field, presence] of variablesOf(name)) {
          // Required: left out (version and timestamp have the API's defaults).
          const without = { ...example };
          delete without[field];
          const leftOut =
            presence === 'required'
              ? field !== 'version' && field !== 'timestamp'
              : presence === 'representative' && representative;
          expect(verdicts(without), `${name} without ${field}`).toEqual({
            validator: !leftOut,
            openapi: !leftOut,
          });
          // Sent for a customer: refused whatever its value.
          if (presence === 'representative' && !representative) {
            const extra = { ...example, [field]: 'x' };
            expect(verdicts(extra), `${name} customer with ${field}`).toEqual({
              validator: false,
              openapi: false,
            });
            checked++;
            continue;
          }
          for (const value of refusedValues(field)) {
            const bad = { ...example, [field]: value };
            expect(verdicts(bad), `${name} ${field}=${JSON.stringify(value)}`).toEqual({
              validator: false,
              openapi: false,
            });
            checked++;
          }
        }
        // A variable the event does not carry.
        for (const field of [...EVENT_KEYS, 'foo', '__proto__']) {
          if (Object.hasOwn(SCHEMA_1[name], field)) continue;
          // A computed key is an own property, `__proto__` included, as JSON.parse makes it.
          const extra = { ...example, [field]: 'x' };
          expect(verdicts(extra), `${name} with ${field}`).toEqual({
            validator: false,
            openapi: false,
          });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('agree on any JSON object near an event', () => {
    const value = fc.oneof(
      fc.constantFrom(...EVENT_NAMES, 'support_conference_rep_exit_survey_completed'),
      fc.constantFrom('customer', 'representative', 'general', 'rep:12', 'team:0', '1', ''),
      fc.constantFrom(0, 1, -1, 1.5, 2, MAX_TIMESTAMP, MAX_TIMESTAMP + 1, null, true),
      fc.constantFrom('\uD800', 'a\0b', '😀', 'x'.repeat(MAX_FIELD_LENGTH)),
      text,
      fc.jsonValue({ maxDepth: 1 }),
    );
    const change = fc.tuple(
      fc.constantFrom(...EVENT_KEYS, 'foo'),
      fc.option(value, { nil: undefined }),
    );
    fc.assert(
      fc.property(validEvent, fc.array(change, { maxLength: 3 }), (event, changes) => {
        const input: Record<string, unknown> = { ...event };
        for (const [field, to] of changes) {
          if (to === undefined) delete input[field];
          else input[field] = to;
        }
        const { validator, openapi } = verdicts(input);
        expect(openapi, JSON.stringify(input)).toBe(validator);
      }),
      { numRuns: 2000 },
    );
  });

  it("describe the sessions API's owner and member bodies as the validator reads them", () => {
    expect(ownerSchema({ conference_id: 'team:5', conference_name: 'Tier 2' })).toBe(true);
    expect(ownerSchema({ conference_id: 'team:05', conference_name: 'Tier 2' })).toBe(false);
    expect(ownerSchema({ conference_id: 'general', conference_name: '' })).toBe(false);
    expect(ownerSchema({ conference_id: 'general' })).toBe(false);
    expect(memberSchema({ type: 'customer', display_name: 'Ann' })).toBe(true);
    expect(memberSchema({ type: 'customer', display_name: 'Ann', user_id: '7' })).toBe(false);
    expect(
      memberSchema({ type: 'representative', display_name: 'Bo', user_id: '7', username: 'bo' }),
    ).toBe(true);
    expect(memberSchema({ type: 'representative', display_name: 'Bo', user_id: '7' })).toBe(false);
    // The sessions API also wants the N of `rep:N` as a representative's user_id.
    expect(
      memberSchema({ type: 'representative', display_name: 'Bo', user_id: 'bo', username: 'bo' }),
    ).toBe(false);
  });
});
