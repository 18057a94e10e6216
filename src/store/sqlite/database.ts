import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { BackgroundCheckpointer } from './checkpointer.js';

export type SyncLevel = 'FULL' | 'NORMAL';

export interface ConnectionOptions {
  /**
   * Checkpoint the WAL from a background thread instead of inside commits (for `serve`; a
   * short-lived command keeps SQLite's automatic checkpoint).
   */
  backgroundCheckpoints?: boolean;
  /** Called when the background checkpoints fail; the commits then checkpoint again. */
  onCheckpointError?: (message: string) => void;
}

/** How often the background thread checkpoints. */
const CHECKPOINT_INTERVAL_MS = 200;
/**
 * Commits between two checkpoints on the writer's own thread. The background thread can never
 * catch up with a busy writer, and SQLite starts the WAL file over only once every frame in it
 * has been copied back; one checkpoint here every so often, with the copying already done by
 * the thread, lets it start over and bounds the WAL (about 8 MB at 8 KiB a commit, more while the thread is slow).
 */
const CATCH_UP_EVERY = 1000;

/**
 * One connection in WAL mode. `synchronous` is switched per transaction: FULL (an fsync at
 * commit) for what the API acknowledges, NORMAL for a lane's bookkeeping, which a killed
 * process keeps and only a power cut can roll back (see README, "What a crash can cause").
 */
export class SqliteConnection {
  readonly db: Database.Database;
  private level: SyncLevel = 'FULL';
  private checkpointer: BackgroundCheckpointer | undefined;
  private commitsSinceCatchUp = 0;

  constructor(path: string, options: ConnectionOptions = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // Other processes (the CLI) may hold the write lock for a moment.
    this.db.pragma('busy_timeout = 5000');
    if (options.backgroundCheckpoints && path !== ':memory:') {
      this.db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = new BackgroundCheckpointer(path, CHECKPOINT_INTERVAL_MS, (message) => {
        // Back to checkpoints inside commits: slower, never an ever-growing WAL.
        if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
        options.onCheckpointError?.(message);
      });
    }
  }

  /** Runs `fn` in one IMMEDIATE transaction committed at the given durability. */
  transaction<T>(level: SyncLevel, fn: () => T): T {
    this.durability(level);
    const result = this.db.transaction(fn).immediate();
    this.committed();
    return result;
  }

  /**
   * Runs one statement as its own transaction (autocommit), at the given durability: what a
   * lane does per delivery, without the BEGIN and COMMIT round of `transaction`.
   */
  run(level: SyncLevel, statement: Database.Statement, ...params: unknown[]): Database.RunResult {
    this.durability(level);
    const result = statement.run(...params);
    this.committed();
    return result;
  }

  private committed(): void {
    if (this.checkpointer === undefined || ++this.commitsSinceCatchUp < CATCH_UP_EVERY) return;
    // PASSIVE never waits: busy (the thread is checkpointing) means try again next commit.
    const [status] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number }[];
    if (status?.busy === 0) this.commitsSinceCatchUp = 0;
  }

  private durability(level: SyncLevel): void {
    if (level !== this.level) {
      this.db.pragma(`synchronous = ${level}`);
      this.level = level;
    }
  }

  async close(): Promise<void> {
    const checkpointer = this.checkpointer;
    this.checkpointer = undefined;
    // The thread's connection first: the last one to close checkpoints and removes the WAL.
    await checkpointer?.stop();
    if (this.db.open) this.db.close();
  }
}
