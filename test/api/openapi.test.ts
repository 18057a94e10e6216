/**
 * /api/v1/openapi.json is generated from the routes' own descriptions (src/api/openapi/): it is
 * a valid OpenAPI 3.1 document whose every schema compiles and every `$ref` resolves, every API
 * route is in it once with its own operationId, and each route answers, called with a token and
 * valid input, the success status the document gives it. The routes come from the service's own
 * route list, so a new route without a description, or without a call below, fails here.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type TestService } from '../support/service.js';

interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean; schema: object }[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: object }> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  components: { schemas: Record<string, object> };
  paths: Record<string, Record<string, Operation>>;
}

let svc: TestService;
let app: FastifyInstance;
let doc: Document;
beforeAll(async () => {
  svc = await startService();
  app = svc.service.app;
  const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(async () => {
  await svc.stop();
});

/** `/api/v1/recipients/:id` as the document spells it. */
const pathOf = (url: string) => url.replace(/:([A-Za-z_]\w*)/g, '{$1}');

/** The routes the document must describe: the API's, health, readiness and metrics. */
function apiRoutes(): { method: string; url: string }[] {
  return app.accessControl
    .routes()
    .filter((r) => r.method !== 'HEAD')
    .filter(
      (r) =>
        (r.url.startsWith('/api/v1/') && (r.access === 'token' || r.access === 'public')) ||
        ['/healthz', '/readyz', '/metrics'].includes(r.url),
    );
}

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );

/** Every `$ref` in `value`, rewritten to the components schema registered with Ajv. */
function rewriteRefs(value: unknown, refs: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, refs));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if (key === '$ref' && typeof v === 'string') {
        refs.push(v);
        return [key, v.replace('#/components/schemas/', 'components#/$defs/')];
      }
      return [key, rewriteRefs(v, refs)];
    }),
  );
}

