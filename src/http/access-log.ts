import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CREDENTIAL_NAMES } from '../recipients/url-mask.js';

const MASK = '•••';

/**
 * The opt-in access log (OUTBOUND_ACCESS_LOG=true): one JSON line per request once its answer
 * is sent, at info level. What was asked and how it ended, never who asked with what: no
 * header (Authorization, cookies), no body, and the values of credential-like query
 * parameters (`?token=`, `?password=`, `?access_token=`) masked as the saved URLs are
 * (recipients/url-mask.ts). Not installed at all when off.
 */
export function installAccessLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(accessFields(request, reply), 'request');
  });
}

export function accessFields(request: FastifyRequest, reply: FastifyReply) {
  const length = reply.getHeader('content-length');
  const bytes = length === undefined ? undefined : Number(length);
  return {
    method: request.method,
    // The route pattern (`/api/v1/recipients/:id`): what to group by; absent for a 404.
    route: request.is404 ? undefined : request.routeOptions.url,
    path: maskedPath(request.url),
    status: reply.statusCode,
    ms: Math.round(reply.elapsedTime * 100) / 100,
    ip: request.ip,
    ...(bytes !== undefined && Number.isFinite(bytes) ? { bytes } : {}),
  };
}

/** The request's path and query, with the values of credential-like parameters masked. */
export function maskedPath(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const query = url.slice(at + 1);
  const params = [...new URLSearchParams(query)];
  if (!params.some(([name]) => CREDENTIAL_NAMES.test(name))) return url;
  const masked = params
    .map(([name, value]) => {
      const shown = CREDENTIAL_NAMES.test(name) ? MASK : encodeURIComponent(value);
      return `${encodeURIComponent(name)}=${shown}`;
    })
    .join('&');
  return `${url.slice(0, at)}?${masked}`;
}
