import { statSync } from 'node:fs';
import { storageFaultOf } from '../storage-health.js';
import { AckLogWriter, type AckRecord, RECORD_BYTES, readAckLog } from './ack-log.js';
import type { SqliteConnection } from './database.js';

/** Fold once this many 200s are waiting (the lanes also fold whenever they read their queue). */
const FOLD_AT = 512;
/** Fold at most this long after a 200 was logged, so that other readers of the file lag little. */
const FOLD_AFTER_MS = 200;
/**
 * A fold commits with an fsync when the last one is older than this: what bounds the 200s a
 * power cut can take back (the log itself is never fsynced) when nothing else commits durably.
 */
const DURABLE_EVERY_MS = 1000;

/**
 * Recorded 200s on their way into the database. A 200 is appended to a small log file (a few
 * µs) instead of being committed on its own (25–65 µs of WAL writes and checkpointing per
 * delivery, in series with the lane's next request); the log is folded into `deliveries` in one
 * transaction before anything reads or changes the deliveries, and at least every
 * FOLD_AFTER_MS. Folding applies records by compare-and-set on the attempt count, so applying
 * one twice, or after the delivery was re-queued, changes nothing: which is what makes it safe
 * for another process (the CLI) to fold the same log inside its own write transaction, and for
 * a restarted process to fold what a killed one left.
 *
 * The process that records 200s owns the log: it alone truncates it, after a commit.
 */
export class AckJournal {
  private writer: AckLogWriter | undefined;
  /** Logged by this process and not yet committed to the database. */
  private unfolded: AckRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private foldScheduled = false;
  /** Another process took the database over: the log is its now, never to be emptied here. */
  private disowned = false;
  private durableAt = 0;

  constructor(
    private readonly conn: SqliteConnection,
    /** The log file; undefined for an in-memory database, which records 200s directly. */
    private readonly path: string | undefined,
    /** Applies records inside a write transaction. */
    private readonly apply: (records: readonly AckRecord[]) => void,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Records a 200: when this returns, a restarted process will not send the delivery again. */
  record(ack: AckRecord): void {
    // After disown, only a fresh take of the writer lock makes the log this process's again.
    if (this.path === undefined || this.disowned) {
      this.conn.transaction('NORMAL', () => this.apply([ack]));
      return;
    }
    // A database gone from under the process takes no 200: the lane must not go on.
    this.conn.health.assertUsable();
    if (this.writer === undefined) this.own();
    try {
      (this.writer as AckLogWriter).append(ack);
    } catch (error) {
      const fault = storageFaultOf(error);
      if (fault === undefined) throw error;
      this.conn.health.failing(fault);
      throw this.conn.health.error(error);
    }
    this.unfolded.push(ack);
    if (this.unfolded.length >= FOLD_AT) this.scheduleFold();
    else this.timer ??= setTimeout(() => this.backgroundFold(), FOLD_AFTER_MS).unref();
  }

  /**
   * Makes this process the log's writer: what a killed one left is committed, then the log is
   * emptied. Done when this process takes the database's writer lock, or at its first 200.
   */
  own(): void {
    if (this.path === undefined || this.writer !== undefined) return;
    this.disowned = false;
    this.fold();
    this.writer = new AckLogWriter(this.path);
  }

  /** Runs `fn` in a write transaction that first folds the log; what a store write does. */
  write<T>(level: 'FULL' | 'NORMAL', fn: () => T): T {
    let applied = false;
    const result = this.conn.transaction(this.level(level), () => {
      applied = this.applyPending();
      return fn();
    });
    if (applied) this.committed();
    return result;
  }

  /** Commits what is not yet in the database; what a store read does first. */
  fold(): void {
    if (this.path === undefined) return;
    // Another process's log is read (and trusted) only inside the transaction; here its size
    // tells whether there is anything to fold.
    if (this.writer !== undefined ? this.unfolded.length === 0 : logBytes(this.path) === 0) return;
    let applied = false;
    this.conn.transaction(this.level('NORMAL'), () => {
      applied = this.applyPending();
    });
    if (applied) this.committed();
  }

  /**
   * Starts a new log when the file at the log's path is no longer the one this process writes
   * (deleted or replaced): a record written to an unlinked file would be lost by a crash before
   * its fold, and other processes could not fold it. What this process logged is committed to
   * the database first, so nothing is lost by the switch. Returns what happened, for the log.
   */
  verifyLog(): string | undefined {
    const writer = this.writer;
    if (writer === undefined || !writer.detached()) return undefined;
    this.fold();
    writer.close();
    this.writer = new AckLogWriter(writer.path);
    return `the ack log ${writer.path} was deleted or replaced while in use: its records are in the database, and a new log was started`;
  }

  /**
   * Another process holds the database's writer lock now (this one was frozen past it): what
   * this process logged is committed, and the log, which the other may be writing, is left
   * alone from now on.
   */
  disown(): void {
    if (this.disowned) return;
    try {
      if (this.writer !== undefined && this.unfolded.length > 0) {
        const records = this.unfolded;
        this.conn.transaction('FULL', () => this.apply(records));
      }
    } finally {
      this.disowned = true;
      this.unfolded = [];
      this.clearTimer();
      this.writer?.close();
      this.writer = undefined;
    }
  }

  close(): void {
    this.clearTimer();
    try {
      // A database gone from under the process takes nothing more; the log stays as it is.
      if (this.conn.health.state !== 'lost') this.fold();
    } finally {
      this.writer?.close();
      this.writer = undefined;
    }
  }

  private level(wanted: 'FULL' | 'NORMAL'): 'FULL' | 'NORMAL' {
    const now = Date.now();
    if (wanted === 'NORMAL' && now - this.durableAt < DURABLE_EVERY_MS) return 'NORMAL';
    this.durableAt = now;
    return 'FULL';
  }

  /** Inside a write transaction. The owner applies its own records; others read the file. */
  private applyPending(): boolean {
    const records = this.writer !== undefined ? this.unfolded : readAckLog(this.path as string);
    if (records.length === 0) return false;
    this.apply(records);
    return true;
  }

  /** After the transaction that applied the records committed. */
  private committed(): void {
    if (this.writer === undefined) return;
    this.writer.clear();
    this.unfolded = [];
    this.clearTimer();
  }

  /** A fold off the lane's path: the lane's next request is on the wire by then. */
  private scheduleFold(): void {
    if (this.foldScheduled) return;
    this.foldScheduled = true;
    setImmediate(() => {
      this.foldScheduled = false;
      this.backgroundFold();
    });
  }

  private backgroundFold(): void {
    this.timer = undefined;
    try {
      this.fold();
    } catch (error) {
      // The records stay logged and unfolded: the next read or write folds them.
      this.onError(error);
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Whole records' worth of bytes in the log at `path`; 0 when there is none. */
function logBytes(path: string): number {
  const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  return size < RECORD_BYTES ? 0 : size;
}
