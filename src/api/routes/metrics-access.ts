import { createHash, timingSafeEqual } from 'node:crypto';
import type { AccessCheck } from '../../http/access.js';
import { HttpError } from '../../http/http-error.js';

/**
 * `/metrics` is public unless a metrics token is configured (OUTBOUND_METRICS_TOKEN): its
 * recipient names and queue depths can then be read only by a scraper that has the token.
 */
export function metricsAccess(token: string | null): AccessCheck {
  return async (request) => {
    if (token === null) return undefined;
    const expected = digest(token);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (match === null || !timingSafeEqual(digest(match[1] as string), expected)) {
      throw new HttpError(
        401,
        'the metrics token is required: Authorization: Bearer <OUTBOUND_METRICS_TOKEN>',
      );
    }
    return undefined;
  };
}

// Equal-length digests: the comparison takes the same time whatever the guess.
const digest = (text: string) => createHash('sha256').update(text).digest();
