import { DeliveryMetrics } from '../metrics/delivery-metrics.js';
import type { ClusterSignal, ClusterStore } from '../store/cluster-store.js';
import type { Store } from '../store/store.js';
import type { PendingDelivery, Recipient } from '../types.js';
import { timeoutOf } from './http-target.js';
import { Lane, type LaneStatus } from './lane.js';
import type { LaneObserver } from './lane-observer.js';
import { LeasedOwnership } from './leased-ownership.js';
import { type LaneOwnership, SoleOwnership, type SoleOwnershipOptions } from './ownership.js';
import { RequestSlots } from './request-slots.js';
import type { Sender } from './sender.js';

export interface DispatcherOptions {
  /**
   * Most requests being started or answered at once across all lanes. Default 64. A request
   * still unanswered after `slotHoldMs` gives its slot back and waits outside the cap (see
   * request-slots.ts), so receivers that never answer cannot hold every slot.
   */
  concurrency?: number;
  /** How long a request waiting for its answer keeps its slot. Default 200 ms. */
  slotHoldMs?: number;
  /** How often the safety-net sweep looks at every lane. Default 1,000 ms. */
  sweepIntervalMs?: number;
  clock?: () => number;
  onError?: (error: unknown, recipientId?: number) => void;
  metrics?: DeliveryMetrics;
  /**
   * On a single-writer store: how the writer lock is held (renewal, staleness, what to do
   * when waiting for or losing it). `onLost` is called after the lanes stopped.
   */
  writer?: Pick<SoleOwnershipOptions, 'where' | 'renewMs' | 'staleMs' | 'onWaiting' | 'onLost'>;
  /**
   * Lanes leased from a database shared with other nodes, which wake each other through it.
   * Without it this process drives every lane (it is the only one on its database).
   */
  cluster?: {
    store: ClusterStore;
    leaseMs: number;
    name: string;
    /** The monotonic clock the lease is trusted by. Default performance.now. */
    now?: () => number;
  };
  /** Told what every attempt came to (error alerts). */
  observer?: LaneObserver;
}

/**
 * Runs one lane per recipient, many in parallel under a global cap. Lanes are woken by commits
 * (`wake`), by their own retry timers, and, as a safety net, by a periodic sweep that also
 * picks up recipients changed by another process (the CLI).
 */
