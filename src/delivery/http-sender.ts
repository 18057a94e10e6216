import type { Client } from 'undici';
import { FORM_CONTENT_TYPE } from '../events/encode.js';
import type { PendingDelivery, Recipient } from '../types.js';
import { type ClassifiedError, classifyError, DeliveryError } from './errors.js';
import { type AttemptLimits, HttpAttempt } from './http-attempt.js';
import {
  applyTemplate,
  buildTarget,
  type HttpTarget,
  sameConnection,
  sameTemplate,
  type TargetConnection,
  timeoutOf,
} from './http-target.js';
import type { Sender, SendResult, WriteGate } from './sender.js';
import { signDelivery } from './signature.js';
import { deliveryWireBody, sendsStoredBody } from './wire-body.js';

/** A request ended on purpose (`abort`); never stored, the lane records nothing for it. */
const OUTBOUND_CUT = 'OUTBOUND_ERR_CUT';

export interface HttpSenderOptions {
  /** `user-agent` of every request unless a recipient sets its own. Default `Outbound/0.1`. */
  userAgent?: string;
  /** How much of a response body is kept as the attempt's snippet. Default 1024 bytes. */
  maxSnippetBytes?: number;
  /** How much of a response body is read before the sender stops reading. Default 64 KiB. */
  maxResponseBytes?: number;
  /** Wall clock in milliseconds (attempt time, `webhook-timestamp`). Default `Date.now`. */
  clock?: () => number;
  /** Where connections may go (destination-policy.ts). Default: the built-in refusals only. */
  destinations?: TargetConnection;
  /**
   * This installation's id, sent as `appliance_id` to recipients with sendApplianceId; read at
   * each send (operations/installation.ts). Default: none (an empty value).
   */
  applianceId?: () => string;
}

/**
 * POSTs deliveries to recipients. Each recipient has its own keep-alive connection, opened on
 * its first send and replaced when its URL, TLS settings or time-out change, so a lane's
 * sequential sends reuse one socket. `send` never throws: every failure comes back as a result
 * with a stable error code; `ok` only for status 200 with its body received (up to the cap).
 */
export class HttpSender implements Sender {
  private readonly userAgent: string;
  private readonly limits: AttemptLimits;
  private readonly targets = new Map<number, HttpTarget>();
  /** Each recipient's request in flight: a shortened time-out or an abort reaches it. */
  private readonly inFlight = new Map<number, HttpAttempt>();
  private readonly destinations: TargetConnection | undefined;
  private readonly applianceId: () => string;
  private closed = false;

  constructor(options: HttpSenderOptions = {}) {
    this.userAgent = options.userAgent ?? 'Outbound/0.1';
    this.destinations = options.destinations;
    this.applianceId = options.applianceId ?? (() => '');
    const maxResponseBytes = options.maxResponseBytes ?? 64 * 1024;
    this.limits = {
      maxResponseBytes,
      maxSnippetBytes: Math.min(options.maxSnippetBytes ?? 1024, maxResponseBytes),
      clock: options.clock ?? Date.now,
    };
  }

  send(
    recipient: Recipient,
    delivery: Pick<PendingDelivery, 'eventUid' | 'body' | 'customFieldsJson'>,
    mayWrite?: WriteGate,
  ): Promise<SendResult> {
    const at = this.limits.clock();
    const startedAt = performance.now();
    try {
      if (this.closed) throw new Error('sender is closed');
      const target = this.targetFor(recipient);
      if (target.client === null) {
        return Promise.resolve(failure(at, startedAt, target.invalid ?? classifyError(null)));
      }
      return this.post(target, target.client, recipient, delivery, at, startedAt, mayWrite);
    } catch (err) {
      return Promise.resolve(failure(at, startedAt, classifyError(err)));
    }
  }

  /** Closes a recipient's connection once its request in flight, if any, has ended. */
  async forget(recipientId: number): Promise<void> {
    const target = this.targets.get(recipientId);
    if (!target) return;
    this.targets.delete(recipientId);
    await closeTarget(target);
  }

