import type { EventName } from '../../events/index.js';
import type { SessionRecord } from '../../sessions/index.js';
import type { SqliteDriverChoice, SqliteStatement } from '../../sqlite/index.js';
import type {
  AcceptResult,
  ApiToken,
  Attempt,
  AttemptOutcome,
  Delivery,
  LaneStats,
  NewEvent,
  PendingDelivery,
  Recipient,
  RecipientInput,
  RecipientPatch,
  StoredEvent,
} from '../../types.js';
import type { AdminStore } from '../admin-store.js';
import type { ApiAccountStore } from '../api-account-store.js';
import { type BucketRow, toBucket } from '../bucket-rows.js';
import type { CustomFieldStore } from '../custom-field-store.js';
import {
  type AttemptRow,
  customFieldsColumn,
  type DeliveryRow,
  type PendingRow,
  toAttempt,
  toDelivery,
  toEvent,
  toPending,
} from '../delivery-rows.js';
import { FanOut, type SubscriberRow, Subscriptions } from '../fan-out.js';
import type { KeyToRemember } from '../idempotency-store.js';
import { type LaneStatsRow, toLaneStats } from '../lane-stats.js';
import { patchedRecipient, type RecipientRow, toRecipient } from '../recipient-rows.js';
import type { SessionKeyStore } from '../session-key-store.js';
import {
  concurrentChange,
  nextSession,
  type SessionRow,
  toSessionRecord,
  withLseq,
} from '../session-records.js';
import { reportPages, type SessionReportRow } from '../session-report-pages.js';
import type { SessionReportQuery } from '../session-report-query.js';
import {
  type SessionSearch,
  type SessionSummary,
  type SessionSummaryRow,
  toSessionSummary,
} from '../session-search.js';
import type { SettingsStore } from '../settings-store.js';
import { isStorageUnavailable, type StorageHealth } from '../storage-health.js';
import type {
  BucketQuery,
  DeliveredHead,
  DeliveryBucket,
  DeliveryQuery,
  MigrationReport,
  PruneReport,
  RememberChange,
  SessionChangeResult,
  SessionUpdate,
  Store,
  StoreCapabilities,
} from '../store.js';
import { type TokenRow, toToken } from '../token-rows.js';
import type { WriterLock } from '../writer-lock.js';
import { AckJournal } from './ack-journal.js';
import type { AckRecord } from './ack-log.js';
import { SqliteAdminStore } from './admin.js';
import { SqliteApiAccountStore } from './api-accounts.js';
import { SqliteCustomFieldStore } from './custom-fields.js';
import { SqliteConnection } from './database.js';
import { SqliteEventQueries } from './event-queries.js';
import { SqliteIdempotencyStore } from './idempotency.js';
import { migrate } from './migrate.js';
import { asNameTaken } from './name-taken.js';
import { recipientParams } from './recipient-params.js';
import { SqliteSessionKeyStore } from './session-keys.js';
import { SqliteSettingsStore } from './settings.js';
import { LIST_ATTEMPTS, listDeliveries } from './sql/deliveries.js';
import { DELIVERY_BUCKETS } from './sql/delivery-chart.js';
import { ENABLED_RECIPIENTS, GET_EVENT, INSERT_DELIVERY, INSERT_EVENT } from './sql/events.js';
import {
  HEAD_SEQ,
  INSERT_ATTEMPT,
  LANE_STATS,
  MARK_DELIVERED,
  PENDING_DELIVERIES,
  RECORD_FAILURE,
  RETRY_NOW,
  SET_ASIDE,
} from './sql/lane.js';
import {
  CUTOFF_SEQ,
  DELETE_ATTEMPTS,
  DELETE_DELIVERY,
  DELETE_ENDED_SESSIONS,
  DELETE_EVENT,
  OLD_DELIVERED,
  ORPHAN_EVENTS,
  RECIPIENT_IDS,
} from './sql/prune.js';
import {
  DELETE_RECIPIENT,
  FIND_RECIPIENT_BY_NAME,
  GET_RECIPIENT,
  INSERT_RECIPIENT,
  LIST_RECIPIENTS,
  UPDATE_RECIPIENT,
} from './sql/recipients.js';
import { REPLAY_ALL_FAILED, REPLAY_FAILED_SEQ, replayRange } from './sql/replay.js';
import { LSIDS_PAGE, windowBounds, windowPage } from './sql/session-reports.js';
import { searchSessions } from './sql/session-search.js';
import { GET_SESSION, INSERT_SESSION, NEXT_LSEQ, UPDATE_SESSION } from './sql/sessions.js';
import {
  FIND_LIVE_TOKEN,
  INSERT_TOKEN,
  LIST_TOKENS,
  REVOKE_TOKEN,
  USE_TOKEN,
} from './sql/tokens.js';
import { SqliteWriterLock } from './writer-lock.js';

