import type { AttemptOutcome, PendingDelivery, Recipient } from '../types.js';

/** How one POST ended; `ok` only for exactly HTTP 200. */
export interface SendResult extends AttemptOutcome {
  ok: boolean;
  /** From a Retry-After header on 429 or 503. */
  retryAfterMs: number | null;
}

/**
 * Asked at the last moment before a request's first byte (or a mail) leaves, synchronously,
 * with no await between the answer and the write: false when this process can no longer be
 * sure it drives the lane (its lease ran out, as after a freeze). The send then writes
 * nothing and ends with LANE_LOST.
 */
export type WriteGate = () => boolean;

/** What a lane needs from the HTTP side; HttpSender is the real one. */
export interface Sender {
  send(
    recipient: Recipient,
    delivery: Pick<PendingDelivery, 'eventUid' | 'body' | 'customFieldsJson'>,
    mayWrite?: WriteGate,
  ): Promise<SendResult>;
  /** Drops the recipient's connections (its settings changed or it was deleted). */
  forget(recipientId: number): Promise<void> | void;
  /** Drops the recipient's connection at once, failing a request in flight. */
  abort(recipientId: number): Promise<void> | void;
  /**
   * The recipient's time-out was shortened: a request in flight ends within the new one,
   * counted from its start. Absent when a sender has no such request (mail).
   */
  shorten?(recipientId: number, timeoutMs: number): void;
  /** Closes every connection, aborting requests still in flight. */
  close(): Promise<void>;
}
