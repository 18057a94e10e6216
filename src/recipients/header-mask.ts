import { MASK } from './url-mask.js';

/**
 * A header's value as it may be shown once saved: always the mask. Extra headers exist to
 * authenticate (an API key, a bearer token) and their names do not reliably say which one is a
 * secret, so none is shown; the name is kept, to say what is sent.
 */
export const maskHeaderValue = (_value: string): string => MASK;

/** A recipient's extra headers as a list may show them: names kept, every value masked. */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, MASK]));
}
