import {
  type ClaimResult,
  DEFAULT_LEASE_MS,
  DEFAULT_TTL_MS,
  positiveMs,
  type SeenStore,
  type SeenStoreOptions,
} from './store.js';

/**
 * The subset of a SQLite database this store needs, so that the receiver SDK depends on no
 * driver: pass node:sqlite's `new DatabaseSync('receiver.db')` (Node ≥ 24.15, nothing to
 * compile) or better-sqlite3's `new Database('receiver.db')`; both fit.
 */
export interface SqliteDatabase {
  exec(source: string): unknown;
  prepare(source: string): SqliteStatement;
}

export interface SqliteStatement {
  run(...params: unknown[]): { changes: number | bigint };
  get(...params: unknown[]): unknown;
}

export interface SqliteSeenStoreOptions extends SeenStoreOptions {
  /** Table to keep ids in, created if missing. Default `outbound_seen`. */
  table?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Expired rows are deleted at most this often, on a claim, so that no timer is needed.
const PRUNE_EVERY_MS = 60_000;

/**
 * A seen-store in a SQLite database: survives restarts, and several processes may share the
 * file (each claim is one statement, so it is atomic across connections).
 */
export class SqliteSeenStore implements SeenStore {
  private readonly ttlMs: number;
  private readonly leaseMs: number;
  private readonly now: () => number;
  private readonly claimRow: SqliteStatement;
  private readonly stateOf: SqliteStatement;
  private readonly completeRow: SqliteStatement;
  private readonly releaseRow: SqliteStatement;
  private readonly prune: SqliteStatement;
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(db: SqliteDatabase, options: SqliteSeenStoreOptions = {}) {
    const table = options.table ?? 'outbound_seen';
    if (!IDENTIFIER.test(table)) throw new TypeError(`table must be an identifier: ${table}`);
    this.ttlMs = positiveMs(options.ttlMs, DEFAULT_TTL_MS, 'ttlMs');
    this.leaseMs = positiveMs(options.leaseMs, DEFAULT_LEASE_MS, 'leaseMs');
    this.now = options.now ?? Date.now;

    // state: 'busy' while a handler runs, 'seen' once it succeeded; at: epoch ms of that.
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      id TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      at INTEGER NOT NULL
    ) WITHOUT ROWID`);
    db.exec(`CREATE INDEX IF NOT EXISTS ${table}_at ON ${table} (at)`);
    // A new id is inserted; an expired entry (stale claim, forgotten success) is taken over.
    this.claimRow = db.prepare(
      `INSERT INTO ${table} (id, state, at) VALUES (?, 'busy', ?)
       ON CONFLICT (id) DO UPDATE SET state = 'busy', at = excluded.at
       WHERE (state = 'busy' AND at <= ?) OR (state = 'seen' AND at <= ?)`,
    );
    this.stateOf = db.prepare(`SELECT state FROM ${table} WHERE id = ?`);
    this.completeRow = db.prepare(`UPDATE ${table} SET state = 'seen', at = ? WHERE id = ?`);
    this.releaseRow = db.prepare(`DELETE FROM ${table} WHERE id = ? AND state = 'busy'`);
    this.prune = db.prepare(
      `DELETE FROM ${table} WHERE (state = 'seen' AND at <= ?) OR (state = 'busy' AND at <= ?)`,
    );
  }

  claim(id: string): ClaimResult {
    const now = this.now();
    const leaseCutoff = now - this.leaseMs;
    const ttlCutoff = now - this.ttlMs;
    if (now - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prune.run(ttlCutoff, leaseCutoff);
      this.prunedAt = now;
    }
    if (Number(this.claimRow.run(id, now, leaseCutoff, ttlCutoff).changes) === 1) return 'claimed';
    const row = this.stateOf.get(id) as { state: string } | undefined;
    // A row gone between the two statements was just released: let the retry claim it.
    return row?.state === 'seen' ? 'seen' : 'busy';
  }

  complete(id: string): void {
    this.completeRow.run(this.now(), id);
  }

  release(id: string): void {
    this.releaseRow.run(id);
  }
}
