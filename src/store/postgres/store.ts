import type { SessionRecord } from '../../sessions/index.js';
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
import type { ClusterStore, LaneFence } from '../cluster-store.js';
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
import { StorageHealth, storageFaultOf } from '../storage-health.js';
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
import { AckBatcher } from './ack-batcher.js';
import { PostgresAdminStore } from './admin.js';
import { PostgresApiAccountStore } from './api-accounts.js';
import { PostgresCluster } from './cluster.js';
import { encodeSignal } from './cluster-signal.js';
import { PostgresCustomFieldStore } from './custom-fields.js';
import { PostgresConnection, prepared, type Queryable } from './database.js';
import { PostgresEventQueries } from './event-queries.js';
import { PostgresIdempotencyStore } from './idempotency.js';
import { laneWrite } from './lane-write.js';
import { migrate } from './migrate.js';
import { asNameTaken } from './name-taken.js';
import { recipientValues } from './recipient-values.js';
import { PostgresSessionKeyStore } from './session-keys.js';
import { PostgresSettingsStore } from './settings.js';
import { LIST_ATTEMPTS, listDeliveries } from './sql/deliveries.js';
import { DELIVERY_BUCKETS } from './sql/delivery-chart.js';
import {
  ENABLED_RECIPIENTS,
  GET_EVENT,
  INSERT_DELIVERIES,
  INSERT_EVENTS,
  NEXT_EVENT_IDS,
} from './sql/events.js';
import {
  LANE_STATS,
  PENDING_DELIVERIES,
  RECORD_FAILURE,
  RECORD_FAILURE_FENCED,
  RETRY_NOW,
  SET_ASIDE,
  SET_ASIDE_AFTER_FAILURE,
  SET_ASIDE_AFTER_FAILURE_FENCED,
  SET_ASIDE_FENCED,
} from './sql/lane.js';
import { ACCEPTANCE_LOCK, LOCK } from './sql/locks.js';
import {
  CUTOFF_SEQ,
  DELETE_ENDED_SESSIONS,
  DELETE_OLD_DELIVERED,
  DELETE_ORPHAN_EVENTS,
  RECIPIENT_IDS,
} from './sql/prune.js';
import {
  DELETE_RECIPIENT,
  FIND_RECIPIENT_BY_NAME,
  GET_RECIPIENT,
  GET_RECIPIENT_FOR_UPDATE,
  INSERT_RECIPIENT,
  LIST_RECIPIENTS,
  UPDATE_RECIPIENT,
} from './sql/recipients.js';
import { REPLAY_ALL_FAILED, REPLAY_FAILED_SEQS, REPLAY_RANGE } from './sql/replay.js';
import { LSIDS_PAGE, windowBounds, windowPage } from './sql/session-reports.js';
import { searchSessions } from './sql/session-search.js';
import { GET_SESSION, INSERT_SESSION, UPDATE_SESSION } from './sql/sessions.js';
import { INSERT_TOKEN, LIST_TOKENS, REVOKE_TOKEN, USE_TOKEN } from './sql/tokens.js';

/** A failed attempt as $3 to $8 of RECORD_FAILURE and SET_ASIDE_AFTER_FAILURE. */
const attemptValues = (o: AttemptOutcome) => [
  o.at,
  o.status,
  o.errorCode,
  o.error,
  o.latencyMs,
  o.snippet,
];

/**
 * The shared store: one PostgreSQL database that several `serve` processes may use at once.
 * Acceptance is serialized by an advisory lock so that a lane's order is commit order (see
 * sql/locks.ts); a lane's bookkeeping commits without waiting for its WAL flush (database.ts).
 */
