import type { RecipientInput } from '../../types.js';

/** $1 to $23 of INSERT_RECIPIENT and UPDATE_RECIPIENT, in their order. */
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
    input.repSurveyEventName,
    input.sendApplianceId,
    input.sendCustomFields,
  ];
}
