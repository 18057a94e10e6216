/** The seven schema-1 event names, in the order the reference guide lists them. */
export const EVENT_NAMES = [
  'support_conference_begin',
  'support_conference_end',
  'support_conference_owner_changed',
  'support_conference_member_added',
  'support_conference_member_departed',
  'support_conference_customer_exit_survey_completed',
  'support_conference_representative_exit_survey_completed',
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

/**
 * Receivers written for deployed appliances check this name for the representative exit
 * survey; we always send the guide's name but accept both as the same event.
 */
export const EVENT_ALIASES: Readonly<Record<string, EventName>> = {
  support_conference_rep_exit_survey_completed:
    'support_conference_representative_exit_survey_completed',
};

export const SCHEMA_VERSION = 1;

export const MEMBER_TYPES = ['customer', 'representative'] as const;
export type MemberType = (typeof MEMBER_TYPES)[number];

const NAME_SET: ReadonlySet<string> = new Set(EVENT_NAMES);

export function isEventName(value: string): value is EventName {
  return NAME_SET.has(value);
}

/** The guide's name for `value`, following the alias; undefined when it names no event. */
export function canonicalEventName(value: string): EventName | undefined {
  if (isEventName(value)) return value;
  // Own keys only: `constructor`, `__proto__`… are no event.
  return Object.hasOwn(EVENT_ALIASES, value) ? EVENT_ALIASES[value] : undefined;
}
