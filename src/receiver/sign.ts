import { createHmac } from 'node:crypto';
import { secretKey } from './secret.js';

export interface SignOptions {
  /** `webhook-id`: Outbound sends the event's id, the same on every attempt. */
  id: string;
  /** `webhook-timestamp` in Unix seconds. Default: now. */
  timestamp?: number;
}

// A type alias, not an interface, so that it fits a header record's index signature.
export type SignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/**
 * The Standard Webhooks headers Outbound sends with `body`, for testing a receiver without
 * running Outbound (the same bytes the sender computes).
 */
export function signHeaders(
  secret: string,
  body: string | Uint8Array,
  options: SignOptions,
): SignatureHeaders {
  const stamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const mac = createHmac('sha256', secretKey(secret))
    .update(`${options.id}.${stamp}.`)
    .update(body)
    .digest('base64');
  return { 'webhook-id': options.id, 'webhook-timestamp': stamp, 'webhook-signature': `v1,${mac}` };
}
