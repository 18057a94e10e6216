/**
 * Why a delivery attempt failed, as stable codes: they are stored with each attempt, shown in
 * the admin interface and counted in metrics, so a code is never renamed once released.
 */
export const DeliveryErrorCode = {
  /** The recipient answered, but not with 200 (201, 204 and 3xx included: no redirects). */
  HTTP_STATUS: 'HTTP_STATUS',
  /** No complete answer within the recipient's time-out (connect, headers or body). */
  TIMEOUT: 'TIMEOUT',
  CONNECTION_REFUSED: 'CONNECTION_REFUSED',
  /** The connection was closed or reset before an answer arrived. */
  CONNECTION_RESET: 'CONNECTION_RESET',
  /** No route to the host or network. */
  UNREACHABLE: 'UNREACHABLE',
  /** Handshake failed or the certificate was not trusted. */
  TLS: 'TLS',
  /** The host name did not resolve. */
  DNS: 'DNS',
  /** The answer was not valid HTTP (for example `http://` to a TLS port). */
  PROTOCOL: 'PROTOCOL',
  /** The response started but its body never finished. */
  BODY_INCOMPLETE: 'BODY_INCOMPLETE',
  INVALID_URL: 'INVALID_URL',
  /**
   * The outbound destination policy refused the address (link-local, cloud metadata, a denied
   * range…): nothing was sent. See destination-policy.ts.
   */
  DESTINATION_REFUSED: 'DESTINATION_REFUSED',
  /** An email recipient's mail was not accepted by the SMTP relay (or it was unreachable). */
  SMTP: 'SMTP',
  /**
   * Nothing was sent: right before the request (or mail) was to leave, this process could no
   * longer be sure it still drove the lane (its lease or writer lock ran out, as after a long
   * pause). Never stored as an attempt: the lane is given up, another process drives it.
   */
  LANE_LOST: 'LANE_LOST',
  OTHER: 'OTHER',
} as const;

export type DeliveryErrorCode = (typeof DeliveryErrorCode)[keyof typeof DeliveryErrorCode];

export interface ClassifiedError {
  code: DeliveryErrorCode;
  message: string;
}

/** Our own failures, coded like undici's so that `classifyError` treats them alike. */
export class DeliveryError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryError';
    this.code = code;
  }
}

/** Codes of the errors this module raises itself. */
export const OUTBOUND_TIMEOUT = 'OUTBOUND_ERR_TIMEOUT';
export const OUTBOUND_INVALID_URL = 'OUTBOUND_ERR_INVALID_URL';
export const OUTBOUND_DESTINATION_REFUSED = 'OUTBOUND_ERR_DESTINATION_REFUSED';
export const OUTBOUND_LANE_LOST = 'OUTBOUND_ERR_LANE_LOST';

