/**
 * GET /api/v1/events and GET /api/v1/events/{id}, cursor pagination of events, a recipient's
 * deliveries and recipients, and the recipient list's masked URLs, on both backends, through
 * a real service and real receivers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, type Backend, type TestDatabase } from '../store/backends.js';
import { TestReceiver } from '../support/receiver.js';
import { startService, type TestService } from '../support/service.js';
import { waitUntil } from '../support/wait.js';

const BEGIN = 'support_conference_begin';
const END = 'support_conference_end';

function suite(backend: Backend) {
  let db: TestDatabase;
  let svc: TestService;
  let ok: TestReceiver;
  let failing: TestReceiver;
  let okId: number;
  let failingId: number;
  beforeAll(async () => {
    db = await backend.open();
    svc = await startService({ databaseUrl: db.url });
    ok = await TestReceiver.start();
    failing = await TestReceiver.start({ kind: 'status', status: 503 });
    const add = async (name: string, url: string) =>
      (
        await svc.api('POST', '/api/v1/recipients', {
          name,
          url,
          retryIntervalSeconds: 30,
          events: [BEGIN, END],
        })
      ).body.id as number;
    okId = await add('ok', ok.url);
    failingId = await add('failing', failing.url);
  });
  afterAll(async () => {
    await svc?.stop();
    await ok?.close();
    await failing?.close();
    await db?.cleanup();
  });

  const get = (path: string) => svc.api('GET', path);
  const post = async (events: object[]) => {
    const res = await svc.api('POST', '/api/v1/events', events);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body.ids as string[];
  };

  it('lists events newest first with their deliveries by state; GET one shows every recipient', async () => {
    const [begin, end] = await post([
      { event: BEGIN, lsid: 'L1', external_key: 'INC-1' },
      { event: END, lsid: 'L1', external_key: 'INC-1' },
    ]);
    // Recorded, not only sent: the 200 and the failed attempt are in the store.
    type Shown = { recipient_name: string; state: string; attempts: number };
    await waitUntil(async () => {
      const shown: Shown[] = (await get(`/api/v1/events/${begin}`)).body.recipients ?? [];
      return (
        shown.some((r) => r.recipient_name === 'ok' && r.state === 'delivered') &&
        shown.some((r) => r.recipient_name === 'failing' && r.attempts >= 1)
      );
    }, 'the delivery and the failed attempt recorded');
    const list = await get('/api/v1/events?lsid=L1');
    expect(list.status).toBe(200);
    expect(list.body.next_cursor).toBeNull();
    expect(list.body.events.map((e: { id: string }) => e.id)).toEqual([end, begin]);
    const first = list.body.events[1];
    expect(first).toMatchObject({
      id: begin,
      type: BEGIN,
      lsid: 'L1',
      external_key: 'INC-1',
      webhook_id: begin,
    });
    expect(Date.parse(first.created_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(first.deliveries).toEqual({ pending: 1, delivered: 1, failed: 0, total: 2 });

    const one = await get(`/api/v1/events/${begin}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: begin, type: BEGIN, lsid: 'L1', webhook_id: begin });
    expect(one.body.body).toContain(`event=${BEGIN}`);
    const byName = Object.fromEntries(
      one.body.recipients.map((r: { recipient_name: string }) => [r.recipient_name, r]),
    );
    expect(byName.ok).toMatchObject({
      recipient_id: okId,
      state: 'delivered',
      last_status: 200,
      next_attempt_at: null,
    });
    expect(Date.parse(byName.ok.delivered_at)).toBeGreaterThan(0);
    expect(byName.failing).toMatchObject({
      recipient_id: failingId,
      state: 'pending',
      attempts: 1,
      last_status: 503,
      delivered_at: null,
    });
    expect(Date.parse(byName.failing.next_attempt_at)).toBeGreaterThan(Date.now());
    expect(ok.requests[0]?.headers['webhook-id']).toBe(begin);
  });

  it('filters by lsid, external key, type and time', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    await post([
      { event: BEGIN, lsid: 'F1', external_key: 'K-A' },
      { event: END, lsid: 'F1', external_key: 'K-A' },
      { event: BEGIN, lsid: 'F2', external_key: 'K-B' },
    ]);
    const ids = async (query: string) =>
      (await get(`/api/v1/events?${query}`)).body.events.map(
        (e: { lsid: string; type: string }) => `${e.lsid} ${e.type}`,
      );
    expect(await ids('external_key=K-A')).toEqual([`F1 ${END}`, `F1 ${BEGIN}`]);
    expect(await ids(`external_key=K-A&type=${BEGIN}`)).toEqual([`F1 ${BEGIN}`]);
    expect(await ids('lsid=F2')).toEqual([`F2 ${BEGIN}`]);
    expect(await ids(`lsid=F1&since=${encodeURIComponent(before)}`)).toHaveLength(2);
    expect(await ids('lsid=F1&until=2000-01-01')).toEqual([]);
    expect(await ids('lsid=F1&since=2999-01-01T00:00:00Z')).toEqual([]);
  });

  it.each([
    ['type=no_such_event', 'type'],
    ['since=yesterday', 'since'],
    ['until=2026-11-24T09:30', 'until'], // no zone: which one is meant?
    ['lsid=a&lsid=b', 'lsid'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['cursor=%21%21', 'cursor'],
  ])('refuses %s: 400 naming %s', async (query, field) => {
    const res = await get(`/api/v1/events?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request', field });
  });

  it('an unknown event id: 404 not_found', async () => {
    const res = await get('/api/v1/events/evt_00000000000000000000000000');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });

  it('pages events with a cursor: every one once, newest first; a bad or foreign cursor is a 400', async () => {
    const ids = await post(
      Array.from({ length: 7 }, (_, i) => ({ event: BEGIN, lsid: 'P1', external_key: `n${i}` })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `lsid=P1&limit=3${cursor === null ? '' : `&cursor=${cursor}`}`;
      const res = await get(`/api/v1/events?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      seen.push(...res.body.events.map((e: { id: string }) => e.id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());

    const page = await get('/api/v1/events?lsid=P1&limit=3');
    const next = page.body.next_cursor as string;
    // Another filter with this cursor: refused, not a silently different walk.
    const other = await get(`/api/v1/events?lsid=P2&limit=3&cursor=${next}`);
    expect(other.status).toBe(400);
    expect(other.body.field).toBe('cursor');
    // A character changed.
    const flipped = next.slice(0, 5) + (next[5] === 'A' ? 'B' : 'A') + next.slice(6);
    const tampered = await get(`/api/v1/events?lsid=P1&cursor=${flipped}`);
    expect(tampered.status).toBe(400);
    expect(tampered.body.field).toBe('cursor');
    // The events cursor on the recipient list.
    const foreign = await get(`/api/v1/recipients?cursor=${next}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({ field: 'cursor' });
    expect(foreign.body.message).toContain('another listing');
  });

  it('pages a recipient’s deliveries with a cursor, and still with before', async () => {
    await post(Array.from({ length: 5 }, (_, i) => ({ event: BEGIN, lsid: `D${i}` })));
    const path = `/api/v1/recipients/${failingId}/deliveries`;
    const all = (await get(`${path}?limit=500`)).body.deliveries.map((d: { seq: number }) => d.seq);
    for (const state of [undefined, 'pending']) {
      const filter = state === undefined ? '' : `&state=${state}`;
      const expected = (await get(`${path}?limit=500${filter}`)).body.deliveries.map(
        (d: { seq: number }) => d.seq,
      );
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(`${path}?limit=2${filter}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        seen.push(...res.body.deliveries.map((d: { seq: number }) => d.seq));
        cursor = res.body.next_cursor;
      } while (cursor !== null);
      expect(seen).toEqual(expected);
    }
    // before (the older paging) keeps working, and gives a cursor to go on with.
    const older = await get(`${path}?limit=2&before=${all[1]}`);
    expect(older.body.deliveries.map((d: { seq: number }) => d.seq)).toEqual(all.slice(2, 4));
    const onward = await get(`${path}?limit=500&cursor=${older.body.next_cursor}`);
    expect(onward.body.deliveries.map((d: { seq: number }) => d.seq)).toEqual(all.slice(4));
    const both = await get(`${path}?before=${all[1]}&cursor=${older.body.next_cursor}`);
    expect(both.status).toBe(400);
    expect(both.body.field).toBe('cursor');
    // A cursor of another recipient's walk.
    const elsewhere = await get(
      `/api/v1/recipients/${okId}/deliveries?cursor=${older.body.next_cursor}`,
    );
    expect(elsewhere.status).toBe(400);
  });

  it('the recipient list masks URL credentials; GET one keeps the full URL', async () => {
    const url = 'https://alice:hunter2@example.com/hook?api_key=s3cr3t-value&tenant=acme';
    const res = await svc.api('POST', '/api/v1/recipients', { name: 'masked', url });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const list = await get('/api/v1/recipients?limit=500');
    const text = JSON.stringify(list.body);
    expect(text).not.toContain('s3cr3t-value');
    expect(text).not.toContain('hunter2');
    const shown = list.body.recipients.find((r: { id: number }) => r.id === res.body.id);
    expect(shown.url).toContain('tenant=acme');
    expect(shown.url).toContain('•••');
    expect((await get(`/api/v1/recipients/${res.body.id}`)).body.url).toBe(url);
  });

  it('pages recipients: 100 by default, every one once in id order', async () => {
    const before = (await get('/api/v1/recipients?limit=500')).body.recipients.length as number;
    for (let i = before; i < 103; i++) {
      const res = await svc.api('POST', '/api/v1/recipients', {
        name: `many-${i}`,
        url: 'http://127.0.0.1:9/hook',
        enabled: false,
      });
      expect(res.status).toBe(201);
    }
    const first = await get('/api/v1/recipients');
    expect(first.body.recipients).toHaveLength(100);
    const rest = await get(`/api/v1/recipients?cursor=${first.body.next_cursor}`);
    expect(rest.body.next_cursor).toBeNull();
    const ids = [...first.body.recipients, ...rest.body.recipients].map((r) => r.id);
    expect(ids).toHaveLength(103);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(103);
  });
}

for (const backend of BACKENDS) describe(backend.name, () => suite(backend));
