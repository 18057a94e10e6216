import { CREDENTIAL_NAMES, maskUrl } from '../recipients/url-mask.js';

/** Keys whose values never reach the audit log in clear. */
const SECRET_KEYS = /^(secret|previousSecret|password|passwordHash|token)$/i;

function maskString(value: string): string {
  if (value.startsWith('whsec_…')) return value;
  return value.startsWith('whsec_') ? `whsec_…${value.slice(-4)}` : '•••';
}

/**
 * A copy of `value` fit for the audit log: secrets replaced by their masked form (`whsec_…`
 * secrets keep their last four characters, as the API shows them; anything else becomes •••),
 * and so are credential-like extra headers and URL query parameters.
 */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEYS.test(key) && typeof v === 'string') out[key] = maskString(v);
    else if (key === 'url' && typeof v === 'string') out[key] = maskUrl(v);
    else if (key === 'headers' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      out[key] = Object.fromEntries(
        Object.entries(v).map(([name, h]) => [name, CREDENTIAL_NAMES.test(name) ? '•••' : h]),
      );
    } else out[key] = maskSecrets(v);
  }
  return out;
}
