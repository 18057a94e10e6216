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
import { NameTakenError } from '../errors.js';
import type { PostgresConnection } from './database.js';
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
  TAKE_SETUP_TOKEN,
} from './sql/admin.js';
import { EVENT_DELIVERIES, searchEvents } from './sql/event-search.js';

/** The admin tables in the shared database; what one node writes, every node sees. */
export class PostgresAdminStore implements AdminStore {
  constructor(private readonly conn: PostgresConnection) {}

  async countUsers(): Promise<number> {
    const [row] = await this.conn.rows<{ n: number }>(COUNT_USERS);
    return row?.n ?? 0;
  }

  async createUser(
    name: string,
    passwordHash: string,
    now: number,
  ): Promise<AdminUser | undefined> {
    return this.conn.first(INSERT_USER, [name, passwordHash, now], toUser);
  }

  async findUser(name: string): Promise<AdminUser | undefined> {
    return this.conn.first(FIND_USER, [name], toUser);
  }

  async listUsers(): Promise<AdminUser[]> {
    return (await this.conn.rows<UserRow>(LIST_USERS)).map(toUser);
  }

  async deleteUser(name: string): Promise<boolean> {
    return ((await this.conn.pool().query(DELETE_USER, [name])).rowCount ?? 0) > 0;
  }

  async recordSignInFailure(
    userId: number,
    now: number,
    maxFailures: number,
    lockMs: number,
  ): Promise<SignInFailure | undefined> {
    const [row] = await this.conn.rows<{ failed_sign_ins: number; locked_until: number | null }>(
      SIGN_IN_FAILED,
      [now, maxFailures, lockMs, userId],
    );
    return row && { failedSignIns: row.failed_sign_ins, lockedUntil: row.locked_until };
  }

  async recordSignInSuccess(userId: number, now: number): Promise<void> {
    await this.conn.pool().query(SIGN_IN_SUCCEEDED, [now, userId]);
  }

  async createSession(s: NewWebSession): Promise<void> {
    await this.conn
      .pool()
      .query(INSERT_SESSION, [s.hash, s.userId, s.csrfToken, s.createdAt, s.expiresAt]);
  }

  async findSession(hash: string, now: number): Promise<WebSession | undefined> {
    return this.conn.first(FIND_SESSION, [hash, now], toSession);
  }

  async deleteSession(hash: string): Promise<void> {
    await this.conn.pool().query(DELETE_SESSION, [hash]);
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return (await this.conn.pool('off').query(DELETE_EXPIRED_SESSIONS, [now])).rowCount ?? 0;
  }

  async createSetupToken(hash: string, now: number): Promise<void> {
    await this.conn.pool().query(INSERT_SETUP_TOKEN, [hash, now]);
  }

  async hasSetupToken(hash: string): Promise<boolean> {
    return (await this.conn.rows(FIND_SETUP_TOKEN, [hash])).length > 0;
  }

  async useSetupToken(
    hash: string,
    name: string,
    passwordHash: string,
    now: number,
  ): Promise<AdminUser | undefined> {
    return this.conn
      .transaction('on', async (client) => {
        // The DELETE takes the row lock: a concurrent use of the same link waits, then finds
        // nothing.
        const taken = await client.query(TAKE_SETUP_TOKEN, [hash]);
        if ((taken.rowCount ?? 0) === 0) return undefined;
        const { rows } = await client.query<UserRow>(INSERT_USER, [name, passwordHash, now]);
        // A taken name: roll the token back so that the link still works with another name.
        if (rows[0] === undefined) throw new NameTakenError('user', name);
        await client.query(DELETE_SETUP_TOKENS);
        return toUser(rows[0]);
      })
      .catch((error: unknown) => {
        if (error instanceof NameTakenError) return undefined;
        throw error;
      });
  }

  async searchEvents(search: EventSearch): Promise<StoredEvent[]> {
    return (await this.conn.pool().query<EventRow>(searchEvents(search))).rows.map(toEvent);
  }

  async eventDeliveries(eventId: number): Promise<Delivery[]> {
    return (await this.conn.rows<DeliveryRow>(EVENT_DELIVERIES, [eventId])).map(toDelivery);
  }

  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    const [row] = await this.conn.rows<{ id: number }>(INSERT_AUDIT, [
      entry.at,
      entry.actor,
      entry.action,
      entry.target,
      auditJson(entry.before),
      auditJson(entry.after),
    ]);
    return {
      ...entry,
      id: (row as { id: number }).id,
      before: entry.before ?? null,
      after: entry.after ?? null,
    };
  }

  async listAudit(limit: number, beforeId = Number.MAX_SAFE_INTEGER): Promise<AuditEntry[]> {
    return (await this.conn.rows<AuditRow>(LIST_AUDIT, [beforeId, limit])).map(toAudit);
  }
}
