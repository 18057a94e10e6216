import { X509Certificate } from 'node:crypto';
import { maskSecret } from '../recipients/index.js';
import type { Recipient } from '../types.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * A recipient's settings as the audit log keeps them: in the API's units and names (seconds,
 * secrets masked), the CA certificate as its fingerprint, without the live status. Its own
 * shape, so that entries already written read the same when the API's JSON changes.
 */
export function recipientSnapshot(r: Recipient, now = Date.now()) {
  // A replaced secret is shown while it still signs.
  const previous = r.previousSecret !== null && (r.previousSecretExpiresAt ?? 0) > now;
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
    headers: r.headers,
    secret: r.secret === null ? null : maskSecret(r.secret),
    secretRotationSeconds: r.secretRotationMs / 1000,
    alertContacts: r.alertContacts,
    alertAfterSeconds: r.alertAfterMs / 1000,
    resendAlertsSeconds: r.resendAlertsMs / 1000,
    repSurveyEventName: r.repSurveyEventName,
    sendApplianceId: r.sendApplianceId,
    sendCustomFields: r.sendCustomFields,
    previousSecret: previous && r.previousSecret !== null ? maskSecret(r.previousSecret) : null,
    previousSecretExpiresAt: previous ? iso(r.previousSecretExpiresAt ?? null) : null,
    caCertificate: fingerprint(r.caPem),
  };
}

function fingerprint(pem: string | null): string | null {
  if (pem === null) return null;
  try {
    return `sha256 ${new X509Certificate(pem).fingerprint256}`;
  } catch {
    return 'PEM';
  }
}

export const recipientTarget = (r: Pick<Recipient, 'id' | 'name'>) =>
  `recipient ${r.id} (${r.name})`;
