/**
 * Management → API Configuration in a running service: an account made there works once, its
 * secret is shown on that answer only, every change is audited as the administrator, forms
 * need the session's CSRF token; and on the real service, legacy guesses and /login share one
 * count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, addUser, PASSWORD, signedIn } from '../admin/client.js';
import { startService, type TestService } from '../support/service.js';
import { basic, tokenRequest } from './harness.js';

let svc: TestService;

beforeAll(async () => {
  svc = await startService({ legacyApiAuth: true });
});
afterAll(() => svc?.stop());

const secretOf = (text: string) => /class="secret-once">([^<]+)</.exec(text)?.[1];
const clientIdOf = (text: string) => /Client id: <code>([0-9a-f]{32})</.exec(text)?.[1];

describe('Management → API Configuration', () => {
  it('creates an account whose secret is shown once and works; disable and remove revoke it', async () => {
    const admin = await signedIn(svc, 'root');
    const page = await admin.get('/admin/api-configuration');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Management → API Configuration');
    expect(page.text).toContain('id="custom-fields"');

    const created = await admin.post('/admin/api-configuration/accounts', {
      name: 'servicenow',
      reporting: 'on',
      command: 'full',
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const secret = secretOf(created.text) as string;
    const clientId = clientIdOf(created.text) as string;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Never again: the list shows the client id, not the secret.
    const again = await admin.get('/admin/api-configuration');
    expect(again.text).toContain(clientId);
    expect(again.text).not.toContain(secret);

    const token = await tokenRequest(svc.url, { authorization: basic(clientId, secret) });
    expect(token.status).toBe(200);
    const bearer = { authorization: `Bearer ${token.json.access_token}` };
    const call = () => fetch(`${svc.url}/api/command?action=get_api_info`, { headers: bearer });
    expect((await call()).status).toBe(200);

    const disabled = await admin.post('/admin/api-configuration/accounts/servicenow/disable');
    expect(disabled.status).toBe(303);
    expect((await call()).status).toBe(401);

    const audit = await svc.service.store.admin.listAudit(5);
    expect(audit[0]).toMatchObject({ actor: 'root', action: 'api-account.disable' });
    expect(audit[1]).toMatchObject({ actor: 'root', action: 'api-account.create' });
    expect(JSON.stringify(audit)).not.toContain(secret);

    expect((await admin.post('/admin/api-configuration/accounts/servicenow/remove')).status).toBe(
      303,
    );
    expect(await svc.service.store.apiAccounts.find('servicenow')).toBeUndefined();
  });

  it('refuses a bad name beside the form, and a POST without the CSRF token', async () => {
    const admin = await signedIn(svc, 'root');
    const bad = await admin.post('/admin/api-configuration/accounts', {
      name: 'has space',
      command: 'deny',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('role="alert"');
    const forged = await admin.post('/admin/api-configuration/accounts', {
      csrf: 'forged',
      name: 'evil',
      command: 'full',
    });
    expect(forged.status).toBe(403);
    expect(await svc.service.store.apiAccounts.find('evil')).toBeUndefined();
    const anonymous = await new AdminClient(svc.url).post('/admin/api-configuration/legacy', {
      enabled: 'on',
    });
    expect(anonymous.status).toBe(403);
  });

  it('grants legacy access, turns it on, and the API takes the password', async () => {
    const admin = await signedIn(svc, 'root');
    await addUser(svc, 'reporter');
    await admin.get('/admin/api-configuration');
    expect(
      (await admin.post('/admin/api-configuration/users/reporter/grants', { reporting_api: 'on' }))
        .status,
    ).toBe(303);
    const url = `${svc.url}/api/reporting.ns?username=reporter&password=${encodeURIComponent(PASSWORD)}&generate_report=SupportSession&lsid=c69a8e10bea9428f816cfababe9815fe`;
    const off = await fetch(url);
    expect(off.status).toBe(401);
    await admin.get('/admin/api-configuration');
    await admin.post('/admin/api-configuration/legacy', { enabled: 'on' });
    const page = await admin.get('/admin/api-configuration');
    expect(page.text).toContain('data-legacy-auth="on"');
    const on = await fetch(url);
    expect(on.status).toBe(200);
    expect(await on.text()).not.toContain('<error');
    const audit = await svc.service.store.admin.listAudit(2);
    expect(audit.map((e) => [e.actor, e.action])).toEqual([
      ['root', 'settings.legacy-api-auth'],
      ['root', 'user.api-grants'],
    ]);
  });

  it('legacy guesses through the API slow down /login as well (one count)', async () => {
    await addUser(svc, 'target');
    for (let i = 0; i < 3; i++) {
      const guess = await fetch(`${svc.url}/api/reporting`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `username=target&password=guess-${i}-xxxx&generate_report=SupportSession&lsid=1`,
      });
      expect(await guess.text()).toContain('<error>Login failed</error>');
    }
    const atLogin = await new AdminClient(svc.url).signIn('target');
    expect(atLogin.status).toBe(429);
  });

  it('adds and removes custom field definitions, audited', async () => {
    const admin = await signedIn(svc, 'root');
    await admin.get('/admin/api-configuration');
    const added = await admin.post('/admin/api-configuration/custom-fields', {
      code_name: 'ticket_queue',
      display_name: 'Ticket queue',
    });
    expect(added.status).toBe(303);
    const page = await admin.get('/admin/api-configuration');
    expect(page.text).toContain('data-custom-field="ticket_queue"');
    const bad = await admin.post('/admin/api-configuration/custom-fields', {
      code_name: 'Bad Name',
      display_name: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('code_name');
    await admin.get('/admin/api-configuration');
    const removed = await admin.post('/admin/api-configuration/custom-fields/ticket_queue/remove');
    expect(removed.status).toBe(303);
    expect((await admin.get('/admin/api-configuration')).text).not.toContain(
      'data-custom-field="ticket_queue"',
    );
    const audit = await svc.service.store.admin.listAudit(2);
    expect(audit.every((e) => e.actor === 'root')).toBe(true);
  });

  it('a multipart body is refused with an XML error', async () => {
    const form = new FormData();
    form.append('generate_report', 'SupportSession');
    const answer = await fetch(`${svc.url}/api/reporting`, { method: 'POST', body: form });
    expect(answer.headers.get('content-type')).toBe('text/xml; charset=UTF-8');
    expect(await answer.text()).toContain('<error');
    expect([401, 415]).toContain(answer.status);
  });
});
