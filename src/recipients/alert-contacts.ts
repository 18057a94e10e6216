import { isEmailAddress } from './email-address.js';
import { invalid } from './errors.js';

/** The appliance's limit on a recipient's Email Contact. */
export const MAX_ALERT_CONTACTS = 10;

/** Email Contact: distinct addresses, trimmed. */
export function alertContacts(value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw invalid('alertContacts must be an array of email addresses', 'alertContacts');
  }
  const addresses = new Set<string>();
  for (const item of value) {
    if (typeof item !== 'string' || !isEmailAddress(item.trim())) {
      throw invalid(
        `alertContacts: "${String(item)}" is not an email address (name@example.com)`,
        'alertContacts',
      );
    }
    addresses.add(item.trim());
  }
  if (addresses.size > MAX_ALERT_CONTACTS) {
    throw invalid(
      `alertContacts may hold at most ${MAX_ALERT_CONTACTS} addresses`,
      'alertContacts',
    );
  }
  return [...addresses];
}
