import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type TestService } from '../support/service.js';
import { type AdminClient, signedIn } from './client.js';

let svc: TestService;
let client: AdminClient;

beforeAll(async () => {
  svc = await startService();
  client = await signedIn(svc);
  for (const lsid of ['a', 'b']) {
    const posted = await svc.api('POST', '/api/v1/events', {
      event: 'support_conference_begin',
      lsid,
    });
    expect(posted.status).toBe(202);
  }
});

afterAll(async () => {
  await svc.stop();
});

const alerts = (page: string) => [...page.matchAll(/role="alert">([^<]*)</g)].map((m) => m[1]);
const rows = (page: string) => (page.match(/<tr data-event-id=/g) ?? []).length;

describe('the events search with odd input', () => {
  it('takes the first of a repeated parameter instead of failing', async () => {
    const page = await client.get('/admin/events?lsid=a&lsid=b&before=x&before=y');
    expect(page.status).toBe(200);
    expect(rows(page.text)).toBe(1);
    expect(page.text).toMatch(/id="lsid" name="lsid" value="a"/);
  });

  it('pages back with the search as read', async () => {
    const many = Array.from({ length: 51 }, () => ({
      event: 'support_conference_end',
      lsid: 'paged',
    }));
    expect((await svc.api('POST', '/api/v1/events', many)).status).toBe(202);
    const first = await client.get('/admin/events?lsid=paged&lsid=other&event=');
    expect(rows(first.text)).toBe(50);
    const older = /<a href="([^"]+)">Older events<\/a>/
      .exec(first.text)?.[1]
      ?.replaceAll('&amp;', '&');
    expect(older).toMatch(/^\/admin\/events\?lsid=paged&before=\d+$/);
    const second = await client.get(older!);
    expect(rows(second.text)).toBe(1);
    expect(second.text).not.toContain('Older events');
  });

  it('names the field of a wrong time or an empty range', async () => {
    const malformed = await client.get('/admin/events?from=2026-13-45T99:99&to=yesterday');
    expect(malformed.status).toBe(400);
    expect(alerts(malformed.text)).toEqual([
      'give a time like 2026-11-24T09:30 (UTC)',
      'give a time like 2026-11-24T09:30 (UTC)',
    ]);
    const reversed = await client.get('/admin/events?from=2026-11-24T10:00&to=2026-11-23T10:00');
    expect(reversed.status).toBe(400);
    expect(reversed.text).toMatch(
      /<label for="to">to \(UTC\)<\/label>[\s\S]*?role="alert">must not be before Accepted from</,
    );
  });

  it('answers 404, not 500, for an event id that cannot exist', async () => {
    for (const id of ['abc', '99999999999999999999', '-1']) {
      expect((await client.get(`/admin/events/${id}`)).status).toBe(404);
    }
  });
});
