import { X509Certificate } from 'node:crypto';
import { isEmailAddress } from '../alerts/email-address.js';
import { type LaneStatus, MAX_TIMEOUT_SECONDS } from '../delivery/index.js';
import { canonicalEventName, type EventName } from '../events/index.js';
import type { LaneStats, Recipient, RecipientInput, RecipientPatch } from '../types.js';
import { badRequest } from './http-error.js';

/** Defaults of a new recipient, in the API's units. */
export const RECIPIENT_DEFAULTS = {
  enabled: true,
  paused: false,
  events: 'all' as const,
  retryIntervalSeconds: 10,
  retryMaxIntervalSeconds: 600,
  retryDurationSeconds: 0,
  timeoutSeconds: 10,
  tlsVerify: true,
  secretRotationSeconds: 86_400,
  alertAfterSeconds: 600,
  resendAlertsSeconds: 3600,
};

/** The appliance's limit on a recipient's Email Contact. */
export const MAX_ALERT_CONTACTS = 10;

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
];

/** Headers a recipient may not set: they belong to the request itself or to its signature. */
const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'host',
  'transfer-encoding',
  'connection',
  'user-agent',
]);

/** Validates a new recipient (`POST`), filling in defaults. */
export function parseRecipientInput(body: unknown): RecipientInput {
  const patch = parseRecipientPatch(body);
  if (patch.name === undefined) throw badRequest('name is required', 'name');
  if (patch.url === undefined) throw badRequest('url is required', 'url');
  const retryIntervalMs = patch.retryIntervalMs ?? RECIPIENT_DEFAULTS.retryIntervalSeconds * 1000;
  const input: RecipientInput = {
    kind: 'http',
    name: patch.name,
    url: patch.url,
    enabled: patch.enabled ?? RECIPIENT_DEFAULTS.enabled,
    paused: patch.paused ?? RECIPIENT_DEFAULTS.paused,
    events: patch.events ?? RECIPIENT_DEFAULTS.events,
    retryIntervalMs,
    retryMaxIntervalMs:
      patch.retryMaxIntervalMs ??
      Math.max(RECIPIENT_DEFAULTS.retryMaxIntervalSeconds * 1000, retryIntervalMs),
    retryDurationMs: patch.retryDurationMs ?? RECIPIENT_DEFAULTS.retryDurationSeconds * 1000,
    timeoutMs: patch.timeoutMs ?? RECIPIENT_DEFAULTS.timeoutSeconds * 1000,
    tlsVerify: patch.tlsVerify ?? RECIPIENT_DEFAULTS.tlsVerify,
    caPem: patch.caPem ?? null,
    headers: patch.headers ?? {},
    secret: patch.secret ?? null,
    previousSecret: null,
    previousSecretExpiresAt: null,
    secretRotationMs: patch.secretRotationMs ?? RECIPIENT_DEFAULTS.secretRotationSeconds * 1000,
    alertContacts: patch.alertContacts ?? [],
    alertAfterMs: patch.alertAfterMs ?? RECIPIENT_DEFAULTS.alertAfterSeconds * 1000,
    resendAlertsMs: patch.resendAlertsMs ?? RECIPIENT_DEFAULTS.resendAlertsSeconds * 1000,
  };
  checkIntervals(input);
  return input;
}

/** Checks the merged result of a `PATCH`. */
export function checkIntervals(r: Pick<Recipient, 'retryIntervalMs' | 'retryMaxIntervalMs'>): void {
  if (r.retryMaxIntervalMs < r.retryIntervalMs) {
    throw badRequest(
      'retryMaxIntervalSeconds must be at least retryIntervalSeconds',
      'retryMaxIntervalSeconds',
    );
  }
}

/**
 * Validates the fields given in a `PATCH` (or a `POST` before defaults). A new secret that
 * replaces one keeps the old one signing alongside it for the rotation period, so receivers
 * can switch over without rejecting deliveries.
 */
