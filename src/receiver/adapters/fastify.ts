import type { IncomingHttpHeaders } from 'node:http';
import type { ReceiverCore } from '../core.js';

/** The parts of a Fastify request, reply and instance this plugin uses (Fastify 4 and 5). */
export interface FastifyRequestLike {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  headers(values: Record<string, string>): FastifyReplyLike;
  send(payload?: unknown): FastifyReplyLike;
}

export interface FastifyInstanceLike {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    contentType: string,
    options: { parseAs: 'buffer'; bodyLimit: number },
    parser: (request: unknown, body: Buffer, done: (error: null, body: Buffer) => void) => void,
  ): unknown;
  all(
    path: string,
    handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>,
  ): unknown;
}

export interface FastifyPluginOptions {
  /** Route path inside the plugin (under any `prefix` given to `register`). Default `/`. */
  path?: string;
}

export type FastifyPlugin = (instance: FastifyInstanceLike, options: object) => Promise<void>;

/**
 * A Fastify plugin serving the receiver on `path`: `app.register(handler.toFastify(), {
 * prefix: '/outbound' })`. Fastify has no parser for form bodies, and a signature covers the
 * raw bytes anyway, so inside the plugin (its own encapsulated context: the rest of the app
 * keeps its parsers) every content type is read as a raw Buffer.
 */
export function fastifyPlugin(
  core: ReceiverCore,
  options: FastifyPluginOptions = {},
): FastifyPlugin {
  const path = options.path ?? '/';
  return async (instance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: core.maxBodyBytes },
      (_request, body, done) => done(null, body),
    );
    instance.all(path, async (request, reply) => {
      const body = request.body instanceof Uint8Array ? request.body : undefined;
      const response = await core.handle({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body,
      });
      return reply.code(response.status).headers(response.headers).send(response.body);
    });
  };
}