/** An Ajv holding the document's components, as `components#/$defs/<name>`. */
function ajvWith(document: Document, refs: string[] = []): Ajv2020 {
  // strictRequired off: a branch of `oneOf` requires variables its parent object defines.
  // Union types (`["string", "number"]`) are JSON Schema, as OpenAPI 3.1 takes it.
  const ajv = new Ajv2020({
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    formats: { email: true, 'date-time': true },
  });
  ajv.addSchema({ $id: 'components', $defs: rewriteRefs(document.components.schemas, refs) });
  return ajv;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 whose schemas all compile and whose $refs all resolve', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const refs: string[] = [];
    const ajv = ajvWith(doc, refs);
    for (const name of Object.keys(doc.components.schemas)) {
      expect(() => ajv.getSchema(`components#/$defs/${name}`), name).not.toThrow();
    }
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      const schemas = [
        ...(op.parameters ?? []).map((p) => p.schema),
        ...Object.values(op.requestBody?.content ?? {}).map((c) => c.schema),
        ...Object.values(op.responses).flatMap((r) =>
          Object.values(r.content ?? {}).map((c) => c.schema),
        ),
      ];
      for (const schema of schemas) {
        expect(() => ajv.compile(rewriteRefs(schema, refs) as object), where).not.toThrow();
      }
      // Every path parameter of the path is declared, and nothing else is a path parameter.
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(declared, where).toEqual(inPath);
      expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
      expect(op.summary, where).toBeTruthy();
    }
    for (const ref of new Set(refs)) {
      const name = ref.replace('#/components/schemas/', '');
      expect(ref, ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[name], ref).toBeDefined();
    }
  });

  it('describes every API route, each with its own operationId', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(20);
    for (const { method, url } of routes) {
      const op = doc.paths[pathOf(url)]?.[method.toLowerCase()];
      expect(op, `${method} ${url}`).toBeDefined();
      expect(op?.operationId, `${method} ${url}`).toMatch(/^[a-zA-Z][a-zA-Z0-9]*$/);
    }
    const ids = operations().map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    // Nothing is documented that is not a route.
    const routeKeys = new Set(routes.map((r) => `${r.method} ${pathOf(r.url)}`));
    for (const { path, method } of operations()) {
      expect(routeKeys.has(`${method.toUpperCase()} ${path}`), `${method} ${path}`).toBe(true);
    }
  });

  it('gives each route the success status and the body shape it answers', async () => {
    const BEGIN = { event: 'support_conference_begin', lsid: '4242' };
    const ANN = { type: 'representative', display_name: 'Ann', user_id: '12', username: 'ann' };
    const ZOE = { type: 'customer', display_name: 'Zoë' };
    const ids: { recipient?: number; lsid?: string; event?: string } = {};
    const r = () => `/api/v1/recipients/${ids.recipient}`;
    const s = () => `/api/v1/sessions/${ids.lsid}`;
    // One valid call per route, in an order that gives each what it needs.
    const calls: [route: string, path: () => string, body?: unknown][] = [
      ['GET /healthz', () => '/healthz'],
      ['GET /readyz', () => '/readyz'],
      ['GET /metrics', () => '/metrics'],
      ['GET /api/v1/openapi.json', () => '/api/v1/openapi.json'],
      ['POST /api/v1/events', () => '/api/v1/events', BEGIN],
      ['GET /api/v1/events', () => '/api/v1/events?lsid=4242&limit=5'],
      ['GET /api/v1/events/:id', () => `/api/v1/events/${ids.event}`],
      [
        'POST /api/v1/recipients',
        () => '/api/v1/recipients',
        { name: 'openapi', url: 'http://127.0.0.1:9/hook' },
      ],
      ['GET /api/v1/recipients', () => '/api/v1/recipients'],
      ['GET /api/v1/recipients/:id', r],
      ['PATCH /api/v1/recipients/:id', r, { retryIntervalSeconds: 5 }],
      ['POST /api/v1/recipients/:id/pause', () => `${r()}/pause`],
      ['POST /api/v1/recipients/:id/resume', () => `${r()}/resume`],
      ['POST /api/v1/recipients/:id/test', () => `${r()}/test`],
      ['GET /api/v1/recipients/:id/deliveries', () => `${r()}/deliveries?limit=10`],
      ['POST /api/v1/recipients/:id/retry', () => `${r()}/retry`],
      ['POST /api/v1/recipients/:id/set-aside', () => `${r()}/set-aside`],
      ['POST /api/v1/recipients/:id/replay', () => `${r()}/replay`, {}],
      [
        'POST /api/v1/recipients/:id/replay-range',
        () => `${r()}/replay-range`,
        { from: 0, to: new Date().toISOString() },
      ],
      ['POST /api/v1/sessions', () => '/api/v1/sessions', {}],
      ['GET /api/v1/sessions/:lsid', s],
      [
        'PUT /api/v1/sessions/:lsid/external-key',
        () => `${s()}/external-key`,
        { external_key: 'k' },
      ],
      [
        'POST /api/v1/sessions/:lsid/owner',
        () => `${s()}/owner`,
        { conference_id: 'rep:12', conference_name: 'Ann' },
      ],
      ['POST /api/v1/sessions/:lsid/members', () => `${s()}/members`, ANN],
      ['POST /api/v1/sessions/:lsid/members', () => `${s()}/members`, ZOE],
      ['POST /api/v1/sessions/:lsid/chat', () => `${s()}/chat`, { from: 1, to: 2, body: 'Hello' }],
      ['POST /api/v1/sessions/:lsid/notes', () => `${s()}/notes`, { by: 1, body: 'A note' }],
      [
        'POST /api/v1/sessions/:lsid/files',
        () => `${s()}/files`,
        { by: 2, direction: 'upload', filename: 'log.txt', filesize: 12 },
      ],
      [
        'POST /api/v1/custom-fields',
        () => '/api/v1/custom-fields',
        { code_name: 'ticket', display_name: 'Ticket' },
      ],
      ['GET /api/v1/custom-fields', () => '/api/v1/custom-fields'],
      ['GET /api/v1/custom-fields/:code_name', () => '/api/v1/custom-fields/ticket'],
      ['PUT /api/v1/sessions/:lsid/attributes', () => `${s()}/attributes`, { ticket: 'T-1' }],
      ['DELETE /api/v1/custom-fields/:code_name', () => '/api/v1/custom-fields/ticket'],
      ['POST /api/v1/sessions/:lsid/surveys/customer', () => `${s()}/surveys/customer`],
      ['POST /api/v1/sessions/:lsid/surveys/representative', () => `${s()}/surveys/representative`],
      ['DELETE /api/v1/sessions/:lsid/members/:memberId', () => `${s()}/members/2`],
      ['POST /api/v1/sessions/:lsid/end', () => `${s()}/end`],
      ['DELETE /api/v1/recipients/:id', r],
    ];
    const answered = new Map<string, number>();
    const wrong: string[] = [];
    const ajv = ajvWith(doc);
    for (const [route, path, body] of calls) {
      const [method, url] = route.split(' ') as [string, string];
      const res = await app.inject({
        method: method as 'GET',
        url: path(),
        headers: { authorization: `Bearer ${svc.token}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      const op = doc.paths[pathOf(url)]?.[method.toLowerCase()];
      const documented = Object.keys(op?.responses ?? {})
        .map(Number)
        .filter((status) => status >= 200 && status < 300);
      // The call must have worked, and be documented with the status it answered.
      expect(res.statusCode, `${route}: ${res.body}`).toBeLessThan(300);
      if (documented[0] !== res.statusCode) {
        wrong.push(`${route} answers ${res.statusCode}, documented ${documented[0] ?? 'not'}`);
      }
      // The answer has the documented shape.
      const content = op?.responses[String(res.statusCode)]?.content?.['application/json'];
      if (content !== undefined) {
        const valid = ajv.compile(rewriteRefs(content.schema, []) as object);
        if (!valid(res.json())) wrong.push(`${route}: ${ajv.errorsText(valid.errors)}`);
      }
      answered.set(route, res.statusCode);
      if (route === 'POST /api/v1/recipients') ids.recipient = res.json().id;
      if (route === 'POST /api/v1/sessions') ids.lsid = res.json().lsid;
      if (route === 'POST /api/v1/events') ids.event = res.json().ids[0];
    }
    expect(wrong).toEqual([]);
    // Every route was called: a new route needs a call here.
    const routes = apiRoutes().map((r) => `${r.method} ${r.url}`);
    expect([...answered.keys()].sort()).toEqual([...new Set(routes)].sort());
  });
});
