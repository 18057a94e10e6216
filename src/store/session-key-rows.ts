import type { SessionKey } from './session-key-store.js';

/** A `session_keys` row as both backends read it (PostgreSQL's int8 already numbers). */
export interface SessionKeyRow {
  hash: string;
  external_key: string | null;
  queue: string | null;
  created_by: string;
  created_at: number;
  expires_at: number;
  lsid: string | null;
}

export function toSessionKey(row: SessionKeyRow): SessionKey {
  return {
    hash: row.hash,
    externalKey: row.external_key,
    queue: row.queue ?? 'general',
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    lsid: row.lsid,
  };
}
