/**
 * What the administration interface keeps: administrators, their web sessions, the one-time
 * link that creates the first administrator, and the audit log. Secrets are never stored as
 * given: passwords as scrypt hashes (admin/password.ts), session and setup tokens as SHA-256
 * hashes, so that a copy of the database does not let anyone sign in.
 */

import type { Delivery, DeliveryState, StoredEvent } from '../types.js';

export interface AdminUser {
  id: number;
  name: string;
  /** `scrypt$…` (admin/password.ts). */
  passwordHash: string;
  createdAt: number;
  lastSignInAt: number | null;
  /** Failed sign-ins since the last successful one. */
  failedSignIns: number;
  /** Sign-in is refused until then, after too many failures; null when not locked. */
  lockedUntil: number | null;
}

export interface NewWebSession {
  /** SHA-256 of the cookie's token. */
  hash: string;
  userId: number;
  /** The synchronizer token every form of this session must post back. */
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

export interface WebSession extends NewWebSession {
  userName: string;
}

/** What one failed sign-in left behind. */
export interface SignInFailure {
  failedSignIns: number;
  lockedUntil: number | null;
}

export interface AuditEntry {
  id: number;
  at: number;
  /** Who: an administrator's name, or `cli` for the command line. */
  actor: string;
  /** What, e.g. `recipient.update`. */
  action: string;
  /** On what, e.g. `recipient 3 (crm)`. */
  target: string;
  /** JSON-ready values with secrets already masked; null when there is no before/after. */
  before: unknown;
  after: unknown;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

/** What the Events page searches by; every given criterion must match. */
export interface EventSearch {
  lsid?: string;
  externalKey?: string;
  name?: string;
  /** Accepted at or after (ms). */
  from?: number;
  /** Accepted at or before (ms). */
  to?: number;
  /** Events with at least one delivery in this state (the Events page's status filter). */
  deliveryState?: DeliveryState;
  /** Newest first (default), or in acceptance order (a session's timeline). */
  order?: 'newest' | 'oldest';
  /** Paging: events with ids below this (newest first) or above it (oldest first). */
  afterId?: number;
  limit: number;
}

export interface AdminStore {
  countUsers(): Promise<number>;
  /** Undefined when the name is taken. */
  createUser(name: string, passwordHash: string, now: number): Promise<AdminUser | undefined>;
  findUser(name: string): Promise<AdminUser | undefined>;
  listUsers(): Promise<AdminUser[]>;
  /** Deletes the user and its sessions; false when there is no such user. */
  deleteUser(name: string): Promise<boolean>;

  /**
   * Counts a failed sign-in; the `maxFailures`-th in a row locks the user for `lockMs`.
   * Undefined when there is no such user.
   */
  recordSignInFailure(
    userId: number,
    now: number,
    maxFailures: number,
    lockMs: number,
  ): Promise<SignInFailure | undefined>;
  /** Clears the failure count and lock, records the time. */
  recordSignInSuccess(userId: number, now: number): Promise<void>;

  createSession(session: NewWebSession): Promise<void>;
  /** The live (not expired) session with this hash, with its user's name. */
  findSession(hash: string, now: number): Promise<WebSession | undefined>;
  deleteSession(hash: string): Promise<void>;
  /** Deletes expired sessions; returns how many. */
  deleteExpiredSessions(now: number): Promise<number>;

  /** Stores the hash of a one-time link that creates the first administrator. */
  createSetupToken(hash: string, now: number): Promise<void>;
  /** True when a setup token with this hash is waiting to be used. */
  hasSetupToken(hash: string): Promise<boolean>;
  /**
   * Uses up the setup token and creates the user, in one transaction; every other setup
   * token dies with it. Undefined (and nothing changed) when the token is unknown or used,
   * or the name is taken.
   */
  useSetupToken(
    hash: string,
    name: string,
    passwordHash: string,
    now: number,
  ): Promise<AdminUser | undefined>;

  /** Events matching the search (the admin interface's Events page and session timeline). */
  searchEvents(search: EventSearch): Promise<StoredEvent[]>;
  /** One event's delivery to each recipient it was queued for (none left once pruned). */
  eventDeliveries(eventId: number): Promise<Delivery[]>;

  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first; entries with id below `beforeId`, for paging back. */
  listAudit(limit: number, beforeId?: number): Promise<AuditEntry[]>;
}
