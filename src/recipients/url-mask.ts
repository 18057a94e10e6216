/** Header and query parameter names that carry credentials (`X-Api-Key`, `?outbound_event_token=`). */
export const CREDENTIAL_NAMES = /auth|key|token|secret|pass|cookie|signature|sig$|^code$/i;

/** What stands in place of a secret wherever one is shown masked (URLs, header values). */
export const MASK = '•••';

/**
 * The URL as it may be shown once saved: the password of its user-info and the values of
 * credential-like query parameters replaced by •••. Anything that does not parse as a URL is
 * returned as given (it was refused on the way in, or is not a URL at all).
 */
export function maskUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  let masked = false;
  if (url.password !== '') {
    url.password = 'MASKED';
    masked = true;
  }
  const params = [...url.searchParams];
  if (params.some(([name]) => CREDENTIAL_NAMES.test(name))) {
    // Rebuilt in place so that the parameters keep their order.
    url.search = new URLSearchParams(
      params.map(([name, v]): [string, string] => [name, CREDENTIAL_NAMES.test(name) ? MASK : v]),
    ).toString();
    masked = true;
  }
  if (!masked) return value;
  return url.toString().replace(':MASKED@', `:${MASK}@`).replaceAll(encodeURIComponent(MASK), MASK);
}
