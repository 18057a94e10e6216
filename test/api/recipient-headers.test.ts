/**
 * The API refuses the headers the sender would drop, with the same 400 body as every other
 * field (`bad_request`, a message naming the header, the field), and accepts a recipient's own
 * User-Agent, which the sender sends in place of ours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type TestService } from '../support/service.js';

let svc: TestService;

beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc?.stop();
});

async function call(method: 'POST' | 'PATCH', url: string, body: unknown) {
  const response = await svc.service.app.inject({
    method,
    url,
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${svc.token}` },
  });
  return { status: response.statusCode, body: response.json() };
}

describe('recipient headers on /api/v1/recipients', () => {
  it.each(['Keep-Alive', 'Expect', 'TE', 'Host', 'Webhook-Id'])(
    'refuses %s with a 400 naming the header',
    async (name) => {
      const res = await call('POST', '/api/v1/recipients', {
        name: `r-${name}`,
        url: 'http://127.0.0.1:9/hook',
        headers: { [name]: 'x' },
      });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body).sort()).toEqual(['error', 'field', 'message']);
      expect(res.body).toMatchObject({ error: 'bad_request', field: `headers.${name}` });
      expect(res.body.message).toMatch(new RegExp(`^headers\\.${name}: `));
    },
  );

  it('accepts a User-Agent of its own, on create and on change', async () => {
    const created = await call('POST', '/api/v1/recipients', {
      name: 'own-agent',
      url: 'http://127.0.0.1:9/hook',
      headers: { 'User-Agent': 'Helpdesk/3' },
    });
    expect(created.status).toBe(201);
    expect(created.body.headers).toEqual({ 'user-agent': 'Helpdesk/3' });
    const changed = await call('PATCH', `/api/v1/recipients/${created.body.id}`, {
      headers: { 'User-Agent': 'Helpdesk/4', 'Proxy-Connection': 'close' },
    });
    expect(changed).toMatchObject({ status: 400, body: { field: 'headers.Proxy-Connection' } });
    const again = await call('PATCH', `/api/v1/recipients/${created.body.id}`, {
      headers: { 'User-Agent': 'Helpdesk/4' },
    });
    expect(again.status).toBe(200);
    expect(again.body.headers).toEqual({ 'user-agent': 'Helpdesk/4' });
  });
});
