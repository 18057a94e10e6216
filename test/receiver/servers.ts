import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import express from 'express';
import Fastify from 'fastify';
import type { OutboundHandler } from '../../src/receiver/index.js';

/** A receiver listening on loopback; `url` is its route (`…/outbound`). */
export interface Served {
  url: string;
  close(): Promise<void>;
}

export type Adapter = (handler: OutboundHandler) => Promise<Served>;

/** Every way of mounting a handler, each over a real socket. */
export const ADAPTERS: Record<string, Adapter> = {
  'node:http': (h) => serveNode(h.toNodeListener()),
  express: (h) => {
    const app = express();
    app.all('/outbound', h.toExpress());
    return serveNode(app);
  },
  'express + raw()': (h) => {
    const app = express();
    app.use(express.raw({ type: '*/*' }));
    app.all('/outbound', h.toExpress());
    return serveNode(app);
  },
  'express + text()': (h) => {
    const app = express();
    app.use(express.text({ type: 'application/x-www-form-urlencoded' }));
    app.all('/outbound', h.toExpress());
    return serveNode(app);
  },
  fastify: async (h) => {
    const app = Fastify();
    await app.register(h.toFastify(), { prefix: '/outbound' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/outbound`, close: () => app.close() };
  },
  'fetch (Request → Response)': (h) => serveNode(fetchBridge(h.toFetch())),
};

/** Serves a node:http listener on an ephemeral loopback port. */
export async function serveNode(listener: http.RequestListener): Promise<Served> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/outbound`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The smallest node:http → Web Request bridge, as Hono's or Remix's node adapters do. */
export function fetchBridge(
  handler: (request: Request) => Promise<Response>,
): http.RequestListener {
  return (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method ?? 'GET',
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
      duplex: 'half',
    } as RequestInit);
    void handler(request).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  };
}

/** Tracks what a test started, so that afterEach closes it even when the test failed. */
export class Servers {
  private readonly open: Served[] = [];

  async start(adapter: Adapter, handler: OutboundHandler): Promise<Served> {
    const served = await adapter(handler);
    this.open.push(served);
    return served;
  }

  add(served: Served): Served {
    this.open.push(served);
    return served;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((s) => s.close()));
  }
}
