import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeEvent, type OutboundEvent } from '../../src/events/index.js';
import { createHandler } from '../../src/receiver/index.js';
import { SAMPLE_EVENTS } from './events.js';
import { post, SECRET, signed } from './requests.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function listen(app: FastifyInstance): Promise<string> {
  apps.push(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

const BODY = encodeEvent(SAMPLE_EVENTS[2] as OutboundEvent);

describe('toFastify', () => {
  it('keeps its raw-body parser to itself: the app’s JSON routes still parse JSON', async () => {
    const handled: OutboundEvent[] = [];
    const handler = createHandler({ secret: SECRET, on: { default: (e) => void handled.push(e) } });
    const app = Fastify();
    app.post('/api', async (request) => ({ got: request.body }));
    await app.register(handler.toFastify(), { prefix: '/outbound' });
    const base = await listen(app);

    expect((await post(`${base}/outbound`, BODY, signed(BODY))).status).toBe(200);
    const api = await post(`${base}/api`, '{"a":1}', { 'content-type': 'application/json' });
    expect(await api.json()).toEqual({ got: { a: 1 } });
    expect(handled).toEqual([SAMPLE_EVENTS[2]]);
  });

  it('serves the path option, whatever the content type Outbound’s proxy claims', async () => {
    const handler = createHandler({ secret: SECRET, on: {} });
    const app = Fastify();
    await app.register(handler.toFastify({ path: '/hooks/outbound' }));
    const base = await listen(app);
    const headers = { ...signed(BODY), 'content-type': 'text/plain' };
    expect((await post(`${base}/hooks/outbound`, BODY, headers)).status).toBe(200);
    expect((await post(`${base}/outbound`, BODY, signed(BODY))).status).toBe(404);
  });

  it('a body with no content type is still read raw', async () => {
    const handler = createHandler({ secret: SECRET, on: {} });
    const app = Fastify();
    await app.register(handler.toFastify());
    const base = await listen(app);
    const headers: Record<string, string> = signed(BODY);
    delete headers['content-type'];
    const response = await fetch(`${base}/`, { method: 'POST', headers, body: new Blob([BODY]) });
    expect(response.status).toBe(200);
  });
});
