import type { SqliteStatement } from '../../sqlite/index.js';
import type { Delivery, StoredEvent } from '../../types.js';
import {
  type AuditRow,
  auditJson,
  toAudit,
  toSession,
  toUser,
  type UserRow,
} from '../admin-rows.js';
import type {
  AdminStore,
  AdminUser,
  AuditEntry,
  EventSearch,
  NewAuditEntry,
  NewWebSession,
  SignInFailure,
  WebSession,
} from '../admin-store.js';
import { type DeliveryRow, type EventRow, toDelivery, toEvent } from '../delivery-rows.js';
import type { SqliteConnection } from './database.js';
import {
  COUNT_USERS,
  DELETE_EXPIRED_SESSIONS,
  DELETE_SESSION,
  DELETE_SETUP_TOKENS,
  DELETE_USER,
  FIND_SESSION,
  FIND_SETUP_TOKEN,
  FIND_USER,
  INSERT_AUDIT,
  INSERT_SESSION,
  INSERT_SETUP_TOKEN,
  INSERT_USER,
  LIST_AUDIT,
  LIST_USERS,
  SIGN_IN_FAILED,
  SIGN_IN_SUCCEEDED,
} from './sql/admin.js';
import { EVENT_DELIVERIES, searchEvents } from './sql/event-search.js';

/** The admin tables in the SQLite file, on the store's one connection. */
export class SqliteAdminStore implements AdminStore {
  constructor(
    private readonly conn: SqliteConnection,
    /** Brings recorded 200s into the deliveries table before it is read. */
    private readonly foldAcks: () => void = () => {},
  ) {}

  private sql(text: string): SqliteStatement {
    return this.conn.statement(text);
  }

  async countUsers(): Promise<number> {
    return (this.sql(COUNT_USERS).get() as { n: number }).n;
  }

  async createUser(
    name: string,
    passwordHash: string,
    now: number,
  ): Promise<AdminUser | undefined> {
    return this.conn.transaction('FULL', () => this.insertUser(name, passwordHash, now));
  }

  private insertUser(name: string, passwordHash: string, now: number): AdminUser | undefined {
    return this.conn.first(INSERT_USER, [name, passwordHash, now], toUser);
  }

  async findUser(name: string): Promise<AdminUser | undefined> {
    return this.conn.first(FIND_USER, [name], toUser);
  }

  async listUsers(): Promise<AdminUser[]> {
    return (this.sql(LIST_USERS).all() as UserRow[]).map(toUser);
  }

  async deleteUser(name: string): Promise<boolean> {
    return this.conn.transaction('FULL', () => this.sql(DELETE_USER).run(name).changes > 0);
  }

  async recordSignInFailure(
    userId: number,
    now: number,
    maxFailures: number,
    lockMs: number,
  ): Promise<SignInFailure | undefined> {
    const row = this.conn.transaction(
      'FULL',
      () =>
        this.sql(SIGN_IN_FAILED).get({ now, max: maxFailures, lock: lockMs, id: userId }) as
          | { failed_sign_ins: number; locked_until: number | null }
          | undefined,
    );
    return row && { failedSignIns: row.failed_sign_ins, lockedUntil: row.locked_until };
  }

  async recordSignInSuccess(userId: number, now: number): Promise<void> {
    this.conn.transaction('FULL', () => this.sql(SIGN_IN_SUCCEEDED).run(now, userId));
  }

  async createSession(s: NewWebSession): Promise<void> {
    this.conn.transaction('FULL', () =>
      this.sql(INSERT_SESSION).run(s.hash, s.userId, s.csrfToken, s.createdAt, s.expiresAt),
    );
  }

  async findSession(hash: string, now: number): Promise<WebSession | undefined> {
    return this.conn.first(FIND_SESSION, [hash, now], toSession);
  }

  async deleteSession(hash: string): Promise<void> {
    this.conn.transaction('FULL', () => this.sql(DELETE_SESSION).run(hash));
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return this.conn.transaction(
      'NORMAL',
      () => this.sql(DELETE_EXPIRED_SESSIONS).run(now).changes,
    );
  }

  async createSetupToken(hash: string, now: number): Promise<void> {
    this.conn.transaction('FULL', () => this.sql(INSERT_SETUP_TOKEN).run(hash, now));
  }

  async hasSetupToken(hash: string): Promise<boolean> {
    return this.sql(FIND_SETUP_TOKEN).get(hash) !== undefined;
  }

  async useSetupToken(
    hash: string,
    name: string,
    passwordHash: string,
    now: number,
  ): Promise<AdminUser | undefined> {
    // IMMEDIATE: two uses of one link cannot both find it.
    return this.conn.transaction('FULL', () => {
      if (this.sql(FIND_SETUP_TOKEN).get(hash) === undefined) return undefined;
      const user = this.insertUser(name, passwordHash, now);
      if (user !== undefined) this.sql(DELETE_SETUP_TOKENS).run();
      return user;
    });
  }

  async searchEvents(search: EventSearch): Promise<StoredEvent[]> {
    const { text, params } = searchEvents(search);
    this.foldAcks();
    return (this.sql(text).all(params) as EventRow[]).map(toEvent);
  }

  async eventDeliveries(eventId: number): Promise<Delivery[]> {
    this.foldAcks();
    return (this.sql(EVENT_DELIVERIES).all(eventId) as DeliveryRow[]).map(toDelivery);
  }

  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    const row = this.conn.transaction(
      'FULL',
      () =>
        this.sql(INSERT_AUDIT).get(
          entry.at,
          entry.actor,
          entry.action,
          entry.target,
          auditJson(entry.before),
          auditJson(entry.after),
        ) as { id: number },
    );
    return { ...entry, id: row.id, before: entry.before ?? null, after: entry.after ?? null };
  }

  async listAudit(limit: number, beforeId = Number.MAX_SAFE_INTEGER): Promise<AuditEntry[]> {
    return (this.sql(LIST_AUDIT).all(beforeId, limit) as AuditRow[]).map(toAudit);
  }
}
