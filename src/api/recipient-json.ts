import type { LaneStatus } from '../delivery/index.js';
import { recipientStatus } from '../operations/recipient-status.js';
import { maskSecret } from '../recipients/index.js';
import type { LaneStats, Recipient } from '../types.js';

/*
 * A recipient's JSON shape. What a client may send is checked by src/recipients/ (validate.ts),
 * shared with the admin form and the CLI; its errors answer 400 through the error handler.
 */

/** A recipient as the API shows it: seconds, masked secret, and its delivery status. */
export function recipientJson(
  r: Recipient,
  stats?: LaneStats,
  lane?: LaneStatus,
  now = Date.now(),
) {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    url: r.url,
    enabled: r.enabled,
    paused: r.paused,
    events: r.events,
    retryIntervalSeconds: r.retryIntervalMs / 1000,
    retryMaxIntervalSeconds: r.retryMaxIntervalMs / 1000,
    retryDurationSeconds: r.retryDurationMs / 1000,
    timeoutSeconds: r.timeoutMs / 1000,
    tlsVerify: r.tlsVerify,
    caCertificate: r.caPem,
    headers: r.headers,
    secret: r.secret === null ? null : maskSecret(r.secret),
    secretRotationSeconds: r.secretRotationMs / 1000,
    alertContacts: r.alertContacts,
    alertAfterSeconds: r.alertAfterMs / 1000,
    resendAlertsSeconds: r.resendAlertsMs / 1000,
    repSurveyEventName: r.repSurveyEventName,
    sendApplianceId: r.sendApplianceId,
    sendCustomFields: r.sendCustomFields,
    previousSecret:
      r.previousSecret !== null && (r.previousSecretExpiresAt ?? 0) > now
        ? maskSecret(r.previousSecret)
        : null,
    previousSecretExpiresAt:
      r.previousSecret !== null && (r.previousSecretExpiresAt ?? 0) > now
        ? iso(r.previousSecretExpiresAt)
        : null,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
    status: recipientStatus(r, stats, lane, now),
  };
}

function iso(ms: number | null | undefined): string | null {
  return ms == null ? null : new Date(ms).toISOString();
}
