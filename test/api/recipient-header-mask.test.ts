/**
 * GET /api/v1/recipients masks every extra header's value (its name kept), as it masks the URL:
 * a list is shown, logged and pasted. GET /api/v1/recipients/{id} keeps them in full (an edit
 * round trip needs them), and the OpenAPI document says so.
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

const BEARER = 'Bearer B34rer-d0-n0t-sh0w';
const API_KEY = 'K3y-d0-n0t-sh0w';
const TENANT = 'T3nant-d0-n0t-sh0w';

describe('the recipient list of the API', () => {
  it("masks every header's value and keeps its name; the single recipient has them in full", async () => {
    const made = await svc.api('POST', '/api/v1/recipients', {
      name: 'crm',
      url: 'http://127.0.0.1:9/hook',
      headers: { Authorization: BEARER, 'X-Api-Key': API_KEY, 'X-Tenant': TENANT },
    });
    expect(made.status).toBe(201);
    const plain = await svc.api('POST', '/api/v1/recipients', {
      name: 'plain',
      url: 'http://127.0.0.1:9/plain',
    });
    expect(plain.status).toBe(201);

    const list = await svc.api('GET', '/api/v1/recipients');
    expect(list.status).toBe(200);
    const raw = JSON.stringify(list.body);
    for (const secret of [BEARER, API_KEY, TENANT]) expect(raw).not.toContain(secret);
    const [crm, none] = list.body.recipients;
    expect(crm.headers).toEqual({ authorization: '•••', 'x-api-key': '•••', 'x-tenant': '•••' });
    expect(none.headers).toEqual({});

    const one = await svc.api('GET', `/api/v1/recipients/${made.body.id}`);
    expect(one.body.headers).toEqual({
      authorization: BEARER,
      'x-api-key': API_KEY,
      'x-tenant': TENANT,
    });
  });

  it('is documented as masked in the OpenAPI document', async () => {
    const doc = (await svc.api('GET', '/api/v1/openapi.json')).body;
    const list = doc.paths['/api/v1/recipients'].get;
    expect(list.description).toMatch(/header.*masked|masked.*header/i);
    expect(list.responses['200'].description).toMatch(/header/i);
  });
});
