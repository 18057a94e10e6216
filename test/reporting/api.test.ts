/**
 * The Reporting API over a real service: GET, form POST, POST with the query string, both
 * paths; who may read; parameter errors naming the parameter; an empty result; and a
 * receiver that calls back on support_conference_end and finds end_time already there.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_LOG } from '../../src/audit/index.js';
import { createApiAccount, issueAccessToken } from '../../src/operations/api-accounts.js';
import { startService, type TestService } from '../support/service.js';
import { waitUntil } from '../support/wait.js';
import { schemaErrors, XSD_PATH } from './php.js';
import { NS } from './render.js';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const xmlError = (message: string) => `${DECL}<error xmlns="${NS}">${message}</error>\n`;

let svc: TestService;
let reader: string;
let noReporting: string;

async function tokenFor(name: string, reporting: boolean): Promise<string> {
  const ctx = { store: svc.service.store, clock: () => Date.now() };
  const { account, clientSecret } = await createApiAccount(
    ctx,
    { name, reporting, command: 'deny' },
    { actor: 'test', log: NO_LOG },
  );
  const issued = await issueAccessToken(ctx, account.clientId, clientSecret);
  if (issued === undefined) throw new Error('no access token issued');
  return issued.accessToken;
}

beforeEach(async () => {
  svc = await startService();
  reader = await tokenFor('siem', true);
  noReporting = await tokenFor('ticketing', false);
});

afterEach(async () => {
  await svc?.stop();
});

type Method = 'GET' | 'POST' | 'POST-query';

async function report(
  params: Record<string, string>,
  options: {
    token?: string;
    method?: Method;
    path?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const query = new URLSearchParams(params).toString();
  const path = options.path ?? '/api/reporting';
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.token ?? reader}`,
    ...options.headers,
  };
  const method = options.method ?? 'GET';
  const response =
    method === 'POST'
      ? await fetch(`${svc.url}${path}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: query,
        })
      : await fetch(`${svc.url}${path}?${query}`, {
          method: method === 'GET' ? 'GET' : 'POST',
          headers,
        });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: await response.text(),
  };
}

/** Calls the sessions API; fails the test unless it succeeded (`status`: exactly that). */
async function ok(status: number | 'ok', method: string, path: string, body?: unknown) {
  const res = await svc.api(method, `/api/v1${path}`, body);
  const what = `${method} ${path}: ${JSON.stringify(res.body).slice(0, 300)}`;
  if (status === 'ok') expect(res.status, what).toBeLessThan(300);
  else expect(res.status, what).toBe(status);
  return res.body;
}

/** A session with a rep, a customer, a chat line and a note, then ended. */
async function endedSession(): Promise<string> {
  const { lsid } = await ok(201, 'POST', '/sessions', { external_key: 'INC42' });
  const rep = await ok(201, 'POST', `/sessions/${lsid}/members`, {
    type: 'representative',
    display_name: 'Ann Lee',
    user_id: '12',
    username: 'ann',
  });
  const customer = await ok(201, 'POST', `/sessions/${lsid}/members`, {
    type: 'customer',
    display_name: 'Zoë',
  });
  await ok('ok', 'POST', `/sessions/${lsid}/chat`, {
    from: rep.memberId,
    to: customer.memberId,
    body: 'Hello <Zoë> & co',
  });
  await ok('ok', 'POST', `/sessions/${lsid}/notes`, { by: rep.memberId, body: 'bell \u0007' });
  await ok('ok', 'POST', `/sessions/${lsid}/end`);
  return lsid as string;
}

