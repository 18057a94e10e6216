import type { DeliveryMetrics } from '../metrics/delivery-metrics.js';
import { type LaneFence, LeaseLostError } from '../store/cluster-store.js';
import type { Store } from '../store/store.js';
import type { PendingDelivery, Recipient } from '../types.js';
import type { LaneObserver } from './lane-observer.js';
import type { RequestSlots } from './request-slots.js';
import { afterFailure } from './retry-policy.js';
import type { Sender, SendResult, WriteGate } from './sender.js';

/** How many pending deliveries a lane reads ahead from the store. */
const PREFETCH = 128;
/** Pause before a lane tries again after its store failed. */
const STORE_ERROR_PAUSE_MS = 1000;

export type LaneState = 'idle' | 'fetching' | 'sending' | 'waiting' | 'paused' | 'held' | 'stopped';

export interface LaneContext {
  store: Store;
  sender: Sender;
  /** The global cap: a request holds a slot while it is young (request-slots.ts). */
  slots: RequestSlots;
  metrics: DeliveryMetrics;
  clock: () => number;
  onError: (error: unknown, recipientId: number) => void;
  /**
   * This process may still send for the lane (its lease, when lanes are leased, holds). Asked
   * again right before each request's first byte leaves; a spent lease gives every lane up.
   */
  holds: (recipientId: number) => boolean;
  /** A write was refused: another node drives the lane now. The lane has stopped. */
  onLeaseLost: (recipientId: number) => void;
  observer?: LaneObserver | undefined;
}

export interface LaneStatus {
  state: LaneState;
  /** When the head is due again, while the lane waits to retry it. */
  nextAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastError: string | null;
}

/**
 * One recipient's queue, sent one request at a time in acceptance order. A lane runs while it
 * has due work, sleeps on a timer until its head's next attempt, and goes idle when empty;
 * `wake` starts it again at once when new work is committed.
 */
export class Lane {
  private buffer: PendingDelivery[] = [];
  private state: LaneState = 'idle';
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private dueAt: number | null = null;
  /** New work was committed since the last read from the store. */
  private news = false;
  /** The store changed under the read-ahead buffer: read again before the next send. */
  private stale = false;
  private holds = 0;
  private stopped = false;
  private abandoned = false;
  /** A request of this lane is on its way (sent, or about to be). */
  private sending = false;
  /** The request on its way is being cut (see `cut`): its outcome is not recorded. */
  private discarded = false;
  private exclusiveChain: Promise<unknown> = Promise.resolve();
  private lastSuccessAt: number | null = null;
  private lastFailureAt: number | null = null;
  private lastError: string | null = null;
  // The same objects on every delivery, so that metrics build their keys once.
  private readonly metricLabels: { recipient: number };
  private readonly deliveredLabels: { recipient: number; outcome: string };
  /** Asked by the sender right before a request leaves: this lane still drives its recipient. */
  private readonly mayWrite: WriteGate = () => !this.abandoned && this.ctx.holds(this.recipient.id);

  constructor(
    private recipient: Recipient,
    private readonly ctx: LaneContext,
    /** The lease its writes are made under, when lanes are leased. */
    private readonly fence?: LaneFence,
  ) {
    this.metricLabels = { recipient: recipient.id };
    this.deliveredLabels = { recipient: recipient.id, outcome: 'delivered' };
  }

  get recipientId(): number {
    return this.recipient.id;
  }

  get config(): Recipient {
    return this.recipient;
  }

  status(): LaneStatus {
    return {
      state: this.state,
      nextAttemptAt: this.dueAt,
      lastSuccessAt: this.lastSuccessAt,
      lastFailureAt: this.lastFailureAt,
      lastError: this.lastError,
    };
  }

  /** New deliveries were committed for this lane. */
  wake(): void {
    this.news = true;
    // A lane waiting to retry its head keeps waiting: newer events go after it.
    if (this.timer === undefined) this.start();
  }

