/**
 * The admin pages without a browser, on the raw HTML: a saved URL's secrets are masked
 * everywhere but the edit form's "Show", the masked value is never saved back as the URL, the
 * pending queue pages with its total and shows when each delivery is tried next, and the events
 * list has a delivery column, a status filter and a "Retry failed" for the failed deliveries of
 * the events it shows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startService, type TestService } from '../support/service.js';
import { type AdminClient, signedIn } from './client.js';

let svc: TestService;
let client: AdminClient;

beforeEach(async () => {
  svc = await startService({ sweepIntervalMs: 100 });
  client = await signedIn(svc);
});

afterEach(async () => {
  await svc.stop();
});

const TOKEN = 'T0k3n-d0-n0t-sh0w';
const PASSWORD = 'pa55-d0-n0t-sh0w';
const SECRET_URL = `http://hooks:${PASSWORD}@127.0.0.1:9/in?team=blue&outbound_event_token=${TOKEN}&sig=${TOKEN}2`;
const MASKED_URL = 'http://hooks:•••@127.0.0.1:9/in?team=blue&outbound_event_token=•••&sig=•••';

/** The edit form's fields as a browser posts them, with `url` as given. */
const formFields = (url: string, name = 'tickets'): [string, string][] => [
  ['enabled', 'on'],
  ['tlsVerify', 'on'],
  ['name', name],
  ['url', url],
  ['events', 'support_conference_end'],
  ['retryIntervalSeconds', '10'],
  ['retryDurationSeconds', '0'],
  ['timeoutSeconds', '10'],
  ['repSurveyEventName', 'guide'],
];

/** The value the page's URL input holds. */
const urlInput = (page: string) =>
  /<input type="[a-z]+" id="url" name="url" value="([^"]*)"/.exec(page)?.[1];

const fromHtml = (text: string) =>
  text.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'");

/** Fails naming the page when its HTML holds the password or a token. */
function expectNoSecret(page: string, where: string): void {
  for (const secret of [TOKEN, PASSWORD, encodeURIComponent(TOKEN)])
    expect(fromHtml(page), `${where} shows ${secret}`).not.toContain(secret);
}

