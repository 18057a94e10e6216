import type { EventName } from '../events/index.js';
import type { Recipient, RecipientKind, RecipientPatch } from '../types.js';

/**
 * A recipients row as either driver returns it. The flags are the one difference: SQLite
 * stores 0 and 1, PostgreSQL real booleans. Lists and headers are JSON text on both.
 */
export interface RecipientRow {
  id: number;
  name: string;
  url: string;
  enabled: Flag;
  paused: Flag;
  events: string;
  retry_interval_ms: number;
  retry_max_interval_ms: number;
  retry_duration_ms: number;
  timeout_ms: number;
  tls_verify: Flag;
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
  /** 'guide' or 'rep' (migration 0010's CHECK). */
  rep_survey_event_name: string;
  send_appliance_id: Flag;
  send_custom_fields: Flag;
  created_at: number;
  updated_at: number;
}

/** The columns of RecipientRow, in the order both schemas have them: what reads select. */
export const RECIPIENT_COLUMNS = `id, name, url, enabled, paused, events, retry_interval_ms,
  retry_max_interval_ms, retry_duration_ms, timeout_ms, tls_verify, ca_pem, headers, secret,
  previous_secret, previous_secret_expires_at, secret_rotation_ms, alert_contacts,
  alert_after_ms, resend_alerts_ms, kind, rep_survey_event_name, send_appliance_id,
  send_custom_fields, created_at, updated_at`;

/** The columns an INSERT gives (all but id), in RECIPIENT_COLUMNS' order. */
export const RECIPIENT_INSERT_COLUMNS = RECIPIENT_COLUMNS.replace(/^id, /, '');

/** A boolean column: 0 or 1 in SQLite, a boolean in PostgreSQL. */
export type Flag = number | boolean;

const isSet = (flag: Flag): boolean => flag === true || flag === 1;

export function toRecipient(row: RecipientRow): Recipient {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    enabled: isSet(row.enabled),
    paused: isSet(row.paused),
    events: JSON.parse(row.events) as EventName[] | 'all',
    retryIntervalMs: row.retry_interval_ms,
    retryMaxIntervalMs: row.retry_max_interval_ms,
    retryDurationMs: row.retry_duration_ms,
    timeoutMs: row.timeout_ms,
    tlsVerify: isSet(row.tls_verify),
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
    repSurveyEventName: row.rep_survey_event_name === 'rep' ? 'rep' : 'guide',
    sendApplianceId: isSet(row.send_appliance_id),
    sendCustomFields: isSet(row.send_custom_fields),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * A recipient update: the patch over the row read, and its new updated_at, strictly later
 * than the previous version's even when the clock did not move.
 */
export function patchedRecipient(row: RecipientRow, patch: RecipientPatch, now: number) {
  return {
    recipient: { ...toRecipient(row), ...patch },
    updatedAt: Math.max(now, row.updated_at + 1),
  };
}
