/**
 * Golden bodies of the per-recipient wire options (CONTRACT §7), for each of the 8
 * combinations: what a receiver written for a deployed appliance reads from its POST.
 */
import { describe, expect, it } from 'vitest';
import {
  deliveryWireBody,
  sendsStoredBody,
  type WireOptions,
  wireBody,
} from '../../src/delivery/wire-body.js';
import { decodeFormBody, encodeEvent, validateEvent } from '../../src/events/index.js';

const APPLIANCE = '3f1c9a52-7d0e-4b8e-9a41-2c5d6e7f8a90';
const FIELDS = { ticket_id: 'INC 42&x=1', region: 'Zürich / ✓' };

const survey = encodeEvent(
  validateEvent({
    event: 'support_conference_representative_exit_survey_completed',
    version: 1,
    timestamp: 1_700_000_000,
    lsid: 'a1b2',
    external_key: 'K 7',
  }),
);
const begin = encodeEvent(
  validateEvent({
    event: 'support_conference_begin',
    version: 1,
    timestamp: 1_700_000_000,
    lsid: 'a1b2',
  }),
);

const GUIDE =
  'event=support_conference_representative_exit_survey_completed&version=1&timestamp=1700000000&lsid=a1b2&external_key=K+7';
const REP =
  'event=support_conference_rep_exit_survey_completed&version=1&timestamp=1700000000&lsid=a1b2&external_key=K+7';
const ID = '&appliance_id=3f1c9a52-7d0e-4b8e-9a41-2c5d6e7f8a90';
const CUSTOM = '&ticket_id=INC+42%26x%3D1&region=Z%C3%BCrich+%2F+%E2%9C%93';

function options(rep: boolean, id: boolean, custom: boolean): WireOptions {
  return {
    repSurveyEventName: rep ? 'rep' : 'guide',
    sendApplianceId: id,
    sendCustomFields: custom,
  };
}

describe('wireBody: the representative exit survey with custom fields', () => {
  it('the stored body is the guide’s', () => {
    expect(survey).toBe(GUIDE);
  });

  const cases: [boolean, boolean, boolean, string][] = [
    [false, false, false, GUIDE],
    [true, false, false, REP],
    [false, true, false, GUIDE + ID],
    [false, false, true, GUIDE + CUSTOM],
    [true, true, false, REP + ID],
    [true, false, true, REP + CUSTOM],
    [false, true, true, GUIDE + ID + CUSTOM],
    [true, true, true, REP + ID + CUSTOM],
  ];
  for (const [rep, id, custom, golden] of cases) {
    it(`rep=${rep} appliance_id=${id} custom=${custom}`, () => {
      const body = wireBody(survey, { customFields: FIELDS }, options(rep, id, custom), APPLIANCE);
      expect(body).toBe(golden);
      // A form parser reads back the exact strings, the extras after the guide's variables.
      const pairs = decodeFormBody(body);
      expect(pairs.slice(0, 5).map(([k]) => k)).toEqual([
        'event',
        'version',
        'timestamp',
        'lsid',
        'external_key',
      ]);
      const extras = Object.fromEntries(pairs.slice(5));
      expect(extras).toEqual({
        ...(id ? { appliance_id: APPLIANCE } : {}),
        ...(custom ? FIELDS : {}),
      });
    });
  }
});

describe('wireBody: what the options leave alone', () => {
  it('all options off: the very same string, nothing built', () => {
    const off = options(false, false, false);
    expect(sendsStoredBody(off)).toBe(true);
    expect(Object.is(wireBody(survey, { customFields: FIELDS }, off, APPLIANCE), survey)).toBe(
      true,
    );
  });

  it('rep renames only the representative exit survey', () => {
    expect(wireBody(begin, {}, options(true, false, false), APPLIANCE)).toBe(begin);
    const customer = survey.replace('representative', 'customer');
    expect(wireBody(customer, {}, options(true, false, false), APPLIANCE)).toBe(customer);
  });

  it('custom fields asked for but none recorded: nothing added, no dangling &', () => {
    expect(wireBody(begin, {}, options(false, false, true), APPLIANCE)).toBe(begin);
    expect(wireBody(begin, { customFields: null }, options(false, false, true), APPLIANCE)).toBe(
      begin,
    );
    expect(wireBody(begin, { customFields: {} }, options(false, true, true), APPLIANCE)).toBe(
      `${begin}&appliance_id=${APPLIANCE}`,
    );
  });

  it('an appliance id with reserved characters is form-encoded', () => {
    expect(wireBody(begin, {}, options(false, true, false), 'host a&b=c')).toBe(
      `${begin}&appliance_id=host+a%26b%3Dc`,
    );
  });
});

describe('wireBody: custom fields never shadow the guide', () => {
  it('a field named like a guide variable (defined before the rule) is left out', () => {
    const fields = { type: 'x', appliance_id: 'forged', lsid: 'other', ticket: '1' };
    expect(wireBody(begin, { customFields: fields }, options(false, true, true), 'id-1')).toBe(
      `${begin}&appliance_id=id-1&ticket=1`,
    );
  });

  it('deliveryWireBody parses the stored JSON only for a recipient that sends custom fields', () => {
    const delivery = { body: begin, customFieldsJson: '{"ticket":"7"}' };
    expect(deliveryWireBody(delivery, options(false, false, true), 'id')).toBe(`${begin}&ticket=7`);
    // Not JSON at all: never read while the recipient does not ask for custom fields.
    const broken = { body: begin, customFieldsJson: '{' };
    expect(Object.is(deliveryWireBody(broken, options(false, false, false), 'id'), begin)).toBe(
      true,
    );
    expect(deliveryWireBody(broken, options(true, true, false), 'id')).toBe(
      `${begin}&appliance_id=id`,
    );
  });
});
