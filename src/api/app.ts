import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { adminPlugin } from '../admin/index.js';
import { AccessControl, defaultAccess, PUBLIC } from './access.js';
import { parseFormBody, parseJsonBody } from './body-parsers.js';
import type { ApiContext } from './context.js';
import { sendError } from './error-handler.js';
import { HttpError } from './http-error.js';
import { OPENAPI } from './openapi.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { metricsAccess } from './routes/metrics-access.js';
import { recipientRoutes } from './routes/recipients.js';
import { sessionRoutes } from './routes/sessions.js';

export interface AppOptions {
  bodyLimitBytes: number;
  logger?: FastifyServerOptions['logger'];
  /** When set, `GET /metrics` needs `Authorization: Bearer <this>`; else it is public. */
  metricsToken?: string | null;
  /**
   * The reverse proxies whose X-Forwarded-For/-Proto are believed (request.ip, request.protocol,
   * the logs); false or absent: the headers are ignored.
   */
  trustProxy?: string[] | false;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route's declared access, and the checks behind them (src/api/access.ts). */
    accessControl: AccessControl;
  }
}

/** The HTTP API and the admin interface: routes, each with its declared access; JSON errors. */
export function buildApp(ctx: ApiContext, options: AppOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes,
    // A log line per request would cost more than storing the event.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    trustProxy: options.trustProxy ?? false,
  });

  // Fastify parses text/plain into a string by default, which the events route would then
  // read as a form body: only JSON and forms are accepted, anything else is a 415.
  app.removeContentTypeParser('text/plain');
  // Events may come as a form body, exactly as the appliance would send them.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes },
    parseFormBody,
  );
  // JSON too: strict UTF-8, charset checked (415), `__proto__` named (api/body-parsers.ts).
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes },
    parseJsonBody,
  );

  app.setErrorHandler(sendError);
  app.setNotFoundHandler((request, reply) =>
    sendError(
      new HttpError(404, `no route ${request.method} ${request.url.split('?')[0]}`),
      request,
      reply,
    ),
  );

  // Installed before any route, so that every route is covered, the admin's included.
  const access = new AccessControl();
  access.install(app);
  app.decorate('accessControl', access);
  access.define('token', async (request) => {
    request.apiToken = await ctx.auth.check(request.headers.authorization);
    return undefined;
  });
  access.define('metrics', metricsAccess(options.metricsToken ?? null));

  app.get('/api/v1/openapi.json', PUBLIC, async () => OPENAPI);
  healthRoutes(app, ctx);
  app.register(async (api) => {
    defaultAccess(api, 'token');
    eventRoutes(api, ctx);
    recipientRoutes(api, ctx);
    deliveryRoutes(api, ctx);
    sessionRoutes(api, ctx);
  });
  // The administration interface at /login (its own hooks: sessions, CSRF, CSP).
  app.register(adminPlugin, { ctx, bodyLimitBytes: options.bodyLimitBytes });
  return app;
}
