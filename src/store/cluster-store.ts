/**
 * What several `serve` processes on one database need of it: node liveness, lane leases with
 * fencing tokens, and wake-ups across processes. Only a store that is not single-writer has
 * one (`Store.cluster`). Times and durations are judged by the database's clock, never by
 * comparing one machine's clock with another's.
 */

/** The lease a lane write is made under: refused unless `node` still holds it with `token`. */
export interface LaneFence {
  node: number;
  token: number;
}

/** A lane write was refused: another node took the lane over. */
export class LeaseLostError extends Error {
  constructor(readonly recipientId: number) {
    super(`the lane of recipient ${recipientId} is now driven by another node`);
    this.name = 'LeaseLostError';
  }
}

/**
 * What a wake-up says: these lanes got new work; this lane's queue was changed; or the nodes
 * or their lanes changed (a node came, went, or released lanes): time to claim again.
 */
export type ClusterSignal =
  | { kind: 'work'; recipientIds: number[] | 'all' }
  | { kind: 'changed'; recipientId: number }
  | { kind: 'nodes' };

export interface ClusterStore {
  /** Registers a live node for `leaseMs`; returns its id. Also forgets long-dead nodes. */
  register(name: string, leaseMs: number): Promise<number>;
  /** Extends the node's life by `leaseMs`; false when it had already expired (register again). */
  renew(node: number, leaseMs: number): Promise<boolean>;
  /** Ids of the live nodes, ascending. */
  liveNodes(): Promise<number[]>;
  /**
   * Takes the lanes among `recipientIds` that nobody live holds, if `node` is live itself;
   * returns the lanes `node` holds afterwards (recipient id → token), old and new; none once
   * `node` is no longer live.
   */
  claim(node: number, recipientIds: number[]): Promise<Map<number, number>>;
  /** Gives lanes up (only those still held with these tokens), for others to claim at once. */
  release(node: number, lanes: ReadonlyMap<number, number>): Promise<void>;
  /** Gives up every lane and removes the node: a clean stop. */
  deregister(node: number): Promise<void>;
  /** Tells every node (this one too) about a change to a lane's queue. */
  signal(signal: ClusterSignal): Promise<void>;
  /**
   * Calls `handler` for every signal from any node, from now until the returned function is
   * called. After a lost connection it reconnects and reports `{ kind: 'nodes' }`, since
   * signals sent meanwhile are lost: the handler looks at everything again.
   */
  listen(handler: (signal: ClusterSignal) => void): Promise<() => Promise<void>>;
}
