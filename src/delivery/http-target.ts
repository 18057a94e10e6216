import { rootCertificates } from 'node:tls';
import { Client } from 'undici';
import { isReservedHeader } from '../recipients/reserved-headers.js';
import { MAX_TIMEOUT_MS } from '../recipients/timeout-limit.js';
import type { Recipient } from '../types.js';
import { type DestinationConnectorOptions, destinationConnector } from './destination-connector.js';
import { DestinationPolicy } from './destination-policy.js';
import {
  type ClassifiedError,
  classifyError,
  DeliveryError,
  OUTBOUND_INVALID_URL,
} from './errors.js';
import { signingKey } from './signature.js';

/**
 * Everything one recipient's sends share: its connection and request template. The connection
 * is an undici Client (one keep-alive socket), not a Pool: a lane has one request in flight,
 * and a Pool would open a second socket for a send issued from the response callback, before
 * undici marks the first one free again (it does that a `setImmediate` later).
 */
export interface HttpTarget {
  // What the connection was built from; a change to any of them means a new one.
  readonly url: string;
  readonly tlsVerify: boolean;
  readonly caPem: string | null;
  readonly timeoutMs: number;
  /** Null when the URL cannot be sent to; `invalid` then says why. */
  readonly client: Client | null;
  readonly invalid: ClassifiedError | null;
  /** Path and query as configured, sent verbatim. */
  readonly path: string;
  /** Basic credentials from the URL's user-info, if it has any. */
  readonly auth: string | null;
  // What the request template was built from; cheap to rebuild on its own.
  secret: string | null;
  previousSecret: string | null;
  headers: Record<string, string>;
  headerCount: number;
  key: Buffer | null;
  /** The replaced secret's key, signing alongside until `previousUntil` (rotation). */
  previousKey: Buffer | null;
  previousUntil: number;
  userAgent: string;
  /** Extra headers as flat name/value pairs, reserved ones left out. */
  extra: string[];
}

const DEFAULT_TIMEOUT_MS = 30_000;
const RAW_TARGET = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^#]*)/i;
const PRINTABLE = /^[\x21-\x5b\x5d-\x7e]*$/;

export function sameConnection(target: HttpTarget, r: Recipient): boolean {
  return (
    target.url === r.url &&
    target.tlsVerify === r.tlsVerify &&
    target.caPem === r.caPem &&
    target.timeoutMs === r.timeoutMs
  );
}

export function sameTemplate(target: HttpTarget, r: Recipient): boolean {
  if (target.secret !== r.secret) return false;
  if (target.previousSecret !== r.previousSecret) return false;
  if (target.previousUntil !== (r.previousSecretExpiresAt ?? 0)) return false;
  if (target.headers === r.headers) return true;
  let n = 0;
  for (const name in r.headers) {
    if (target.headers[name] !== r.headers[name]) return false;
    n++;
  }
  return n === target.headerCount;
}

/** Where a target's connection may connect: the destination policy (and, in tests, the resolver). */
export interface TargetConnection {
  policy: DestinationPolicy;
  resolve?: DestinationConnectorOptions['resolve'];
}

export function buildTarget(
  r: Recipient,
  defaultUserAgent: string,
  connection: TargetConnection = { policy: DestinationPolicy.DEFAULT },
): HttpTarget {
  let client: Client | null = null;
  let invalid: ClassifiedError | null = null;
  let path = '/';
  let auth: string | null = null;
  try {
    const url = parseUrl(r.url);
    path = rawPath(r.url) ?? `${url.pathname}${url.search}`;
    auth = basicAuth(url);
    client = new Client(url.origin, clientOptions(r, connection));
  } catch (err) {
    invalid = classifyError(err);
  }
  const target: HttpTarget = {
    url: r.url,
    tlsVerify: r.tlsVerify,
    caPem: r.caPem,
    timeoutMs: r.timeoutMs,
    client,
    invalid,
    path,
    auth,
    secret: null,
    previousSecret: null,
    headers: {},
    headerCount: 0,
    key: null,
    previousKey: null,
    previousUntil: 0,
    userAgent: defaultUserAgent,
    extra: [],
  };
  applyTemplate(target, r, defaultUserAgent);
  return target;
}

