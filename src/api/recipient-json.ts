import type { LaneStatus } from '../delivery/index.js';
import { recipientStatus } from '../operations/recipient-status.js';
import { maskHeaders, maskSecret, maskUrl } from '../recipients/index.js';
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

/**
 * A recipient as a list shows it (the API's list, the command line's add and list): its URL's
 * credentials and every extra header's value masked too, as a list is shown, logged and pasted.
 * The single recipient (GET /api/v1/recipients/{id}, `outbound recipient show`) keeps them in
 * full: an edit round trip needs them.
 */
export function listedRecipientJson(...args: Parameters<typeof recipientJson>) {
  const [r] = args;
  return { ...recipientJson(...args), url: maskUrl(r.url), headers: maskHeaders(r.headers) };
}

function iso(ms: number | null | undefined): string | null {
  return ms == null ? null : new Date(ms).toISOString();
}