export class PostgresStore implements Store {
  readonly capabilities: StoreCapabilities = { singleWriter: false };
  readonly cluster: ClusterStore;
  readonly admin: AdminStore;
  readonly settings: SettingsStore;
  readonly apiAccounts: ApiAccountStore;
  readonly customFields: CustomFieldStore;
  readonly sessionKeys: SessionKeyStore;
  readonly idempotency: PostgresIdempotencyStore;
  readonly events: PostgresEventQueries;
  /** Lanes' acks, many to a statement (ack-batcher.ts). */
  readonly acks: AckBatcher;
  /** Failing while the acceptance path cannot reach the server; never lost. */
  readonly health = new StorageHealth();
  private readonly conn: PostgresConnection;
  private readonly subscriptions = new Subscriptions();

  constructor(url: string) {
    this.conn = new PostgresConnection(url);
    this.cluster = new PostgresCluster(this.conn, url);
    this.admin = new PostgresAdminStore(this.conn);
    this.settings = new PostgresSettingsStore(this.conn);
    this.apiAccounts = new PostgresApiAccountStore(this.conn);
    this.customFields = new PostgresCustomFieldStore(this.conn);
    this.sessionKeys = new PostgresSessionKeyStore(this.conn);
    this.idempotency = new PostgresIdempotencyStore(this.conn);
    this.events = new PostgresEventQueries(this.conn);
    this.acks = new AckBatcher(this.conn);
  }

  async migrate(): Promise<MigrationReport> {
    return migrate(this.conn.pool());
  }

  async close(): Promise<void> {
    // Acks in flight or queued are committed (or fail) before their pool goes.
    await this.acks.close();
    await this.conn.close();
  }

  async ping(): Promise<void> {
    // The server answering again is what a lost connection waited for.
    await this.accepting(() => this.conn.pool().query('SELECT 1'));
  }