  /**
   * Ends a recipient's request in flight at once (even one left on a connection being
   * replaced) and destroys its connection.
   */
  async abort(recipientId: number): Promise<void> {
    this.inFlight
      .get(recipientId)
      ?.cancel(new DeliveryError(OUTBOUND_CUT, 'the request was cut: its recipient changed'));
    const target = this.targets.get(recipientId);
    if (!target) return;
    this.targets.delete(recipientId);
    await destroyTarget(target);
  }

  /** A shortened time-out reaches the request in flight, counted from its start. */
  shorten(recipientId: number, timeoutMs: number): void {
    this.inFlight.get(recipientId)?.shorten(timeoutOf({ timeoutMs }));
  }

  /** Closes every connection, aborting requests in flight; later sends fail without a request. */
  async close(): Promise<void> {
    this.closed = true;
    const targets = [...this.targets.values()];
    this.targets.clear();
    await Promise.all(targets.map(destroyTarget));
  }

  private post(
    target: HttpTarget,
    client: Client,
    recipient: Recipient,
    delivery: Pick<PendingDelivery, 'eventUid' | 'body' | 'customFieldsJson'>,
    at: number,
    startedAt: number,
    mayWrite: WriteGate | undefined,
  ): Promise<SendResult> {
    const timestamp = String(Math.floor(at / 1000));
    // The recipient's wire options as set now (a queued event, a replay, a re-send after a
    // restart alike); the signature signs exactly these bytes.
    const body = sendsStoredBody(recipient)
      ? delivery.body
      : deliveryWireBody(delivery, recipient, this.applianceId());
    const headers = [
      'content-type',
      FORM_CONTENT_TYPE,
      'user-agent',
      target.userAgent,
      'webhook-id',
      delivery.eventUid,
      'webhook-timestamp',
      timestamp,
    ];
    if (target.key !== null) {
      let signature = signDelivery(target.key, delivery.eventUid, timestamp, body);
      // During a rotation both secrets sign: a receiver with either one accepts.
      if (target.previousKey !== null && at < target.previousUntil) {
        signature += ` ${signDelivery(target.previousKey, delivery.eventUid, timestamp, body)}`;
      }
      headers.push('webhook-signature', signature);
    }
    for (const value of target.extra) headers.push(value);

    return new Promise<SendResult>((resolve) => {
      // The gate is asked in the attempt's onRequestStart, right before undici writes.
      const id = recipient.id;
      const attempt: HttpAttempt = new HttpAttempt(
        this.limits,
        at,
        startedAt,
        // A recipient saved before the bound (600 s was allowed) waits no longer than it.
        timeoutOf(recipient),
        (result) => {
          if (this.inFlight.get(id) === attempt) this.inFlight.delete(id);
          resolve(result);
        },
        mayWrite,
      );
      this.inFlight.set(id, attempt);
      try {
        client.dispatch({ path: target.path, method: 'POST', headers, body }, attempt);
      } catch (err) {
        // undici hands its own errors to the handler; this keeps `send` from ever rejecting.
        attempt.onResponseError(undefined, err as Error);
      }
    });
  }

  private targetFor(recipient: Recipient): HttpTarget {
    let target = this.targets.get(recipient.id);
    if (target && sameConnection(target, recipient)) {
      if (!sameTemplate(target, recipient)) applyTemplate(target, recipient, this.userAgent);
      return target;
    }
    // A request in flight on the old connection finishes there; close() waits for it.
    if (target) void closeTarget(target);
    target = buildTarget(recipient, this.userAgent, this.destinations);
    this.targets.set(recipient.id, target);
    return target;
  }
}

async function closeTarget(target: HttpTarget): Promise<void> {
  try {
    await target.client?.close();
  } catch {
    // Already closed or destroyed: nothing left to release.
  }
}

async function destroyTarget(target: HttpTarget): Promise<void> {
  try {
    await target.client?.destroy();
  } catch {
    // Already destroyed: nothing left to release.
  }
}

function failure(at: number, startedAt: number, { code, message }: ClassifiedError): SendResult {
  return {
    at,
    status: null,
    errorCode: code,
    error: message,
    latencyMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
    snippet: null,
    ok: false,
    retryAfterMs: null,
  };
}