  /** The recipient's settings or its queue changed: read both again. */
  reload(recipient?: Recipient): void {
    if (recipient !== undefined) this.recipient = recipient;
    this.stale = true;
    this.news = true;
    this.clearTimer();
    this.start();
  }

  /**
   * Safety net against a lost wake-up or timer: an idle lane looks at the store again, and a
   * waiting lane whose head is overdue runs now. Returns true when it had to be kicked.
   */
  nudge(now: number): boolean {
    if (this.running !== null || this.stopped || this.holds > 0) return false;
    if (this.timer !== undefined && this.dueAt !== null && this.dueAt > now - 1000) return false;
    this.clearTimer();
    this.news = true;
    this.start();
    return true;
  }

  /**
   * The head this lane waits on, and until when; undefined unless it is waiting on a retry
   * timer. The sweep compares it with the store to notice changes made by another process.
   */
  waitingOn(): { seq: number; dueAt: number } | undefined {
    const head = this.buffer[0];
    if (this.timer === undefined || this.dueAt === null || head === undefined) return undefined;
    return { seq: head.seq, dueAt: this.dueAt };
  }

  /**
   * Starts no new request until the returned release is called, which then reads the queue
   * again; a request in flight goes on. How a change heard from another node (a pause, new
   * settings) is read before anything more is sent with the old settings.
   */
  hold(): () => void {
    this.holds++;
    this.clearTimer();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.reload();
    };
  }

  /**
   * Runs `fn` while no request of this lane is in flight (waiting for the current one to end,
   * or cutting it when `cutInFlight`, as `cut` does), then reads the queue again: how operator
   * actions change a lane without racing it.
   */
  exclusive<T>(fn: () => Promise<T>, cutInFlight = false): Promise<T> {
    const run = async () => {
      this.holds++;
      this.clearTimer();
      try {
        if (cutInFlight && this.cut()) await this.ctx.sender.abort(this.recipient.id);
        await this.running;
        return await fn();
      } finally {
        this.holds--;
        this.reload();
      }
    };
    const result = this.exclusiveChain.then(run, run);
    this.exclusiveChain = result.catch(() => undefined);
    return result;
  }

  /**
   * Stops the lane: waits up to `deadlineMs` for a request in flight, then abandons it (its
   * outcome is not recorded, so the head is sent again after a restart).
   */
  async stop(deadlineMs: number): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    const running = this.running;
    if (running !== null) {
      let timeout: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((resolve) => {
        timeout = setTimeout(() => resolve('expired'), deadlineMs);
      });
      if ((await Promise.race([running, expired])) === 'expired') this.abandoned = true;
      clearTimeout(timeout);
    }
    this.state = 'stopped';
  }

  /**
   * Stops at once without recording anything more: the lane's lease is gone, so a request in
   * flight (which the caller aborts) must not be recorded by this node.
   */
  abandon(): void {
    this.stopped = true;
    this.abandoned = true;
    this.clearTimer();
    this.state = 'stopped';
  }

  /**
   * The caller is about to cut this lane's request in flight (the recipient was paused or
   * disabled): unless it still ends in a 200, its result is not recorded. Returns false when
   * no request is on its way, so there is nothing to cut.
   */
  cut(): boolean {
    if (!this.sending) return false;
    this.discarded = true;
    return true;
  }

  private start(): void {
    if (this.running !== null || this.stopped || this.holds > 0) return;
    this.running = this.run().finally(() => {
      this.running = null;
    });
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped || this.holds > 0) {
          if (this.holds > 0) this.state = 'held';
          return;
        }
        if (!this.recipient.enabled || this.recipient.paused) {
          this.state = 'paused';
          this.buffer = [];
          return;
        }
        if (this.stale) {
          this.buffer = [];
          this.stale = false;
        }
        if (this.buffer.length === 0) {
          this.news = false;
          this.state = 'fetching';
          this.buffer = await this.ctx.store.pendingDeliveries(this.recipient.id, PREFETCH);
          if (this.stale) continue;
          if (this.buffer.length === 0) {
            if (this.news) continue;
            this.state = 'idle';
            return;
          }
        }
        const head = this.buffer[0] as PendingDelivery;
        if (head.nextAttemptAt > this.ctx.clock()) {
          this.schedule(head.nextAttemptAt);
          return;
        }
        if (!this.ctx.holds(this.recipient.id)) {
          this.state = 'idle';
          return;
        }
        await this.attempt(head);
      }
    } catch (error) {
      if (error instanceof LeaseLostError) {
        // Once abandoned, the lane is no longer the dispatcher's: a refusal that arrives late
        // (its write was under way) must not stop the lane that replaced it.
        const already = this.abandoned;
        this.abandon();
        if (!already) this.ctx.onLeaseLost(this.recipient.id);
        return;
      }
      this.ctx.onError(error, this.recipient.id);
      this.stale = true;
      if (!this.stopped) this.schedule(this.ctx.clock() + STORE_ERROR_PAUSE_MS);
    }
  }

  private async attempt(head: PendingDelivery): Promise<void> {
    this.state = 'sending';
    const recipient = this.recipient;
    let slot = this.ctx.slots.take();
    if (slot instanceof Promise) slot = await slot;
    let result: SendResult;
    try {
      // The lease was checked before the wait for a slot; the process may have been frozen
      // since. The sender asks once more right before the request leaves.
      if (!this.mayWrite()) return;
      // Paused, disabled or changed while waiting for the slot: the loop looks again.
      if (this.stopped || this.stale || !this.recipient.enabled || this.recipient.paused) return;
      this.sending = true;
      this.discarded = false;
      result = await this.ctx.sender.send(recipient, head, this.mayWrite);
    } finally {
      this.sending = false;
      slot.end();
    }
    // Refused at the last moment: nothing was sent, and nothing is recorded by this process.
    if (this.abandoned || result.errorCode === 'LANE_LOST') return;
    // Cut on purpose (paused, disabled): a failure now is the cut's, not the receiver's, and
    // whether the request arrived is unknown, so nothing is recorded: the head stays pending
    // as it was and is sent again later, with the same webhook-id. A 200 that made it in time
    // (or a mail, which cannot be taken back) is recorded as delivered.
    if (this.discarded && !result.ok) return;
    const now = this.ctx.clock();
    const labels = this.metricLabels;
    this.ctx.metrics.requestDuration.observe(labels, result.latencyMs / 1000);
    if (result.ok) {
      await this.ctx.store.markDelivered(head, result, this.fence);
      this.buffer.shift();
      this.lastSuccessAt = now;
      this.ctx.observer?.delivered(recipient, head, now, result);
      this.ctx.metrics.attempts.inc(this.deliveredLabels);
      this.ctx.metrics.deliveryLatency.observe(labels, Math.max(0, now - head.acceptedAt) / 1000);
      return;
    }
    this.lastFailureAt = now;
    this.lastError = result.error;
    this.ctx.metrics.attempts.inc({
      recipient: recipient.id,
      outcome: result.errorCode ?? 'failed',
    });
    const decision = afterFailure(recipient, head, now, result.retryAfterMs);
    if (decision.kind === 'set-aside') {
      await this.ctx.store.setAside(recipient.id, head.seq, now, result, this.fence);
      this.buffer.shift();
      this.ctx.metrics.setAside.inc(labels);
      this.ctx.observer?.setAside(recipient, head, result, now);
      return;
    }
    await this.ctx.store.recordFailure(recipient.id, head.seq, result, decision.at, this.fence);
    head.attempts++;
    head.firstFailedAt ??= now;
    head.nextAttemptAt = decision.at;
    this.ctx.observer?.failed(recipient, head, result, now);
  }

  private schedule(at: number): void {
    this.clearTimer();
    this.state = 'waiting';
    this.dueAt = at;
    // Node timers overflow past 2^31-1 ms; the sweep re-arms a lane that waits longer.
    const delay = Math.min(Math.max(0, at - this.ctx.clock()), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.dueAt = null;
      this.start();
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.dueAt = null;
  }
}
