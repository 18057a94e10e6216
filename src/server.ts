import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { adminPlugin } from './admin/index.js';
import { parseFormBody, parseJsonBody } from './api/body-parsers.js';
import { apiPlugin } from './api/index.js';
import { appliancePlugin } from './appliance-api/plugin.js';
import { SignIn } from './credentials/sign-in.js';
import { AccessControl } from './http/access.js';
import { sendError } from './http/error-handler.js';
import { HttpError } from './http/http-error.js';
import type { OperationsContext } from './operations/context.js';

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

/**
 * The HTTP server: the API and the administration interface side by side, over what both
 * share (body parsers, JSON errors, deny-by-default access on every route: src/http/).
 * - A new API route: a file in src/api/routes/, registered in src/api/plugin.ts.
 * - A new admin page: a route in src/admin/routes/ and its view in src/admin/views/,
 *   registered in src/admin/plugin.ts.
 * - What both may do (commit events, act on a recipient): once, in src/operations/; neither
 *   front door imports the other.
 */
export function buildApp(ctx: OperationsContext, options: AppOptions): FastifyInstance {
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
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = allowedMethods(app, request.url);
    if (allowed.length === 0) {
      return sendError(new HttpError(404, `no route ${request.method} ${path}`), request, reply);
    }
    // Only the method list, with or without credentials: nothing a GET without them would
    // not tell (its 401 shows the path exists).
    reply.header('allow', allowed.join(', '));
    const listed = `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
    return sendError(
      new HttpError(
        405,
        `${request.method} is not allowed on ${path}: use ${allowed.length === 1 ? allowed[0] : listed}`,
      ),
      request,
      reply,
    );
  });

  // Installed before any route, so that every route is covered, the admin's included. Each
  // plugin defines the checks it owns (the API `token` and `metrics`, the admin `session`).
  const access = new AccessControl();
  access.install(app);
  app.decorate('accessControl', access);

  app.register(apiPlugin, { ctx, metricsToken: options.metricsToken ?? null });
  // One count of failed sign-ins for /login and the appliance APIs' legacy username/password:
  // guessing through either waits as long.
  const signIn = new SignIn(ctx.store.admin, ctx.clock);
  // The administration interface at /login (its own hooks: sessions, CSRF, CSP).
  app.register(adminPlugin, { ctx, bodyLimitBytes: options.bodyLimitBytes, sharedSignIn: signIn });
  // What integrations written for the appliance call back: /api/reporting, /api/command, OAuth2.
  app.register(appliancePlugin, { ctx, signIn });
  return app;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * The methods with a route for this URL, found by the router as it routes a request (decoding,
 * parameters, query string), never by comparing text: a 405 names exactly what would answer.
 */
function allowedMethods(app: FastifyInstance, url: string): string[] {
  return METHODS.filter((method) => app.findRoute({ method, url }) !== null);
}
