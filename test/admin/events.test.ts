import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestReceiver } from '../support/receiver.js';
import { startService, type TestService } from '../support/service.js';
import { waitUntil } from '../support/wait.js';
import { type AdminClient, signedIn } from './client.js';

let svc: TestService;
let receiver: TestReceiver;
let client: AdminClient;

beforeEach(async () => {
  svc = await startService();
  receiver = await TestReceiver.start();
  client = await signedIn(svc);
});

afterEach(async () => {
  await svc.stop();
  await receiver.close();
});

const cells = (page: string, table: string) =>
  [
    ...(new RegExp(`<table ${table}>([\\s\\S]*?)</table>`).exec(page)?.[1] ?? '').matchAll(
      /<tr[^>]*>([\s\S]*?)<\/tr>/g,
    ),
  ]
    .slice(1)
    .map((row) =>
      [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '')),
    );

describe('admin interface: events', () => {
  it("searches events, shows one with its delivery to every recipient, and a session's timeline", async () => {
    const ok = await svc.api('POST', '/api/v1/recipients', { name: 'tickets', url: receiver.url });
    const failing = await svc.api('POST', '/api/v1/recipients', {
      name: 'crm',
      url: 'http://127.0.0.1:9/closed',
      events: ['support_conference_begin'],
      retryIntervalSeconds: 60,
    });
    expect([ok.status, failing.status]).toEqual([201, 201]);
    const opened = await svc.api('POST', '/api/v1/sessions', { external_key: 'INC-7' });
    const lsid = opened.body.lsid as string;
    const member = await svc.api('POST', `/api/v1/sessions/${lsid}/members`, {
      type: 'representative',
      display_name: 'José <Müller>',
      user_id: '12',
      username: 'jmuller',
    });
    expect(member.status).toBe(201);
    expect((await svc.api('POST', `/api/v1/sessions/${lsid}/end`)).status).toBe(200);
    await svc.api('POST', '/api/v1/events', { event: 'support_conference_begin', lsid: 'other' });
    await waitUntil(() => receiver.accepted.length === 6, 'every event at the receiver');

    const all = await client.get('/admin/events');
    expect(cells(all.text, 'data-events').map((c) => c[2])).toEqual([
      'other',
      lsid,
      lsid,
      lsid,
      lsid,
      lsid,
    ]);
    const byKey = await client.get(
      '/admin/events?externalKey=INC-7&event=support_conference_begin',
    );
    const [row] = cells(byKey.text, 'data-events');
    expect(row?.slice(1, 4)).toEqual(['support_conference_begin', lsid, 'INC-7']);
    const bad = await client.get('/admin/events?from=yesterday&event=nope');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('give a time like 2026-11-24T09:30 (UTC)');
    expect(bad.text).toContain('Event type: unknown event &quot;nope&quot;');
    const later = await client.get(
      `/admin/events?from=${new Date(Date.now() + 60_000).toISOString().slice(0, 16)}`,
    );
    expect(later.text).toContain('No event matches.');

    const id = /<tr data-event-id="(\d+)">/.exec(byKey.text)![1];
    await waitUntil(async () => {
      const [d] = await svc.service.store.listDeliveries(failing.body.id, {
        state: 'pending',
        limit: 1,
      });
      return (d?.attempts ?? 0) > 0;
    }, 'a failed attempt to crm');
    const event = await client.get(`/admin/events/${id}`);
    expect(cells(event.text, 'data-variables')).toEqual([
      ['event', 'support_conference_begin'],
      ['version', '1'],
      ['timestamp', expect.stringMatching(/^\d{10}$/)],
      ['lsid', lsid],
      ['external_key', 'INC-7'],
    ]);
    const deliveries = cells(event.text, 'data-event-deliveries');
    expect(deliveries.map((c) => c.slice(0, 2))).toEqual([
      ['tickets', 'delivered'],
      ['crm', 'pending'],
    ]);
    expect(deliveries[1]![5]).toMatch(/ECONNREFUSED|refused/i);
    expect((await client.get('/admin/events/99999')).status).toBe(404);

    const timeline = await client.get(`/admin/sessions/${lsid}`);
    const steps = [
      ...timeline.text.matchAll(
        /<li><span class="muted">(?:<time[^>]*>[^<]*<\/time>|[^<]*)<\/span> ([^·]*) ·/g,
      ),
    ].map((m) => m[1]!.trim());
    expect(steps).toEqual([
      'Session began, external key INC-7',
      'Owner: General (general)',
      'José &lt;Müller&gt; (representative, jmuller) joined',
      'José &lt;Müller&gt; (representative, jmuller) left',
      'Session ended',
    ]);
    expect(timeline.text).toMatch(/Reported through the sessions API: started .*, ended /);
  });
});
