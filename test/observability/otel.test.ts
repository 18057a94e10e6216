/**
 * OpenTelemetry traces, switched on by the standard OTEL_* variables only: `outbound serve`
 * (the CLI, a child process) sends a span per accept and one per delivery attempt to a real
 * OTLP/HTTP collector on loopback; without those variables it loads no OpenTelemetry SDK.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestReceiver } from '../support/receiver.js';
import { freePort, outbound, ServeProcess } from '../support/serve-process.js';
import { waitUntil } from '../support/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes: { key: string; value: OtlpValue }[];
  status?: { code?: number; message?: string };
}
interface Span extends Omit<OtlpSpan, 'attributes'> {
  attributes: Record<string, string | number | boolean | undefined>;
  service: string | undefined;
}

const otlpValue = (v: OtlpValue) =>
  v.stringValue ??
  (v.intValue === undefined ? undefined : Number(v.intValue)) ??
  v.boolValue ??
  v.doubleValue;

/** A collector: POST /v1/traces with OTLP/JSON, every span kept. */
async function collector(): Promise<{ url: string; spans: Span[]; contentTypes: string[] }> {
  const spans: Span[] = [];
  const contentTypes: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.statusCode = 404;
        response.end();
        return;
      }
      contentTypes.push(String(request.headers['content-type']));
      const doc = JSON.parse(body) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: OtlpValue }[] };
          scopeSpans: { spans: OtlpSpan[] }[];
        }[];
      };
      for (const rs of doc.resourceSpans) {
        const service = rs.resource.attributes.find((a) => a.key === 'service.name');
        for (const ss of rs.scopeSpans) {
          for (const span of ss.spans) {
            spans.push({
              ...span,
              attributes: Object.fromEntries(
                span.attributes.map((a) => [a.key, otlpValue(a.value)]),
              ),
              service: service === undefined ? undefined : String(otlpValue(service.value)),
            });
          }
        }
      }
      response.setHeader('content-type', 'application/json');
      response.end('{}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  cleanups.push(() => new Promise<void>((ok) => server.close(() => ok())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, spans, contentTypes };
}

