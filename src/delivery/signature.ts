import { createHmac } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** The HMAC key of a Standard Webhooks secret: the base64 after `whsec_` (prefix optional). */
export function signingKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, 'base64');
}

/**
 * The `webhook-signature` value (Standard Webhooks): `v1,` then the base64 HMAC-SHA256 of
 * `id.timestamp.body`. Receivers verify it with any Standard Webhooks library.
 */
export function signDelivery(key: Buffer, id: string, timestamp: string, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64')}`;
}
