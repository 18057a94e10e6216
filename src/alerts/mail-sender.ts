import type { DeliveryErrorCode } from '../delivery/errors.js';
import type { Sender, SendResult, WriteGate } from '../delivery/sender.js';
import { deliveryWireBody } from '../delivery/wire-body.js';
import { canonicalEventName, formFields } from '../events/index.js';
import type { PendingDelivery, Recipient } from '../types.js';
import { eventMail } from './event-mail.js';
import type { MailRelay } from './mail-relay.js';

/** An email recipient's `url`: the address after this. */
export const MAILTO = 'mailto:';

/**
 * Delivers to email recipients: one readable mail per event through the SMTP relay. The relay
 * accepting the mail counts as delivered; anything else is a failed attempt, retried by the
 * lane like an HTTP failure, so mails arrive in order and none is skipped.
 */
export class MailSender implements Sender {
  /** `applianceId`: this installation's id, for recipients with sendApplianceId. */
  constructor(
    private readonly relay: MailRelay,
    private readonly applianceId: () => string = () => '',
  ) {}

  async send(
    recipient: Recipient,
    delivery: Pick<PendingDelivery, 'eventUid' | 'body' | 'customFieldsJson'>,
    mayWrite?: WriteGate,
  ): Promise<SendResult> {
    const at = Date.now();
    const started = performance.now();
    const result = (error: string | null, code: DeliveryErrorCode = 'SMTP'): SendResult => ({
      ok: error === null,
      at,
      status: null,
      errorCode: error === null ? null : code,
      error,
      latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
      snippet: null,
      retryAfterMs: null,
    });
    const name = canonicalEventName(formFields(delivery.body).event ?? '');
    if (name === undefined || !recipient.url.startsWith(MAILTO)) {
      return result(`cannot mail event ${delivery.eventUid} to ${recipient.url}`);
    }
    // The variables an HTTP recipient with the same options would be sent, decided now.
    const body = deliveryWireBody(delivery, recipient, this.applianceId());
    const mail = eventMail(name, body, [recipient.url.slice(MAILTO.length)]);
    const lost = () =>
      result('this process no longer drives the lane: the mail was not sent', 'LANE_LOST');
    if (mayWrite !== undefined && !mayWrite()) return lost();
    try {
      // Asked again after the relay's settings were read (an await): the last check before the
      // mailer has the mail, which cannot be taken back.
      if (!(await this.relay.send(mail, mayWrite))) return lost();
      return result(null);
    } catch (error) {
      return result(error instanceof Error ? error.message : String(error));
    }
  }

  /** Nothing per recipient to drop: the relay's one connection is shared. */
  forget(): void {}

  /** An SMTP transaction cannot be taken back; it ends within the mailer's time-outs. */
  abort(): void {}

  async close(): Promise<void> {}
}
