/**
 * Outbound Events → Email recipients, as the appliance offers them: up to 10 addresses, each
 * sent the events it chose among session end and the two exit surveys, as readable mails.
 * Stored as recipients of kind `email`, so they are queued and retried like HTTP ones.
 */
import type { EventName } from '../events/index.js';
import { RECIPIENT_DEFAULTS as D, isEmailAddress } from '../recipients/index.js';
import type { Recipient, RecipientInput } from '../types.js';
import { MAILTO } from './mail-sender.js';

export const MAX_EMAIL_RECIPIENTS = 10;

/** The events the appliance offers by email. */
export const EMAIL_EVENTS: readonly EventName[] = [
  'support_conference_end',
  'support_conference_customer_exit_survey_completed',
  'support_conference_representative_exit_survey_completed',
];

export interface EmailRecipientErrors {
  address?: string;
  events?: string;
}

export const addressOf = (recipient: Recipient): string => recipient.url.slice(MAILTO.length);

/** A new email recipient from the form, or what is wrong with each field. */
export function emailRecipientInput(
  address: string,
  events: string[],
  existing: Recipient[],
): { ok: true; value: RecipientInput } | { ok: false; errors: EmailRecipientErrors } {
  const errors: EmailRecipientErrors = {};
  const emails = existing.filter((r) => r.kind === 'email');
  if (!isEmailAddress(address)) errors.address = 'Email address: e.g. reports@example.com';
  else if (emails.some((r) => addressOf(r).toLowerCase() === address.toLowerCase())) {
    errors.address = `Email address: ${address} is already an email recipient`;
  } else if (emails.length >= MAX_EMAIL_RECIPIENTS) {
    errors.address = `Email address: at most ${MAX_EMAIL_RECIPIENTS} email recipients; remove one first`;
  }
  const chosen = EMAIL_EVENTS.filter((e) => events.includes(e));
  if (chosen.length === 0 || chosen.length !== new Set(events).size) {
    errors.events = 'Events to Send: choose at least one of session end and the exit surveys';
  }
  if (errors.address !== undefined || errors.events !== undefined) return { ok: false, errors };
  return {
    ok: true,
    value: {
      kind: 'email',
      // Names are unique among all recipients: the prefix keeps clear of HTTP ones.
      name: `email: ${address}`,
      url: `${MAILTO}${address}`,
      enabled: D.enabled,
      paused: D.paused,
      events: chosen,
      retryIntervalMs: D.retryIntervalSeconds * 1000,
      retryMaxIntervalMs: D.retryMaxIntervalSeconds * 1000,
      retryDurationMs: D.retryDurationSeconds * 1000,
      timeoutMs: D.timeoutSeconds * 1000,
      tlsVerify: D.tlsVerify,
      caPem: null,
      headers: {},
      secret: null,
      previousSecret: null,
      previousSecretExpiresAt: null,
      secretRotationMs: 0, // mail is not signed: no secret to rotate
      alertContacts: [],
      alertAfterMs: D.alertAfterSeconds * 1000,
      resendAlertsMs: D.resendAlertsSeconds * 1000,
      repSurveyEventName: D.repSurveyEventName,
      sendApplianceId: D.sendApplianceId,
      sendCustomFields: D.sendCustomFields,
    },
  };
}
