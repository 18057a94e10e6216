import { type ExpressMiddleware, expressMiddleware } from './adapters/express.js';
import {
  type FastifyPlugin,
  type FastifyPluginOptions,
  fastifyPlugin,
} from './adapters/fastify.js';
import { type FetchHandler, fetchHandler } from './adapters/fetch.js';
import { type NodeListener, nodeListener } from './adapters/node.js';
import { ReceiverCore } from './core.js';
import type { HandlerOptions, HandlerResponse, ReceivedRequest } from './options.js';

/** A receiver: the framework-free `handle`, and one adapter per kind of server. */
export interface OutboundHandler {
  /**
   * One request in, one answer out; never rejects. 200 only once the event's handler has
   * resolved (or the event was already handled); 400 malformed event, 401 bad signature or
   * token, 405 not POST, 409 the same event is being handled right now, 413 body too large,
   * 500 the handler threw. Outbound retries every non-200 answer.
   */
  handle(request: ReceivedRequest): Promise<HandlerResponse>;
  /** `http.createServer(handler.toNodeListener())`. */
  toNodeListener(): NodeListener;
  /** `app.post('/outbound', handler.toExpress())`, before any body parser for that route. */
  toExpress(): ExpressMiddleware;
  /** `app.register(handler.toFastify(), { prefix: '/outbound' })`. */
  toFastify(options?: FastifyPluginOptions): FastifyPlugin;
  /** Web `Request` → `Response` (Hono, Bun, Deno, Cloudflare-style runtimes). */
  toFetch(): FetchHandler;
}

/**
 * Builds a receiver for Outbound's deliveries. Options are checked now: a malformed secret,
 * an empty token or a misspelt event name in `on` throws here rather than at the first event.
 */
export function createHandler(options: HandlerOptions): OutboundHandler {
  const core = new ReceiverCore(options);
  return {
    handle: (request) => core.handle(request),
    toNodeListener: () => nodeListener(core),
    toExpress: () => expressMiddleware(core),
    toFastify: (pluginOptions) => fastifyPlugin(core, pluginOptions),
    toFetch: () => fetchHandler(core),
  };
}