export class Dispatcher {
  readonly metrics: DeliveryMetrics;
  readonly ownership: LaneOwnership;
  private readonly lanes = new Map<number, Lane>();
  /** Lanes being handed over to another node: stopping, then released. */
  private readonly releasing = new Set<number>();
  private readonly slots: RequestSlots;
  private readonly clock: () => number;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | null = null;
  private sweepAgain = false;
  private unlisten: (() => Promise<void>) | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly sender: Sender,
    private readonly options: DispatcherOptions = {},
  ) {
    this.slots = new RequestSlots(options.concurrency ?? 64, options.slotHoldMs ?? 200);
    this.clock = options.clock ?? Date.now;
    this.metrics = options.metrics ?? new DeliveryMetrics();
    const cluster = options.cluster;
    this.ownership =
      cluster === undefined
        ? new SoleOwnership(store.writerLock, {
            ...options.writer,
            onLost: (cause) => {
              this.abandonAll();
              this.options.onError?.(
                cause ??
                  new Error(
                    'another outbound serve took over this database (this one was frozen too long): delivery stopped',
                  ),
              );
              options.writer?.onLost?.(cause);
            },
            onError: (error) => this.options.onError?.(error),
          })
        : new LeasedOwnership(cluster.store, {
            leaseMs: cluster.leaseMs,
            name: cluster.name,
            ...(cluster.now === undefined ? {} : { now: cluster.now }),
            onLost: () => {
              this.abandonAll();
              this.options.onError?.(
                new Error(
                  'this node could not renew its lease in time: its lanes stopped, and go to the live nodes',
                ),
              );
            },
            onError: (error) => this.options.onError?.(error),
          });
  }

  async start(): Promise<void> {
    const cluster = this.options.cluster?.store;
    if (cluster !== undefined) this.unlisten = await cluster.listen((signal) => this.hear(signal));
    await this.ownership.start();
    await this.sweep();
    // The other nodes hand over the lanes this one should drive now.
    await this.announce({ kind: 'nodes' });
    const interval = this.options.sweepIntervalMs ?? 1000;
    this.sweepTimer = setInterval(() => this.requestSweep(), interval);
  }

  /** Sweeps now, or once more right after the sweep under way. */
  private requestSweep(): void {
    if (this.stopped) return;
    if (this.sweeping !== null) {
      this.sweepAgain = true;
      return;
    }
    this.sweeping = this.sweep()
      .catch((error) => this.options.onError?.(error))
      .finally(() => {
        this.sweeping = null;
        if (this.sweepAgain) {
          this.sweepAgain = false;
          this.requestSweep();
        }
      });
  }

  /** Tells every node sharing the database, when there are others. */
  private async announce(signal: ClusterSignal): Promise<void> {
    await this.options.cluster?.store
      .signal(signal)
      .catch((error) => this.options.onError?.(error));
  }

  /** New deliveries were committed for these recipients. */
  wake(recipientIds: readonly number[]): void {
    for (const id of recipientIds) {
      const lane = this.lanes.get(id);
      if (lane !== undefined) lane.wake();
      else if (this.ownership.holds(id)) {
        void this.refresh(id).catch((error) => this.options.onError?.(error, id));
      }
    }
  }

  /** A signal from a node sharing the database (or this one): work or a changed queue. */
  hear(signal: ClusterSignal): void {
    if (this.stopped) return;
    if (signal.kind === 'changed') {
      const id = signal.recipientId;
      const lane = this.lanes.get(id);
      if (lane === undefined) return;
      // Nothing more leaves with the old settings: a wake-up for work accepted after a pause
      // may arrive before the recipient is read again.
      const release = lane.hold();
      void this.store
        .getRecipient(id)
        .then((recipient) => {
          if (recipient === undefined) return this.drop(id);
          // Settings first (a new URL drops the old connection), then the queue.
          this.apply(recipient);
        })
        .catch((error) => this.options.onError?.(error, id))
        .finally(release);
    } else if (signal.kind === 'nodes') {
      // Lanes may be free to claim, or owed to a new node; signals may have been lost.
      this.requestSweep();
      for (const lane of this.lanes.values()) lane.wake();
    } else if (signal.recipientIds !== 'all') {
      this.wake(signal.recipientIds);
    } else {
      for (const lane of this.lanes.values()) lane.wake();
    }
  }

  /**
   * This node's lease is gone: every lane stops at once and its request in flight is
   * aborted, before another node may take the lane over. Nothing more is recorded by them.
   */
  private abandonAll(): void {
    for (const [id, lane] of this.lanes) {
      lane.abandon();
      void this.sender.abort(id);
    }
    this.lanes.clear();
  }

  /** Reads a recipient's settings again (after a change through the API). */
  async refresh(recipientId: number): Promise<void> {
    const recipient = await this.store.getRecipient(recipientId);
    if (recipient === undefined) {
      await this.drop(recipientId);
    } else {
      this.apply(recipient);
    }
    // Driven by another node: it reads the recipient again (settings, pause, deletion).
    if (!this.lanes.has(recipientId)) await this.announce({ kind: 'changed', recipientId });
  }

  /**
   * Runs `fn` while the recipient's lane has nothing in flight, then re-reads its queue. With
   * `cutInFlight` (deleting the recipient) a request in flight is cut rather than waited for,
   * up to its whole time-out, and nothing is recorded for it.
   */
  async withLaneIdle<T>(
    recipientId: number,
    fn: () => Promise<T>,
    options: { cutInFlight?: boolean } = {},
  ): Promise<T> {
    const lane = this.lanes.get(recipientId);
    if (lane !== undefined) return lane.exclusive(fn, options.cutInFlight);
    const result = await fn();
    // Another node may drive the lane: it reads the queue again.
    await this.announce({ kind: 'changed', recipientId });
    return result;
  }

  laneStatus(recipientId: number): LaneStatus | undefined {
    return this.lanes.get(recipientId)?.status();
  }

  /** Requests under way, those waiting past their slot included. */
  get inFlight(): number {
    return this.slots.inFlight;
  }

  /** Stops every lane, giving requests in flight up to `deadlineMs` to finish. */
  async stop(deadlineMs: number): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    await this.sweeping;
    await Promise.all([...this.lanes.values()].map((lane) => lane.stop(deadlineMs)));
    await this.unlisten?.();
    // Only once nothing is in flight: the lanes are free for the other nodes at once.
    await this.ownership.stop();
    await this.announce({ kind: 'nodes' });
  }

  private apply(recipient: Recipient): void {
    if (this.stopped) return;
    const lane = this.lanes.get(recipient.id);
    if (!this.ownership.holds(recipient.id) || this.releasing.has(recipient.id)) {
      if (lane !== undefined && !this.releasing.has(recipient.id)) this.lose(recipient.id);
      return;
    }
    if (lane === undefined) {
      const created = new Lane(
        recipient,
        {
          store: this.store,
          sender: this.sender,
          slots: this.slots,
          metrics: this.metrics,
          clock: this.clock,
          onError: (error, id) => this.options.onError?.(error, id),
          holds: (id) => this.ownership.holds(id),
          onLeaseLost: (id) => this.lose(id, created),
          observer: this.options.observer,
        },
        this.ownership.fenceFor(recipient.id),
      );
      this.lanes.set(recipient.id, created);
      created.wake();
      if (this.options.cluster !== undefined) this.moved('taken', recipient);
      return;
    }
    if (lane.config.updatedAt !== recipient.updatedAt) {
      const before = lane.config;
      // A change applies to the request in flight at once. Paused or disabled: it is cut, and
      // the lane records nothing for it (whether it arrived is unknown; the head is sent again
      // later with the same webhook-id). A shorter time-out: it ends within the new one.
      if (!recipient.enabled || recipient.paused) {
        if (lane.cut()) void this.sender.abort(recipient.id);
      } else if (recipient.timeoutMs < before.timeoutMs) {
        this.sender.shorten?.(recipient.id, recipient.timeoutMs);
      }
      if (connectionChanged(before, recipient)) void this.sender.forget(recipient.id);
      lane.reload(recipient);
    }
  }

  private async drop(recipientId: number): Promise<void> {
    const lane = this.lanes.get(recipientId);
    if (lane === undefined) return;
    this.lanes.delete(recipientId);
    // Deleted: its request in flight is cut now, not left to run out its time-out, and
    // nothing more is recorded for the lane.
    lane.abandon();
    await this.sender.abort(recipientId);
  }

  /** Another node drives the lane now: stop without recording anything more. */
  private lose(recipientId: number, which?: Lane): void {
    const lane = this.lanes.get(recipientId);
    // A lane replaced since cannot speak for its successor.
    if (lane === undefined || (which !== undefined && lane !== which)) return;
    this.lanes.delete(recipientId);
    lane.abandon();
    void this.sender.abort(recipientId);
    this.moved('lost', lane.config);
  }

  /** Tells the observer a lane came to this node or left it (leased lanes only). */
  private moved(kind: 'taken' | 'handed-over' | 'lost', recipient: Recipient): void {
    const observer = this.options.observer;
    if (observer?.laneMoved === undefined) return;
    if (kind !== 'taken') {
      observer.laneMoved({ kind, recipient, node: this.ownership.describe().node });
      return;
    }
    const fence = this.ownership.fenceFor(recipient.id);
    if (fence !== undefined) observer.laneMoved({ kind, recipient, fence });
  }

  /**
   * An operator set this recipient's head aside (operations/recipient-actions.ts): told to the
   * observer like a set-aside the lane made, off the caller's path.
   */
  setAsideByOperator(recipientId: number, delivery: PendingDelivery): void {
    const observer = this.options.observer;
    if (observer?.setAsideByOperator === undefined) return;
    const now = this.clock();
    const known = this.lanes.get(recipientId)?.config;
    if (known !== undefined) {
      observer.setAsideByOperator(known, delivery, now);
      return;
    }
    void this.store
      .getRecipient(recipientId)
      .then((recipient) => {
        if (recipient !== undefined) observer.setAsideByOperator?.(recipient, delivery, now);
      })
      .catch((error) => this.options.onError?.(error, recipientId));
  }

  /** Hands a lane to the node that should drive it, once its request in flight ended. */
  private async handOver(recipientId: number): Promise<void> {
    this.releasing.add(recipientId);
    try {
      const lane = this.lanes.get(recipientId);
      this.lanes.delete(recipientId);
      // A request ends by its own time-out at the latest.
      await lane?.stop(timeoutOf(lane.config) + 1000);
      // Whatever is still in flight is cut off before another node may send.
      await this.sender.abort(recipientId);
      const node = this.ownership.describe().node;
      await this.ownership.release([recipientId]);
      if (lane !== undefined) {
        this.options.observer?.laneMoved?.({ kind: 'handed-over', recipient: lane.config, node });
      }
      await this.announce({ kind: 'nodes' });
    } finally {
      this.releasing.delete(recipientId);
    }
  }

  /** The safety net: syncs lanes with the stored recipients and kicks any that stalled. */
  private async sweep(): Promise<void> {
    const recipients = await this.store.listRecipients();
    const plan = await this.ownership.sync(recipients.map((r) => r.id));
    for (const id of plan.release) {
      if (this.releasing.has(id)) continue;
      void this.handOver(id).catch((error) => this.options.onError?.(error, id));
    }
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
