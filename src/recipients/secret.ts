import { invalid } from './errors.js';

/** A Standard Webhooks signing secret (`whsec_` and 24 to 64 bytes of base64), or none. */
export function signingSecret(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    throw invalid('secret must be a Standard Webhooks secret: whsec_ followed by base64', 'secret');
  }
  const bytes = Buffer.from(value.slice(6), 'base64').length;
  if (bytes < 24 || bytes > 64) throw invalid('secret must hold 24 to 64 bytes (base64)', 'secret');
  return value;
}

/** How a secret is shown (API, admin form): its last four characters only. */
export function maskSecret(secret: string): string {
  return `whsec_…${secret.slice(-4)}`;
}