/** The first `event: recipients` message of the live stream, as sent. */
async function firstStreamMessage(): Promise<string> {
  const abort = new AbortController();
  const response = await client.openStream(abort.signal);
  const reader = response.body!.getReader();
  let text = '';
  while (!text.includes('event: recipients')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  while (!/event: recipients\ndata: .*\n\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  abort.abort();
  return text;
}

describe('a saved URL with a password and tokens', () => {
  it('is masked in the list, the page, the stream and the audit log; in full only after Show', async () => {
    await client.get('/admin/recipients/new');
    const created = await client.postMultipart('/admin/recipients/new', formFields(SECRET_URL));
    expect(created.status, created.text).toBe(303);
    const recipient = await svc.service.store.findRecipientByName('tickets');
    expect(recipient?.url).toBe(SECRET_URL);
    const id = recipient!.id;

    const list = await client.get('/admin/recipients');
    expectNoSecret(list.text, 'the list');
    expect(fromHtml(list.text)).toContain(MASKED_URL);
    const page = await client.get(`/admin/recipients/${id}`);
    expectNoSecret(page.text, "the recipient's page");
    expect(fromHtml(page.text)).toContain(MASKED_URL);
    expectNoSecret(await firstStreamMessage(), 'the live stream');

    // The edit form: masked, with a Show that gives the page again with the URL in full.
    const edit = await client.get(`/admin/recipients/${id}/edit`);
    expectNoSecret(edit.text, 'the edit form');
    expect(fromHtml(urlInput(edit.text) ?? '')).toBe(MASKED_URL);
    const show = /<a class="button" href="([^"]+)" data-show-url>Show<\/a>/.exec(edit.text)?.[1];
    expect(show).toBe(`/admin/recipients/${id}/edit?show=url#url`);
    const shown = await client.get(fromHtml(show!).replace(/#.*/, ''));
    expect(fromHtml(urlInput(shown.text) ?? '')).toBe(SECRET_URL);

    // Saved untouched (the masked value posted back): the URL stays as it was.
    await client.get(`/admin/recipients/${id}/edit`);
    const saved = await client.postMultipart(
      `/admin/recipients/${id}/edit`,
      formFields(MASKED_URL, 'tickets-renamed'),
    );
    expect(saved.status, saved.text).toBe(303);
    const after = await svc.service.store.getRecipient(id);
    expect(after).toMatchObject({ name: 'tickets-renamed', url: SECRET_URL });

    // A changed URL that still holds the mask is refused, naming the field; nothing is saved.
    const changed = MASKED_URL.replace('/in?', '/other?');
    const refused = await client.postMultipart(
      `/admin/recipients/${id}/edit`,
      formFields(changed, 'tickets-renamed'),
    );
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/id="url-error" role="alert">URL: still holds a masked part/);
    expectNoSecret(refused.text, 'the refused form');
    expect((await svc.service.store.getRecipient(id))?.url).toBe(SECRET_URL);
    // A new recipient cannot be given a masked URL either.
    await client.get('/admin/recipients/new');
    const copied = await client.postMultipart(
      '/admin/recipients/new',
      formFields(MASKED_URL, 'copy'),
    );
    expect(copied.status).toBe(400);
    expect(await svc.service.store.findRecipientByName('copy')).toBeUndefined();

    // Saved after Show with a new token: the new URL, masked again everywhere.
    await client.get(`/admin/recipients/${id}/edit?show=url`);
    const rotated = SECRET_URL.replace(`sig=${TOKEN}2`, `sig=${TOKEN}3`);
    const resaved = await client.postMultipart(
      `/admin/recipients/${id}/edit`,
      formFields(rotated, 'tickets-renamed'),
    );
    expect(resaved.status, resaved.text).toBe(303);
    expect((await svc.service.store.getRecipient(id))?.url).toBe(rotated);

    const audit = await client.get('/admin/audit');
    expect(audit.text).toContain('recipient.create');
    expect(audit.text).toContain('recipient.update');
    expectNoSecret(audit.text, 'the audit log');
    expectNoSecret((await client.get('/admin/recipients')).text, 'the list after the change');
  });
});

describe('the audit log', () => {
  it('masks an entry written before URLs were masked, as it shows it', async () => {
    // As an older version wrote it: the URL in full.
    await svc.service.store.admin.appendAudit({
      at: Date.now(),
      actor: 'admin',
      action: 'recipient.update',
      target: 'recipient 1 (old)',
      before: { url: 'http://127.0.0.1:9/in', secret: null },
      after: { url: SECRET_URL, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    });
    const audit = await client.get('/admin/audit');
    expectNoSecret(audit.text, 'the audit log');
    expect(audit.text).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(fromHtml(audit.text)).toContain(MASKED_URL);
    expect(audit.text).toContain('whsec_…LaSw');
  });
});

/** The rows (by data-seq) of the recipient page's pending table. */
const pendingRows = (page: string) =>
  [
    ...(/<table data-deliveries="pending">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '').matchAll(
      /<tr data-seq="(\d+)">([\s\S]*?)<\/tr>/g,
    ),
  ].map((m) => ({ seq: Number(m[1]), html: m[2]! }));

const nextAttemptCell = (row: string) =>
  /<td data-label="Next attempt" data-next-attempt>([\s\S]*?)<\/td>/.exec(row)?.[1] ?? '';

const send = (lsid: string) =>
  svc.api('POST', '/api/v1/events', { event: 'support_conference_end', lsid });

describe("a recipient's pending queue", () => {
  it('pages head first with the total, each row saying when it is tried next', async () => {
    const made = await svc.api('POST', '/api/v1/recipients', {
      name: 'slow',
      url: 'http://127.0.0.1:9/in',
      paused: true,
    });
    const id = made.body.id as number;
    for (let i = 1; i <= 60; i++) expect((await send(`queued-${i}`)).status).toBe(202);

    const first = await client.get(`/admin/recipients/${id}`);
    const rows = pendingRows(first.text);
    expect(rows).toHaveLength(50);
    expect(first.text).toContain('data-pending-total="60">1–50 of 60 pending');
    expect(rows[0]!.html).toContain('queued-1');
    expect(rows[0]!.html).toContain('(head)');
    expect(nextAttemptCell(rows[0]!.html)).toContain('paused');
    expect(nextAttemptCell(rows[1]!.html)).toContain('after the head');
    const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(first.text)?.[1];
    expect(next).toBe(`/admin/recipients/${id}?after=${rows[49]!.seq}&amp;offset=50#pending`);

    const second = await client.get(fromHtml(next!).replace(/#.*/, ''));
    const rest = pendingRows(second.text);
    expect(rest.map((r) => r.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => rows[49]!.seq + 1 + i),
    );
    expect(rest[0]!.html).toContain('queued-51');
    expect(rest[0]!.html).not.toContain('(head)');
    expect(nextAttemptCell(rest[0]!.html)).toContain('after the head');
    expect(second.text).toContain('data-pending-total="60">51–60 of 60 pending');
    expect(second.text).not.toContain('rel="next"');
    expect(second.text).toContain(`<a href="/admin/recipients/${id}#pending">Back to the head</a>`);

    // Resumed against a receiver that is not there: the head's next attempt is the time its
    // retry is due, as the store has it, not when it was accepted.
    await svc.api('PATCH', `/api/v1/recipients/${id}`, {
      paused: false,
      retryIntervalSeconds: 600,
    });
    let head: Awaited<ReturnType<typeof svc.service.store.listDeliveries>>[number] | undefined;
    for (let i = 0; i < 200 && !(head && head.attempts > 0); i++) {
      [head] = await svc.service.store.listDeliveries(id, { state: 'pending', limit: 1 });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(head?.attempts).toBeGreaterThan(0);
    const failing = pendingRows((await client.get(`/admin/recipients/${id}`)).text);
    const cell = nextAttemptCell(failing[0]!.html);
    expect(cell).toContain(`<time datetime="${new Date(head!.nextAttemptAt!).toISOString()}"`);
    expect(cell).toMatch(/>in \d+ min<\/time>/);
    expect(head!.nextAttemptAt).not.toBe(head!.acceptedAt);
  });
});

describe('the events list', () => {
  it('shows each event’s delivery status, filters by it, and retries exactly the failed ones', async () => {
    const { store } = svc.service;
    const ids: number[] = [];
    for (const name of ['crm', 'tickets']) {
      const made = await svc.api('POST', '/api/v1/recipients', {
        name,
        url: 'http://127.0.0.1:9/in',
        paused: true,
      });
      ids.push(made.body.id as number);
    }
    const [crm, tickets] = ids as [number, number];
    for (let i = 1; i <= 4; i++) expect((await send(`ev-${i}`)).status).toBe(202);
    const queue = async (id: number) =>
      (await store.listDeliveries(id, { state: 'pending', limit: 10 })).sort(
        (a, b) => a.seq - b.seq,
      );
    const crmQueue = await queue(crm);
    const ticketsQueue = await queue(tickets);
    // ev-1 delivered to both; ev-2 set aside at crm; ev-3 set aside at both; ev-4 pending.
    for (const [id, q] of [
      [crm, crmQueue],
      [tickets, ticketsQueue],
    ] as const)
      await store.markDelivered(
        { recipientId: id, seq: q[0]!.seq, attempts: 0 },
        { at: Date.now(), status: 200, errorCode: null, error: null, latencyMs: 3, snippet: null },
      );
    const now = Date.now();
    expect(await store.setAside(crm, crmQueue[1]!.seq, now)).toBe(true);
    expect(await store.setAside(crm, crmQueue[2]!.seq, now)).toBe(true);
    expect(await store.setAside(tickets, ticketsQueue[2]!.seq, now)).toBe(true);

    const all = await client.get('/admin/events');
    const status = (page: string, lsid: string) =>
      new RegExp(
        `<tr data-event-id="\\d+">(?:(?!</tr>)[\\s\\S])*?>${lsid}</a>(?:(?!</tr>)[\\s\\S])*?<td data-label="Delivery" data-status(?: data-kind="(\\w+)")?>([^<]*)</td></tr>`,
      )
        .exec(page)
        ?.slice(1, 3);
    expect(status(all.text, 'ev-1')).toEqual(['ok', '2 delivered']);
    expect(status(all.text, 'ev-2')).toEqual(['failed', '1 failed, 1 pending']);
    expect(status(all.text, 'ev-3')).toEqual(['failed', '2 failed']);
    expect(status(all.text, 'ev-4')).toEqual(['queued', '2 pending']);

    const failed = await client.get('/admin/events?status=failed');
    const listed = [...failed.text.matchAll(/<a href="\/admin\/sessions\/([^"]+)">/g)].map(
      (m) => m[1],
    );
    expect(listed).toEqual(['ev-3', 'ev-2']);
    expect(failed.text).toMatch(/<option value="failed" selected>/);
    expect((await client.get('/admin/events?status=lost')).status).toBe(400);

    // Retry failed: one form, the shown events' ids, behind the CSRF check.
    const form = /<form[^>]*action="\/admin\/events\/retry-failed"[\s\S]*?<\/form>/.exec(
      failed.text,
    )?.[0];
    expect(form).toContain('Retry failed (3 deliveries of 2 events shown)');
    const eventIds = [...(form ?? '').matchAll(/name="event" value="(\d+)"/g)].map((m) => m[1]!);
    expect(eventIds).toHaveLength(2);
    const back = fromHtml(/name="back" value="([^"]+)"/.exec(form ?? '')?.[1] ?? '');
    expect(back).toBe('/admin/events?status=failed');
    const forged = await client.post('/admin/events/retry-failed', {
      csrf: 'forged',
      event: eventIds,
      back,
    });
    expect(forged.status).toBe(403);
    expect(await store.listDeliveries(crm, { state: 'failed', limit: 10 })).toHaveLength(2);

    const retried = await client.post('/admin/events/retry-failed', { event: eventIds, back });
    expect(retried.status).toBe(303);
    expect(retried.location).toBe('/admin/events?status=failed&notice=retried&retried=3');
    expect(await store.listDeliveries(crm, { state: 'failed', limit: 10 })).toEqual([]);
    expect(await store.listDeliveries(tickets, { state: 'failed', limit: 10 })).toEqual([]);
    // Back in the queue at their place; the delivered one stays delivered.
    expect((await queue(crm)).map((d) => d.seq)).toEqual(crmQueue.slice(1).map((d) => d.seq));
    expect((await queue(tickets)).map((d) => d.seq)).toEqual(
      ticketsQueue.slice(1).map((d) => d.seq),
    );
    expect(await store.listDeliveries(crm, { state: 'delivered', limit: 10 })).toHaveLength(1);
    const shown = await client.get(retried.location!);
    expect(shown.text).toContain('3 failed deliveries were queued again, at their original place.');
    expect(shown.text).toContain('No event matches.');

    const entries = await store.admin.listAudit(10);
    const replays = entries.filter((e) => e.action === 'recipient.replay');
    expect(
      replays
        .map((e) => e.after)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual(
      [
        { seqs: [crmQueue[1]!.seq, crmQueue[2]!.seq], replayed: 2, via: 'events list' },
        { seqs: [ticketsQueue[2]!.seq], replayed: 1, via: 'events list' },
      ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );

    // Nothing left to retry: said so; a redirect elsewhere is not followed.
    const again = await client.post('/admin/events/retry-failed', {
      event: eventIds,
      back: 'https://elsewhere.example/',
    });
    expect(again.location).toBe('/admin/events?notice=retried&retried=0');
  });
});
