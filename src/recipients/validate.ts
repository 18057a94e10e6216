import type { Recipient, RecipientInput, RecipientPatch } from '../types.js';
import { alertContacts } from './alert-contacts.js';
import { RECIPIENT_DEFAULTS as D } from './defaults.js';
import { invalid } from './errors.js';
import { bool, certificate, events, repSurveyEventName, seconds, text, url } from './fields.js';
import { extraHeaders } from './headers.js';
import { maskSecret, signingSecret } from './secret.js';
import { MAX_TIMEOUT_SECONDS } from './timeout-limit.js';

/*
 * A recipient's settings as the API's JSON gives them (seconds, `caCertificate`), checked and
 * turned into the stored form (milliseconds). The admin form and the CLI build the same shape,
 * so all three accept and refuse the same values with the same messages.
 */

const FIELDS = [
  'name',
  'url',
  'enabled',
  'paused',
  'events',
  'retryIntervalSeconds',
  'retryMaxIntervalSeconds',
  'retryDurationSeconds',
  'timeoutSeconds',
  'tlsVerify',
  'caCertificate',
  'headers',
  'secret',
  'secretRotationSeconds',
  'alertContacts',
  'alertAfterSeconds',
  'resendAlertsSeconds',
  'repSurveyEventName',
  'sendApplianceId',
  'sendCustomFields',
];

/** Read-only: a client may send back what it read. */
const READ_ONLY = ['id', 'kind', 'createdAt', 'updatedAt', 'status'];

/** Validates a new recipient, filling in defaults. */
export function parseRecipientInput(body: unknown): RecipientInput {
  const patch = parseRecipientPatch(body);
  if (patch.name === undefined) throw invalid('name is required', 'name');
  if (patch.url === undefined) throw invalid('url is required', 'url');
  const retryIntervalMs = patch.retryIntervalMs ?? D.retryIntervalSeconds * 1000;
  const input: RecipientInput = {
    kind: 'http',
    name: patch.name,
    url: patch.url,
    enabled: patch.enabled ?? D.enabled,
    paused: patch.paused ?? D.paused,
    events: patch.events ?? D.events,
    retryIntervalMs,
    retryMaxIntervalMs:
      patch.retryMaxIntervalMs ?? Math.max(D.retryMaxIntervalSeconds * 1000, retryIntervalMs),
    retryDurationMs: patch.retryDurationMs ?? D.retryDurationSeconds * 1000,
    timeoutMs: patch.timeoutMs ?? D.timeoutSeconds * 1000,
    tlsVerify: patch.tlsVerify ?? D.tlsVerify,
    caPem: patch.caPem ?? null,
    headers: patch.headers ?? {},
    secret: patch.secret ?? null,
    previousSecret: null,
    previousSecretExpiresAt: null,
    secretRotationMs: patch.secretRotationMs ?? D.secretRotationSeconds * 1000,
    alertContacts: patch.alertContacts ?? [],
    alertAfterMs: patch.alertAfterMs ?? D.alertAfterSeconds * 1000,
    resendAlertsMs: patch.resendAlertsMs ?? D.resendAlertsSeconds * 1000,
    repSurveyEventName: patch.repSurveyEventName ?? D.repSurveyEventName,
    sendApplianceId: patch.sendApplianceId ?? D.sendApplianceId,
    sendCustomFields: patch.sendCustomFields ?? D.sendCustomFields,
  };
  checkIntervals(input);
  return input;
}

/** Checks the merged result of a change. */
export function checkIntervals(r: Pick<Recipient, 'retryIntervalMs' | 'retryMaxIntervalMs'>): void {
  if (r.retryMaxIntervalMs < r.retryIntervalMs) {
    throw invalid(
      'retryMaxIntervalSeconds must be at least retryIntervalSeconds',
      'retryMaxIntervalSeconds',
    );
  }
}

/**
 * Validates the fields given in a change (or a new recipient before defaults). A new secret
 * that replaces one keeps the old one signing alongside it for the rotation period, so
 * receivers can switch over without rejecting deliveries.
 */
