/**
 * A recipient's extra headers on the admin pages, on the raw HTML: every value is masked (the
 * name kept) on the list, the recipient's page, the live stream and the edit form until "Show";
 * a masked header posted back untouched keeps its saved value, any other value holding the mask
 * is refused naming the field; and each Show of a saved secret is in the audit log, without it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startService, type TestService } from '../support/service.js';
import { type AdminClient, signedIn } from './client.js';

let svc: TestService;
let client: AdminClient;

beforeEach(async () => {
  svc = await startService();
  client = await signedIn(svc);
});

afterEach(async () => {
  await svc.stop();
});

const BEARER = 'B34rer-d0-n0t-sh0w';
const API_KEY = 'K3y-d0-n0t-sh0w';
const TEAM = 'T3am-d0-n0t-sh0w';
const SECRETS = [BEARER, API_KEY, TEAM];
const URL_TOKEN = 'Url-t0k3n-d0-n0t-sh0w';
const SECRET_URL = `http://127.0.0.1:9/in?outbound_event_token=${URL_TOKEN}`;
const MASKED_HEADERS = 'authorization: •••\nx-api-key: •••\nx-team: •••';

const fromHtml = (text: string) =>
  text.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'");

/** Fails naming the page when its HTML holds a header value or the URL's token. */
function expectNoSecret(page: string, where: string): void {
  for (const secret of [...SECRETS, URL_TOKEN])
    expect(fromHtml(page), `${where} shows ${secret}`).not.toContain(secret);
}

/** What the edit form's "Extra headers" box holds (a form posts its line breaks as CRLF). */
const headersBox = (page: string) =>
  fromHtml(
    /<textarea id="headers" name="headers"[^>]*>([^<]*)<\/textarea>/.exec(page)?.[1] ?? '',
  ).replaceAll('\r\n', '\n');

/** The edit form's fields as a browser posts them, `headers` as given (the URL masked). */
const formFields = (headers: string, url = 'http://127.0.0.1:9/in?outbound_event_token=•••') =>
  [
    ['enabled', 'on'],
    ['tlsVerify', 'on'],
    ['name', 'crm'],
    ['url', url],
    ['events', 'support_conference_end'],
    ['retryIntervalSeconds', '10'],
    ['retryDurationSeconds', '0'],
    ['timeoutSeconds', '10'],
    ['headers', headers],
    ['repSurveyEventName', 'guide'],
  ] as [string, string][];

async function created(): Promise<number> {
  const answer = await svc.api('POST', '/api/v1/recipients', {
    name: 'crm',
    url: SECRET_URL,
    events: ['support_conference_end'],
    headers: { Authorization: `Bearer ${BEARER}`, 'X-Api-Key': API_KEY, 'X-Team': TEAM },
  });
  expect(answer.status).toBe(201);
  return answer.body.id as number;
}

const saved = async (id: number) => (await svc.service.store.getRecipient(id))?.headers;