/**
 * Passed to the acceptance path's transactions: they add rows, so their success shows a
 * failing store (a full disk) writable again. Bookkeeping rewritten in place (a token's last
 * use, the writer lock) may succeed on a disk too full to accept anything.
 */
const PROVES_RECOVERY = true;

/** The embedded store: one SQLite file, one connection, WAL. */
export class SqliteStore implements Store {
  readonly capabilities: StoreCapabilities = { singleWriter: true };
  readonly admin: AdminStore;
  readonly settings: SettingsStore;
  readonly apiAccounts: ApiAccountStore;
  readonly customFields: CustomFieldStore;
  readonly sessionKeys: SessionKeyStore;
  readonly idempotency: SqliteIdempotencyStore;
  readonly events: SqliteEventQueries;
  readonly writerLock: WriterLock;
  readonly health: StorageHealth;
  private readonly conn: SqliteConnection;
  private readonly acks: AckJournal;
  private readonly subscriptions = new Subscriptions();

  constructor(
    path: string,
    private readonly options: {
      onError?: (error: unknown) => void;
      /** OUTBOUND_SQLITE_DRIVER: which driver opens the file (default auto). */
      driver?: SqliteDriverChoice;
    } = {},
  ) {
    this.conn = new SqliteConnection(path, options.driver);
    this.health = this.conn.health;
    this.acks = new AckJournal(
      this.conn,
      path === ':memory:' ? undefined : `${path}-acks`,
      (records) => this.applyAcks(records),
      options.onError,
    );
    this.admin = new SqliteAdminStore(this.conn, () => this.acks.fold());
    this.settings = new SqliteSettingsStore(this.conn);
    this.apiAccounts = new SqliteApiAccountStore(this.conn);
    this.customFields = new SqliteCustomFieldStore(this.conn);
    this.sessionKeys = new SqliteSessionKeyStore(this.conn);
    this.idempotency = new SqliteIdempotencyStore(this.conn);
    this.events = new SqliteEventQueries(this.conn, () => this.acks.fold());
    // The ack log belongs to the lock's holder: it recovers and empties the log on taking the
    // lock, and one that lost the lock leaves the log alone.
    this.writerLock = new SqliteWriterLock(this.conn, {
      acquired: () => this.acks.own(),
      lost: () => this.acks.disown(),
      verify: () => this.verifyFiles(),
    });
  }

  /**
   * Throws (and the store stays lost) once the database's files are no longer the ones open;
   * starts a new ack log when only that one went. Run by every renewal of the writer lock and
   * every readiness check.
   */
  private verifyFiles(): void {
    this.conn.verifyFiles();
    const renewed = this.acks.verifyLog();
    if (renewed !== undefined) this.options.onError?.(new Error(renewed));
  }

  /**
   * For tests: a disk that is full (no page may be added to the database) or no longer so.
   * SQLite's max_page_count on this connection, which fails a write needing a new page with
   * SQLITE_FULL as a full disk does.
   */
  simulateFullDisk(full: boolean): void {
    const pages = full ? Number(this.conn.db.pragmaValue('page_count')) : 0xfffffffe;
    this.conn.db.pragma(`max_page_count = ${pages}`);
  }

  private sql(text: string): SqliteStatement {
    return this.conn.statement(text);
  }

  async migrate(): Promise<MigrationReport> {
    return migrate(this.conn.db);
  }

  async close(): Promise<void> {
    try {
      if (this.conn.db.isOpen) this.acks.close();
    } finally {
      // A lost or failing database still lets go of its file.
      await this.conn.close();
    }
  }

  /** Answers, and is writable: a failing store is probed with a write until one succeeds. */
  async ping(): Promise<void> {
    this.verifyFiles();
    if (this.health.state === 'failing') this.conn.probeWrite();
    else this.conn.db.prepare('SELECT 1').get();
  }

  async acceptEvents(
    events: NewEvent[],
    now: number,
    keys: readonly KeyToRemember[] = [],
  ): Promise<AcceptResult> {
    return this.conn.transaction(
      'FULL',
      () => {
        this.idempotency.rememberIn(keys, now);
        return this.insertEvents(events, now);
      },
      PROVES_RECOVERY,
    );
  }

