import { maskHeaders } from '../recipients/header-mask.js';
import { maskUrl } from '../recipients/url-mask.js';

/** Keys whose values never reach the audit log in clear. */
const SECRET_KEYS = /^(secret|previousSecret|password|passwordHash|token)$/i;

function maskString(value: string): string {
  if (value.startsWith('whsec_…')) return value;
  return value.startsWith('whsec_') ? `whsec_…${value.slice(-4)}` : '•••';
}

/**
 * A copy of `value` fit for the audit log: secrets replaced by their masked form (`whsec_…`
 * secrets keep their last four characters, as the API shows them; anything else becomes •••),
 * and so are every extra header's value (the name kept, as the recipient lists show them) and a
 * URL's credentials.
 */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEYS.test(key) && typeof v === 'string') out[key] = maskString(v);
    else if (key === 'url' && typeof v === 'string') out[key] = maskUrl(v);
    else if (key === 'headers' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      out[key] = maskHeaders(v as Record<string, string>);
    } else out[key] = maskSecrets(v);
  }
  return out;
}