/** Refreshes the request template (secret, extra headers); the connection stays. */
export function applyTemplate(target: HttpTarget, r: Recipient, defaultUserAgent: string): void {
  const extra: string[] = [];
  let userAgent = defaultUserAgent;
  let count = 0;
  let hasAuthorization = false;
  for (const name in r.headers) {
    count++;
    const value = r.headers[name] as string;
    const lower = name.toLowerCase();
    // Validation refuses these; a row stored before a name joined the list still has it.
    if (isReservedHeader(lower)) continue;
    if (lower === 'user-agent') userAgent = value;
    else extra.push(lower, value);
    if (lower === 'authorization') hasAuthorization = true;
  }
  if (target.auth !== null && !hasAuthorization) extra.push('authorization', target.auth);
  target.secret = r.secret;
  target.headers = { ...r.headers };
  target.headerCount = count;
  target.key = r.secret ? signingKey(r.secret) : null;
  target.previousSecret = r.previousSecret;
  target.previousKey = r.previousSecret ? signingKey(r.previousSecret) : null;
  target.previousUntil = r.previousSecretExpiresAt ?? 0;
  target.userAgent = userAgent;
  target.extra = extra;
}

/**
 * A recipient's request time-out as sent: at most MAX_TIMEOUT_MS, which also caps rows stored
 * before that bound existed (up to 600 s).
 */
export function timeoutOf(r: Pick<Recipient, 'timeoutMs'>): number {
  const ms = r.timeoutMs;
  if (!(Number.isFinite(ms) && ms > 0)) return DEFAULT_TIMEOUT_MS;
  return Math.min(Math.max(1, Math.round(ms)), MAX_TIMEOUT_MS);
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (err) {
    throw new DeliveryError(OUTBOUND_INVALID_URL, `invalid recipient URL: ${text}`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DeliveryError(OUTBOUND_INVALID_URL, `recipient URL must be http or https: ${text}`);
  }
  return url;
}

/**
 * The path and query exactly as typed, so that a token such as `a%2Bb` reaches the receiver
 * byte for byte. The URL parser's form is used only when the typed one could not go on a
 * request line (spaces, control or non-ASCII characters, backslashes).
 */
function rawPath(text: string): string | null {
  const match = RAW_TARGET.exec(text);
  const raw = match?.[1];
  if (raw === undefined || !PRINTABLE.test(raw) || text.includes('\\')) return null;
  if (raw === '') return '/';
  return raw.startsWith('?') ? `/${raw}` : raw;
}

function basicAuth(url: URL): string | null {
  if (!url.username && !url.password) return null;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const pair = `${decode(url.username)}:${decode(url.password)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

function clientOptions(r: Recipient, connection: TargetConnection): Client.Options {
  const timeout = timeoutOf(r);
  const tls = r.caPem
    ? // Added to the public roots, not instead of them, so a recipient that moves to a
      // publicly trusted certificate keeps working.
      { rejectUnauthorized: r.tlsVerify, ca: [r.caPem, ...rootCertificates] }
    : { rejectUnauthorized: r.tlsVerify };
  return {
    // Each phase is bounded by the whole time-out; the attempt's own timer bounds their sum.
    headersTimeout: timeout,
    bodyTimeout: timeout,
    // Every connection goes through the destination policy, checked on the address connected
    // to (undici ignores `connectTimeout` with a connector function: it takes `timeout`).
    connect: destinationConnector(connection.policy, {
      ...tls,
      timeout,
      ...(connection.resolve === undefined ? {} : { resolve: connection.resolve }),
    }),
  };
}
