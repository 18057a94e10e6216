import type { AcceptResult, NewEvent } from '../types.js';
import type { Store } from './store.js';

interface Waiting {
  events: NewEvent[];
  resolve: (ids: number[]) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most events in one transaction. Default 1,000. */
  maxBatch?: number;
  /** Called after each durable commit with the recipients that got work. */
  onCommitted?: (result: AcceptResult) => void;
  clock?: () => number;
}

/**
 * Batches concurrent acceptances into one durable transaction. The batch window is the time
 * the previous commit took: while one fsync runs, new requests gather, and they all commit
 * together next, so durability costs one fsync per batch instead of one per request.
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

  /** Resolves with the events' ids once they are durably stored. All or nothing. */
  submit(events: NewEvent[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
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
    // setImmediate: let the requests already read from sockets join this batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.queue.length === 0) return;
    this.flushing = true;
    const batch = this.take();
    try {
      await this.commit(batch).catch(async (error) => {
        if (batch.length === 1) throw error;
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
    const result = await this.store.acceptEvents(events, (this.options.clock ?? Date.now)());
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
