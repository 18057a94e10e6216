import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupLinkIfNoAdmin } from '../../src/admin/index.js';
import { TestReceiver } from '../support/receiver.js';
import { startService, type TestService } from '../support/service.js';
import { waitUntil } from '../support/wait.js';
import { AdminClient, addUser, PASSWORD, passwordFields, signedIn } from './client.js';

let svc: TestService;

beforeEach(async () => {
  svc = await startService();
});

afterEach(async () => {
  await svc.stop();
});

describe('admin interface: access', () => {
  it('sends every page without a session to /login, refuses the stream and POSTs', async () => {
    const client = new AdminClient(svc.url);
    for (const path of [
      '/admin/recipients',
      '/admin/recipients/1',
      '/admin/tokens',
      '/admin/users',
      '/admin/audit',
      '/admin',
    ]) {
      const answer = await client.get(path);
      expect(answer.status, path).toBe(303);
      expect(answer.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    expect((await client.get('/')).location).toBe('/admin/recipients');
    expect((await client.get('/admin/recipients/stream')).status).toBe(401);
    expect((await client.post('/admin/tokens', { name: 'x', csrf: 'guess' })).status).toBe(403);
    expect(await svc.service.store.listTokens()).toHaveLength(1);
    // What is public: the sign-in page and the assets.
    expect((await client.get('/login')).status).toBe(200);
    const css = await client.get('/admin/assets/admin.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect((await client.get('/admin/assets/admin.js')).headers.get('content-type')).toMatch(
      /javascript/,
    );
  });

  it('sends the security headers with every page', async () => {
    const answer = await new AdminClient(svc.url).get('/login');
    const csp = answer.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('referrer-policy')).toBe('same-origin');
    expect(answer.text).not.toMatch(/<script>|style=|\son\w+="/);
  });

  it('signs in with the right password only, into an HttpOnly SameSite session cookie', async () => {
    await addUser(svc, 'alice');
    const client = new AdminClient(svc.url);
    const wrong = await client.signIn('alice', 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Wrong user name or password.');
    expect(client.cookies.has('outbound_session')).toBe(false);
    const unknown = await client.signIn('nobody', PASSWORD);
    expect(unknown.status).toBe(401);
    expect(unknown.text).toContain('Wrong user name or password.');

    const ok = await client.signIn('alice');
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/admin/recipients');
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('outbound_session='));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP here
    const page = await client.get('/admin/recipients');
    expect(page.status).toBe(200);
    expect(page.text).toContain('HTTP recipients');
    // Only the token's hash is stored.
    const token = client.cookies.get('outbound_session')!;
    expect(await svc.service.store.admin.findSession(token, Date.now())).toBeUndefined();

    // A program may post just username and password (no browser, no Origin header).
    const program = await fetch(`${svc.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'alice', password: PASSWORD }),
    });
    expect(program.status).toBe(303);
  });

  it('refuses a sign-in form posted from another site', async () => {
    await addUser(svc, 'alice');
    const client = new AdminClient(svc.url);
    const answer = await client.post(
      '/login',
      { username: 'alice', password: PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('CSRF');
    expect(client.cookies.has('outbound_session')).toBe(false);
  });

  it('slows down wrong passwords with a clear message, without locking the user', async () => {
    await addUser(svc, 'alice');
    const client = new AdminClient(svc.url);
    for (let i = 1; i <= 3; i++)
      expect((await client.signIn('alice', `wrong ${i}`)).status).toBe(401);
    const slowed = await client.signIn('alice', 'wrong 4');
    expect(slowed.status).toBe(429);
    expect(slowed.text).toMatch(/Too many failed sign-ins: try again in \d+ s\./);
    expect(slowed.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(client.cookies.has('outbound_session')).toBe(false);
    expect((await svc.service.store.admin.findUser('alice'))?.lockedUntil).toBeNull();
  });

  it('returns to the page asked for after sign-in, never to another site', async () => {
    await addUser(svc, 'alice');
    const client = new AdminClient(svc.url);
    const redirected = await client.get('/admin/tokens');
    const login = await client.get(redirected.location!);
    expect(login.text).toContain('action="/login?next=%2Fadmin%2Ftokens"');
    const answer = await client.post('/login?next=%2Fadmin%2Ftokens', {
      username: 'alice',
      password: PASSWORD,
    });
    expect(answer.location).toBe('/admin/tokens');
    const away = await new AdminClient(svc.url).signIn('alice', PASSWORD, 'https://evil.example/');
    expect(away.location).toBe('/admin/recipients');
  });

  it('slows down an address that tries many names', async () => {
    const client = new AdminClient(svc.url);
    for (let i = 0; i < 10; i++) expect((await client.signIn(`user${i}`, 'x')).status).toBe(401);
    const limited = await client.signIn('user10', 'x');
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Too many failed sign-ins');
  });

  it('refuses every POST without the session CSRF token (403), and changes nothing', async () => {
    const client = await signedIn(svc);
    const receiver = await TestReceiver.start();
    try {
      const none = await client.post('/admin/recipients/new', {
        csrf: '',
        name: 'x',
        url: receiver.url,
      });
      expect(none.status).toBe(403);
      expect(none.text).toContain('CSRF token missing or wrong');
      const missing = await client.request(
        'POST',
        '/admin/tokens',
        new URLSearchParams({ name: 'sneaky' }),
      );
      expect(missing.status).toBe(403);
      const other = await signedIn(svc, 'bob');
      const foreign = await client.post('/admin/tokens', { name: 'sneaky', csrf: other.csrf! });
      expect(foreign.status).toBe(403);
      expect(await svc.service.store.listRecipients()).toEqual([]);
      expect((await svc.service.store.listTokens()).map((t) => t.name)).toEqual(['test']);
      // Sign-out needs it too.
      expect((await client.post('/logout', { csrf: 'x' })).status).toBe(403);
      expect((await client.get('/admin/recipients')).status).toBe(200);
      const out = await client.post('/logout');
      expect(out.location).toBe('/login?signedOut=1');
      expect((await client.get('/admin/recipients')).status).toBe(303);
    } finally {
      await receiver.close();
    }
  });

  it('creates the first administrator once through the setup link', async () => {
    const link = await setupLinkIfNoAdmin(svc.service.store, svc.url);
    expect(link).toMatch(/\/setup\?token=[\w-]{43}$/);
    const path = link!.slice(svc.url.length);
    const token = new URL(link!).searchParams.get('token')!;
    const client = new AdminClient(svc.url);
    expect((await client.get(path)).status).toBe(200);
    const bad = await client.post('/setup', { token, ...passwordFields('root', 'short') });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('password must be at least 10 characters');
    const ok = await client.post('/setup', { token, ...passwordFields('root') });
    expect(ok.status).toBe(303);
    expect((await client.get('/admin/recipients')).status).toBe(200);
    // Used: the link no longer works, and no new one is made while an administrator exists.
    const again = new AdminClient(svc.url);
    expect((await again.get(path)).status).toBe(404);
    expect((await again.post('/setup', { token, ...passwordFields('x') })).status).toBe(404);
    expect(await setupLinkIfNoAdmin(svc.service.store, svc.url)).toBeUndefined();
    expect((await svc.service.store.admin.listUsers()).map((u) => u.name)).toEqual(['root']);
  });
});

describe('admin interface: changes', () => {
  it('adds a recipient with validation errors next to the fields, and audits the change', async () => {
    const client = await signedIn(svc);
    await client.get('/admin/recipients/new');
    const invalid = await client.postMultipart('/admin/recipients/new', [
      ['name', ''],
      ['url', 'ftp://x'],
      ['retryIntervalSeconds', '-1'],
      ['retryDurationSeconds', '0'],
      ['timeoutSeconds', '10'],
      ['secret', 'not-a-secret'],
    ]);
    expect(invalid.status).toBe(400);
    const errorOf = (field: string) =>
      new RegExp(`data-field-name="${field}"[\\s\\S]*?class="error"[^>]*>([^<]*)<`).exec(
        invalid.text,
      )?.[1];
    expect(errorOf('name')).toBe('Name must be a non-empty string');
    expect(errorOf('url')).toBe('URL must be an absolute http:// or https:// URL');
    expect(errorOf('retryIntervalSeconds')).toMatch(/^Retry Interval must be a number of seconds/);
    expect(errorOf('events')).toBe('Events to Send: choose at least one event type');
    expect(errorOf('secret')).toMatch(/^Signing secret must be a Standard Webhooks secret/);
    expect(await svc.service.store.listRecipients()).toEqual([]);

    const created = await client.postMultipart('/admin/recipients/new', [
      ['enabled', 'on'],
      ['tlsVerify', 'on'],
      ['name', 'crm <b>'],
      ['url', 'http://127.0.0.1:9/hook?outbound_event_token=s3cret'],
      ['events', 'support_conference_begin'],
      ['events', 'support_conference_end'],
      ['retryIntervalSeconds', '2'],
      ['retryDurationSeconds', '0'],
      ['timeoutSeconds', '5'],
      ['headers', 'X-Api-Key: k1\nX-Team: blue'],
      ['secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ]);
    expect(created.status).toBe(303);
    const [recipient] = await svc.service.store.listRecipients();
    expect(recipient).toMatchObject({
      name: 'crm <b>',
      events: ['support_conference_begin', 'support_conference_end'],
      retryIntervalMs: 2000,
      timeoutMs: 5000,
      headers: { 'x-api-key': 'k1', 'x-team': 'blue' },
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    const page = await client.get(created.location!);
    expect(page.text).toContain('crm &lt;b&gt;');
    expect(page.text).not.toContain('crm <b>');
    const edit = await client.get(`/admin/recipients/${recipient!.id}/edit`);
    expect(edit.text).toContain('whsec_…LaSw');
    expect(edit.text).not.toContain('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');

    const [entry] = await svc.service.store.admin.listAudit(10);
    expect(entry).toMatchObject({ actor: 'admin', action: 'recipient.create', before: null });
    const after = entry!.after as Record<string, any>;
    expect(after.secret).toBe('whsec_…LaSw');
    expect(after.headers).toEqual({ 'x-api-key': '•••', 'x-team': '•••' });
    expect(after.url).toBe('http://127.0.0.1:9/hook?outbound_event_token=•••');
    const auditPage = await client.get('/admin/audit');
    expect(auditPage.text).toContain('recipient.create');
    expect(auditPage.text).not.toContain('MfKQ9r8');
  });

  it('edits a recipient, keeping the secret when the field is left empty', async () => {
    const client = await signedIn(svc);
    const created = await svc.api('POST', '/api/v1/recipients', {
      name: 'crm',
      url: 'http://127.0.0.1:9/hook',
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    const id = created.body.id as number;
    await client.get(`/admin/recipients/${id}/edit`);
    const taken = await svc.api('POST', '/api/v1/recipients', {
      name: 'other',
      url: 'http://127.0.0.1:9/',
    });
    expect(taken.status).toBe(201);
    const fields = {
      enabled: 'on',
      tlsVerify: 'on',
      url: 'http://127.0.0.1:9/changed',
      events: 'support_conference_end',
      retryIntervalSeconds: '700',
      retryDurationSeconds: '3600',
      timeoutSeconds: '3',
      headers: '',
      secret: '',
    };
    const clash = await client.post(`/admin/recipients/${id}/edit`, { ...fields, name: 'other' });
    expect(clash.status).toBe(409);
    expect(clash.text).toContain('a recipient named &quot;other&quot; already exists');
    const saved = await client.post(`/admin/recipients/${id}/edit`, { ...fields, name: 'crm2' });
    expect(saved.status).toBe(303);
    const updated = await svc.service.store.getRecipient(id);
    expect(updated).toMatchObject({
      name: 'crm2',
      url: 'http://127.0.0.1:9/changed',
      events: ['support_conference_end'],
      retryIntervalMs: 700_000,
      retryMaxIntervalMs: 700_000,
      retryDurationMs: 3_600_000,
      timeoutMs: 3000,
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    const [entry] = await svc.service.store.admin.listAudit(1);
    expect(entry).toMatchObject({ action: 'recipient.update', target: `recipient ${id} (crm2)` });
    expect((entry!.before as any).name).toBe('crm');
    expect((entry!.after as any).name).toBe('crm2');
    // The page shows what changed; the log keeps the whole before and after.
    expect((entry!.after as any).tlsVerify).toBe(true);
    const row =
      /<tr><td[^>]*>(?:<time[^>]*>[^<]*<\/time>|[^<]*)<\/td><td[^>]*>admin<\/td><td[^>]*>recipient\.update<\/td>[\s\S]*?<\/tr>/.exec(
        (await client.get('/admin/audit')).text,
      )?.[0];
    expect(row).toContain('&quot;name&quot;: &quot;crm2&quot;');
    expect(row).not.toContain('tlsVerify');
  });

  it('creates an API token shown once, and revokes it at once', async () => {
    const client = await signedIn(svc);
    await client.get('/admin/tokens');
    const created = await client.post('/admin/tokens', { name: 'helpdesk' });
    expect(created.status).toBe(200);
    const token = /data-new-token>([^<]+)</.exec(created.text)?.[1];
    expect(token).toMatch(/^obt_/);
    const call = () =>
      fetch(`${svc.url}/api/v1/recipients`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call()).status).toBe(200);
    const list = await client.get('/admin/tokens');
    expect(list.text).not.toContain(token!);
    const id = (await svc.service.store.listTokens()).find((t) => t.name === 'helpdesk')!.id;
    const revoked = await client.post(`/admin/tokens/${id}/revoke`);
    expect(revoked.status).toBe(303);
    expect((await call()).status).toBe(401);
    const actions = (await svc.service.store.admin.listAudit(10)).map((e) => e.action);
    expect(actions).toEqual(['token.revoke', 'token.create']);
  });

  it('adds and removes administrators, never the last one, and audits both', async () => {
    const client = await signedIn(svc);
    await client.get('/admin/users');
    const weak = await client.post('/admin/users', passwordFields('bob', 'short'));
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('password must be at least 10 characters');
    const taken = await client.post('/admin/users', passwordFields('admin'));
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('a user named &quot;admin&quot; already exists');
    const added = await client.post('/admin/users', passwordFields('bob'));
    expect(added.location).toBe('/admin/users?notice=added');
    expect((await new AdminClient(svc.url).signIn('bob')).status).toBe(303);
    expect((await client.post('/admin/users/bob/remove')).location).toBe(
      '/admin/users?notice=removed',
    );
    expect(await svc.service.store.admin.findUser('bob')).toBeUndefined();
    const last = await client.post('/admin/users/admin/remove');
    expect(last.status).toBe(409);
    expect(last.text).toContain('the last administrator cannot be removed');
    const audit = await svc.service.store.admin.listAudit(10);
    expect(audit.map((e) => [e.action, e.target])).toEqual([
      ['user.remove', 'user bob'],
      ['user.add', 'user bob'],
    ]);
  });

  it('streams the recipients status to a signed-in page as server-sent events', async () => {
    const client = await signedIn(svc);
    await svc.api('POST', '/api/v1/recipients', { name: 'crm', url: 'http://127.0.0.1:9/hook' });
    const controller = new AbortController();
    const response = await client.openStream(controller.signal);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    await waitUntil(async () => {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
      return text.includes('event: recipients');
    }, 'the first event');
    const data = JSON.parse(/data: (.*)\n/.exec(text)![1]!);
    expect(data).toEqual([
      expect.objectContaining({ name: 'crm', disabled: 'No', status: 'OK', queued: 0 }),
    ]);
    controller.abort();
    await waitUntil(() => svc.service.app.server.listening, 'still serving');
  });

  it('ends the stream of a page whose session was signed out', async () => {
    const client = await signedIn(svc);
    const response = await client.openStream();
    const reader = response.body!.getReader();
    await reader.read();
    expect((await client.post('/logout')).status).toBe(303);
    const started = Date.now();
    while (!(await reader.read()).done) {}
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('lets the service stop while a page still listens to the stream', async () => {
    const client = await signedIn(svc);
    const response = await client.openStream();
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    const started = Date.now();
    await svc.service.stop();
    expect(Date.now() - started).toBeLessThan(2000);
    // The stream ends with the service.
    while (!(await reader.read()).done) {}
  });
});
