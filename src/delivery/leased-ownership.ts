import type { ClusterStore, LaneFence } from '../store/cluster-store.js';
import type { LaneOwnership, OwnershipPlan } from './ownership.js';
import { ownerOf } from './rendezvous.js';

export interface LeaseOptions {
  /** How long a node stays live without a heartbeat. Default 4,000 ms. */
  leaseMs?: number;
  /** Shown in the nodes table: host, pid, port. */
  name: string;
  /**
   * Called when this node can no longer be sure it holds its lanes (its heartbeats failed for
   * too long): every lane must stop sending at once, requests in flight included.
   */
  onLost: () => void;
  onError?: (error: unknown) => void;
  /** A monotonic clock in ms. Default performance.now. */
  now?: () => number;
}

/**
 * Lanes leased from the shared database. The node is live while its heartbeats keep
 * `nodes.expires_at` ahead of the database clock; each lane it holds carries a fencing token.
 *
 * Why no second node ever sends to a lane this node still sends to: the database lets another
 * node claim a lane only after this node's `expires_at` has passed on the database's clock.
 * Locally, a successful heartbeat sent at time t (this machine's monotonic clock) extends the
 * node to (database time at its arrival, which is after t) + leaseMs, so this node trusts
 * its lanes only until t + leaseMs − margin, and aborts every request in flight then. Both
 * deadlines measure an interval on one clock each; no two clocks are compared. A node stalled
 * past its lease (a long GC pause, a stopped process) sends nothing more once it runs again:
 * every request asks `holds` right before its first byte leaves, and a spent budget gives
 * the node up there; the fencing token refuses its late database writes.
 */
export class LeasedOwnership implements LaneOwnership {
  private readonly leaseMs: number;
  private readonly margin: number;
  private readonly now: () => number;
  private node: number | null = null;
  /** Local monotonic time until which this node trusts its lanes. */
  private validUntil = 0;
  private lanes = new Map<number, number>();
  /**
   * Lanes given up (recipient id → the token they were held with), until a claim is seen that
   * no longer returns them: a claim that read the lanes before the release committed must not
   * bring them back.
   */
  private readonly given = new Map<number, number>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly cluster: ClusterStore,
    private readonly options: LeaseOptions,
  ) {
    this.leaseMs = options.leaseMs ?? 4000;
    this.margin = Math.min(1000, this.leaseMs / 4);
    this.now = options.now ?? (() => performance.now());
  }

  async start(): Promise<void> {
    await this.heartbeat();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.leaseMs / 4);
  }

  /** Registers, or extends the node's life; a node found expired registers anew. */
  heartbeat(): Promise<void> {
    this.beating ??= (async () => {
      let sentAt = this.now();
      try {
        if (this.node !== null && !(await this.cluster.renew(this.node, this.leaseMs))) {
          // Expired in the database: its lanes may already be someone else's.
          this.lose();
        }
        if (this.stopped) return;
        if (this.node === null) {
          // A new node's lease counts from its registration, not from before a renewal that
          // came back refused or late (a node thawed after a freeze would trust nothing).
          sentAt = this.now();
          this.node = await this.cluster.register(this.options.name, this.leaseMs);
          this.lanes = new Map();
        }
        this.validUntil = sentAt + this.leaseMs - this.margin;
        this.armExpiry();
      } catch (error) {
        this.options.onError?.(error);
      }
    })().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  async sync(recipientIds: number[]): Promise<OwnershipPlan> {
    const node = this.node;
    if (node === null || !this.live()) return { release: [] };
    const live = await this.cluster.liveNodes();
    if (!live.includes(node)) live.push(node);
    const wanted = new Set(recipientIds.filter((id) => ownerOf(live, id) === node));
    const held = await this.cluster.claim(node, [...wanted]);
    // Lost meanwhile: what the claim returned belongs to a node id given up already.
    if (this.node !== node) return { release: [] };
    for (const [id, token] of this.given) {
      if (held.get(id) === token) held.delete(id);
      else this.given.delete(id);
    }
    this.lanes = held;
    return { release: [...held.keys()].filter((id) => !wanted.has(id)) };
  }

  /**
   * Asked before a lane sends and again right before each request's first byte leaves. A node
   * that finds its budget spent (it was frozen: a GC pause, SIGSTOP, a paused VM) gives every
   * lane up here and now, as the expiry timer would: after a thaw, I/O callbacks run before
   * timers, so the timer cannot be relied on to come first.
   */
  holds(recipientId: number): boolean {
    if (this.node === null) return false;
    if (!this.live()) {
      this.lose();
      return false;
    }
    return this.lanes.has(recipientId);
  }

  fenceFor(recipientId: number): LaneFence | undefined {
    const token = this.lanes.get(recipientId);
    return this.node === null || token === undefined ? undefined : { node: this.node, token };
  }

  async release(recipientIds: number[]): Promise<void> {
    const node = this.node;
    if (node === null) return;
    const given = new Map<number, number>();
    for (const id of recipientIds) {
      const token = this.lanes.get(id);
      if (token === undefined) continue;
      given.set(id, token);
      this.lanes.delete(id);
      this.given.set(id, token);
    }
    try {
      await this.cluster.release(node, given);
    } catch (error) {
      // Still ours, perhaps: the next claim shows it, and the lane is driven again.
      for (const id of given.keys()) this.given.delete(id);
      throw error;
    }
  }

  describe(): { node: number | null; lanes: number } {
    return { node: this.node, lanes: this.node === null ? 0 : this.lanes.size };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.expiryTimer);
    await this.beating;
    const node = this.node;
    this.node = null;
    this.lanes = new Map();
    if (node !== null) await this.cluster.deregister(node);
  }

  private live(): boolean {
    return this.now() < this.validUntil;
  }

  private armExpiry(): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(
      () => {
        if (this.node === null) return;
        if (this.live())
          this.armExpiry(); // a timer may fire a little early
        else this.lose();
      },
      Math.max(0, this.validUntil - this.now()),
    );
  }

  /** Forgets the node and its lanes; the next heartbeat registers a new node. */
  private lose(): void {
    this.node = null;
    this.lanes = new Map();
    this.options.onLost();
  }
}
