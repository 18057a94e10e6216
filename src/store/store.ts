/*
 * The storage interface. Layout of src/store/: each backend is a sibling folder (sqlite/,
 * postgres/) holding only what its driver and dialect need: its connection, SQL text (sql/),
 * migrations (released ones are never edited), parameter encoding and the translation of its
 * driver's errors (name-taken.ts). What both do the same lives here, beside this interface:
 * row converters (*-rows.ts), the subscription fan-out (fan-out.ts), the session-record
 * build (session-records.ts), lane stats, errors with codes (errors.ts). Neither backend
 * imports the other, and nothing here imports config/ (tools/layering.ts checks both). A new
 * backend: a folder implementing Store and AdminStore, with its migrations, opened by a URL
 * scheme in open.ts, declaring its capabilities; run test/store/ against it by adding it to
 * test/store/backends.ts.
 */
import type { SessionRecord, SessionState } from '../sessions/index.js';
import type {
  AcceptResult,
  ApiToken,
  Attempt,
  AttemptOutcome,
  Delivery,
  DeliveryState,
  LaneStats,
  NewEvent,
  PendingDelivery,
  Recipient,
  RecipientInput,
  RecipientPatch,
  StoredEvent,
} from '../types.js';
import type { AdminStore } from './admin-store.js';
import type { ApiAccountStore } from './api-account-store.js';
import type { ClusterStore, LaneFence } from './cluster-store.js';
import type { CustomFieldStore } from './custom-field-store.js';
import type { EventQueryStore } from './event-query-store.js';
import type { IdempotencyStore, KeyToRemember } from './idempotency-store.js';
import type { SessionKeyStore } from './session-key-store.js';
import type { SessionReportQuery } from './session-report-query.js';
import type { SessionSearch, SessionSummary } from './session-search.js';
import type { SettingsStore } from './settings-store.js';
import type { StorageHealth } from './storage-health.js';
import type { WriterLock } from './writer-lock.js';

/** What a backend can and cannot do, declared once instead of tested by dialect. */
export interface StoreCapabilities {
  /**
   * Only one process may write at a time (SQLite): lanes need no lease. Read where delivery
   * chooses the writer lock or leases (lane-leasing.ts).
   */
  singleWriter: boolean;
}

/** The delivery a 200 is recorded for, as the lane read it (a lane's head). */
export interface DeliveredHead {
  recipientId: number;
  seq: number;
  /** Attempts recorded before this one. */
  attempts: number;
}

export interface MigrationReport {
  applied: string[];
  current: number;
}

export interface DeliveryQuery {
  state?: DeliveryState;
  /** Deliveries with seq below this, for paging back from the newest. */
  beforeSeq?: number;
  /** Deliveries with seq above this, oldest first: the next page of the pending queue. */
  afterSeq?: number;
  limit: number;
}

/** A recipient's activity in [from, to), cut into buckets of `bucketMs` (the admin chart). */
export interface BucketQuery {
  from: number;
  to: number;
  bucketMs: number;
}

/** One bucket of a recipient's activity; buckets with no activity are not returned. */
export interface DeliveryBucket {
  /** `from` plus a whole number of `bucketMs`. */
  start: number;
  /** Deliveries whose 200 arrived in the bucket. */
  delivered: number;
  /** Mean and longest latency of those 200s (ms); null when there were none. */
  meanLatencyMs: number | null;
  maxLatencyMs: number | null;
  /** Failed attempts made in the bucket. */
  failedAttempts: number;
}

export interface PruneReport {
  deliveries: number;
  attempts: number;
  events: number;
  /** Support sessions that ended before the cutoff. */
  sessions: number;
}

/** What a session change decides, given the session as stored (undefined: there is none). */
export type SessionUpdate<T> = (current: SessionRecord | undefined) => {
  state: SessionState;
  /** Stored and queued exactly as acceptEvents would, in this order. */
  events: NewEvent[];
  /** Handed back to the caller as it is. */
  result: T;
};

export interface SessionChangeResult<T> extends AcceptResult {
  session: SessionRecord;
  result: T;
}

/**
 * The Idempotency-Key to store with a session change, and its answer, made from the change's
 * outcome inside its transaction (so the key and the change are committed together).
 */
export type RememberChange<T> = (done: { session: SessionRecord; result: T }) => KeyToRemember;

/**
 * The one storage interface. Every method is one transaction; the delivery logic sees only
 * this, never which backend it has. Times are milliseconds since the epoch.
 */
export interface Store {
  readonly capabilities: StoreCapabilities;
  /** Leases and cross-process wake-ups; present exactly when not single-writer. */
  readonly cluster?: ClusterStore;
  /** The one delivering process; present exactly when single-writer. */
  readonly writerLock?: WriterLock;
  /** Administrators, web sessions and the audit log of the admin interface. */
  readonly admin: AdminStore;
  /** Settings changed in the admin interface (the SMTP relay). */
  readonly settings: SettingsStore;
  /** API accounts of the appliance APIs, their OAuth2 tokens, administrators' legacy grants. */
  readonly apiAccounts: ApiAccountStore;
  /** Custom session attribute definitions (API Configuration). */
  readonly customFields: CustomFieldStore;
  /** Keys of the Command API's generate_session_key, hashed; each starts one session. */
  readonly sessionKeys: SessionKeyStore;
  /** The API's Idempotency-Keys with their first answers (written by acceptEvents, changeSession). */
  readonly idempotency: IdempotencyStore;
  /** The API's event reads: an event by its public id, delivery counts of a page of events. */
  readonly events: EventQueryStore;
  /**
   * Whether writes go through: failing (disk full, connection lost) until a write succeeds
   * again, or lost for good (the SQLite file was deleted or replaced under the process).
   */
  readonly health: StorageHealth;
  migrate(): Promise<MigrationReport>;
  close(): Promise<void>;
  /**
   * The database answers and is usable; throws StorageUnavailableError once it is lost, and,
   * while failing, unless a write now succeeds.
   */
  ping(): Promise<void>;

