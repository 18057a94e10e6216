import type { LaneFence } from '../store/cluster-store.js';

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

/** The only process on its database: every lane is its own, for good. */
export class SoleOwnership implements LaneOwnership {
  private count = 0;

  async start(): Promise<void> {}

  async sync(recipientIds: number[]): Promise<OwnershipPlan> {
    this.count = recipientIds.length;
    return { release: [] };
  }

  holds(): boolean {
    return true;
  }

  fenceFor(): undefined {
    return undefined;
  }

  async release(): Promise<void> {}

  describe(): { node: number | null; lanes: number } {
    return { node: null, lanes: this.count };
  }

  async stop(): Promise<void> {}
}
