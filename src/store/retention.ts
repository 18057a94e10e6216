import { KEY_LIFETIME_MS } from './idempotency-store.js';
import type { PruneReport, Store } from './store.js';

export interface RetentionOptions {
  /** Delivered events and their attempts older than this are deleted. 0 keeps everything. */
  retentionMs: number;
  /** Rows per transaction: small, so that a lane never waits long for the write lock. */
  batchSize?: number;
  /** Between two runs. Default one minute. */
  intervalMs?: number;
  clock?: () => number;
  onError?: (error: unknown) => void;
}

/**
 * Deletes old delivered history and ended sessions in small batches, yielding between them,
 * so that pruning a large backlog never stalls delivery. Failed (set-aside) and pending
 * deliveries are kept, and so are live sessions.
 */
export class Retention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PruneReport> | null = null;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly options: RetentionOptions,
  ) {}

  start(): void {
    // Runs even when history is kept for ever: Idempotency-Keys last 24 h whatever it says.
    this.timer = setInterval(() => {
      if (this.running === null) {
        this.running = this.runOnce().finally(() => {
          this.running = null;
        });
        this.running.catch((error) => this.options.onError?.(error));
      }
    }, this.options.intervalMs ?? 60_000);
    this.timer.unref();
  }

  /** Prunes until nothing old is left; returns the totals. */
  async runOnce(): Promise<PruneReport> {
    const total: PruneReport = { deliveries: 0, attempts: 0, events: 0, sessions: 0 };
    const batchSize = this.options.batchSize ?? 500;
    const now = (this.options.clock ?? Date.now)();
    await this.store.idempotency.prune(now - KEY_LIFETIME_MS);
    if (this.options.retentionMs <= 0) return total;
    const cutoff = now - this.options.retentionMs;
    while (!this.stopped) {
      const report = await this.store.pruneBatch(cutoff, batchSize);
      total.deliveries += report.deliveries;
      total.attempts += report.attempts;
      total.events += report.events;
      total.sessions += report.sessions;
      const full = Math.max(report.deliveries, report.events, report.sessions) >= batchSize;
      if (!full) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return total;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
