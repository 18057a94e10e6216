import { maskUrl } from '../recipients/url-mask.js';
import type { AlertDecision } from './alert-policy.js';
import type { Mail } from './mail-settings.js';

/** What an alert says about the recipient and its head. */
export interface AlertContext {
  recipientName: string;
  /** As saved; the mail shows it masked (maskUrl), as the admin pages do. */
  url: string;
  /** Pending deliveries, the head included. */
  queued: number;
  lastError: string | null;
  /** Where an operator looks: the recipient's page in the admin interface. */
  pageUrl: string | null;
}

/** The mail a decision sends; undefined for none. */
export function alertMail(
  decision: AlertDecision,
  context: AlertContext,
  to: string[],
  now: number,
): Mail | undefined {
  if (decision.kind === 'none') return undefined;
  const since = new Date(decision.since).toISOString();
  const minutes = Math.max(0, Math.round((now - decision.since) / 60_000));
  const where = [
    `Recipient: ${context.recipientName}`,
    `URL: ${maskUrl(context.url)}`,
    `Queued events: ${context.queued}`,
    ...(context.pageUrl === null ? [] : [`Details: ${context.pageUrl}`]),
  ];
  if (decision.kind === 'recovered') {
    return {
      to,
      subject: `[Outbound] ${context.recipientName} recovered`,
      text: `${context.recipientName} accepts events again after failing since ${since} (${minutes} min). Queued events are being delivered in order.\n\n${where.join('\n')}\n`,
    };
  }
  return {
    to,
    subject: `[Outbound] ${context.recipientName} is failing${decision.repeat ? ' (still)' : ''}`,
    text: `Events to ${context.recipientName} have failed since ${since} (${minutes} min); nothing newer is sent until the oldest event gets through.\n\nLast error: ${context.lastError ?? 'unknown'}\n${where.join('\n')}\n`,
  };
}

/** The mail sent when an event is set aside as failed. */
export function setAsideMail(
  context: AlertContext,
  event: { uid: string; name: string; lsid: string; attempts: number },
  to: string[],
): Mail {
  return {
    to,
    subject: `[Outbound] ${context.recipientName}: an event was set aside as failed`,
    text: `The event ${event.uid} (${event.name}, session ${event.lsid}) failed for longer than the retry duration of ${context.recipientName} after ${event.attempts} attempts. It is kept and can be replayed; delivery has moved on to the next event.\n\nLast error: ${context.lastError ?? 'unknown'}\nRecipient: ${context.recipientName}\nURL: ${maskUrl(context.url)}\n${context.pageUrl === null ? '' : `Details: ${context.pageUrl}\n`}`,
  };
}
