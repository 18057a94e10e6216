/**
 * The bench's event: a representative joining a session, ~155 bytes as a form body. Its
 * `lsid` is a rising number (1,000,000 + i, always 7 digits) so that the receiver can check
 * the order of arrival.
 */
import { encodeEvent, validateEvent } from '../src/events/index.js';
import { newEventUid } from '../src/ids.js';
import type { NewEvent } from '../src/types.js';

const BASE_LSID = 1_000_000;
const TIMESTAMP = 1_764_000_000;

export function lsidOf(i: number): string {
  return String(BASE_LSID + i);
}

/** The event as a client posts it to `POST /api/v1/events` (version and timestamp defaulted). */
export function jsonEvent(i: number): Record<string, string> {
  return {
    event: 'support_conference_member_added',
    lsid: lsidOf(i),
    type: 'representative',
    display_name: 'Ada Lovelace',
    user_id: '12',
    username: 'alovelace',
  };
}

/** The exact form body the service sends for event `i`. */
export function formBody(i: number): string {
  return encodeEvent(validateEvent({ ...jsonEvent(i), version: 1, timestamp: TIMESTAMP }));
}

/** Event `i` as the API would hand it to the store. */
export function newEvent(i: number, now: number): NewEvent {
  const event = validateEvent({ ...jsonEvent(i), version: 1, timestamp: TIMESTAMP });
  return {
    uid: newEventUid(now),
    name: event.event,
    lsid: event.lsid,
    externalKey: null,
    timestamp: event.timestamp,
    body: encodeEvent(event),
  };
}