export function parseRecipientPatch(
  body: unknown,
  current?: Recipient,
  now: number = Date.now(),
): RecipientPatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('the body must be a JSON object with the recipient fields');
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    // Read-only: a client may send back what it read.
    if (['id', 'kind', 'createdAt', 'updatedAt', 'status'].includes(key)) continue;
    if (!FIELDS.includes(key))
      throw badRequest(`unknown field "${key}"; known: ${FIELDS.join(', ')}`, key);
  }
  const out: RecipientPatch = {};
  if (b.name !== undefined) out.name = text(b.name, 'name', 200);
  if (b.url !== undefined && current?.kind === 'email') {
    // Its address is its url (mailto:); an http URL would leave a mail lane with nowhere to go.
    throw badRequest(
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
  if (b.headers !== undefined) out.headers = headers(b.headers);
  if (b.secretRotationSeconds !== undefined) {
    out.secretRotationMs = seconds(
      b.secretRotationSeconds,
      'secretRotationSeconds',
      0,
      30 * 86_400,
    );
  }
  if (b.alertContacts !== undefined) out.alertContacts = contacts(b.alertContacts);
  if (b.alertAfterSeconds !== undefined) {
    out.alertAfterMs = seconds(b.alertAfterSeconds, 'alertAfterSeconds', 0, 7 * 86_400);
  }
  if (b.resendAlertsSeconds !== undefined) {
    out.resendAlertsMs = seconds(b.resendAlertsSeconds, 'resendAlertsSeconds', 0, 7 * 86_400);
  }
  // A client that PATCHes back what it read sends the masked secret: keep the real one.
  const masked = current?.secret != null && b.secret === maskSecret(current.secret);
  if (b.secret !== undefined && !masked) {
    out.secret = secret(b.secret);
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

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw badRequest(`${field} must be a non-empty string`, field);
  if (value.length > max) throw badRequest(`${field} must be at most ${max} characters`, field);
  if (value.includes('\0')) throw badRequest(`${field} must not contain NUL (U+0000)`, field);
  return value;
}

function url(value: unknown): string {
  const given = text(value, 'url', 4096);
  let parsed: URL;
  try {
    parsed = new URL(given);
  } catch {
    throw badRequest('url must be an absolute http:// or https:// URL', 'url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw badRequest('url must be an absolute http:// or https:// URL', 'url');
  }
  if (parsed.hash !== '')
    throw badRequest('url must not have a #fragment (it is never sent)', 'url');
  // Stored exactly as given: integrations authenticate with the query string.
  return given;
}

function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw badRequest(`${field} must be true or false`, field);
  return value;
}

function events(value: unknown): EventName[] | 'all' {
  if (value === 'all') return 'all';
  if (!Array.isArray(value) || value.length === 0) {
    throw badRequest('events must be "all" or a non-empty array of event names', 'events');
  }
  const names = new Set<EventName>();
  for (const item of value) {
    const name = typeof item === 'string' ? canonicalEventName(item) : undefined;
    if (name === undefined) throw badRequest(`events: unknown event "${String(item)}"`, 'events');
    names.add(name);
  }
  return [...names];
}

function seconds(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw badRequest(`${field} must be a number of seconds from ${min} to ${max}`, field);
  }
  return Math.round(value * 1000);
}

function contacts(value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw badRequest('alertContacts must be an array of email addresses', 'alertContacts');
  }
  const addresses = new Set<string>();
  for (const item of value) {
    if (typeof item !== 'string' || !isEmailAddress(item.trim())) {
      throw badRequest(
        `alertContacts: "${String(item)}" is not an email address (name@example.com)`,
        'alertContacts',
      );
    }
    addresses.add(item.trim());
  }
  if (addresses.size > MAX_ALERT_CONTACTS) {
    throw badRequest(
      `alertContacts may hold at most ${MAX_ALERT_CONTACTS} addresses`,
      'alertContacts',
    );
  }
  return [...addresses];
}

