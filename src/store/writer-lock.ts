/**
 * What keeps a single-writer database (SQLite) to one delivering process: a second `serve` on
 * the same file would drive every lane twice, out of order, and fold the other's ack log. Only
 * a single-writer store has one (`Store.writerLock`); several nodes share PostgreSQL through
 * lane leases instead. Times are the writers' own clocks: they share a file, so a machine.
 */

/** The process that delivers from the database. */
export interface WriterHolder {
  /** Random per process start: tells a restarted process from the one before it. */
  token: string;
  pid: number;
  host: string;
  acquiredAt: number;
  /** Its last renewal. */
  seenAt: number;
}

export interface WriterLock {
  /**
   * Makes `me` the holder unless another holder is there and `mayReplace` says no; returns
   * that other holder when refused, undefined when `me` holds the lock now.
   */
  take(
    me: Omit<WriterHolder, 'acquiredAt' | 'seenAt'>,
    now: number,
    mayReplace: (holder: WriterHolder) => boolean,
  ): Promise<WriterHolder | undefined>;
  /** Records that `token` is alive; false when it no longer holds the lock. */
  renew(token: string, now: number): Promise<boolean>;
  /** Gives the lock up, if `token` still holds it. */
  release(token: string): Promise<void>;
  /**
   * Calls `onBroken` when the database the lock is in was found gone from under the process
   * (deleted or replaced): the lock means nothing any more and delivery must stop at once.
   * Returns how to stop watching.
   */
  watch?(onBroken: (cause: Error) => void): () => void;
}

/** Another live process delivers from this database. */
export class DatabaseInUseError extends Error {
  readonly code = 'OUTBOUND_DATABASE_IN_USE';

  constructor(
    readonly holder: WriterHolder,
    where: string,
  ) {
    super(
      `another outbound serve (pid ${holder.pid} on ${holder.host}, running since ${new Date(holder.acquiredAt).toISOString()}) delivers from ${where}: stop it first; to run several nodes, use PostgreSQL (OUTBOUND_DATABASE_URL=postgres://…)`,
    );
    this.name = 'DatabaseInUseError';
  }
}