describe('Reporting API', () => {
  it('answers GET, form POST and POST with the query string on both paths, the same valid report', async () => {
    const lsid = await endedSession();
    const params = { generate_report: 'SupportSession', lsid };
    const answers = [];
    for (const path of ['/api/reporting', '/api/reporting.ns']) {
      for (const method of ['GET', 'POST', 'POST-query'] as const) {
        answers.push(await report(params, { method, path }));
      }
    }
    const first = answers[0] as (typeof answers)[number];
    expect(first.status).toBe(200);
    expect(first.type).toBe('text/xml; charset=UTF-8');
    for (const a of answers) expect(a).toEqual(first);
    const xml = first.body;
    expect(await schemaErrors(xml)).toEqual([]);
    expect(xml).toContain(`<session lsid="${lsid}">`);
    expect(xml).toContain('<external_key>INC42</external_key>');
    expect(xml).toMatch(/<end_time timestamp="\d+">[^<]+\+00:00<\/end_time>/);
    expect(xml).toContain('<primary_rep gsnumber="1" id="12">Ann Lee</primary_rep>');
    expect(xml).toContain('<primary_customer gsnumber="2">Zoë</primary_customer>');
    expect(xml).toContain('<body>Hello &lt;Zoë&gt; &amp; co</body>');
    expect(xml).toContain(
      `<encoded_body>${Buffer.from('bell \u0007').toString('base64')}</encoded_body>`,
    );
  });

  it('publishes its schema at /api/reporting.xsd, the same as src/reporting/reporting.xsd', async () => {
    const response = await fetch(`${svc.url}/api/reporting.xsd`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/xml; charset=UTF-8');
    expect(await response.text()).toBe(readFileSync(XSD_PATH, 'utf8'));
  });

  it('tolerates Connection: close', async () => {
    const lsid = await endedSession();
    const res = await report(
      { generate_report: 'SupportSessionListing', lsid },
      { headers: { connection: 'close' } },
    );
    expect(res.status).toBe(200);
    expect(res.body).toContain(`<session_summary lsid="${lsid}" has_recording="0">`);
  });

  it('refuses an account without the reporting permission, naming it', async () => {
    const lsid = await endedSession();
    const res = await report({ generate_report: 'SupportSession', lsid }, { token: noReporting });
    expect(res.status).toBe(403);
    expect(res.body).toMatch(
      /<error xmlns="[^"]+">Permission denied: API account &quot;ticketing&quot; is not allowed to use the Reporting API/,
    );
    expect(res.body).not.toContain(lsid);
  });

  it('answers a parameter problem with an <error> naming the parameter, HTTP 200', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'Missing required parameter: generate_report'],
      [{ generate_report: 'Nope' }, 'Invalid value for parameter generate_report: Nope'],
      [
        { generate_report: 'SupportTeam', start_time: '0', duration: '0' },
        'Report type not supported by this server: SupportTeam',
      ],
      [
        { generate_report: 'SupportSession' },
        'Missing required parameter: one of lsid, lsids, start_date, start_time, end_date, end_time',
      ],
      [
        { generate_report: 'SupportSession', lsid: 'xyz' },
        'Invalid value for parameter lsid: a session ID is 32 hex digits',
      ],
      [
        { generate_report: 'SupportSession', lsids: `${'a'.repeat(32)},nope` },
        'Invalid value for parameter lsids: a session ID is 32 hex digits',
      ],
      [
        { generate_report: 'SupportSession', lsids: Array(1001).fill('a'.repeat(32)).join(',') },
        'Invalid value for parameter lsids: more than 1000 session IDs',
      ],
      [
        { generate_report: 'SupportSession', start_time: '1700000000' },
        'Missing required parameter: duration',
      ],
      [
        { generate_report: 'SupportSession', start_time: '-5', duration: '0' },
        'Invalid value for parameter start_time: expected a Unix timestamp',
      ],
      [
        { generate_report: 'SupportSession', end_date: '2024-02-30', duration: '1' },
        'Invalid value for parameter end_date: expected YYYY-MM-DD',
      ],
      [
        { generate_report: 'SupportSession', start_date: '2024-02-03', duration: 'x' },
        'Invalid value for parameter duration: a whole number of days from 0 to 36525',
      ],
      [
        { generate_report: 'SupportSession', lsid: 'a'.repeat(32), end_time: '0', duration: '0' },
        'Parameters lsid and end_time cannot be used together',
      ],
      [
        { generate_report: 'SupportCustExitSurvey', lsid: 'a'.repeat(32), report_type: 'site' },
        'Invalid value for parameter report_type: site',
      ],
    ];
    for (const [params, message] of cases) {
      // Form POST: a thousand lsids do not fit in a URL.
      const res = await report(params, { method: 'POST' });
      const label = JSON.stringify(params).slice(0, 120);
      expect(res.status, label).toBe(200);
      expect(res.body, label).toBe(xmlError(message));
      expect(await schemaErrors(res.body)).toEqual([]);
    }
  });

  it('answers no matching session with an empty list, HTTP 200', async () => {
    await endedSession();
    const res = await report({
      generate_report: 'SupportSession',
      end_time: String(Math.floor(Date.now() / 1000) + 3600),
      duration: '0',
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe(`${DECL}<session_list xmlns="${NS}">\n</session_list>\n`);
  });
});

describe('a receiver that calls back on support_conference_end', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('finds the session ended in its report, with end_time, without waiting', async () => {
    const seen: { event: string; report?: string }[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', async () => {
        const form = new URLSearchParams(body);
        const event = form.get('event') ?? '';
        const entry: { event: string; report?: string } = { event };
        if (event === 'support_conference_end') {
          // Fetched before answering the event: the appliance's integrations do the same.
          const r = await report({
            generate_report: 'SupportSession',
            lsid: form.get('lsid') ?? '',
          });
          entry.report = r.body;
        }
        seen.push(entry);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await ok(201, 'POST', '/recipients', {
      name: 'servicenow',
      url: `http://127.0.0.1:${port}/hook`,
      events: ['support_conference_end'],
    });
    const lsid = await endedSession();
    await waitUntil(() => seen.length >= 1, 'the end event at the receiver');
    const xml = seen[0]?.report ?? '';
    expect(xml).toContain(`<session lsid="${lsid}">`);
    expect(xml).toMatch(/<end_time timestamp="\d+">/);
    expect(xml).toContain('event_type="Session End"');
  });
});