  /**
   * Stores the events, and one pending delivery for each enabled recipient subscribed to each
   * event's type, in one durable transaction, with the Idempotency-Keys `keys` (none stored
   * when one of them is live already: IdempotencyKeyTakenError).
   */
  acceptEvents(
    events: NewEvent[],
    now: number,
    keys?: readonly KeyToRemember[],
  ): Promise<AcceptResult>;
  getEvent(id: number): Promise<StoredEvent | undefined>;

  getSession(lsid: string): Promise<SessionRecord | undefined>;
  /**
   * The sessions a Reporting API report covers, in lseq order, `pageSize` at a time: each page
   * is read by its own statement after the last lseq sent, so any window streams in constant
   * memory.
   */
  reportSessions(query: SessionReportQuery, pageSize: number): AsyncIterable<SessionRecord[]>;
  /** Reports → Support sessions: a page of the sessions the search finds, newest first. */
  searchSessions(search: SessionSearch): Promise<SessionSummary[]>;
  /**
   * Reads the session and stores the state `update` returns (creating the session when there
   * was none) with the events it returns, in one durable transaction: the change and its
   * events are kept together or not at all. Changes to one session are serialized: `update`
   * runs under the write lock, so it must be synchronous and do no I/O. When it throws,
   * nothing is stored and the error is rethrown. `remember` gives the Idempotency-Key stored
   * in the same transaction (IdempotencyKeyTakenError, and nothing stored, when it is live).
   */
  changeSession<T>(
    lsid: string,
    update: SessionUpdate<T>,
    now: number,
    remember?: RememberChange<T>,
  ): Promise<SessionChangeResult<T>>;

  createRecipient(input: RecipientInput, now: number): Promise<Recipient>;
  /** Undefined when no such recipient. */
  updateRecipient(id: number, patch: RecipientPatch, now: number): Promise<Recipient | undefined>;
  /** Deletes the recipient with its queue and history; false when no such recipient. */
  deleteRecipient(id: number): Promise<boolean>;
  getRecipient(id: number): Promise<Recipient | undefined>;
  findRecipientByName(name: string): Promise<Recipient | undefined>;
  listRecipients(): Promise<Recipient[]>;

  /** The first `limit` pending deliveries of a lane with seq above `afterSeq`, in order. */
  pendingDeliveries(
    recipientId: number,
    limit: number,
    afterSeq?: number,
  ): Promise<PendingDelivery[]>;
  /*
   * The lane writes below take the lane's `fence` when the store is shared by several nodes:
   * made with a token that is no longer the lane's, they change nothing and throw
   * LeaseLostError.
   */

  /**
   * Records a 200. Must be visible to a restarted process before the lane sends the next
   * event, so that a killed process re-sends only the head. A backend that folds 200s into
   * its tables later (SQLite's ack log) applies one only while the delivery still has at most
   * `head.attempts` attempts, so that a 200 folded twice, or after the delivery was re-queued,
   * changes nothing.
   */
  markDelivered(head: DeliveredHead, outcome: AttemptOutcome, fence?: LaneFence): Promise<void>;
  /** Records a failed attempt and when to try again. */
  recordFailure(
    recipientId: number,
    seq: number,
    outcome: AttemptOutcome,
    nextAttemptAt: number,
    fence?: LaneFence,
  ): Promise<void>;
  /** Marks a pending delivery failed (kept and replayable), with the failed attempt if any. */
  setAside(
    recipientId: number,
    seq: number,
    now: number,
    outcome?: AttemptOutcome,
    fence?: LaneFence,
  ): Promise<boolean>;
  /** Makes the head due now; false when the lane is empty. */
  retryNow(recipientId: number, now: number): Promise<boolean>;
  /**
   * Puts failed deliveries back in the queue at their original place (all of them, or only
   * `seqs`); returns how many.
   */
  replayFailed(recipientId: number, now: number, seqs?: number[]): Promise<number>;
  /**
   * Queues again every event accepted in [from, to] that the recipient subscribes to, whether
   * it was delivered, failed or never queued for it; returns how many.
   */
  replayRange(recipientId: number, from: number, to: number, now: number): Promise<number>;
  listDeliveries(recipientId: number, query: DeliveryQuery): Promise<Delivery[]>;
  listAttempts(recipientId: number, seq: number): Promise<Attempt[]>;
  /** The recipient's deliveries and failed attempts per time bucket, oldest bucket first. */
  deliveryBuckets(recipientId: number, query: BucketQuery): Promise<DeliveryBucket[]>;
  laneStats(): Promise<LaneStats[]>;
  /**
   * Deletes up to `batchSize` delivered deliveries (with their attempts) accepted before
   * `cutoff`, then events accepted before it that no longer have any delivery, then up to
   * `batchSize` sessions that ended before it (live sessions are kept however old).
   */
  pruneBatch(cutoff: number, batchSize: number): Promise<PruneReport>;

  createToken(name: string, hash: string, now: number): Promise<ApiToken>;
  /** The live (not revoked) token with this hash; records its use. */
  useToken(hash: string, now: number): Promise<ApiToken | undefined>;
  listTokens(): Promise<ApiToken[]>;
  revokeToken(id: number, now: number): Promise<boolean>;
}
