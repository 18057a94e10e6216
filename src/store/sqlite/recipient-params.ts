import type { RecipientInput } from '../../types.js';
import type { RecipientRow } from '../recipient-rows.js';

/** The named parameters of INSERT_RECIPIENT and UPDATE_RECIPIENT: flags as 0 and 1. */
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
    rep_survey_event_name: input.repSurveyEventName,
    send_appliance_id: input.sendApplianceId ? 1 : 0,
    send_custom_fields: input.sendCustomFields ? 1 : 0,
  };
}
