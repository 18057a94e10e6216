import { VARIABLES } from '../events/schema.js';
import type { PendingDelivery, Recipient } from '../types.js';

/**
 * What a recipient is sent for one event: the stored body (the guide's byte-exact form), plus
 * what the recipient opted into for receivers written against deployed appliances
 * (CONTRACT §7). Decided at send time from the recipient's current settings, so a changed
 * option reaches events already queued, replays and re-sends after a restart alike.
 */

const GUIDE_SURVEY = 'event=support_conference_representative_exit_survey_completed';
const DEPLOYED_SURVEY = 'event=support_conference_rep_exit_survey_completed';

/**
 * Names a custom field never takes on the wire: the guide's variables and appliance_id. New
 * definitions may not use them; one saved before that rule is left out rather than sent twice.
 */
const RESERVED: ReadonlySet<string> = new Set([...Object.keys(VARIABLES), 'appliance_id']);

/** What of the stored event the wire options need. */
export interface WireEvent {
  /** The session's custom attributes when the event was emitted (code name → value). */
  customFields?: Readonly<Record<string, string>> | null;
}

export type WireOptions = Pick<
  Recipient,
  'repSurveyEventName' | 'sendApplianceId' | 'sendCustomFields'
>;

/** True when `recipient` gets the stored body unchanged: the guide's body, nothing added. */
export function sendsStoredBody(recipient: WireOptions): boolean {
  return (
    recipient.repSurveyEventName !== 'rep' &&
    !recipient.sendApplianceId &&
    !recipient.sendCustomFields
  );
}

/**
 * The body as sent: `body` itself (the same string, nothing allocated) when the options add
 * nothing; else, in this order, the representative survey under its deployed name, then
 * `appliance_id`, then each custom field by code name — after the guide's variables, encoded
 * as encodeEvent encodes (WHATWG form encoding), so a receiver's form parser reads back the
 * exact strings. The stored body always starts with `event=`: encodeEvent writes it first.
 */
export function wireBody(
  body: string,
  event: WireEvent,
  recipient: WireOptions,
  applianceId: string,
): string {
  if (sendsStoredBody(recipient)) return body;
  let out = body;
  if (
    recipient.repSurveyEventName === 'rep' &&
    body.startsWith(GUIDE_SURVEY) &&
    (body.length === GUIDE_SURVEY.length || body[GUIDE_SURVEY.length] === '&')
  ) {
    out = DEPLOYED_SURVEY + body.slice(GUIDE_SURVEY.length);
  }
  const extra = new URLSearchParams();
  if (recipient.sendApplianceId) extra.append('appliance_id', applianceId);
  if (recipient.sendCustomFields && event.customFields != null) {
    for (const [codeName, value] of Object.entries(event.customFields)) {
      if (!RESERVED.has(codeName)) extra.append(codeName, value);
    }
  }
  const added = extra.toString();
  return added === '' ? out : `${out}&${added}`;
}

/**
 * wireBody for a delivery as the lanes read it: the stored custom fields (JSON text) are only
 * parsed for a recipient that sends them. With every option off this is three property reads
 * and the stored string itself: the hot path allocates nothing more.
 */
export function deliveryWireBody(
  delivery: Pick<PendingDelivery, 'body' | 'customFieldsJson'>,
  recipient: WireOptions,
  applianceId: string,
): string {
  if (sendsStoredBody(recipient)) return delivery.body;
  const json = recipient.sendCustomFields ? delivery.customFieldsJson : null;
  const customFields = json == null ? null : (JSON.parse(json) as Record<string, string>);
  return wireBody(delivery.body, { customFields }, recipient, applianceId);
}
