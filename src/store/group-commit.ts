import type { AcceptResult, NewEvent } from '../types.js';
import type { KeyToRemember } from './idempotency-store.js';
import { isStorageUnavailable } from './storage-health.js';
import type { Store } from './store.js';

interface Waiting {
  events: NewEvent[];
  /** The request's Idempotency-Key, committed with its events. */
  key: KeyToRemember | undefined;
  resolve: (ids: number[]) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most events in one transaction. Default 1,000. */
  maxBatch?: number;
  /** Called after each durable commit with the recipients that got work. */
  onCommitted?: (result: AcceptResult) => void;
  /**
   * Longest a submission waits for others to join its batch while they keep arriving.
   * Default 2 ms. A submission that arrives alone is committed at once.
   */
  maxWaitMs?: number;
  clock?: () => number;
}

/**
 * Batches concurrent acceptances into one durable transaction, so that durability costs one
 * fsync per batch instead of one per request. The SQLite driver commits synchronously, which
 * blocks the event loop, so requests cannot gather during a commit; instead the batch stays
 * open from one turn of the event loop to the next for as long as new submissions keep
 * arriving (up to `maxWaitMs`). A lone submission sees no arrival and commits at once, so an
 * idle service adds no latency.
 */
export class GroupCommitter {
  private queue: Waiting[] = [];
  private flushing = false;
  private scheduled = false;
  private readonly maxBatch: number;

  constructor(
    private readonly store: Store,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 1000;
  }

  /**
   * Resolves with the events' ids once they are durably stored, with `key` when given. All or
   * nothing: a key already live (IdempotencyKeyTakenError) fails only its own submission.
   */
  submit(events: NewEvent[], key?: KeyToRemember): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, key, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when everything submitted so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    const openedAt = performance.now();
    const maxWait = this.options.maxWaitMs ?? 2;
    let seen = this.queue.length;
    // setImmediate runs after the sockets already readable were read: those requests join.
    const tick = () => {
      const arrived = this.queue.length > seen;
      seen = this.queue.length;
      if (
        arrived &&
        this.pendingEvents() < this.maxBatch &&
        performance.now() - openedAt < maxWait
      ) {
        setImmediate(tick);
        return;
      }
      this.scheduled = false;
      void this.flush();
    };
    setImmediate(tick);
  }

  private pendingEvents(): number {
    let n = 0;
    for (const waiting of this.queue) n += waiting.events.length;
    return n;
  }

  private async flush(): Promise<void> {
    if (this.queue.length === 0) return;
    this.flushing = true;
    const batch = this.take();
    try {
      await this.commit(batch).catch(async (error) => {
        // The storage failed, not a submission: each alone would fail the same way.
        if (batch.length === 1 || isStorageUnavailable(error)) throw error;
        // One submission may be at fault: commit each alone so the others still succeed.
        for (const waiting of batch) await this.commit([waiting]).catch(waiting.reject);
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.flushing = false;
      if (this.queue.length > 0) this.schedule();
    }
  }

  private async commit(batch: Waiting[]): Promise<void> {
    const events = batch.flatMap((w) => w.events);
    const keys = batch.flatMap((w) => (w.key === undefined ? [] : [w.key]));
    const now = (this.options.clock ?? Date.now)();
    const result = await this.store.acceptEvents(events, now, keys);
    let offset = 0;
    for (const waiting of batch) {
      waiting.resolve(result.ids.slice(offset, offset + waiting.events.length));
      offset += waiting.events.length;
    }
    try {
      this.options.onCommitted?.(result);
    } catch {
      // A failed wake-up must not fail an acknowledged commit: the sweep picks the work up.
    }
  }

  private take(): Waiting[] {
    let count = 0;
    let n = 0;
    while (n < this.queue.length) {
      const size = this.queue[n]?.events.length ?? 0;
      if (n > 0 && count + size > this.maxBatch) break;
      count += size;
      n++;
    }
    return this.queue.splice(0, n);
  }
}
