import type { AdminUser, AuditEntry, WebSession } from './admin-store.js';

/** Rows of the admin tables: the same columns and types on both backends. */
export interface UserRow {
  id: number;
  name: string;
  password_hash: string;
  created_at: number;
  last_sign_in_at: number | null;
  failed_sign_ins: number;
  locked_until: number | null;
}

export interface SessionRow {
  hash: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  user_name: string;
}

export interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  before: string | null;
  after: string | null;
}

export function toUser(row: UserRow): AdminUser {
  return {
    id: row.id,
    name: row.name,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    lastSignInAt: row.last_sign_in_at,
    failedSignIns: row.failed_sign_ins,
    lockedUntil: row.locked_until,
  };
}

export function toSession(row: SessionRow): WebSession {
  return {
    hash: row.hash,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    userName: row.user_name,
  };
}

export function toAudit(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
  };
}

/** Before/after as stored: JSON text, null for nothing. */
export const auditJson = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);
