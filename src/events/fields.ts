import type { EventName } from './names.js';

/** Variables every event carries, in the order they are encoded. */
export const STANDARD_FIELDS = ['event', 'version', 'timestamp', 'lsid', 'external_key'] as const;

const MEMBER_FIELDS = ['type', 'display_name', 'user_id', 'username'] as const;

/** The variables each event adds to the standard ones, in the order they are encoded. */
export const EVENT_FIELDS: Readonly<Record<EventName, readonly string[]>> = {
  support_conference_begin: [],
  support_conference_end: [],
  support_conference_owner_changed: ['conference_id', 'conference_name'],
  support_conference_member_added: MEMBER_FIELDS,
  support_conference_member_departed: MEMBER_FIELDS,
  support_conference_customer_exit_survey_completed: [],
  support_conference_representative_exit_survey_completed: [],
};

/** Every variable `name` may carry, in encoding order. */
export function fieldsOf(name: EventName): readonly string[] {
  return [...STANDARD_FIELDS, ...EVENT_FIELDS[name]];
}

/**
 * The N of `rep:N` and `team:N`: the appliance's numeric id of a representative or a team,
 * a positive whole number written without leading zeros (`rep:12`, never `rep:012`), so that
 * one owner has one spelling.
 */
export const NUMERIC_ID = /^[1-9][0-9]*$/;

/** `conference_id`: `rep:N`, `team:N` or `general`, exactly as the guide spells them. */
export const CONFERENCE_ID = /^(?:(?:rep|team):[1-9][0-9]*|general)$/;
