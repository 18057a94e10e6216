/**
 * Headers a recipient may not set, one list for both sides: validation (API, admin form, CLI)
 * refuses them, and the sender leaves them out of a recipient's stored headers (rows written
 * before a name joined the list). Ours: the form content type and the Standard Webhooks trio
 * (`webhook-*`). The request's own: its target (`host`, from the URL) and length and framing,
 * which undici computes. Hop-by-hop ones, which belong to the connection and which undici
 * rejects or we would send wrong. A recipient's own `user-agent` is not reserved: the sender
 * sends it in place of ours (CONTRACT §2 allows a User-Agent).
 */
export const RESERVED_HEADERS = [
  'Content-Type',
  'Content-Length',
  'Transfer-Encoding',
  'Host',
  'Connection',
  'Keep-Alive',
  'Upgrade',
  'Expect',
  'TE',
  'Trailer',
  'Proxy-Connection',
] as const;

const RESERVED = new Set<string>(RESERVED_HEADERS.map((name) => name.toLowerCase()));

/** Whether a recipient may not set `name` (any case); the `webhook-` prefix included. */
export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('webhook-') || RESERVED.has(lower);
}
