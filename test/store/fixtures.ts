/** Builders for the values the store takes, made the way the service makes them. */
import { type EventName, encodeEvent, validateEvent } from '../../src/events/index.js';
import { newEventUid } from '../../src/ids.js';
import type { DeliveredHead } from '../../src/store/store.js';
import type { AttemptOutcome, NewEvent, RecipientInput } from '../../src/types.js';

export const BEGIN = 'support_conference_begin';
export const END = 'support_conference_end';
export const OWNER = 'support_conference_owner_changed';
export const MEMBER_ADDED = 'support_conference_member_added';

/** The variables each event needs beyond the standard ones. */
function ownFields(name: EventName): Record<string, string> {
  switch (name) {
    case 'support_conference_owner_changed':
      return { conference_id: 'general', conference_name: 'General' };
    case 'support_conference_member_added':
    case 'support_conference_member_departed':
      return { type: 'representative', display_name: 'Ann', user_id: '7', username: 'ann' };
    default:
      return {};
  }
}

let lsids = 0;

/** A validated, encoded event, as the API hands it to the store. */
export function newEvent(
  name: EventName = BEGIN,
  options: { lsid?: string; externalKey?: string; uid?: string } = {},
): NewEvent {
  const event = validateEvent({
    event: name,
    version: 1,
    timestamp: 1_700_000_000,
    lsid: options.lsid ?? String(++lsids),
    ...(options.externalKey === undefined ? {} : { external_key: options.externalKey }),
    ...ownFields(name),
  });
  return {
    uid: options.uid ?? newEventUid(),
    name: event.event,
    lsid: event.lsid,
    externalKey: event.external_key ?? null,
    timestamp: event.timestamp,
    body: encodeEvent(event),
  };
}

export function newEvents(...names: EventName[]): NewEvent[] {
  return names.map((name) => newEvent(name));
}

let recipients = 0;

export function recipientInput(overrides: Partial<RecipientInput> = {}): RecipientInput {
  recipients++;
  return {
    name: `recipient-${recipients}`,
    url: `http://127.0.0.1:9/hook?outbound_event_token=t${recipients}&appliance_id=a`,
    enabled: true,
    paused: false,
    events: 'all',
    retryIntervalMs: 1_000,
    retryMaxIntervalMs: 60_000,
    retryDurationMs: 0,
    timeoutMs: 5_000,
    tlsVerify: true,
    caPem: null,
    headers: {},
    secret: null,
    previousSecret: null,
    previousSecretExpiresAt: null,
    secretRotationMs: 0,
    alertContacts: [],
    alertAfterMs: 600_000,
    resendAlertsMs: 3_600_000,
    kind: 'http',
    repSurveyEventName: 'guide',
    sendApplianceId: false,
    sendCustomFields: false,
    ...overrides,
  };
}

/** The delivery a 200 is for, with the attempts it had before (0 unless it failed first). */
export function head(recipientId: number, seq: number, attempts = 0): DeliveredHead {
  return { recipientId, seq, attempts };
}

export function success(at: number): AttemptOutcome {
  return { at, status: 200, errorCode: null, error: null, latencyMs: 3, snippet: null };
}

export function failure(at: number, status: number | null = 500): AttemptOutcome {
  return status === null
    ? {
        at,
        status: null,
        errorCode: 'CONNECTION_REFUSED',
        error: 'connect ECONNREFUSED 127.0.0.1:9',
        latencyMs: 1.5,
        snippet: null,
      }
    : {
        at,
        status,
        errorCode: 'HTTP_STATUS',
        error: `answered ${status}`,
        latencyMs: 12.5,
        snippet: 'oops',
      };
}