export function parseRecipientPatch(
  body: unknown,
  current?: Recipient,
  now: number = Date.now(),
): RecipientPatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('the body must be a JSON object with the recipient fields');
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (READ_ONLY.includes(key)) continue;
    if (!FIELDS.includes(key))
      throw invalid(`unknown field "${key}"; known: ${FIELDS.join(', ')}`, key);
  }
  const out: RecipientPatch = {};
  if (b.name !== undefined) out.name = text(b.name, 'name', 200);
  if (b.url !== undefined && current?.kind === 'email') {
    // Its address is its url (mailto:); an http URL would leave a mail lane with nowhere to go.
    throw invalid(
      'url: an email recipient keeps its address; add another in Outbound Events → Email recipients',
      'url',
    );
  }
  if (b.url !== undefined) out.url = url(b.url);
  if (b.enabled !== undefined) out.enabled = bool(b.enabled, 'enabled');
  if (b.paused !== undefined) out.paused = bool(b.paused, 'paused');
  if (b.events !== undefined) out.events = events(b.events);
  if (b.retryIntervalSeconds !== undefined) {
    out.retryIntervalMs = seconds(b.retryIntervalSeconds, 'retryIntervalSeconds', 0.01, 86_400);
  }
  if (b.retryMaxIntervalSeconds !== undefined) {
    out.retryMaxIntervalMs = seconds(
      b.retryMaxIntervalSeconds,
      'retryMaxIntervalSeconds',
      0.01,
      86_400,
    );
  }
  if (b.retryDurationSeconds !== undefined) {
    out.retryDurationMs = seconds(b.retryDurationSeconds, 'retryDurationSeconds', 0, 365 * 86_400);
  }
  if (b.timeoutSeconds !== undefined)
    out.timeoutMs = seconds(b.timeoutSeconds, 'timeoutSeconds', 0.01, MAX_TIMEOUT_SECONDS);
  if (b.tlsVerify !== undefined) out.tlsVerify = bool(b.tlsVerify, 'tlsVerify');
  if (b.caCertificate !== undefined) out.caPem = certificate(b.caCertificate);
  if (b.headers !== undefined) out.headers = extraHeaders(b.headers);
  if (b.secretRotationSeconds !== undefined) {
    out.secretRotationMs = seconds(
      b.secretRotationSeconds,
      'secretRotationSeconds',
      0,
      30 * 86_400,
    );
  }
  if (b.alertContacts !== undefined) out.alertContacts = alertContacts(b.alertContacts);
  if (b.alertAfterSeconds !== undefined) {
    out.alertAfterMs = seconds(b.alertAfterSeconds, 'alertAfterSeconds', 0, 7 * 86_400);
  }
  if (b.resendAlertsSeconds !== undefined) {
    out.resendAlertsMs = seconds(b.resendAlertsSeconds, 'resendAlertsSeconds', 0, 7 * 86_400);
  }
  if (b.repSurveyEventName !== undefined) {
    out.repSurveyEventName = repSurveyEventName(b.repSurveyEventName);
  }
  if (b.sendApplianceId !== undefined) {
    out.sendApplianceId = bool(b.sendApplianceId, 'sendApplianceId');
  }
  if (b.sendCustomFields !== undefined) {
    out.sendCustomFields = bool(b.sendCustomFields, 'sendCustomFields');
  }
  // A client that sends back what it read sends the masked secret: keep the real one.
  const masked = current?.secret != null && b.secret === maskSecret(current.secret);
  if (b.secret !== undefined && !masked) {
    out.secret = signingSecret(b.secret);
    const rotation = out.secretRotationMs ?? current?.secretRotationMs ?? 0;
    if (current?.secret && out.secret !== current.secret && rotation > 0) {
      out.previousSecret = current.secret;
      out.previousSecretExpiresAt = now + rotation;
    } else if (out.secret !== current?.secret) {
      out.previousSecret = null;
      out.previousSecretExpiresAt = null;
    }
  }
  return out;
}