/** A database with an API token and one recipient, made with the CLI. */
async function setUp(receiverUrl: string) {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-otel-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const env = { OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'outbound.db')}` };
  const token = (await outbound(env, 'token', 'create', '--name', 'otel')).trim();
  await outbound(env, 'recipient', 'add', 'crm', receiverUrl, '--retry-interval', '0.05');
  return { dir, env, token };
}

async function receiver(): Promise<TestReceiver> {
  const r = await TestReceiver.start();
  cleanups.push(() => r.close());
  return r;
}

function call(base: string, token: string, method: string, path: string, body?: unknown) {
  return fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const EVENT = (lsid: string) => ({
  event: 'support_conference_begin',
  version: 1,
  timestamp: 1_700_000_000,
  lsid,
});

describe('OpenTelemetry traces', () => {
  it('sends an accept span and a span per delivery attempt, its child, to an OTLP/HTTP collector', async () => {
    const otlp = await collector();
    const rx = await receiver();
    // The first request fails: one failed attempt, then the delivery.
    let first = true;
    rx.modeFor = () => {
      if (!first) return undefined;
      first = false;
      return { kind: 'status', status: 503 };
    };
    const { env, token } = await setUp(rx.url);
    const serve = new ServeProcess(await freePort(), {
      ...env,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'outbound-under-test',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    cleanups.push(() => serve.close());
    serve.start();
    await serve.ready();

    const accepted = await call(serve.url, token, 'POST', '/api/v1/events', [
      EVENT('aaaa1111'),
      EVENT('bbbb2222'),
    ]);
    expect(accepted.status).toBe(202);
    const { ids } = (await accepted.json()) as { ids: string[] };
    const session = await call(serve.url, token, 'POST', '/api/v1/sessions', {});
    expect(session.status).toBe(201);
    const { lsid } = (await session.json()) as { lsid: string };
    await waitUntil(
      () => otlp.spans.filter((s) => s.name.startsWith('accept')).length === 2,
      'two accept spans',
    );
    // Starting a session makes its events (a begin, the owner joining).
    const sessionSpan = otlp.spans.find((s) => s.name === 'accept session change') as Span;
    const total = 2 + Number(sessionSpan.attributes['outbound.event.count']);
    await waitUntil(() => rx.accepted.length === total, 'every event delivered');
    const deliveries = () => otlp.spans.filter((s) => s.name === 'deliver');
    await waitUntil(() => deliveries().length === total + 1, 'a delivery span per attempt');
    expect(otlp.contentTypes[0]).toMatch(/^application\/json/);
    expect(new Set(otlp.spans.map((s) => s.service))).toEqual(new Set(['outbound-under-test']));

    const accept = otlp.spans.find((s) => s.name === 'accept events') as Span;
    expect(accept.attributes).toMatchObject({
      'outbound.accept.kind': 'events',
      'outbound.event.count': 2,
      'outbound.event.first_id': ids[0],
      'outbound.event.last_id': ids[1],
    });
    expect(sessionSpan.attributes).toMatchObject({
      'outbound.session.lsid': lsid,
      'outbound.event.count': expect.any(Number),
      'outbound.event.first_id': expect.stringMatching(/^evt_/),
    });
    expect(total).toBeGreaterThan(2);
    expect(sessionSpan.traceId).not.toBe(accept.traceId);

    const [failed, ...delivered] = deliveries().sort(
      (a, b) => Number(a.startTimeUnixNano) - Number(b.startTimeUnixNano),
    );
    expect(failed?.attributes).toMatchObject({
      'outbound.event.id': ids[0],
      'outbound.webhook_id': ids[0],
      'outbound.recipient.id': expect.any(Number),
      'outbound.recipient.name': 'crm',
      'outbound.attempt': 1,
      'outbound.outcome': 'failed',
      'http.response.status_code': 503,
      'error.type': expect.any(String),
    });
    expect(failed?.status?.code).toBe(2); // ERROR
    const retried = delivered.find((s) => s.attributes['outbound.event.id'] === ids[0]) as Span;
    expect(retried.attributes).toMatchObject({
      'outbound.attempt': 2,
      'outbound.outcome': 'delivered',
      'http.response.status_code': 200,
    });
    expect(retried.status?.code ?? 0).not.toBe(2);
    expect(retried.kind).toBe(3); // CLIENT
    // The webhook-id the receiver saw is the span's.
    expect(rx.requests.map((q) => q.headers['webhook-id'])).toContain(ids[0]);

    // Each delivery span is a child of its event's accept span, in its trace, and after it.
    for (const span of deliveries()) {
      const parent = span.attributes['outbound.event.id'] === ids[2] ? sessionSpan : accept;
      if (
        span.attributes['outbound.event.id'] !== ids[0] &&
        span.attributes['outbound.event.id'] !== ids[1]
      ) {
        expect(span.traceId).toBe(sessionSpan.traceId);
        expect(span.parentSpanId).toBe(sessionSpan.spanId);
        continue;
      }
      expect(span.traceId).toBe(parent.traceId);
      expect(span.parentSpanId).toBe(parent.spanId);
      expect(BigInt(span.startTimeUnixNano)).toBeGreaterThanOrEqual(
        BigInt(parent.startTimeUnixNano),
      );
      expect(BigInt(span.endTimeUnixNano)).toBeGreaterThan(BigInt(span.startTimeUnixNano));
    }
  });

  it('OTEL_SDK_DISABLED=true wins over an endpoint: no span is sent', async () => {
    const otlp = await collector();
    const rx = await receiver();
    const { env, token } = await setUp(rx.url);
    const serve = new ServeProcess(await freePort(), {
      ...env,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_SDK_DISABLED: 'true',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    cleanups.push(() => serve.close());
    serve.start();
    await serve.ready();
    const accepted = await call(serve.url, token, 'POST', '/api/v1/events', EVENT('cccc3333'));
    expect(accepted.status).toBe(202);
    await waitUntil(() => rx.accepted.length === 1, 'the event delivered');
    await serve.kill('SIGTERM');
    expect(otlp.spans).toEqual([]);
  });

  it('without OTEL_* variables, serve loads no OpenTelemetry SDK or exporter, even after a delivery', async () => {
    const rx = await receiver();
    const { dir, env, token } = await setUp(rx.url);
    const list = join(dir, 'modules.json');
    const preload = resolve(import.meta.dirname, 'loaded-modules.mjs');
    // The child inherits process.env: no OTEL_ variable may come from there.
    expect(Object.keys(process.env).filter((name) => name.startsWith('OTEL_'))).toEqual([]);
    const serve = new ServeProcess(await freePort(), {
      ...env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim(),
      OUTBOUND_TEST_MODULES_FILE: list,
    });
    cleanups.push(() => serve.close());
    serve.start();
    await serve.ready();
    const accepted = await call(serve.url, token, 'POST', '/api/v1/events', EVENT('dddd4444'));
    expect(accepted.status).toBe(202);
    await waitUntil(() => rx.accepted.length === 1, 'the event delivered');
    await fetch(`${serve.url}/metrics`);

    const pid = (serve as unknown as { child: { pid: number } }).child.pid;
    process.kill(pid, 'SIGUSR2');
    let modules: string[] = [];
    await waitUntil(() => {
      try {
        modules = JSON.parse(readFileSync(list, 'utf8')) as string[];
        return true;
      } catch {
        return false;
      }
    }, 'the child to list its modules');
    // The recording works: the service's own dependencies are there.
    expect(modules.some((m) => m.includes('/node_modules/fastify/'))).toBe(true);
    expect(modules.some((m) => m.includes('/node_modules/prom-client/'))).toBe(true);
    // prom-client requires @opentelemetry/api (its exemplars), the no-op API: nothing more.
    const otel = modules.filter((m) => m.includes('@opentelemetry'));
    expect(otel.filter((m) => !m.includes('/node_modules/@opentelemetry/api/'))).toEqual([]);
  });
});
