import { ReceiverError, ReceiverErrorCode } from './errors.js';

const PREFIX = 'whsec_';
// The same shape the Outbound API accepts for a recipient's secret (prefix optional here, as
// in the official Standard Webhooks libraries).
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The HMAC key of a Standard Webhooks secret `whsec_<base64>`. */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  const key = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
  if (key.length === 0) {
    throw new ReceiverError(
      ReceiverErrorCode.INVALID_SECRET,
      'secret must be a Standard Webhooks secret: whsec_ followed by base64',
    );
  }
  return key;
}

/** Keys of one secret or several (during a rotation); at least one is required. */
export function secretKeys(secret: string | readonly string[]): Buffer[] {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) {
    throw new ReceiverError(ReceiverErrorCode.INVALID_SECRET, 'at least one secret is required');
  }
  return secrets.map(secretKey);
}
