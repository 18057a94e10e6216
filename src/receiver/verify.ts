import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ReceiverError, ReceiverErrorCode } from './errors.js';
import { type HeadersLike, headerValue } from './headers.js';
import { secretKeys } from './secret.js';

export interface VerifyOptions {
  /**
   * How far `webhook-timestamp` may be from now, either way, in seconds. Default 300 (the
   * Standard Webhooks value). Outbound stamps each attempt when it is sent, so retries of an
   * old event still pass.
   */
  toleranceSeconds?: number;
  /** The current time (a Date or epoch milliseconds). Default: the system clock. */
  now?: Date | number;
}

/** What a valid signature vouches for. */
export interface VerifiedDelivery {
  /** `webhook-id`: the event's id, the same on every attempt: the key for idempotency. */
  id: string;
  /** `webhook-timestamp`: Unix seconds when this attempt was signed. */
  timestamp: number;
}

const DEFAULT_TOLERANCE_SECONDS = 300;
const SECONDS = /^\d{1,15}$/;
// Entries are space-separated; Node joins a repeated header with ", ", which this also splits.
const SEPARATOR = /,?\s+/;

/**
 * Verifies a Standard Webhooks signature over the raw body: `webhook-signature` lists
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` entries, and one matching any of the
 * secrets passes (several secrets during a rotation). Throws ReceiverError (status 401) when
 * headers are missing, the timestamp is out of tolerance, or nothing matches.
 */
export function verify(
  headers: HeadersLike,
  body: string | Uint8Array,
  secret: string | readonly string[],
  options: VerifyOptions = {},
): VerifiedDelivery {
  return verifyWithKeys(headers, body, secretKeys(secret), options);
}

/** `verify` with keys decoded once, for a handler that checks every request. */
export function verifyWithKeys(
  headers: HeadersLike,
  body: string | Uint8Array,
  keys: readonly Buffer[],
  options: VerifyOptions = {},
): VerifiedDelivery {
  const id = headerValue(headers, 'webhook-id');
  const stamp = headerValue(headers, 'webhook-timestamp');
  const signature = headerValue(headers, 'webhook-signature');
  if (!id || !stamp || !signature) {
    throw new ReceiverError(
      ReceiverErrorCode.MISSING_SIGNATURE,
      'webhook-id, webhook-timestamp and webhook-signature headers are required',
    );
  }
  if (!SECONDS.test(stamp)) {
    throw new ReceiverError(
      ReceiverErrorCode.INVALID_SIGNATURE,
      'webhook-timestamp must be Unix seconds',
    );
  }
  const timestamp = Number(stamp);
  checkTolerance(timestamp, options);

  const candidates = signature
    .trim()
    .split(SEPARATOR)
    .flatMap((entry) => (entry.startsWith('v1,') ? [digest(entry.slice(3))] : []));
  for (const key of keys) {
    const expected = digest(
      createHmac('sha256', key).update(`${id}.${stamp}.`).update(body).digest('base64'),
    );
    // Hashing first gives equal-length buffers, so the comparison time reveals nothing.
    if (candidates.some((candidate) => timingSafeEqual(candidate, expected))) {
      return { id, timestamp };
    }
  }
  throw new ReceiverError(ReceiverErrorCode.INVALID_SIGNATURE, 'no matching signature');
}

function checkTolerance(timestamp: number, options: VerifyOptions): void {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowMs = options.now === undefined ? Date.now() : Number(options.now);
  const now = Math.floor(nowMs / 1000);
  if (now - timestamp > tolerance) {
    throw new ReceiverError(ReceiverErrorCode.TIMESTAMP_OUT_OF_RANGE, 'webhook-timestamp too old');
  }
  if (timestamp - now > tolerance) {
    throw new ReceiverError(
      ReceiverErrorCode.TIMESTAMP_OUT_OF_RANGE,
      'webhook-timestamp too far in the future',
    );
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