  /**
   * Runs a write of the acceptance path: a storage fault (connection lost, disk full on the
   * server) is rethrown as StorageUnavailableError and makes the store failing until one
   * succeeds.
   */
  private async accepting<T>(write: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await write();
    } catch (error) {
      const fault = storageFaultOf(error);
      if (fault === undefined) throw error;
      this.health.failing(fault);
      throw this.health.error(error);
    }
    this.health.succeeded();
    return result;
  }

  async acceptEvents(
    events: NewEvent[],
    now: number,
    keys: readonly KeyToRemember[] = [],
  ): Promise<AcceptResult> {
    if (events.length === 0 && keys.length === 0) return { ids: [], recipientIds: [] };
    return this.accepting(() =>
      this.conn.transaction('on', async (client) => {
        await client.query(LOCK, [ACCEPTANCE_LOCK]);
        await this.idempotency.rememberIn(client, keys, now);
        return this.insertEvents(client, events, now);
      }),
    );
  }

  /** The events and their deliveries; inside a transaction holding ACCEPTANCE_LOCK. */
  private async insertEvents(
    client: Queryable,
    events: NewEvent[],
    now: number,
  ): Promise<AcceptResult> {
    if (events.length === 0) return { ids: [], recipientIds: [] };
    const fanOut = new FanOut(
      this.subscriptions.of((await client.query<SubscriberRow>(ENABLED_RECIPIENTS)).rows),
    );
    const taken = await client.query<{ id: number }>(NEXT_EVENT_IDS, [events.length]);
    const ids = taken.rows.map((row) => row.id).sort((a, b) => a - b);
    await client.query(INSERT_EVENTS, [
      ids,
      events.map((e) => e.uid),
      events.map((e) => e.name),
      events.map((e) => e.lsid),
      events.map((e) => e.externalKey),
      events.map((e) => e.timestamp),
      events.map((e) => e.body),
      now,
      events.map((e) => e.onlyRecipientId ?? null),
      events.map((e) => customFieldsColumn(e.customFields)),
    ]);
    const recipientIds: number[] = [];
    const seqs: number[] = [];
    for (const [i, event] of events.entries()) {
      const id = ids[i] as number;
      for (const recipientId of fanOut.recipientsOf(event)) {
        recipientIds.push(recipientId);
        seqs.push(id);
      }
    }
    if (seqs.length === 0) return { ids, recipientIds: [] };
    const wake = encodeSignal({ kind: 'work', recipientIds: fanOut.recipientIds });
    await client.query(INSERT_DELIVERIES, [recipientIds, seqs, now, wake]);
    return { ids, recipientIds: fanOut.recipientIds };
  }

  async getEvent(id: number): Promise<StoredEvent | undefined> {
    return this.conn.first(GET_EVENT, [id], toEvent);
  }

  async getSession(lsid: string): Promise<SessionRecord | undefined> {
    return this.conn.first(GET_SESSION, [lsid], toSessionRecord);
  }

  reportSessions(query: SessionReportQuery, pageSize: number): AsyncIterable<SessionRecord[]> {
    const pool = this.conn.pool();
    return reportPages(query, pageSize, {
      bounds: async (kind, from, before) => {
        const { rows } = await pool.query(windowBounds(kind), [from, before]);
        return rows[0] as { low: string | null; high: string | null };
      },
      windowPage: async (kind, p) =>
        (
          await pool.query<SessionReportRow>(windowPage(kind), [
            p.after,
            p.high,
            p.from,
            p.before,
            p.limit,
          ])
        ).rows,
      lsidsPage: async (lsids, after, limit) =>
        (await pool.query<SessionReportRow>(LSIDS_PAGE, [lsids, after, limit])).rows,
    });
  }

  async searchSessions(search: SessionSearch): Promise<SessionSummary[]> {
    const { rows } = await this.conn.pool().query<SessionSummaryRow>(searchSessions(search));
    return rows.map(toSessionSummary);
  }

  async changeSession<T>(
    lsid: string,
    update: SessionUpdate<T>,
    now: number,
    remember?: RememberChange<T>,
  ): Promise<SessionChangeResult<T>> {
    return this.accepting(() => this.changeSessionIn(lsid, update, now, remember));
  }

  private changeSessionIn<T>(
    lsid: string,
    update: SessionUpdate<T>,
    now: number,
    remember?: RememberChange<T>,
  ): Promise<SessionChangeResult<T>> {
    return this.conn.transaction('on', async (client) => {
      // The acceptance lock first: it serializes this change with every other session change
      // and acceptance (in any process), and the events it emits need it anyway.
      await client.query(LOCK, [ACCEPTANCE_LOCK]);
      const [row] = (await client.query<SessionRow>(GET_SESSION, [lsid])).rows;
      const current = row && toSessionRecord(row);
      let step = nextSession(lsid, current, update, now);
      const { decided, stateText } = step;
      if (current === undefined) {
        const values = [lsid, stateText, now, step.session.endedAt];
        const [inserted] = (await client.query<{ lseq: number }>(INSERT_SESSION, values)).rows;
        step = withLseq(step, (inserted as { lseq: number }).lseq);
      } else {
        const values = [lsid, stateText, now, step.session.endedAt, current.version];
        if ((await client.query(UPDATE_SESSION, values)).rowCount !== 1) {
          throw concurrentChange(lsid);
        }
      }
      if (remember !== undefined) {
        const key = remember({ session: step.session, result: decided.result });
        await this.idempotency.rememberIn(client, [key], now);
      }
      const accepted = await this.insertEvents(client, decided.events, now);
      return { ...accepted, session: step.session, result: decided.result };
    });
  }

  async createRecipient(input: RecipientInput, now: number): Promise<Recipient> {
    const [row] = await this.conn
      .rows<RecipientRow>(INSERT_RECIPIENT, [...recipientValues(input), now])
      .catch((error: unknown) => {
        throw asNameTaken(error, input.name);
      });
    return toRecipient(row as RecipientRow);
  }

  async updateRecipient(
    id: number,
    patch: RecipientPatch,
    now: number,
  ): Promise<Recipient | undefined> {
    return this.conn.transaction('on', async (client) => {
      const [row] = (await client.query<RecipientRow>(GET_RECIPIENT_FOR_UPDATE, [id])).rows;
      if (row === undefined) return undefined;
      const { recipient: merged, updatedAt } = patchedRecipient(row, patch, now);
      const values = [...recipientValues(merged), updatedAt, id];
      const { rows } = await client
        .query<RecipientRow>(UPDATE_RECIPIENT, values)
        .catch((error: unknown) => {
          throw asNameTaken(error, merged.name);
        });
      const [updated] = rows;
      return toRecipient(updated as RecipientRow);
    });
  }

  async deleteRecipient(id: number): Promise<boolean> {
    return this.conn.transaction('on', async (client) => {
      // See ACCEPTANCE_LOCK: no acceptance is queuing for it while it goes.
      await client.query(LOCK, [ACCEPTANCE_LOCK]);
      this.subscriptions.forget(id);
      return ((await client.query(DELETE_RECIPIENT, [id])).rowCount ?? 0) > 0;
    });
  }

  async getRecipient(id: number): Promise<Recipient | undefined> {
    return this.conn.first(GET_RECIPIENT, [id], toRecipient);
  }

  async findRecipientByName(name: string): Promise<Recipient | undefined> {
    return this.conn.first(FIND_RECIPIENT_BY_NAME, [name], toRecipient);
  }

  async listRecipients(): Promise<Recipient[]> {
    return (await this.conn.rows<RecipientRow>(LIST_RECIPIENTS)).map(toRecipient);
  }

  async pendingDeliveries(
    recipientId: number,
    limit: number,
    afterSeq = 0,
  ): Promise<PendingDelivery[]> {
    const query = prepared(PENDING_DELIVERIES, [recipientId, afterSeq, limit]);
    const { rows } = await this.conn.pool().query<PendingRow>(query);
    return rows.map(toPending);
  }

  // A lane's bookkeeping, committed with synchronous_commit off: one statement each, but for
  // acks, which go many to a statement.

  /**
   * One lane write, fenced when `fence` is given. A fenced write that changed nothing is told
   * apart (a second query, only then) from one whose delivery had simply moved on.
   */
  private laneWrite(
    plain: string,
    withFence: string,
    values: unknown[],
    fence: LaneFence | undefined,
  ): Promise<number> {
    const pool = this.conn.pool('off');
    return laneWrite((query) => pool.query(query), plain, withFence, values, fence);
  }

  markDelivered(head: DeliveredHead, outcome: AttemptOutcome, fence?: LaneFence): Promise<void> {
    const { at, status, latencyMs } = outcome;
    return this.acks.submit({
      recipientId: head.recipientId,
      seq: head.seq,
      at,
      status,
      latencyMs,
      fence,
    });
  }

  async recordFailure(
    recipientId: number,
    seq: number,
    outcome: AttemptOutcome,
    nextAttemptAt: number,
    fence?: LaneFence,
  ): Promise<void> {
    const values = [recipientId, seq, ...attemptValues(outcome), nextAttemptAt];
    await this.laneWrite(RECORD_FAILURE, RECORD_FAILURE_FENCED, values, fence);
  }

  async setAside(
    recipientId: number,
    seq: number,
    now: number,
    outcome?: AttemptOutcome,
    fence?: LaneFence,
  ): Promise<boolean> {
    const changed =
      outcome === undefined
        ? await this.laneWrite(SET_ASIDE, SET_ASIDE_FENCED, [recipientId, seq, now], fence)
        : await this.laneWrite(
            SET_ASIDE_AFTER_FAILURE,
            SET_ASIDE_AFTER_FAILURE_FENCED,
            [recipientId, seq, ...attemptValues(outcome), now],
            fence,
          );
    return changed > 0;
  }

  async retryNow(recipientId: number, now: number): Promise<boolean> {
    return ((await this.conn.pool().query(RETRY_NOW, [recipientId, now])).rowCount ?? 0) > 0;
  }

  async replayFailed(recipientId: number, now: number, seqs?: number[]): Promise<number> {
    const result =
      seqs === undefined
        ? await this.conn.pool().query(REPLAY_ALL_FAILED, [recipientId, now])
        : await this.conn.pool().query(REPLAY_FAILED_SEQS, [recipientId, now, seqs]);
    return result.rowCount ?? 0;
  }

  async replayRange(recipientId: number, from: number, to: number, now: number): Promise<number> {
    return this.conn.transaction('on', async (client) => {
      const [row] = (await client.query<RecipientRow>(GET_RECIPIENT_FOR_UPDATE, [recipientId]))
        .rows;
      if (row === undefined) return 0;
      const events = toRecipient(row).events;
      if (events !== 'all' && events.length === 0) return 0;
      const names = events === 'all' ? null : events;
      const result = await client.query(REPLAY_RANGE, [recipientId, now, from, to, names]);
      return result.rowCount ?? 0;
    });
  }

  async listDeliveries(recipientId: number, query: DeliveryQuery): Promise<Delivery[]> {
    const { rows } = await this.conn.pool().query<DeliveryRow>(listDeliveries(recipientId, query));
    return rows.map(toDelivery);
  }

  async listAttempts(recipientId: number, seq: number): Promise<Attempt[]> {
    return (await this.conn.rows<AttemptRow>(LIST_ATTEMPTS, [recipientId, seq])).map(toAttempt);
  }

  async deliveryBuckets(recipientId: number, query: BucketQuery): Promise<DeliveryBucket[]> {
    const values = [recipientId, query.from, query.to, query.bucketMs];
    return (await this.conn.rows<BucketRow>(DELIVERY_BUCKETS, values)).map(toBucket);
  }

  async laneStats(): Promise<LaneStats[]> {
    return (await this.conn.rows<LaneStatsRow>(LANE_STATS)).map(toLaneStats);
  }

  async pruneBatch(cutoff: number, batchSize: number): Promise<PruneReport> {
    // Bookkeeping: a prune lost to a server crash only leaves rows to prune again.
    return this.conn.transaction('off', async (client) => {
      const report: PruneReport = { deliveries: 0, attempts: 0, events: 0, sessions: 0 };
      report.sessions =
        (await client.query(DELETE_ENDED_SESSIONS, [cutoff, batchSize])).rowCount ?? 0;
      const [cut] = (await client.query<{ seq: number | null }>(CUTOFF_SEQ, [cutoff])).rows;
      const cutoffSeq = cut?.seq ?? null;
      if (cutoffSeq === null) return report;
      const recipients = (await client.query<{ id: number }>(RECIPIENT_IDS)).rows;
      for (const { id } of recipients) {
        const budget = batchSize - report.deliveries;
        if (budget <= 0) break;
        const [gone] = (
          await client.query<{ deliveries: number; attempts: number }>(DELETE_OLD_DELIVERED, [
            id,
            cutoffSeq,
            budget,
          ])
        ).rows;
        report.deliveries += gone?.deliveries ?? 0;
        report.attempts += gone?.attempts ?? 0;
      }
      const events = await client.query(DELETE_ORPHAN_EVENTS, [cutoffSeq, batchSize]);
      report.events = events.rowCount ?? 0;
      return report;
    });
  }

  async createToken(name: string, hash: string, now: number): Promise<ApiToken> {
    const [row] = await this.conn.rows<TokenRow>(INSERT_TOKEN, [name, hash, now]);
    return toToken(row as TokenRow);
  }

  async useToken(hash: string, now: number): Promise<ApiToken | undefined> {
    // Bookkeeping only: losing last_used_at on a server crash is harmless.
    const { rows } = await this.conn.pool('off').query<TokenRow>(USE_TOKEN, [now, hash]);
    return rows[0] && toToken(rows[0]);
  }

  async listTokens(): Promise<ApiToken[]> {
    return (await this.conn.rows<TokenRow>(LIST_TOKENS)).map(toToken);
  }

  async revokeToken(id: number, now: number): Promise<boolean> {
    return ((await this.conn.pool().query(REVOKE_TOKEN, [now, id])).rowCount ?? 0) > 0;
  }
}
