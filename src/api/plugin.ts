import type { FastifyInstance } from 'fastify';
import { defaultAccess } from '../http/access.js';
import type { OperationsContext } from '../operations/context.js';
import { OPENAPI_DOCUMENT } from './openapi/health.js';
import { type DescribedRoute, describeRoute, openApiDocument } from './openapi/index.js';
import { customFieldRoutes } from './routes/custom-fields.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { metricsAccess } from './routes/metrics-access.js';
import { recipientRoutes } from './routes/recipients.js';
import { sessionRoutes } from './routes/sessions.js';

export interface ApiOptions {
  ctx: OperationsContext;
  /** When set, `GET /metrics` needs `Authorization: Bearer <this>`; else it is public. */
  metricsToken?: string | null;
}

/**
 * The HTTP API: /api/v1 (a bearer token unless a route says otherwise), the OpenAPI
 * document, health, readiness and metrics. It defines the `token` and `metrics` access checks.
 */
export async function apiPlugin(app: FastifyInstance, options: ApiOptions): Promise<void> {
  const { ctx } = options;
  app.accessControl.define('token', async (request) => {
    request.apiToken = await ctx.auth.check(request.headers.authorization);
    return undefined;
  });
  app.accessControl.define('metrics', metricsAccess(options.metricsToken ?? null));

  // Every route registered below with a description is in the document, in registration order.
  const described: DescribedRoute[] = [];
  app.addHook('onRoute', (route) => {
    const description = route.config?.openapi;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (description !== undefined && method !== 'HEAD') {
        described.push({ method, url: route.url, description });
      }
    }
  });
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get('/api/v1/openapi.json', describeRoute(OPENAPI_DOCUMENT, 'public'), async () => {
    document ??= openApiDocument(described);
    return document;
  });
  healthRoutes(app, ctx);
  app.register(async (api) => {
    defaultAccess(api, 'token');
    eventRoutes(api, ctx);
    recipientRoutes(api, ctx);
    deliveryRoutes(api, ctx);
    sessionRoutes(api, ctx);
    customFieldRoutes(api, ctx);
  });
}