  /** The events and their deliveries; inside a transaction. */
  private insertEvents(events: NewEvent[], now: number): AcceptResult {
    const ids: number[] = [];
    if (events.length === 0) return { ids, recipientIds: [] };
    const fanOut = new FanOut(
      this.subscriptions.of(this.sql(ENABLED_RECIPIENTS).all() as SubscriberRow[]),
    );
    const insertEvent = this.sql(INSERT_EVENT);
    const insertDelivery = this.sql(INSERT_DELIVERY);
    for (const event of events) {
      const id = Number(
        insertEvent.run(
          event.uid,
          event.name,
          event.lsid,
          event.externalKey,
          event.timestamp,
          event.body,
          now,
          event.onlyRecipientId ?? null,
          customFieldsColumn(event.customFields),
        ).lastInsertRowid,
      );
      ids.push(id);
      for (const recipientId of fanOut.recipientsOf(event)) {
        insertDelivery.run(recipientId, id, id, now, now);
      }
    }
    return { ids, recipientIds: fanOut.recipientIds };
  }

  async getSession(lsid: string): Promise<SessionRecord | undefined> {
    return this.conn.first(GET_SESSION, [lsid], toSessionRecord);
  }

  reportSessions(query: SessionReportQuery, pageSize: number): AsyncIterable<SessionRecord[]> {
    return reportPages(query, pageSize, {
      bounds: async (kind, from, before) =>
        this.sql(windowBounds(kind)).get({ from, before }) as { low: number; high: number },
      windowPage: async (kind, page) => this.sql(windowPage(kind)).all(page) as SessionReportRow[],
      lsidsPage: async (lsids, after, limit) =>
        this.sql(LSIDS_PAGE).all({
          lsids: JSON.stringify(lsids),
          after,
          limit,
        }) as SessionReportRow[],
    });
  }

  async searchSessions(search: SessionSearch): Promise<SessionSummary[]> {
    const { text, params } = searchSessions(search);
    return (this.sql(text).all(params) as SessionSummaryRow[]).map(toSessionSummary);
  }

  async changeSession<T>(
    lsid: string,
    update: SessionUpdate<T>,
    now: number,
    remember?: RememberChange<T>,
  ): Promise<SessionChangeResult<T>> {
    // IMMEDIATE: the read below already holds the write lock, so no other change to the
    // session (from this process or another) can slip in between read and write.
    return this.conn.transaction(
      'FULL',
      () => {
        const row = this.sql(GET_SESSION).get(lsid) as SessionRow | undefined;
        const current = row && toSessionRecord(row);
        let step = nextSession(lsid, current, update, now);
        const { decided, stateText } = step;
        const params = { lsid, state: stateText, now, ended_at: step.session.endedAt };
        if (current === undefined) {
          const { last } = this.sql(NEXT_LSEQ).get() as { last: number };
          step = withLseq(step, last);
          this.sql(INSERT_SESSION).run({ ...params, lseq: last });
        } else if (
          this.sql(UPDATE_SESSION).run({ ...params, version: current.version }).changes !== 1
        ) {
          throw concurrentChange(lsid);
        }
        const { session } = step;
        if (remember !== undefined) {
          this.idempotency.rememberIn([remember({ session, result: decided.result })], now);
        }
        return { ...this.insertEvents(decided.events, now), session, result: decided.result };
      },
      PROVES_RECOVERY,
    );
  }

  async getEvent(id: number): Promise<StoredEvent | undefined> {
    return this.conn.first(GET_EVENT, [id], toEvent);
  }

  async createRecipient(input: RecipientInput, now: number): Promise<Recipient> {
    try {
      return this.conn.transaction('FULL', () => {
        const row = this.sql(INSERT_RECIPIENT).get({
          ...recipientParams(input),
          created_at: now,
          updated_at: now,
        }) as RecipientRow;
        return toRecipient(row);
      });
    } catch (error) {
      throw asNameTaken(error, input.name);
    }
  }

  async updateRecipient(
    id: number,
    patch: RecipientPatch,
    now: number,
  ): Promise<Recipient | undefined> {
    return this.conn.transaction('FULL', () => {
      const row = this.sql(GET_RECIPIENT).get(id) as RecipientRow | undefined;
      if (row === undefined) return undefined;
      const { recipient: merged, updatedAt } = patchedRecipient(row, patch, now);
      let updated: RecipientRow;
      try {
        updated = this.sql(UPDATE_RECIPIENT).get({
          ...recipientParams(merged),
          id,
          updated_at: updatedAt,
        }) as RecipientRow;
      } catch (error) {
        throw asNameTaken(error, merged.name);
      }
      return toRecipient(updated);
    });
  }

