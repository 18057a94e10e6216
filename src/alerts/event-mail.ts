import { type EventName, fieldsOf, formFields } from '../events/index.js';

/** What each event is, in the words of the vendor's guide. */
const TITLES: Readonly<Record<EventName, string>> = {
  support_conference_begin: 'Support session started',
  support_conference_end: 'Support session ended',
  support_conference_owner_changed: 'Support session owner changed',
  support_conference_member_added: 'Someone joined a support session',
  support_conference_member_departed: 'Someone left a support session',
  support_conference_customer_exit_survey_completed: 'Customer exit survey completed',
  support_conference_representative_exit_survey_completed: 'Representative exit survey completed',
};

/** Labels of the variables, for people rather than programs. */
const LABELS: Readonly<Record<string, string>> = {
  event: 'Event',
  version: 'Schema version',
  timestamp: 'Time',
  lsid: 'Session id (lsid)',
  external_key: 'External key',
  conference_id: 'Conference id',
  conference_name: 'Conference',
  type: 'Member type',
  display_name: 'Display name',
  user_id: 'User id',
  username: 'Username',
  appliance_id: 'Appliance id',
};

/**
 * An email recipient's mail for one event: its variables in readable form, one per line, in
 * the order of the guide, with the time in UTC, then what the recipient's wire options add
 * (`appliance_id`, custom fields by code name) in body order. Built from the exact body sent
 * to HTTP recipients with the same options, so both always say the same.
 */
export function eventMail(
  name: EventName,
  body: string,
  to: string[],
): { to: string[]; subject: string; text: string } {
  const fields = formFields(body);
  const lines: string[] = [];
  const guide = fieldsOf(name);
  for (const field of guide) {
    const value = fields[field];
    if (value === undefined) continue;
    lines.push(`${LABELS[field] ?? field}: ${field === 'timestamp' ? readableTime(value) : value}`);
  }
  for (const [field, value] of Object.entries(fields)) {
    if (!guide.includes(field)) lines.push(`${LABELS[field] ?? field}: ${value}`);
  }
  const session = fields.lsid === undefined ? '' : ` (session ${fields.lsid})`;
  return {
    to,
    subject: `${TITLES[name]}${session}`,
    text: `${TITLES[name]}.\n\n${lines.join('\n')}\n`,
  };
}

function readableTime(seconds: string): string {
  const n = Number(seconds);
  if (!Number.isFinite(n)) return seconds;
  return `${new Date(n * 1000).toISOString().replace('T', ' ').replace('.000Z', ' UTC')} (${seconds})`;
}
