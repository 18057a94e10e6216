import { closeSync, fdatasync, openSync } from 'node:fs';

/** Flushes a file's written data to the device; `fs.fdatasync` unless a test wraps it. */
export type DataSync = (fd: number, done: (error: Error | null) => void) => void;

interface Waiter {
  generation: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Makes commits taken at `synchronous = NORMAL` durable off the event loop. SQLite's own
 * FULL commit fsyncs the write-ahead log inside COMMIT, which blocks the event loop for the
 * whole flush (~1 ms here, most of an accepting batch's time). Committed at NORMAL instead,
 * the batch's frames are in the log but maybe not yet on the device; `durable` then flushes
 * the log file on libuv's thread pool, and the caller acknowledges only once it resolves.
 * In WAL mode that flush is exactly what FULL adds at commit, so an acknowledged batch is as
 * durable as before. Flushes are shared: a commit made while one runs waits for the next,
 * which covers every commit made before it started.
 *
 * Until its flush is done, a batch is visible to readers but must not leave the process: a
 * lane that delivered it, and a power cut that then rolled it back, would have sent an event
 * that no longer exists. `durableBelow` is the seq lane reads stay under. A process killed
 * meanwhile leaves the frames in the OS's cache; the next holder of the writer lock commits
 * its claim at FULL, which flushes them, before any of its lanes reads.
 */
export class WalSync {
  private committed = 0;
  private synced = 0;
  private running = false;
  private fd: number | undefined;
  private waiters: Waiter[] = [];
  private failed: Error | undefined;
  /** Per commit not yet flushed that added deliveries: its generation and lowest seq. */
  private undurable: { generation: number; from: number }[] = [];

  constructor(
    /** The write-ahead log; undefined for a database in memory, where there is nothing to flush. */
    private readonly walPath: string | undefined,
    private readonly dataSync: DataSync = fdatasync,
  ) {}

  /**
   * Called right after a NORMAL commit (synchronously, before anything else can read it);
   * resolves once the log holding it is on the device. `from`: the lowest seq the commit
   * queued, which no lane may read before then. Rejects with the flush's error: then, and
   * from then on, nothing committed since the last good flush is known to be durable.
   */
  durable(from?: number): Promise<void> {
    const generation = ++this.committed;
    if (from !== undefined) this.undurable.push({ generation, from });
    return this.waitFor(generation);
  }

  /** Resolves once everything committed so far is on the device. */
  settled(): Promise<void> {
    if (this.failed === undefined && this.committed === this.synced) return Promise.resolve();
    return this.waitFor(this.committed);
  }

  /** Lane reads take seqs below this: everything under it is durable. */
  durableBelow(): number {
    return this.undurable[0]?.from ?? Number.MAX_SAFE_INTEGER;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private waitFor(generation: number): Promise<void> {
    if (this.failed !== undefined) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiters.push({ generation, resolve, reject });
      this.start();
    });
  }

  private start(): void {
    if (this.running || this.waiters.length === 0) return;
    const generation = this.committed;
    if (this.walPath === undefined) {
      this.done(generation, null);
      return;
    }
    let fd: number;
    try {
      // Opened once, on the first flush: the log exists from the first commit, and keeps its
      // inode while any connection is open (SQLite restarts and truncates it in place).
      fd = this.fd ??= openSync(this.walPath, 'r');
    } catch (error) {
      this.done(generation, error as Error);
      return;
    }
    this.running = true;
    this.dataSync(fd, (error) => {
      this.running = false;
      this.done(generation, error);
    });
  }

  private done(generation: number, error: Error | null): void {
    const waiting = this.waiters;
    this.waiters = [];
    if (error !== null) {
      // After a failed flush, Linux may have dropped the pages it could not write and report
      // the next flush as a success: nothing committed since the last good flush can be
      // called durable again in this process (PostgreSQL stops for the same reason).
      this.failed = error;
      for (const waiter of waiting) waiter.reject(error);
      return;
    }
    this.synced = Math.max(this.synced, generation);
    this.undurable = this.undurable.filter((u) => u.generation > generation);
    for (const waiter of waiting) {
      if (waiter.generation > generation) this.waiters.push(waiter);
      else waiter.resolve();
    }
    // Commits made while this flush ran: the next one covers them.
    this.start();
  }
}
