import { DeliveryMetrics } from '../metrics/delivery-metrics.js';
import type { Store } from '../store/store.js';
import type { Recipient } from '../types.js';
import { Lane, type LaneStatus } from './lane.js';
import { Semaphore } from './semaphore.js';
import type { Sender } from './sender.js';

export interface DispatcherOptions {
  /** Most requests in flight across all lanes. Default 64. */
  concurrency?: number;
  /** How often the safety-net sweep looks at every lane. Default 1,000 ms. */
  sweepIntervalMs?: number;
  clock?: () => number;
  onError?: (error: unknown, recipientId?: number) => void;
  metrics?: DeliveryMetrics;
}

/**
 * Runs one lane per recipient, many in parallel under a global cap. Lanes are woken by commits
 * (`wake`), by their own retry timers, and, as a safety net, by a periodic sweep that also
 * picks up recipients changed by another process (the CLI).
 */
export class Dispatcher {
  readonly metrics: DeliveryMetrics;
  private readonly lanes = new Map<number, Lane>();
  private readonly semaphore: Semaphore;
  private readonly clock: () => number;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly sender: Sender,
    private readonly options: DispatcherOptions = {},
  ) {
    this.semaphore = new Semaphore(options.concurrency ?? 64);
    this.clock = options.clock ?? Date.now;
    this.metrics = options.metrics ?? new DeliveryMetrics();
  }

  async start(): Promise<void> {
    await this.sweep();
    const interval = this.options.sweepIntervalMs ?? 1000;
    this.sweepTimer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .catch((error) => this.options.onError?.(error))
        .finally(() => {
          this.sweeping = null;
        });
    }, interval);
  }

  /** New deliveries were committed for these recipients. */
  wake(recipientIds: readonly number[]): void {
    for (const id of recipientIds) {
      const lane = this.lanes.get(id);
      if (lane !== undefined) lane.wake();
      else void this.refresh(id).catch((error) => this.options.onError?.(error, id));
    }
  }

  /** Reads a recipient's settings again (after a change through the API). */
  async refresh(recipientId: number): Promise<void> {
    const recipient = await this.store.getRecipient(recipientId);
    if (recipient === undefined) {
      await this.drop(recipientId);
      return;
    }
    this.apply(recipient);
  }

  /** Runs `fn` while the recipient's lane has nothing in flight, then re-reads its queue. */
  async withLaneIdle<T>(recipientId: number, fn: () => Promise<T>): Promise<T> {
    const lane = this.lanes.get(recipientId);
    if (lane === undefined) return fn();
    return lane.exclusive(fn);
  }

  laneStatus(recipientId: number): LaneStatus | undefined {
    return this.lanes.get(recipientId)?.status();
  }

  get inFlight(): number {
    return this.semaphore.inUse;
  }

  /** Stops every lane, giving requests in flight up to `deadlineMs` to finish. */
  async stop(deadlineMs: number): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    await this.sweeping;
    await Promise.all([...this.lanes.values()].map((lane) => lane.stop(deadlineMs)));
  }

  private apply(recipient: Recipient): void {
    if (this.stopped) return;
    const lane = this.lanes.get(recipient.id);
    if (lane === undefined) {
      const created = new Lane(recipient, {
        store: this.store,
        sender: this.sender,
        semaphore: this.semaphore,
        metrics: this.metrics,
        clock: this.clock,
        onError: (error, id) => this.options.onError?.(error, id),
      });
      this.lanes.set(recipient.id, created);
      created.wake();
      return;
    }
    if (lane.config.updatedAt !== recipient.updatedAt) {
      if (connectionChanged(lane.config, recipient)) void this.sender.forget(recipient.id);
      lane.reload(recipient);
    }
  }

  private async drop(recipientId: number): Promise<void> {
    const lane = this.lanes.get(recipientId);
    if (lane === undefined) return;
    this.lanes.delete(recipientId);
    await lane.stop(0);
    await this.sender.forget(recipientId);
  }

  /** The safety net: syncs lanes with the stored recipients and kicks any that stalled. */
  private async sweep(): Promise<void> {
    const recipients = await this.store.listRecipients();
    const seen = new Set<number>();
    for (const recipient of recipients) {
      seen.add(recipient.id);
      this.apply(recipient);
    }
    for (const id of [...this.lanes.keys()]) if (!seen.has(id)) await this.drop(id);
    const now = this.clock();
    for (const lane of this.lanes.values()) {
      if (lane.nudge(now)) continue;
      // Another process (the CLI, another node) may have made the head due or replaced it.
      const waiting = lane.waitingOn();
      if (waiting === undefined) continue;
      const [head] = await this.store.pendingDeliveries(lane.recipientId, 1);
      if (head === undefined || head.seq !== waiting.seq || head.nextAttemptAt < waiting.dueAt) {
        lane.reload();
      }
    }
  }
}

function connectionChanged(before: Recipient, after: Recipient): boolean {
  return (
    before.url !== after.url ||
    before.tlsVerify !== after.tlsVerify ||
    before.caPem !== after.caPem ||
    before.timeoutMs !== after.timeoutMs
  );
}
