import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { LaneFence } from '../store/cluster-store.js';
import { isStorageUnavailable } from '../store/storage-health.js';
import { DatabaseInUseError, type WriterHolder, type WriterLock } from '../store/writer-lock.js';

/** What a sweep decided: lanes to hand over to another node once they are idle. */
export interface OwnershipPlan {
  release: number[];
}

/**
 * Which lanes this process may drive. With SQLite there is one process and it drives all of
 * them (SoleOwnership); with a shared database each lane is leased to one node at a time
 * (LeasedOwnership).
 */
export interface LaneOwnership {
  start(): Promise<void>;
  /** Given every recipient, claims what this process should drive; runs on each sweep. */
  sync(recipientIds: number[]): Promise<OwnershipPlan>;
  /** This process may send for the lane now. */
  holds(recipientId: number): boolean;
  /** The token the lane's writes carry; undefined when no lease is needed. */
  fenceFor(recipientId: number): LaneFence | undefined;
  /** Gives up lanes whose lane objects have stopped. */
  release(recipientIds: number[]): Promise<void>;
  /** How many lanes this process holds, and its node id (for /metrics and /readyz). */
  describe(): { node: number | null; lanes: number };
  /** Gives every lane up for others to take at once. */
  stop(): Promise<void>;
}

export interface SoleOwnershipOptions {
  /** Where the database is, for the error that names the other process. */
  where?: string;
  /** How often the lock is renewed. Default 5 s. */
  renewMs?: number;
  /** A holder not renewed for this long is gone. Default 15 s. */
  staleMs?: number;
  /** Another machine's process holds the lock: waiting to see it renewed, or go stale. */
  onWaiting?: (holder: WriterHolder) => void;
  /**
   * The lock was taken over (this process was frozen past staleMs), or, with `cause`, the
   * database was deleted or replaced under the process: its lanes stopped.
   */
  onLost?: (cause?: Error) => void;
  onError?: (error: unknown) => void;
  clock?: () => number;
  /** A monotonic clock in ms, by which the lock is trusted between renewals. Default performance.now. */
  now?: () => number;
}

/**
 * The only process on its database: every lane is its own, for as long as it holds the
 * database's writer lock. Starting waits for a holder that stopped renewing (a killed process
 * on another machine sharing the file) and refuses one that renews (a second `serve`); a dead
 * process on this machine is replaced at once.
 */
export class SoleOwnership implements LaneOwnership {
  private count = 0;
  private readonly token = randomBytes(12).toString('base64url');
  private timer: NodeJS.Timeout | undefined;
  private unwatch: (() => void) | undefined;
  /** Until start() took the lock, when there is one. */
  private held: boolean;
  private renewedAt = 0;
  /**
   * Monotonic time until which the lock is surely still ours: another process takes it only
   * once it has not been renewed for staleMs (see `holds`).
   */
  private trustedUntil = Number.POSITIVE_INFINITY;
  private rechecking = false;
  private readonly now: () => number;
  private readonly renewMs: number;
  private readonly staleMs: number;
  private readonly clock: () => number;
  private readonly where: string;

  constructor(
    private readonly lock?: WriterLock,
    private readonly options: SoleOwnershipOptions = {},
  ) {
    this.renewMs = options.renewMs ?? 5_000;
    this.staleMs = options.staleMs ?? 15_000;
    this.clock = options.clock ?? Date.now;
    this.now = options.now ?? (() => performance.now());
    this.where = options.where ?? 'this database';
    this.held = lock === undefined;
  }

  async start(): Promise<void> {
    const lock = this.lock;
    if (lock === undefined) return;
    const me = { token: this.token, pid: process.pid, host: hostname() };
    let first: WriterHolder | undefined;
    let takenAt: number;
    for (;;) {
      takenAt = this.now();
      const now = this.clock();
      const other = await lock.take(me, now, (holder) => this.gone(holder, me, now));
      if (other === undefined) break;
      // On this machine it is known to be alive; elsewhere, only a renewal shows it.
      if (other.host === me.host) throw new DatabaseInUseError(other, this.where);
      if (first === undefined) {
        first = other;
        this.options.onWaiting?.(other);
      } else if (other.token !== first.token || other.seenAt !== first.seenAt) {
        throw new DatabaseInUseError(other, this.where);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, this.renewMs)));
    }
    this.held = true;
    this.renewedAt = this.clock();
    this.trust(takenAt);
    // A database found gone by any write (not only the renewal) stops the lanes at once.
    this.unwatch = lock.watch?.((cause) => this.lose(cause));
    this.timer = setInterval(() => void this.renew(lock), this.renewMs);
    this.timer.unref();
  }

  /** A holder that cannot be delivering any more. */
  private gone(holder: WriterHolder, me: { pid: number; host: string }, now: number): boolean {
    if (now - holder.seenAt >= this.staleMs) return true;
    if (holder.host !== me.host) return false;
    // Our own pid under another token: an earlier run of this container or process.
    return holder.pid === me.pid || !alive(holder.pid);
  }

  private async renew(lock: WriterLock): Promise<void> {
    if (!this.held) return;
    const sentAt = this.now();
    const now = this.clock();
    try {
      if (await lock.renew(this.token, now)) {
        this.renewedAt = now;
        this.trust(sentAt);
        return;
      }
      this.lose();
    } catch (error) {
      // The database was deleted or replaced: the lock in it means nothing now.
      if (isStorageUnavailable(error) && error.code === 'OUTBOUND_STORAGE_LOST') {
        this.lose(error);
        return;
      }
      this.options.onError?.(error);
      // Another process may take a lock not renewed for staleMs: stop before it can.
      if (now - this.renewedAt >= this.staleMs - this.renewMs) this.lose();
    }
  }

  private lose(cause?: Error): void {
    if (!this.held) return;
    this.held = false;
    clearInterval(this.timer);
    this.unwatch?.();
    this.options.onLost?.(cause);
  }

  async sync(recipientIds: number[]): Promise<OwnershipPlan> {
    this.count = this.held ? recipientIds.length : 0;
    return { release: [] };
  }

  /**
   * Asked before a lane sends and right before each request leaves. Once the last renewal is
   * older than another process waits before taking the lock (this one was frozen: SIGSTOP, a
   * paused VM), nothing is sent until a renewal shows the lock is still ours; the sweep then
   * restarts the lanes. A renewal that finds the lock taken gives everything up.
   */
  holds(): boolean {
    if (!this.held) return false;
    if (this.now() < this.trustedUntil) return true;
    this.recheck();
    return false;
  }

  /** The lock was renewed (or taken) by a write sent at `sentAt`, monotonic time. */
  private trust(sentAt: number): void {
    this.trustedUntil = sentAt + this.staleMs - Math.min(1000, this.staleMs / 4);
  }

  private recheck(): void {
    const lock = this.lock;
    if (lock === undefined || this.rechecking) return;
    this.rechecking = true;
    void this.renew(lock).finally(() => {
      this.rechecking = false;
    });
  }

  fenceFor(): undefined {
    return undefined;
  }

  async release(): Promise<void> {}

  describe(): { node: number | null; lanes: number } {
    return { node: null, lanes: this.count };
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unwatch?.();
    if (this.lock !== undefined && this.held) await this.lock.release(this.token);
    this.held = false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
