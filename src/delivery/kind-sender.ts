import type { PendingDelivery, Recipient, RecipientKind } from '../types.js';
import type { Sender, SendResult, WriteGate } from './sender.js';

/**
 * Sends each recipient's events the way its kind says (HTTP POST or mail), so that email
 * recipients get the lanes' guarantees (durable, in order, retried) without a second
 * delivery path.
 */
export class KindSender implements Sender {
  constructor(private readonly senders: Readonly<Record<RecipientKind, Sender>>) {}

  send(
    recipient: Recipient,
    delivery: Pick<PendingDelivery, 'eventUid' | 'body' | 'customFieldsJson'>,
    mayWrite?: WriteGate,
  ): Promise<SendResult> {
    return this.senders[recipient.kind].send(recipient, delivery, mayWrite);
  }

  async forget(recipientId: number): Promise<void> {
    await Promise.all(Object.values(this.senders).map((s) => s.forget(recipientId)));
  }

  async abort(recipientId: number): Promise<void> {
    await Promise.all(Object.values(this.senders).map((s) => s.abort(recipientId)));
  }

  shorten(recipientId: number, timeoutMs: number): void {
    for (const sender of Object.values(this.senders)) sender.shorten?.(recipientId, timeoutMs);
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.senders).map((s) => s.close()));
  }
}
