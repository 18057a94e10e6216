import type { EventName } from '../../events/index.js';
import type {
  ApiToken,
  Attempt,
  Delivery,
  DeliveryState,
  PendingDelivery,
  Recipient,
  RecipientInput,
  RecipientKind,
  StoredEvent,
} from '../../types.js';

export interface RecipientRow {
  id: number;
  name: string;
  url: string;
  enabled: number;
  paused: number;
  events: string;
  retry_interval_ms: number;
  retry_max_interval_ms: number;
  retry_duration_ms: number;
  timeout_ms: number;
  tls_verify: number;
  ca_pem: string | null;
  headers: string;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  secret_rotation_ms: number;
  /** JSON array of addresses. */
  alert_contacts: string;
  alert_after_ms: number;
  resend_alerts_ms: number;
  kind: string;
  created_at: number;
  updated_at: number;
}

export function toRecipient(row: RecipientRow): Recipient {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    enabled: row.enabled === 1,
    paused: row.paused === 1,
    events: JSON.parse(row.events) as EventName[] | 'all',
    retryIntervalMs: row.retry_interval_ms,
    retryMaxIntervalMs: row.retry_max_interval_ms,
    retryDurationMs: row.retry_duration_ms,
    timeoutMs: row.timeout_ms,
    tlsVerify: row.tls_verify === 1,
    caPem: row.ca_pem,
    headers: JSON.parse(row.headers) as Record<string, string>,
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    secretRotationMs: row.secret_rotation_ms,
    alertContacts: JSON.parse(row.alert_contacts) as string[],
    alertAfterMs: row.alert_after_ms,
    resendAlertsMs: row.resend_alerts_ms,
    kind: row.kind as RecipientKind,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function recipientParams(
  input: RecipientInput,
): Omit<RecipientRow, 'id' | 'created_at' | 'updated_at'> {
  return {
    name: input.name,
    url: input.url,
    enabled: input.enabled ? 1 : 0,
    paused: input.paused ? 1 : 0,
    events: JSON.stringify(input.events),
    retry_interval_ms: input.retryIntervalMs,
    retry_max_interval_ms: input.retryMaxIntervalMs,
    retry_duration_ms: input.retryDurationMs,
    timeout_ms: input.timeoutMs,
    tls_verify: input.tlsVerify ? 1 : 0,
    ca_pem: input.caPem,
    headers: JSON.stringify(input.headers),
    secret: input.secret,
    previous_secret: input.previousSecret,
    previous_secret_expires_at: input.previousSecretExpiresAt,
    secret_rotation_ms: input.secretRotationMs,
    alert_contacts: JSON.stringify(input.alertContacts),
    alert_after_ms: input.alertAfterMs,
    resend_alerts_ms: input.resendAlertsMs,
    kind: input.kind,
  };
}

export interface EventRow {
  id: number;
  uid: string;
  name: string;
  lsid: string;
  external_key: string | null;
  timestamp: number;
  body: string;
  accepted_at: number;
}

export function toEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    uid: row.uid,
    name: row.name as EventName,
    lsid: row.lsid,
    externalKey: row.external_key,
    timestamp: row.timestamp,
    body: row.body,
    acceptedAt: row.accepted_at,
  };
}

export interface PendingRow {
  recipient_id: number;
  seq: number;
  event_id: number;
  uid: string;
  name: string;
  body: string;
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

export interface TokenRow {
  id: number;
  name: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export function toToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
