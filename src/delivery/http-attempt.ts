import type { Dispatcher } from 'undici';
import {
  classifyError,
  DeliveryError,
  type DeliveryErrorCode,
  OUTBOUND_LANE_LOST,
  OUTBOUND_TIMEOUT,
} from './errors.js';
import { parseRetryAfter } from './retry-after.js';
import type { SendResult, WriteGate } from './sender.js';

export interface AttemptLimits {
  maxSnippetBytes: number;
  maxResponseBytes: number;
  clock: () => number;
}

const OUTBOUND_BODY_CAP = 'OUTBOUND_ERR_BODY_CAP';

/**
 * One POST, as an undici dispatch handler: no response stream, only the first bytes of the
 * body are kept, and the attempt settles exactly once — on the end of the response, on an
 * error, on the read cap, or on its own timer, whichever comes first.
 */
export class HttpAttempt implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private settled = false;
  private abortReason: Error | null = null;
  private status: number | null = null;
  private statusText = '';
  private retryAfterMs: number | null = null;
  private received = 0;
  private snippet: Buffer | null = null;
  private snippetLength = 0;
  private timer: NodeJS.Timeout;
  /** The write gate is being asked (see gateAllows). */
  private gating = false;

  constructor(
    private readonly limits: AttemptLimits,
    private readonly at: number,
    private readonly startedAt: number,
    private timeoutMs: number,
    private readonly resolve: (result: SendResult) => void,
    private readonly mayWrite?: WriteGate,
  ) {
    this.timer = setTimeout(onTimer, timeoutMs, this);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Timed out while still connecting: undici only lets us abort from here on.
    if (this.abortReason) {
      controller.abort(this.abortReason);
      return;
    }
    // undici calls this synchronously right before it writes the request to the socket
    // (client-h1 writeH1: onConnect, then the headers and body unless aborted): the last
    // moment the lane's lease can be checked. A process frozen past its lease after the lane
    // decided to send finds out here, before a byte leaves, not from a timer that runs later.
    if (this.mayWrite !== undefined && !this.gateAllows()) {
      const err = new DeliveryError(
        OUTBOUND_LANE_LOST,
        'this process no longer drives the lane: the request was not sent',
      );
      this.finish(err);
      this.abortReason = err;
      controller.abort(err);
    }
  }

  /**
   * Asks the gate. Refusing may give every lane up at once, aborting this request among the
   * others while the gate runs: that abort is the gate's refusal too.
   */
  private gateAllows(): boolean {
    this.gating = true;
    try {
      return (this.mayWrite as WriteGate)();
    } finally {
      this.gating = false;
    }
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    if (statusCode < 200) return; // informational; the real answer follows
    this.status = statusCode;
    this.statusText = statusMessage ?? '';
    if (statusCode === 429 || statusCode === 503) {
      this.retryAfterMs = parseRetryAfter(headers['retry-after'], this.limits.clock());
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    const { maxSnippetBytes, maxResponseBytes } = this.limits;
    if (this.snippetLength < maxSnippetBytes) {
      this.snippet ??= Buffer.allocUnsafe(maxSnippetBytes);
      this.snippetLength += chunk.copy(this.snippet, this.snippetLength);
    }
    this.received += chunk.length;
    if (this.received > maxResponseBytes) {
      // Enough read: the answer counts as received. Stopping costs this connection.
      this.finish(null);
      controller.abort(new DeliveryError(OUTBOUND_BODY_CAP, 'response body cap reached'));
    }
  }

  onResponseEnd(): void {
    this.finish(null);
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, err: Error): void {
    this.finish(err);
  }

  timedOut(): void {
    if (this.settled) return;
    const err = new DeliveryError(
      OUTBOUND_TIMEOUT,
      `no complete answer within ${this.timeoutMs} ms`,
    );
    this.finish(err);
    this.abortReason = err;
    this.controller?.abort(err);
  }

  /**
   * The recipient's time-out was shortened while this request waits: it now ends within the
   * new one, counted from its start (at once when that is already past). A longer time-out
   * applies from the next request: undici's own phase time-outs were set from the old one.
   */
  shorten(timeoutMs: number): void {
    if (this.settled || timeoutMs >= this.timeoutMs) return;
    this.timeoutMs = timeoutMs;
    clearTimeout(this.timer);
    const left = this.startedAt + timeoutMs - performance.now();
    this.timer = setTimeout(onTimer, Math.max(0, left), this);
  }

  /** Ends the request now, settling with `reason` (its recipient was paused or deleted). */
  cancel(reason: Error): void {
    if (this.settled) return;
    this.finish(reason);
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  private finish(cause: unknown): void {
    if (this.settled) return;
    const err = this.gating
      ? new DeliveryError(OUTBOUND_LANE_LOST, 'this process gave its lanes up', { cause })
      : cause;
    this.settled = true;
    clearTimeout(this.timer);
    const latencyMs = Math.round((performance.now() - this.startedAt) * 1000) / 1000;
    const status = this.status;
    let errorCode: DeliveryErrorCode | null = null;
    let error: string | null = null;
    if (status !== null && status !== 200) {
      errorCode = 'HTTP_STATUS';
      error = statusError(status, this.statusText);
    } else if (err !== null || status === null) {
      const classified = classifyError(err ?? new Error('no response'));
      // Once a 200's headers are in, only a time-out keeps its own name.
      errorCode =
        status === 200 && classified.code !== 'TIMEOUT' ? 'BODY_INCOMPLETE' : classified.code;
      error = classified.message;
    }
    this.resolve({
      at: this.at,
      status,
      errorCode,
      error,
      latencyMs,
      snippet: status === null ? null : this.snippetText(),
      ok: status === 200 && errorCode === null,
      retryAfterMs: this.retryAfterMs,
    });
  }

  private snippetText(): string {
    const buf = this.snippet;
    if (buf === null) return '';
    let end = this.snippetLength;
    if (this.received > end) end = completeUtf8End(buf, end);
    return buf.toString('utf8', 0, end);
  }
}

function onTimer(attempt: HttpAttempt): void {
  attempt.timedOut();
}

function statusError(status: number, text: string): string {
  const line = text ? `HTTP ${status} ${text}` : `HTTP ${status}`;
  return status >= 300 && status < 400 ? `${line} (redirects are not followed)` : line;
}

/**
 * Where the last complete UTF-8 character of `buf[0, end)` ends, so that a body cut inside a
 * character does not end in a replacement character (which could exceed the snippet cap).
 */
function completeUtf8End(buf: Buffer, end: number): number {
  for (let i = end - 1, seen = 1; i >= 0 && seen <= 4; i--, seen++) {
    const byte = buf[i] as number;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const width = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return i + width <= end ? end : i;
  }
  return end;
}