/** The first `event: recipients` message of the live stream, as sent. */
async function firstStreamMessage(): Promise<string> {
  const abort = new AbortController();
  const response = await client.openStream(abort.signal);
  const reader = response.body!.getReader();
  let text = '';
  while (!/event: recipients\ndata: .*\n\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  abort.abort();
  return text;
}

describe("a recipient's extra headers on the admin pages", () => {
  it('are masked everywhere, and in full on the edit form only after Show', async () => {
    const id = await created();
    expectNoSecret((await client.get('/admin/recipients')).text, 'the list');
    expectNoSecret((await client.get(`/admin/recipients/${id}`)).text, "the recipient's page");
    expectNoSecret(await firstStreamMessage(), 'the live stream');

    const edit = await client.get(`/admin/recipients/${id}/edit`);
    expect(edit.status).toBe(200);
    expectNoSecret(edit.text, 'the edit form');
    expect(headersBox(edit.text)).toBe(MASKED_HEADERS);
    const show = /<a class="button" href="([^"]+)" data-show-headers>Show<\/a>/.exec(
      edit.text,
    )?.[1];
    expect(show).toBe(`/admin/recipients/${id}/edit?show=headers#headers`);

    const shown = await client.get(fromHtml(show!).replace(/#.*/, ''));
    expect(headersBox(shown.text)).toBe(
      `authorization: Bearer ${BEARER}\nx-api-key: ${API_KEY}\nx-team: ${TEAM}`,
    );
    expect(shown.text).not.toContain('data-show-headers');
    // Showing the headers leaves the URL masked: each field has its own Show.
    expect(shown.text).not.toContain(URL_TOKEN);
  });

  it('posted back masked keep their saved values; a header can be added or removed meanwhile', async () => {
    const id = await created();
    const before = await saved(id);
    await client.get(`/admin/recipients/${id}/edit`);
    // As a browser posts a textarea: CRLF line breaks.
    const untouched = await client.postMultipart(
      `/admin/recipients/${id}/edit`,
      formFields(MASKED_HEADERS.replaceAll('\n', '\r\n')),
    );
    expect(untouched.status, untouched.text).toBe(303);
    expect(await saved(id)).toEqual(before);
    expect((await svc.service.store.getRecipient(id))?.url).toBe(SECRET_URL);

    await client.get(`/admin/recipients/${id}/edit`);
    const edited = await client.postMultipart(
      `/admin/recipients/${id}/edit`,
      formFields('Authorization: •••\nx-team: •••\nX-Region: eu'),
    );
    expect(edited.status, edited.text).toBe(303);
    expect(await saved(id)).toEqual({
      authorization: `Bearer ${BEARER}`,
      'x-team': TEAM,
      'x-region': 'eu',
    });
  });

  it('refuses any other value that still holds the mask, naming the field; nothing is saved', async () => {
    const id = await created();
    const before = await saved(id);
    for (const headers of [
      'authorization: Bearer •••\nx-api-key: •••\nx-team: •••',
      'authorization: •••\nx-api-key: •••\nx-team: •••\nx-new: •••',
    ]) {
      await client.get(`/admin/recipients/${id}/edit`);
      const refused = await client.postMultipart(
        `/admin/recipients/${id}/edit`,
        formFields(headers),
      );
      expect(refused.status, headers).toBe(400);
      expect(refused.text).toMatch(
        /id="headers-error" role="alert">Extra headers: [a-z-]+: still holds a masked value \(•••\): press Show and type the full value/,
      );
      expectNoSecret(refused.text, 'the refused form');
      expect(await saved(id)).toEqual(before);
    }
    // A new recipient cannot be given a masked value either.
    await client.get('/admin/recipients/new');
    const copied = await client.postMultipart('/admin/recipients/new', [
      ...formFields('x-api-key: •••', 'http://127.0.0.1:9/copy').filter(([k]) => k !== 'name'),
      ['name', 'copy'],
    ]);
    expect(copied.status).toBe(400);
    expect(copied.text).toContain('Extra headers: x-api-key: still holds a masked value');
    expect(await svc.service.store.findRecipientByName('copy')).toBeUndefined();
  });

  it('after Show and a change, are saved as typed and masked again', async () => {
    const id = await created();
    await client.get(`/admin/recipients/${id}/edit?show=headers`);
    const typed = `authorization: Bearer ${BEARER}-2\nx-api-key: ${API_KEY}\nx-team: ${TEAM}`;
    const resaved = await client.postMultipart(`/admin/recipients/${id}/edit`, formFields(typed));
    expect(resaved.status, resaved.text).toBe(303);
    expect((await saved(id))?.authorization).toBe(`Bearer ${BEARER}-2`);
    const edit = await client.get(`/admin/recipients/${id}/edit`);
    expect(headersBox(edit.text)).toBe(MASKED_HEADERS);

    // A refused form shows what was typed again in full (it was typed), not masked anew.
    const wrong = await client.postMultipart(`/admin/recipients/${id}/edit`, [
      ...formFields(typed).filter(([k]) => k !== 'timeoutSeconds'),
      ['timeoutSeconds', 'soon'],
    ]);
    expect(wrong.status).toBe(400);
    expect(headersBox(wrong.text)).toBe(typed);
    // Refused with the headers posted masked: they stay masked.
    const wrongMasked = await client.postMultipart(`/admin/recipients/${id}/edit`, [
      ...formFields(MASKED_HEADERS).filter(([k]) => k !== 'timeoutSeconds'),
      ['timeoutSeconds', 'soon'],
    ]);
    expect(wrongMasked.status).toBe(400);
    expectNoSecret(wrongMasked.text, 'the refused form');
    expect(headersBox(wrongMasked.text)).toBe(MASKED_HEADERS);
  });
});

describe('Show on the edit form', () => {
  it('writes who revealed which secret of which recipient to the audit log, never the secret', async () => {
    const id = await created();
    const audited = async () =>
      (await svc.service.store.admin.listAudit(50)).filter((e) => e.action !== 'recipient.create');
    // Opening the form masked reveals nothing: not audited.
    await client.get(`/admin/recipients/${id}/edit`);
    expect(await audited()).toEqual([]);

    const at = Date.now();
    await client.get(`/admin/recipients/${id}/edit?show=headers`);
    await client.get(`/admin/recipients/${id}/edit?show=url`);
    const entries = (await audited()).reverse();
    expect(entries.map((e) => [e.actor, e.action, e.target, e.before, e.after])).toEqual([
      ['admin', 'recipient.show-secret', `recipient ${id} (crm)`, null, { field: 'headers' }],
      ['admin', 'recipient.show-secret', `recipient ${id} (crm)`, null, { field: 'url' }],
    ]);
    for (const e of entries) expect(e.at).toBeGreaterThanOrEqual(at - 1000);
    const text = JSON.stringify(entries);
    for (const secret of [...SECRETS, URL_TOKEN]) expect(text).not.toContain(secret);

    const page = await client.get('/admin/audit');
    expect(page.text).toContain('recipient.show-secret');
    expectNoSecret(page.text, 'the audit page');
  });

  it('is not audited when there is nothing masked to reveal', async () => {
    const plain = await svc.api('POST', '/api/v1/recipients', {
      name: 'plain',
      url: 'http://127.0.0.1:9/plain',
    });
    const id = plain.body.id as number;
    const edit = await client.get(`/admin/recipients/${id}/edit`);
    expect(edit.text).not.toContain('data-show-headers');
    await client.get(`/admin/recipients/${id}/edit?show=headers`);
    await client.get(`/admin/recipients/${id}/edit?show=url`);
    const entries = await svc.service.store.admin.listAudit(50);
    expect(entries.filter((e) => e.action === 'recipient.show-secret')).toEqual([]);
  });

  it('keeps header values out of the audit log of a change', async () => {
    const id = await created();
    await client.get(`/admin/recipients/${id}/edit?show=headers`);
    const changed = await client.postMultipart(
      `/admin/recipients/${id}/edit`,
      formFields(`authorization: Bearer ${BEARER}-2\nx-team: ${TEAM}`),
    );
    expect(changed.status, changed.text).toBe(303);
    const entries = await svc.service.store.admin.listAudit(50);
    const update = entries.find((e) => e.action === 'recipient.update');
    expect(update?.after).toMatchObject({ headers: { authorization: '•••', 'x-team': '•••' } });
    expect(JSON.stringify(entries)).not.toContain(TEAM);
    expectNoSecret((await client.get('/admin/audit')).text, 'the audit page');
  });
});