const BY_CODE: Readonly<Record<string, DeliveryErrorCode>> = {
  [OUTBOUND_TIMEOUT]: 'TIMEOUT',
  [OUTBOUND_INVALID_URL]: 'INVALID_URL',
  [OUTBOUND_DESTINATION_REFUSED]: 'DESTINATION_REFUSED',
  [OUTBOUND_LANE_LOST]: 'LANE_LOST',
  UND_ERR_CONNECT_TIMEOUT: 'TIMEOUT',
  UND_ERR_HEADERS_TIMEOUT: 'TIMEOUT',
  UND_ERR_BODY_TIMEOUT: 'TIMEOUT',
  ETIMEDOUT: 'TIMEOUT',
  ECONNREFUSED: 'CONNECTION_REFUSED',
  ECONNRESET: 'CONNECTION_RESET',
  ECONNABORTED: 'CONNECTION_RESET',
  EPIPE: 'CONNECTION_RESET',
  // undici's SocketError: the peer closed the connection ("other side closed").
  UND_ERR_SOCKET: 'CONNECTION_RESET',
  EHOSTUNREACH: 'UNREACHABLE',
  ENETUNREACH: 'UNREACHABLE',
  EHOSTDOWN: 'UNREACHABLE',
  ENETDOWN: 'UNREACHABLE',
  ENOTFOUND: 'DNS',
  EAI_AGAIN: 'DNS',
  EAI_FAIL: 'DNS',
  EAI_NONAME: 'DNS',
  EAI_NODATA: 'DNS',
  ENODATA: 'DNS',
  ESERVFAIL: 'DNS',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'BODY_INCOMPLETE',
  ERR_INVALID_URL: 'INVALID_URL',
  // OpenSSL's certificate verification codes, as Node reports them.
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS',
  UNABLE_TO_GET_ISSUER_CERT: 'TLS',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS',
  UNABLE_TO_GET_CRL: 'TLS',
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: 'TLS',
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 'TLS',
  CERT_SIGNATURE_FAILURE: 'TLS',
  CERT_NOT_YET_VALID: 'TLS',
  CERT_HAS_EXPIRED: 'TLS',
  CERT_REVOKED: 'TLS',
  CERT_UNTRUSTED: 'TLS',
  CERT_REJECTED: 'TLS',
  CERT_CHAIN_TOO_LONG: 'TLS',
  INVALID_CA: 'TLS',
  INVALID_PURPOSE: 'TLS',
  PATH_LENGTH_EXCEEDED: 'TLS',
  HOSTNAME_MISMATCH: 'TLS',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS',
  EPROTO: 'TLS',
  UND_ERR_PRX_TLS: 'TLS',
};

/** Node's TLS errors (`ERR_TLS_…`), OpenSSL's (`ERR_SSL_…`) and llhttp's (`HPE_…`). */
function byPrefix(code: string): DeliveryErrorCode | undefined {
  if (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) return 'TLS';
  if (code.startsWith('HPE_')) return 'PROTOCOL';
  return undefined;
}

// undici 7 builds its HTTPParserError with `code: undefined` (it looks the llhttp error number
// up in a name-to-number table), so the error is recognised by undici's own brand instead.
const HTTP_PARSER_BRAND = Symbol.for('undici.error.UND_ERR_HTTP_PARSER');

function codeOf(value: object): DeliveryErrorCode | undefined {
  const code = (value as { code?: unknown }).code;
  if (typeof code === 'string') {
    const known = BY_CODE[code] ?? byPrefix(code);
    if (known) return known;
  }
  if ((value as Record<symbol, unknown>)[HTTP_PARSER_BRAND] === true) return 'PROTOCOL';
  // AbortSignal.timeout() aborts with a DOMException whose code is a number.
  if ((value as { name?: unknown }).name === 'TimeoutError') return 'TIMEOUT';
  return undefined;
}

function messageOf(value: unknown): string {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    if (value.message) return value.message;
    return typeof code === 'string' ? code : value.name;
  }
  if (typeof value === 'string') return value || 'unknown error';
  if (value === null || value === undefined) return 'unknown error';
  if (typeof value === 'object') {
    const message = (value as { message?: unknown }).message;
    if (typeof message === 'string' && message) return message;
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

const MAX_DEPTH = 8;

/**
 * Classifies a thrown value by the `code` properties along its `cause` chain (and an
 * AggregateError's `errors`, which Node raises when every address of a host failed). The
 * outermost recognised code wins; messages are never parsed, only reported.
 */
export function classifyError(err: unknown): ClassifiedError {
  const queue: unknown[] = [err];
  for (let i = 0; i < queue.length && i < MAX_DEPTH * 4; i++) {
    const value = queue[i];
    if (typeof value !== 'object' || value === null) continue;
    const code = codeOf(value);
    if (code) return { code, message: messageOf(value) };
    const { cause, errors } = value as { cause?: unknown; errors?: unknown };
    if (cause !== undefined && cause !== value) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return { code: 'OTHER', message: messageOf(err) };
}
