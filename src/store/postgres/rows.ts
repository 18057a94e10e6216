/**
 * Rows as `pg` returns them (int8 parsed to numbers, see database.ts). They have SQLite's
 * shapes, and its converters, except recipients: PostgreSQL has real booleans.
 */
import type { EventName } from '../../events/index.js';
import type { Recipient, RecipientInput, RecipientKind } from '../../types.js';
import type { RecipientRow as SqliteRecipientRow } from '../sqlite/rows.js';

export {
  type AttemptRow,
  type DeliveryRow,
  type EventRow,
  type PendingRow,
  type TokenRow,
  toAttempt,
  toDelivery,
  toEvent,
  toPending,
  toToken,
} from '../sqlite/rows.js';

export interface RecipientRow
  extends Omit<SqliteRecipientRow, 'enabled' | 'paused' | 'tls_verify'> {
  enabled: boolean;
  paused: boolean;
  tls_verify: boolean;
}

export function toRecipient(row: RecipientRow): Recipient {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    enabled: row.enabled,
    paused: row.paused,
    events: JSON.parse(row.events) as EventName[] | 'all',
    retryIntervalMs: row.retry_interval_ms,
    retryMaxIntervalMs: row.retry_max_interval_ms,
    retryDurationMs: row.retry_duration_ms,
    timeoutMs: row.timeout_ms,
    tlsVerify: row.tls_verify,
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

/** $1 to $20 of INSERT_RECIPIENT and UPDATE_RECIPIENT, in their order. */
export function recipientValues(input: RecipientInput): unknown[] {
  return [
    input.name,
    input.url,
    input.enabled,
    input.paused,
    JSON.stringify(input.events),
    input.retryIntervalMs,
    input.retryMaxIntervalMs,
    input.retryDurationMs,
    input.timeoutMs,
    input.tlsVerify,
    input.caPem,
    JSON.stringify(input.headers),
    input.secret,
    input.previousSecret,
    input.previousSecretExpiresAt,
    input.secretRotationMs,
    JSON.stringify(input.alertContacts),
    input.alertAfterMs,
    input.resendAlertsMs,
    input.kind,
  ];
}
