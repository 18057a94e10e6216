import type { EventName } from '../events/index.js';
import type { Attempt, Delivery, DeliveryState, PendingDelivery, StoredEvent } from '../types.js';

/**
 * Rows of the events, deliveries and attempts tables as both drivers return them: the same
 * columns and JS types on both backends (PostgreSQL's int8 is parsed to a number, see
 * postgres/database.ts).
 */

export interface EventRow {
  id: number;
  uid: string;
  name: string;
  lsid: string;
  external_key: string | null;
  timestamp: number;
  body: string;
  accepted_at: number;
  /** Absent from queries that do not need it (event search). */
  custom_fields?: string | null;
}

export function toEvent(row: EventRow): StoredEvent {
  const event: StoredEvent = {
    id: row.id,
    uid: row.uid,
    name: row.name as EventName,
    lsid: row.lsid,
    externalKey: row.external_key,
    timestamp: row.timestamp,
    body: row.body,
    acceptedAt: row.accepted_at,
  };
  if (row.custom_fields != null) event.customFields = JSON.parse(row.custom_fields);
  return event;
}

/** events.custom_fields: the session's custom attributes as JSON, NULL when there are none. */
export function customFieldsColumn(fields: Record<string, string> | undefined): string | null {
  if (fields === undefined) return null;
  for (const _ in fields) return JSON.stringify(fields);
  return null;
}

export interface PendingRow {
  recipient_id: number;
  seq: number;
  event_id: number;
  uid: string;
  name: string;
  body: string;
  custom_fields: string | null;
  accepted_at: number;
  attempts: number;
  first_failed_at: number | null;
  next_attempt_at: number | null;
}

export function toPending(row: PendingRow): PendingDelivery {
  return {
    recipientId: row.recipient_id,
    seq: row.seq,
    eventId: row.event_id,
    eventUid: row.uid,
    eventName: row.name as EventName,
    body: row.body,
    customFieldsJson: row.custom_fields,
    acceptedAt: row.accepted_at,
    attempts: row.attempts,
    firstFailedAt: row.first_failed_at,
    nextAttemptAt: row.next_attempt_at ?? 0,
  };
}

export interface DeliveryRow {
  recipient_id: number;
  seq: number;
  event_id: number;
  uid: string;
  name: string;
  lsid: string;
  state: string;
  attempts: number;
  accepted_at: number;
  first_failed_at: number | null;
  next_attempt_at: number | null;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
  failed_at: number | null;
}

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    recipientId: row.recipient_id,
    seq: row.seq,
    eventId: row.event_id,
    eventUid: row.uid,
    eventName: row.name as EventName,
    lsid: row.lsid,
    state: row.state as DeliveryState,
    attempts: row.attempts,
    acceptedAt: row.accepted_at,
    firstFailedAt: row.first_failed_at,
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    failedAt: row.failed_at,
  };
}

export interface AttemptRow {
  recipient_id: number;
  seq: number;
  n: number;
  at: number;
  status: number | null;
  error_code: string | null;
  error: string | null;
  latency_ms: number;
  snippet: string | null;
}

export function toAttempt(row: AttemptRow): Attempt {
  return {
    recipientId: row.recipient_id,
    seq: row.seq,
    n: row.n,
    at: row.at,
    status: row.status,
    errorCode: row.error_code,
    error: row.error,
    latencyMs: row.latency_ms,
    snippet: row.snippet,
  };
}
