/**
 * Sent with every admin response. The CSP allows only this origin's own files: no inline
 * script or style, so that an injected tag could not run even if escaping ever failed; no
 * framing (clickjacking), no MIME sniffing, no Referer with our URLs (they may hold a setup
 * token) to other sites.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};