  async deleteRecipient(id: number): Promise<boolean> {
    return this.acks.write('FULL', () => {
      this.subscriptions.forget(id);
      return this.sql(DELETE_RECIPIENT).run(id).changes > 0;
    });
  }

  async getRecipient(id: number): Promise<Recipient | undefined> {
    return this.conn.first(GET_RECIPIENT, [id], toRecipient);
  }

  async findRecipientByName(name: string): Promise<Recipient | undefined> {
    return this.conn.first(FIND_RECIPIENT_BY_NAME, [name], toRecipient);
  }

  async listRecipients(): Promise<Recipient[]> {
    return (this.sql(LIST_RECIPIENTS).all() as RecipientRow[]).map(toRecipient);
  }

  async pendingDeliveries(
    recipientId: number,
    limit: number,
    afterSeq = 0,
  ): Promise<PendingDelivery[]> {
    this.acks.fold();
    const rows = this.sql(PENDING_DELIVERIES).all(recipientId, afterSeq, limit) as PendingRow[];
    return rows.map(toPending);
  }

  async markDelivered(head: DeliveredHead, outcome: AttemptOutcome): Promise<void> {
    this.acks.record({
      recipientId: head.recipientId,
      seq: head.seq,
      attempts: head.attempts,
      at: outcome.at,
      status: outcome.status,
      latencyMs: outcome.latencyMs,
    });
  }

  /** Inside a write transaction. */
  private applyAcks(records: readonly AckRecord[]): void {
    const mark = this.sql(MARK_DELIVERED);
    for (const ack of records) {
      mark.run(ack.at, ack.status, ack.latencyMs, ack.at, ack.recipientId, ack.seq, ack.attempts);
    }
  }

  async recordFailure(
    recipientId: number,
    seq: number,
    outcome: AttemptOutcome,
    nextAttemptAt: number,
  ): Promise<void> {
    this.acks.write('NORMAL', () =>
      this.recordFailedAttempt(recipientId, seq, outcome, nextAttemptAt),
    );
  }

  /** Counts a failed attempt on the delivery and keeps it in the attempts table. */
  private recordFailedAttempt(
    recipientId: number,
    seq: number,
    outcome: AttemptOutcome,
    nextAttemptAt: number | null,
  ): void {
    const row = this.sql(RECORD_FAILURE).get(
      outcome.at,
      outcome.at,
      outcome.status,
      outcome.error,
      outcome.latencyMs,
      nextAttemptAt,
      recipientId,
      seq,
    ) as { attempts: number } | undefined;
    if (row !== undefined) this.insertAttempt(recipientId, seq, row.attempts, outcome);
  }

  private insertAttempt(recipientId: number, seq: number, n: number, outcome: AttemptOutcome) {
    this.sql(INSERT_ATTEMPT).run(
      recipientId,
      seq,
      n,
      outcome.at,
      outcome.status,
      outcome.errorCode,
      outcome.error,
      outcome.latencyMs,
      outcome.snippet,
    );
  }

  async setAside(
    recipientId: number,
    seq: number,
    now: number,
    outcome?: AttemptOutcome,
  ): Promise<boolean> {
    return this.acks.write('NORMAL', () => {
      if (outcome !== undefined) this.recordFailedAttempt(recipientId, seq, outcome, null);
      return this.sql(SET_ASIDE).run(now, recipientId, seq).changes > 0;
    });
  }

  async retryNow(recipientId: number, now: number): Promise<boolean> {
    return this.acks.write('FULL', () => {
      const head = this.sql(HEAD_SEQ).get(recipientId) as { seq: number } | undefined;
      if (head === undefined) return false;
      this.sql(RETRY_NOW).run(now, recipientId, head.seq);
      return true;
    });
  }

  async replayFailed(recipientId: number, now: number, seqs?: number[]): Promise<number> {
    return this.acks.write('FULL', () => {
      if (seqs === undefined) {
        return this.sql(REPLAY_ALL_FAILED).run({ recipient_id: recipientId, now }).changes;
      }
      const one = this.sql(REPLAY_FAILED_SEQ);
      let count = 0;
      for (const seq of seqs) count += one.run({ recipient_id: recipientId, now, seq }).changes;
      return count;
    });
  }

  async replayRange(recipientId: number, from: number, to: number, now: number): Promise<number> {
    return this.acks.write('FULL', () => {
      const row = this.sql(GET_RECIPIENT).get(recipientId) as RecipientRow | undefined;
      if (row === undefined) return 0;
      const events = toRecipient(row).events;
      const params: Record<string, unknown> = { recipient_id: recipientId, now, from, to };
      let filter = '';
      if (events !== 'all') {
        if (events.length === 0) return 0;
        filter = `AND e.name IN (${events.map((_, i) => `@n${i}`).join(', ')})`;
        events.forEach((name: EventName, i) => {
          params[`n${i}`] = name;
        });
      }
      return this.conn.db.prepare(replayRange(filter)).run(params).changes;
    });
  }

