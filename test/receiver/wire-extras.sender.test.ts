/**
 * The two ends agree: whatever body the sender builds for a recipient's wire options
 * (src/delivery/wire-body.ts), the SDK reads back in strict mode as the event, with the
 * recipient's appliance_id and the session's custom fields, and `outbound listen` finds
 * nothing wrong with it and names exactly the options that were on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wireBody } from '../../src/delivery/wire-body.js';
import { encodeEvent, VARIABLES } from '../../src/events/index.js';
import { inspectRequest } from '../../src/listener/index.js';
import { parseEvent } from '../../src/receiver/index.js';
import { text, validEvent } from '../events/arbitraries.js';

const RESERVED = new Set([...Object.keys(VARIABLES), 'appliance_id']);
const codeName = fc.stringMatching(/^[a-z][a-z0-9_]{0,63}$/).filter((name) => !RESERVED.has(name));

const options = fc.record({
  repSurveyEventName: fc.constantFrom('guide' as const, 'rep' as const),
  sendApplianceId: fc.boolean(),
  sendCustomFields: fc.boolean(),
});

const session = fc.dictionary(codeName, text, { maxKeys: 5 });

describe('the SDK reads every body the sender builds for the wire options (property)', () => {
  it('strict mode, custom fields declared: the event and exactly what the options add', () => {
    fc.assert(
      fc.property(validEvent, options, session, text, (event, recipient, custom, applianceId) => {
        const body = wireBody(encodeEvent(event), { customFields: custom }, recipient, applianceId);
        const parsed = parseEvent(body, { customFields: Object.keys(custom) });

        const expected: Record<string, unknown> = { ...event };
        if (recipient.sendApplianceId) expected.appliance_id = applianceId;
        if (recipient.sendCustomFields && Object.keys(custom).length > 0) {
          expected.customFields = Object.assign(Object.create(null), custom);
        }
        expect(parsed).toStrictEqual(expected);
        expect(parseEvent(body, { customFields: 'any' })).toStrictEqual(expected);

        const inspection = inspectRequest({
          method: 'POST',
          path: '/',
          contentType: 'application/x-www-form-urlencoded',
          body: Buffer.from(body),
        });
        expect(inspection.problems).toEqual([]);
        const survey =
          recipient.repSurveyEventName === 'rep' &&
          event.event === 'support_conference_representative_exit_survey_completed';
        expect(inspection.recipientOptions ?? {}).toEqual({
          ...(survey ? { repSurveyEventName: 'rep' } : {}),
          ...(recipient.sendApplianceId ? { sendApplianceId: true } : {}),
          ...(expected.customFields ? { sendCustomFields: Object.keys(custom) } : {}),
        });
      }),
      { numRuns: 1000 },
    );
  });
});
