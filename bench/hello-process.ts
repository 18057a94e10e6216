/**
 * The ingest baseline, in its own process: a bare Fastify (the service's version) with one
 * POST route whose JSON body Fastify parses, answered 202 — no auth, no validation, no store.
 */
import Fastify from 'fastify';
import { serveRequests } from './util.js';

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

app.post('/api/v1/events', async (request, reply) => {
  const body = request.body;
  const n = Array.isArray(body) ? body.length : 1;
  return reply.status(202).send({ hello: 'world', n });
});

serveRequests(async () => undefined);

const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ type: 'ready', port: Number(new URL(address).port) });
