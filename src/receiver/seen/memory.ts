import {
  type ClaimResult,
  DEFAULT_LEASE_MS,
  DEFAULT_TTL_MS,
  positiveMs,
  type SeenStore,
  type SeenStoreOptions,
} from './store.js';

export interface MemorySeenStoreOptions extends SeenStoreOptions {
  /** Most ids kept; the least recently used go first. Default 10 000. */
  maxEntries?: number;
}

interface Entry {
  state: 'busy' | 'seen';
  /** When it was claimed (busy) or handled (seen). */
  at: number;
}

/**
 * A seen-store in this process's memory: bounded by count (least recently used evicted) and
 * by age. Forgotten on restart, so it covers retries and re-sends while the receiver runs;
 * use SqliteSeenStore (or your own) to survive restarts.
 */
export class MemorySeenStore implements SeenStore {
  // A Map iterates in insertion order; re-inserting on use keeps the oldest first.
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly leaseMs: number;
  private readonly now: () => number;

  constructor(options: MemorySeenStoreOptions = {}) {
    const max = options.maxEntries ?? 10_000;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new TypeError('maxEntries must be a positive whole number');
    }
    this.maxEntries = max;
    this.ttlMs = positiveMs(options.ttlMs, DEFAULT_TTL_MS, 'ttlMs');
    this.leaseMs = positiveMs(options.leaseMs, DEFAULT_LEASE_MS, 'leaseMs');
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  claim(id: string): ClaimResult {
    const now = this.now();
    const entry = this.entries.get(id);
    if (entry) {
      this.entries.delete(id);
      if (entry.state === 'seen' && now - entry.at < this.ttlMs) {
        this.entries.set(id, entry);
        return 'seen';
      }
      if (entry.state === 'busy' && now - entry.at < this.leaseMs) {
        this.entries.set(id, entry);
        return 'busy';
      }
    }
    this.entries.set(id, { state: 'busy', at: now });
    this.evict();
    return 'claimed';
  }

  complete(id: string): void {
    this.entries.delete(id);
    this.entries.set(id, { state: 'seen', at: this.now() });
    this.evict();
  }

  release(id: string): void {
    if (this.entries.get(id)?.state === 'busy') this.entries.delete(id);
  }

  private evict(): void {
    for (const id of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) return;
      this.entries.delete(id);
    }
  }
}
