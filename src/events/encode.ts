import { fieldsOf } from './fields.js';
import type { OutboundEvent } from './types.js';

/**
 * The exact request body for `event`: application/x-www-form-urlencoded, UTF-8, fields in the
 * guide's order, absent optional fields left out (never sent empty). The serialisation is the
 * WHATWG form encoder's, so every form parser reads back exactly the original strings.
 */
export function encodeEvent(event: OutboundEvent): string {
  const params = new URLSearchParams();
  const record = event as unknown as Record<string, unknown>;
  for (const field of fieldsOf(event.event)) {
    const value = record[field];
    if (value !== undefined) params.append(field, String(value));
  }
  return params.toString();
}

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
