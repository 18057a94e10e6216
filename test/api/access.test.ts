/**
 * Access is decided on the route a request is routed to, deny by default (CONTRACT §6). Every
 * registered route is tried under the spellings a router may normalise, without credentials:
 * the answer is a refusal or "no route", never the handler. The table is built from the
 * service's own route list, so a new route is covered by itself.
 */
import { request as httpRequest } from 'node:http';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../src/http/access.js';
import { AccessControl, defaultAccess } from '../../src/http/access.js';
import { startService, type TestService } from '../support/service.js';

/** Routes anyone may call, and nothing else. */
const PUBLIC_ROUTES = [
  'GET /',
  'GET /admin/assets/admin.css',
  'GET /admin/assets/admin.js',
  'GET /admin/assets/icon.svg',
  'GET /api/reporting.xsd',
  'GET /api/v1/openapi.json',
  'GET /healthz',
  'GET /login',
  'GET /readyz',
  'GET /setup',
  'POST /login',
  'POST /oauth2/token',
  'POST /setup',
];

/** A raw request: the path goes on the request line exactly as given (curl --path-as-is). */
function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; location: string | undefined; body: string }> {
  const { hostname, port } = new URL(base);
  const body = method === 'GET' || method === 'HEAD' || method === 'DELETE' ? undefined : '{}';
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method,
        path,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: text }),
        );
      },
    );
    // A request line the HTTP parser refuses ends with a closed connection: no handler ran.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code?.startsWith('HPE_')
        ? resolve({ status: 0, location: undefined, body: '' })
        : reject(error),
    );
    req.end(body);
  });
}

/** A concrete path for a route pattern: every parameter is 1, a recipient that exists. */
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, '1').replace(/\*$/, 'x');

const encodeLetter = (c: string) => `%${c.charCodeAt(0).toString(16)}`;

