/**
 * The opt-in access log: a JSON line per request with method, route, masked path, status,
 * time, address and bytes — and never a token, a password, a cookie or a body. Off by default.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { maskedPath } from '../../src/http/access-log.js';
import { makeEvent } from '../delivery/e2e.js';
import { type LoggedService, startLogged } from './logged-service.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function logged(accessLog: boolean): Promise<LoggedService> {
  const svc = await startLogged({ accessLog });
  cleanups.push(() => svc.stop());
  return svc;
}

const requestLines = (svc: LoggedService) => svc.lines.filter((l) => l.msg === 'request');

describe('access log', () => {
  it('is off by default: not a line per request', async () => {
    expect(loadConfig({}, {}).accessLog).toBe(false);
    const svc = await logged(false);
    await svc.api('POST', '/api/v1/events', makeEvent('begin'));
    await fetch(`${svc.url}/healthz`);
    expect(requestLines(svc)).toEqual([]);
  });

  it('on: one line per request after the answer, with the route and nothing secret', async () => {
    const svc = await logged(true);
    const before = requestLines(svc).length;
    const event = makeEvent('begin');
    const accepted = await svc.api('POST', '/api/v1/events', event);
    expect(accepted.status).toBe(202);
    await fetch(`${svc.url}/api/v1/recipients/12345?token=s3cr3t-value&limit=5`, {
      headers: { authorization: 'Bearer tok-that-must-not-show', cookie: 'sid=cookie-value' },
    });
    await fetch(`${svc.url}/nowhere?password=hunter2`);
    await fetch(`${svc.url}/setup?token=one-time-setup-token`);

    const lines = requestLines(svc).slice(before);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({
      level: 30,
      method: 'POST',
      route: '/api/v1/events',
      path: '/api/v1/events',
      status: 202,
      ms: expect.any(Number),
      ip: '127.0.0.1',
      bytes: expect.any(Number),
    });
    expect(lines[1]).toMatchObject({
      method: 'GET',
      route: '/api/v1/recipients/:id',
      path: '/api/v1/recipients/12345?token=•••&limit=5',
      status: 401,
    });
    expect(lines[2]).toMatchObject({ path: '/nowhere?password=•••', status: 404 });
    expect(lines[2]?.route).toBeUndefined();
    expect(lines[3]).toMatchObject({ route: '/setup', path: '/setup?token=•••' });

    const text = JSON.stringify(svc.lines);
    for (const secret of [
      's3cr3t-value',
      'tok-that-must-not-show',
      'cookie-value',
      'hunter2',
      'one-time-setup-token',
      String(event.lsid),
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('is validated, naming the variable', () => {
    expect(loadConfig({}, { OUTBOUND_ACCESS_LOG: 'true' }).accessLog).toBe(true);
    expect(() => loadConfig({}, { OUTBOUND_ACCESS_LOG: 'yes please' })).toThrow(
      /OUTBOUND_ACCESS_LOG.*true or false/,
    );
  });

  it('masks credential-like query values, encoded names too, and keeps the others', () => {
    expect(maskedPath('/a?x=1&api_key=abc&%74oken=def')).toBe('/a?x=1&api_key=•••&token=•••');
    expect(maskedPath('/a?page=2')).toBe('/a?page=2');
    expect(maskedPath('/a')).toBe('/a');
  });
});
