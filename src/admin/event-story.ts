import type { EventName } from '../events/index.js';
import type { StoredEvent } from '../types.js';

/** An event's variables, in the order they were sent. */
export const variablesOf = (event: Pick<StoredEvent, 'body'>): [string, string][] => [
  ...new URLSearchParams(event.body),
];

/** One line of a session's timeline, in words. */
export function describeEvent(event: Pick<StoredEvent, 'name' | 'body'>): string {
  const v = new Map(variablesOf(event));
  const who = () => {
    const username = v.get('username');
    return `${v.get('display_name') ?? '?'} (${v.get('type') ?? '?'}${username ? `, ${username}` : ''})`;
  };
  const stories: Record<EventName, () => string> = {
    support_conference_begin: () =>
      `Session began${v.has('external_key') ? `, external key ${v.get('external_key')}` : ''}`,
    support_conference_owner_changed: () =>
      `Owner: ${v.get('conference_name') ?? '?'} (${v.get('conference_id') ?? '?'})`,
    support_conference_member_added: () => `${who()} joined`,
    support_conference_member_departed: () => `${who()} left`,
    support_conference_end: () => 'Session ended',
    support_conference_customer_exit_survey_completed: () => 'Customer exit survey completed',
    support_conference_representative_exit_survey_completed: () =>
      'Representative exit survey completed',
  };
  return stories[event.name]();
}