/** Spellings of `path` that a router may take for it (or that a naive prefix check misses). */
function spellings(path: string): string[] {
  const segments = path.split('/').slice(1);
  const join = (parts: string[]) => `/${parts.join('/')}`;
  const out = new Set<string>([
    path,
    // Percent-encoded letters: each segment's first letter, then every letter, in both cases.
    join(segments.map((s) => s.replace(/^[A-Za-z]/, encodeLetter))),
    path.replace(/[A-Za-z]/g, encodeLetter),
    path.replace(/[A-Za-z]/g, (c) => encodeLetter(c).toUpperCase()),
    // Encoded slashes and dots.
    path.replace(/\//g, '%2F'),
    `/${segments.join('%2f')}`,
    path.replace(/^\/([^/]*)\//, '/$1%2F'),
    join(segments.map((s) => `%2e/${s}`)),
    // Dot segments, doubled slashes, a trailing slash.
    join(segments.map((s) => `./${s}`)),
    join(segments.map((s) => `x/../${s}`)),
    `/${segments.join('//')}`,
    `//${segments.join('/')}`,
    `${path}/`,
    `${path}/.`,
    `${path}//`,
    // Case.
    path.toUpperCase(),
    join(segments.map((s) => s.charAt(0).toUpperCase() + s.slice(1))),
    // ; parameters, on every segment and at the end.
    join(segments.map((s) => `${s};a=b`)),
    `${path};`,
    `${path};jsessionid=1`,
    // A query on its own, and queries that name a public route.
    `${path}?`,
    `${path}?/api/v1/openapi.json`,
    `${path}?access=public`,
    `${path}#`,
    // Backslashes, which some stacks read as slashes.
    path.replace(/\//g, '\\'),
    `/${segments.join('\\')}`,
  ]);
  return [...out];
}

let svc: TestService;
let routes: RouteEntry[];

beforeAll(async () => {
  svc = await startService();
  routes = svc.service.app.accessControl.routes();
  // Something for every handler to find, so that a handler reached would answer 2xx.
  await svc.api('POST', '/api/v1/recipients', { name: 'r', url: 'http://127.0.0.1:9/' });
  await svc.api('POST', '/api/v1/events', { event: 'support_conference_begin', lsid: '1' });
});

afterAll(() => svc?.stop());

describe('route access', () => {
  it('every route declares its access, and only the expected ones are public', () => {
    expect(routes.length).toBeGreaterThan(40);
    const undeclared = routes.filter((r) => r.access === undefined);
    expect(undeclared).toEqual([]);
    const open = routes
      .filter((r) => r.access === 'public' && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(open).toEqual(PUBLIC_ROUTES);
  });

  it('no spelling of a protected route reaches its handler without credentials', async () => {
    const protectedRoutes = routes.filter(
      (r) =>
        r.access === 'token' ||
        r.access === 'session' ||
        r.access === 'reporting' ||
        r.access === 'command',
    );
    const reached: string[] = [];
    let tried = 0;
    for (const route of protectedRoutes) {
      for (const path of spellings(concrete(route.url))) {
        tried++;
        const answer = await send(svc.url, route.method, path);
        // A HEAD answer has no body to tell "no route" from a handler's 404: its GET twin,
        // tried with the same spelling, does.
        if (route.method === 'HEAD' && answer.status === 404) continue;
        if (!isRefusal(answer)) {
          reached.push(`${route.method} ${path} → ${answer.status} ${answer.body.slice(0, 80)}`);
        }
      }
    }
    expect(tried).toBeGreaterThan(1000);
    expect(reached).toEqual([]);
  });

  it('the reported bypass is closed: /api/%761/… answers 401, not 202', async () => {
    const event = await send(svc.url, 'POST', '/api/%761/events');
    expect(event.status).toBe(401);
    const list = await send(svc.url, 'GET', '/api/%761/recipients');
    expect(list.status).toBe(401);
    expect(list.body).not.toContain('127.0.0.1:9');
  });

  it('with the token, the same spelling reaches the handler (the table can fail)', async () => {
    const auth = { authorization: `Bearer ${svc.token}` };
    const list = await send(svc.url, 'GET', '/api/%761/recipients', auth);
    expect(list.status).toBe(200);
    expect(list.body).toContain('127.0.0.1:9');
    for (const route of routes.filter((r) => r.access === 'token' && r.method === 'GET')) {
      const answer = await send(svc.url, 'GET', concrete(route.url), auth);
      expect(answer.status, `${route.url}: ${answer.body}`).not.toBe(401);
    }
  });
});

/**
 * A refusal before the handler: 401/403 from the access check, a redirect to the sign-in
 * page, the not-found handler's "no route", a 400 for a URL that cannot be routed, or a
 * connection closed on a request line that HTTP parsing refused.
 */
function isRefusal(answer: { status: number; location: string | undefined; body: string }) {
  if (answer.status === 0 || answer.status === 401 || answer.status === 403) return true;
  if (answer.status === 303) return answer.location?.startsWith('/login') === true;
  if (answer.status === 404) return answer.body.includes('no route');
  // A path the router knows under other methods: the not-found handler lists them, no more.
  if (answer.status === 405) return answer.body.includes('"error":"method_not_allowed"');
  // The router's answer to a path it cannot decode, and Node's to a request line it refuses.
  if (answer.status === 400) return /FST_ERR_BAD_URL|"Client Error"/.test(answer.body);
  return false;
}

describe('deny by default', () => {
  it('a route that declares no access, or an access nobody defined, answers 401', async () => {
    const app = Fastify();
    const access = new AccessControl();
    access.install(app);
    let handled = 0;
    app.get('/forgot', async () => {
      handled++;
      return 'handled';
    });
    app.get('/undefined-check', { config: { access: 'session' } }, async () => {
      handled++;
      return 'handled';
    });
    app.register(async (scope) => {
      defaultAccess(scope, 'public');
      scope.get('/open', async () => 'open');
    });
    const forgot = await app.inject({ method: 'GET', url: '/forgot' });
    const undefinedCheck = await app.inject({ method: 'GET', url: '/undefined-check' });
    const open = await app.inject({ method: 'GET', url: '/open' });
    expect(forgot.statusCode).toBe(401);
    expect(undefinedCheck.statusCode).toBe(401);
    expect(handled).toBe(0);
    expect(open.body).toBe('open');
    expect(access.routes().map((r) => `${r.method} ${r.url} ${r.access}`)).toEqual([
      'GET /forgot undefined',
      'HEAD /forgot undefined',
      'GET /undefined-check session',
      'HEAD /undefined-check session',
      'GET /open public',
      'HEAD /open public',
    ]);
    await app.close();
  });
});

describe('/metrics', () => {
  it('is public by default and needs the metrics token once one is configured', async () => {
    const open = await fetch(`${svc.url}/metrics`);
    expect(open.status).toBe(200);
    const guarded = await startService({ metricsToken: 'scrape-3f9a1c7e' });
    try {
      const none = await fetch(`${guarded.url}/metrics`);
      expect(none.status).toBe(401);
      expect(await none.text()).toContain('OUTBOUND_METRICS_TOKEN');
      // An API token is not the metrics token.
      const api = await fetch(`${guarded.url}/metrics`, {
        headers: { authorization: `Bearer ${guarded.token}` },
      });
      expect(api.status).toBe(401);
      const scraper = await fetch(`${guarded.url}/metrics`, {
        headers: { authorization: 'Bearer scrape-3f9a1c7e' },
      });
      expect(scraper.status).toBe(200);
      expect(await scraper.text()).toContain('outbound_queue_depth');
    } finally {
      await guarded.stop();
    }
  });
});