function certificate(value: unknown): string | null {
  if (value === null) return null;
  const pem = text(value, 'caCertificate', 256 * 1024);
  try {
    new X509Certificate(pem);
  } catch {
    throw badRequest(
      'caCertificate must be a PEM certificate (-----BEGIN CERTIFICATE-----)',
      'caCertificate',
    );
  }
  return pem;
}

/**
 * Limits on a recipient's extra headers: far beyond real use (an API key, a tenant id), short
 * of what receivers refuse (431) or what would weigh on every attempt.
 */
export const MAX_HEADERS = 50;
export const MAX_HEADER_NAME_LENGTH = 256;
export const MAX_HEADER_VALUE_LENGTH = 8192;

/** What an HTTP/1.1 field value may hold (RFC 9110): tab, printable ASCII, obs-text. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function headers(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('headers must be an object of header names to string values', 'headers');
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_HEADERS) {
    throw badRequest(
      `headers may hold at most ${MAX_HEADERS} headers (${entries.length} given)`,
      'headers',
    );
  }
  const out: Record<string, string> = {};
  for (const [name, v] of entries) {
    const field = `headers.${name}`;
    if (name === '__proto__') {
      throw badRequest('"__proto__" is not allowed as a header name', field);
    }
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      throw badRequest(`${field}: not a valid header name`, field);
    if (name.length > MAX_HEADER_NAME_LENGTH) {
      throw badRequest(
        `${field}: a header name may be at most ${MAX_HEADER_NAME_LENGTH} characters`,
        field,
      );
    }
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower) || lower.startsWith('webhook-')) {
      throw badRequest(`${field}: this header is set by Outbound and cannot be overridden`, field);
    }
    if (Object.hasOwn(out, lower)) {
      throw badRequest(`${field}: given twice (header names ignore case)`, field);
    }
    if (typeof v !== 'string') throw badRequest(`${field} must be a string`, field);
    if (v.length > MAX_HEADER_VALUE_LENGTH) {
      throw badRequest(
        `${field} must be at most ${MAX_HEADER_VALUE_LENGTH} characters (8 KiB)`,
        field,
      );
    }
    if (v.includes('\0')) throw badRequest(`${field} must not contain NUL (U+0000)`, field);
    // The HTTP client refuses anything else at send time: every delivery would fail.
    if (!HEADER_VALUE.test(v)) {
      throw badRequest(
        `${field} may hold only printable ASCII or Latin-1 characters, spaces and tabs (no line breaks or other control characters)`,
        field,
      );
    }
    out[lower] = v;
  }
  return out;
}

function secret(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    throw badRequest(
      'secret must be a Standard Webhooks secret: whsec_ followed by base64',
      'secret',
    );
  }
  const bytes = Buffer.from(value.slice(6), 'base64').length;
  if (bytes < 24 || bytes > 64)
    throw badRequest('secret must hold 24 to 64 bytes (base64)', 'secret');
  return value;
}

export function maskSecret(secret: string): string {
  return `whsec_…${secret.slice(-4)}`;
}

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
    status: {
      state: !r.enabled ? 'disabled' : r.paused ? 'paused' : (lane?.state ?? 'idle'),
      queued: stats?.pending ?? 0,
      failed: stats?.failed ?? 0,
      oldestPendingAgeSeconds:
        stats?.oldestPendingAt == null ? null : Math.max(0, (now - stats.oldestPendingAt) / 1000),
      nextAttemptAt: iso(lane?.nextAttemptAt),
      lastSuccessAt: iso(lane?.lastSuccessAt),
      lastFailureAt: iso(lane?.lastFailureAt),
      lastError: lane?.lastError ?? null,
    },
  };
}

function iso(ms: number | null | undefined): string | null {
  return ms == null ? null : new Date(ms).toISOString();
}
