/**
 * End to end: the API's answers to bad input (CONTRACT §5: a clear message naming the field,
 * and nothing stored), its other errors, and the operational endpoints.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FORM_CONTENT_TYPE } from '../../src/events/index.js';
import type { TestService } from '../support/service.js';
import {
  acceptedCount,
  addRecipient,
  allDelivered,
  cleanup,
  deliveries,
  makeEvent,
  metrics,
  postEvents,
  receiver,
  sample,
  service,
  wire,
} from './e2e.js';

afterEach(cleanup);

/** A raw request with the service's token (or the given headers). */
function raw(
  svc: TestService,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = { authorization: `Bearer ${svc.token}` },
) {
  return fetch(`${svc.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
}

describe('API errors', () => {
  it('400 names the field, and a refused bulk stores nothing', async () => {
    const r = await receiver();
    const svc = await service();
    const recipient = await addRecipient(svc, { name: 'r', url: r.url });

    const empty = await svc.api('POST', '/api/v1/events', {
      event: 'support_conference_begin',
      lsid: '',
    });
    expect(empty).toEqual({
      status: 400,
      body: { error: 'bad_request', message: 'lsid must be a non-empty string', field: 'lsid' },
    });
    // lsid is a string, never a number.
    const numeric = await svc.api('POST', '/api/v1/events', {
      event: 'support_conference_begin',
      lsid: 42,
    });
    expect(numeric.status).toBe(400);
    expect(numeric.body).toMatchObject({ field: 'lsid' });
    const unknown = await svc.api('POST', '/api/v1/events', {
      event: 'support_conference_begin',
      lsid: '1',
      colour: 'red',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe('colour');
    const badName = await svc.api('POST', '/api/v1/events', { event: 'nope', lsid: '1' });
    expect(badName.status).toBe(400);
    expect(badName.body.field).toBe('event');
    const customerWithUser = await svc.api(
      'POST',
      '/api/v1/events',
      makeEvent('member_added', { type: 'customer', display_name: 'A', user_id: '1' }),
    );
    expect(customerWithUser.status).toBe(400);
    expect(customerWithUser.body.field).toBe('user_id');

    const good = makeEvent('begin');
    const bulk = await svc.api('POST', '/api/v1/events', [
      good,
      { event: 'support_conference_end', lsid: 7 },
      makeEvent('end'),
    ]);
    expect(bulk.status).toBe(400);
    expect(bulk.body.message).toBe('[1]: lsid must be a non-empty string');
    expect(bulk.body.field).toBe('[1].lsid');
    const noEvents = await svc.api('POST', '/api/v1/events', []);
    expect(noEvents.status).toBe(400);
    const badForm = await raw(svc, 'POST', '/api/v1/events', 'event=support_conference_begin', {
      authorization: `Bearer ${svc.token}`,
      'content-type': FORM_CONTENT_TYPE,
    });
    // version and timestamp default in a form too; lsid does not.
    expect(badForm.status).toBe(400);
    expect(await badForm.json()).toMatchObject({ field: 'lsid' });

    // Nothing of the refused requests was stored or sent: the next event is the first.
    expect(await deliveries(svc, recipient.id)).toEqual([]);
    const next = makeEvent('begin');
    await postEvents(svc, next);
    await acceptedCount(r, 1);
    await allDelivered(svc, recipient.id, 1);
    expect(r.accepted).toEqual([wire(next)]);
    expect(r.requests).toHaveLength(1);
  });

  it('400 on bad recipient fields, naming them', async () => {
    const svc = await service();
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'http://127.0.0.1:1/' }, 'name'],
      [{ name: 'x' }, 'url'],
      [{ name: 'x', url: 'ftp://example.com/' }, 'url'],
      [{ name: 'x', url: 'http://h/#frag' }, 'url'],
      [{ name: 'x', url: 'http://h/', events: ['support_conference_nope'] }, 'events'],
      [{ name: 'x', url: 'http://h/', retryIntervalSeconds: -1 }, 'retryIntervalSeconds'],
      [{ name: 'x', url: 'http://h/', timeoutSeconds: 'soon' }, 'timeoutSeconds'],
      [{ name: 'x', url: 'http://h/', secret: 'plain' }, 'secret'],
      [{ name: 'x', url: 'http://h/', colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const res = await svc.api('POST', '/api/v1/recipients', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.field, JSON.stringify(body)).toBe(field);
      expect(res.body.message).toEqual(expect.any(String));
    }
    expect((await svc.api('GET', '/api/v1/recipients')).body.recipients).toEqual([]);
  });

  it('401 without a token or with a wrong one', async () => {
    const svc = await service();
    for (const headers of [
      {},
      { authorization: 'Bearer obt_wrong' },
      { authorization: `Basic ${svc.token}` },
    ] as Record<string, string>[]) {
      for (const [method, path] of [
        ['GET', '/api/v1/recipients'],
        ['POST', '/api/v1/events'],
      ] as const) {
        const res = await raw(svc, method, path, undefined, headers);
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(await res.json()).toMatchObject({ error: 'unauthorized' });
      }
    }
    // Nothing was accepted without a token.
    const res = await svc.api('GET', '/api/v1/recipients');
    expect(res.status).toBe(200);
  });

  it('413 for a body over the limit, and the service keeps working', async () => {
    const r = await receiver();
    const svc = await service({ bodyLimitBytes: 1024 });
    const recipient = await addRecipient(svc, { name: 'r', url: r.url });
    const big = makeEvent('member_added', { type: 'customer', display_name: 'x'.repeat(2000) });
    const json = await svc.api('POST', '/api/v1/events', big);
    expect(json.status).toBe(413);
    expect(json.body).toMatchObject({ error: 'payload_too_large' });
    const form = await raw(
      svc,
      'POST',
      '/api/v1/events',
      new URLSearchParams(big as Record<string, string>).toString(),
      { authorization: `Bearer ${svc.token}`, 'content-type': FORM_CONTENT_TYPE },
    );
    expect(form.status).toBe(413);

    const small = makeEvent('begin');
    await postEvents(svc, small);
    await acceptedCount(r, 1);
    expect(r.accepted).toEqual([wire(small)]);
    expect(await deliveries(svc, recipient.id)).toHaveLength(1);
  });

  it('404 for an unknown route or recipient, 409 for a duplicate name, 415 for a content type', async () => {
    const svc = await service();
    const route = await svc.api('GET', '/api/v1/nope');
    expect(route).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'no route GET /api/v1/nope' },
    });
    expect((await raw(svc, 'GET', '/nowhere')).status).toBe(404);
    for (const path of [
      '/api/v1/recipients/999',
      '/api/v1/recipients/abc',
      '/api/v1/recipients/999/deliveries',
    ]) {
      const res = await svc.api('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.body.error).toBe('not_found');
    }
    for (const action of ['retry', 'set-aside', 'replay', 'pause', 'resume', 'test']) {
      const res = await svc.api('POST', `/api/v1/recipients/999/${action}`);
      expect(res.status, action).toBe(404);
    }
    expect((await svc.api('PATCH', '/api/v1/recipients/999', { enabled: false })).status).toBe(404);
    expect((await svc.api('DELETE', '/api/v1/recipients/999')).status).toBe(404);

    await addRecipient(svc, { name: 'twin', url: 'http://127.0.0.1:9/' });
    const dup = await svc.api('POST', '/api/v1/recipients', {
      name: 'twin',
      url: 'http://127.0.0.1:9/other',
    });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ error: 'conflict', field: 'name' });
    expect(dup.body.message).toContain('twin');
    const other = await addRecipient(svc, { name: 'other', url: 'http://127.0.0.1:9/' });
    const rename = await svc.api('PATCH', `/api/v1/recipients/${other.id}`, { name: 'twin' });
    expect(rename.status).toBe(409);

    // A valid form body under another content type is still refused, not read as a form.
    const formText = 'event=support_conference_begin&version=1&timestamp=1700000000&lsid=1';
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/xml']) {
      const res = await raw(svc, 'POST', '/api/v1/events', formText, {
        authorization: `Bearer ${svc.token}`,
        'content-type': type,
      });
      expect(res.status, type).toBe(415);
      expect(await res.json()).toMatchObject({ error: 'unsupported_media_type' });
    }
    const malformed = await raw(svc, 'POST', '/api/v1/events', '{"event":', {
      authorization: `Bearer ${svc.token}`,
      'content-type': 'application/json',
    });
    expect(malformed.status).toBe(400);
  });
});

describe('operational endpoints', () => {
  it('serves /healthz, /readyz, /metrics and the OpenAPI document', async () => {
    const r = await receiver();
    const svc = await service();
    const recipient = await addRecipient(svc, { name: 'metered', url: r.url });

    const health = await fetch(`${svc.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${svc.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', lanes: expect.any(Number) });

    // One failed attempt, then a delivery.
    r.modeFor = (q) => (q === r.requests[0] ? { kind: 'status', status: 500 } : undefined);
    await postEvents(svc, makeEvent('begin'));
    await acceptedCount(r, 1);
    await allDelivered(svc, recipient.id, 1);

    const response = await fetch(`${svc.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics(svc);
    for (const [name, type] of [
      ['outbound_queue_depth', 'gauge'],
      ['outbound_oldest_pending_age_seconds', 'gauge'],
      ['outbound_failed_deliveries', 'gauge'],
      ['outbound_requests_in_flight', 'gauge'],
      ['outbound_attempts_total', 'counter'],
      ['outbound_delivery_latency_seconds', 'histogram'],
      ['outbound_request_duration_seconds', 'histogram'],
    ]) {
      expect(text).toContain(`# TYPE ${name} ${type}\n`);
      expect(text).toContain(`# HELP ${name} `);
    }
    expect(sample(text, 'outbound_queue_depth', recipient.id)).toBe(0);
    expect(sample(text, 'outbound_oldest_pending_age_seconds', recipient.id)).toBe(0);
    expect(text).toMatch(
      new RegExp(
        `^outbound_attempts_total\\{outcome="delivered",recipient="${recipient.id}"\\} 1$`,
        'm',
      ),
    );
    expect(text).toMatch(
      new RegExp(
        `^outbound_attempts_total\\{outcome="HTTP_STATUS",recipient="${recipient.id}"\\} 1$`,
        'm',
      ),
    );
    expect(
      sample(text, 'outbound_delivery_latency_seconds_count', recipient.id),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(
      new RegExp(
        `^outbound_delivery_latency_seconds_bucket\\{recipient="${recipient.id}",le="\\+Inf"\\} 1$`,
        'm',
      ),
    );
    expect(sample(text, 'outbound_request_duration_seconds_count', recipient.id)).toBe(
      r.requests.length,
    );
    // Every sample line is `name{labels} number` or `name number` (a name may hold digits:
    // nodejs_eventloop_lag_p99_seconds).
    for (const line of text.trimEnd().split('\n')) {
      if (line.startsWith('#')) continue;
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? -?[0-9.e+-]+$/);
    }

    const openapi = await fetch(`${svc.url}/api/v1/openapi.json`);
    expect(openapi.status).toBe(200);
    const doc = (await openapi.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/events',
        '/api/v1/recipients',
        '/api/v1/recipients/{id}',
        '/api/v1/recipients/{id}/deliveries',
      ]),
    );
  });
});