  async listDeliveries(recipientId: number, query: DeliveryQuery): Promise<Delivery[]> {
    this.acks.fold();
    const params: Record<string, unknown> = { recipient_id: recipientId, limit: query.limit };
    if (query.state !== undefined) params.state = query.state;
    if (query.beforeSeq !== undefined) params.before = query.beforeSeq;
    if (query.afterSeq !== undefined) params.after = query.afterSeq;
    const paged = query.beforeSeq !== undefined;
    const text = listDeliveries(
      query.state !== undefined,
      paged,
      (query.state === 'pending' && !paged) || query.afterSeq !== undefined,
      query.afterSeq !== undefined,
    );
    return (this.sql(text).all(params) as DeliveryRow[]).map(toDelivery);
  }

  async listAttempts(recipientId: number, seq: number): Promise<Attempt[]> {
    return (this.sql(LIST_ATTEMPTS).all(recipientId, seq) as AttemptRow[]).map(toAttempt);
  }

  async deliveryBuckets(recipientId: number, query: BucketQuery): Promise<DeliveryBucket[]> {
    this.acks.fold();
    const params = {
      recipient_id: recipientId,
      from: query.from,
      to: query.to,
      bucket: query.bucketMs,
    };
    return (this.sql(DELIVERY_BUCKETS).all(params) as BucketRow[]).map(toBucket);
  }

  async laneStats(): Promise<LaneStats[]> {
    this.acks.fold();
    return (this.sql(LANE_STATS).all() as LaneStatsRow[]).map(toLaneStats);
  }

  async pruneBatch(cutoff: number, batchSize: number): Promise<PruneReport> {
    return this.acks.write('NORMAL', () => {
      const report: PruneReport = { deliveries: 0, attempts: 0, events: 0, sessions: 0 };
      report.sessions = this.sql(DELETE_ENDED_SESSIONS).run(cutoff, batchSize).changes;
      const cutoffSeq = (this.sql(CUTOFF_SEQ).get(cutoff) as { seq: number | null }).seq;
      if (cutoffSeq === null) return report;
      const recipients = this.sql(RECIPIENT_IDS).all() as { id: number }[];
      for (const { id } of recipients) {
        const budget = batchSize - report.deliveries;
        if (budget <= 0) break;
        const old = this.sql(OLD_DELIVERED).all({
          recipient_id: id,
          cutoff: cutoffSeq,
          limit: budget,
        }) as { recipient_id: number; seq: number }[];
        for (const row of old) {
          report.attempts += this.sql(DELETE_ATTEMPTS).run(row.recipient_id, row.seq).changes;
          report.deliveries += this.sql(DELETE_DELIVERY).run(row.recipient_id, row.seq).changes;
        }
      }
      const orphans = this.sql(ORPHAN_EVENTS).all(cutoffSeq, batchSize) as { id: number }[];
      for (const { id } of orphans) report.events += this.sql(DELETE_EVENT).run(id).changes;
      return report;
    });
  }

  async createToken(name: string, hash: string, now: number): Promise<ApiToken> {
    return this.conn.transaction('FULL', () =>
      toToken(this.sql(INSERT_TOKEN).get(name, hash, now) as TokenRow),
    );
  }

  async useToken(hash: string, now: number): Promise<ApiToken | undefined> {
    let row: TokenRow | undefined;
    try {
      // Bookkeeping only: losing last_used_at on a power cut is harmless.
      row = this.conn.transaction('NORMAL', () => this.sql(USE_TOKEN).get(now, hash)) as
        | TokenRow
        | undefined;
    } catch (error) {
      // A failing store (a full disk) still lets callers in, to read, and to be told a 503
      // by the write they came for; a lost one does not.
      if (!isStorageUnavailable(error) || error.code !== 'OUTBOUND_STORAGE_FAILING') throw error;
      row = this.sql(FIND_LIVE_TOKEN).get(hash) as TokenRow | undefined;
    }
    return row && toToken(row);
  }

  async listTokens(): Promise<ApiToken[]> {
    return (this.sql(LIST_TOKENS).all() as TokenRow[]).map(toToken);
  }

  async revokeToken(id: number, now: number): Promise<boolean> {
    return this.conn.transaction('FULL', () => this.sql(REVOKE_TOKEN).run(now, id).changes > 0);
  }
}
