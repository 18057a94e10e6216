import type { Recipient } from '../types.js';
import type { AlertRule } from './alert-policy.js';

/** A recipient's alert rule from its Email Contact fields; none without a contact. */
export function alertRuleOf(recipient: Recipient): AlertRule | undefined {
  if (recipient.alertContacts.length === 0) return undefined;
  return {
    contacts: recipient.alertContacts,
    alertAfterMs: recipient.alertAfterMs,
    resendEveryMs: recipient.resendAlertsMs,
  };
}

/** The recipient's page in the admin interface, when the public address is known. */
export function recipientPageUrl(publicUrl: string | null, recipientId: number): string | null {
  return publicUrl === null ? null : `${publicUrl}/admin/recipients/${recipientId}`;
}
