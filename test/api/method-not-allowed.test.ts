/**
 * A known path asked with a method it does not have answers 405 with `Allow` listing the ones
 * it has (matched as the router matches, parameters included); an unknown path stays a 404.
 * Without credentials the answer says nothing more than the method list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type TestService } from '../support/service.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc.stop();
});

async function call(method: string, path: string, headers: Record<string, string> = {}) {
  const answer = await fetch(`${svc.url}${path}`, { method, headers });
  return { status: answer.status, allow: answer.headers.get('allow'), body: await answer.text() };
}

describe('405 method not allowed', () => {
  it('a collection asked with PUT lists GET, HEAD and POST', async () => {
    const answer = await call('PUT', '/api/v1/recipients', {
      authorization: `Bearer ${svc.token}`,
    });
    expect(answer.status).toBe(405);
    expect(answer.allow).toBe('GET, HEAD, POST');
    expect(JSON.parse(answer.body)).toEqual({
      error: 'method_not_allowed',
      message: 'PUT is not allowed on /api/v1/recipients: use GET, HEAD or POST',
    });
  });

  it('a path with a parameter and a query string is matched as routed', async () => {
    const answer = await call('PUT', '/api/v1/recipients/12?x=1', {
      authorization: `Bearer ${svc.token}`,
    });
    expect(answer.status).toBe(405);
    expect(answer.allow).toBe('GET, HEAD, PATCH, DELETE');
  });

  it('without credentials: the same 405, the method list and nothing else', async () => {
    const answer = await call('DELETE', '/api/v1/events');
    expect(answer.status).toBe(405);
    expect(answer.allow).toContain('POST');
    expect(Object.keys(JSON.parse(answer.body)).sort()).toEqual(['error', 'message']);
  });

  it('an unknown path stays a 404, whatever the method', async () => {
    for (const method of ['GET', 'PUT', 'POST']) {
      const answer = await call(method, '/api/v1/nothing-here');
      expect(answer.status).toBe(404);
      expect(answer.allow).toBeNull();
    }
  });

  it('an admin page asked with a method it lacks answers 405 too', async () => {
    const answer = await call('PUT', '/login');
    expect(answer.status).toBe(405);
    expect(answer.allow).toBe('GET, HEAD, POST');
  });
});
