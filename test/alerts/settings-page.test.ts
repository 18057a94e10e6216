/**
 * Settings → Email in the admin interface: validation next to the field, the password kept
 * and never shown, the relay's status, a test mail to a real SMTP server, and the audit log.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { signedIn } from '../admin/client.js';
import { startService, type TestService } from '../support/service.js';
import { TestSmtpServer } from '../support/smtp.js';

const PASSWORD = 'relay-s3cret-pw';
let svc: TestService | undefined;
let smtp: TestSmtpServer | undefined;
afterEach(async () => {
  await svc?.stop();
  await smtp?.close();
  svc = undefined;
  smtp = undefined;
});

const errorOf = (page: string, field: string) =>
  new RegExp(`data-field-name="${field}"[\\s\\S]*?class="error"[^>]*>([^<]*)<`).exec(page)?.[1];

describe('Settings → Email', () => {
  it('saves the relay, masks the password, shows the status and sends a test email', async () => {
    smtp = await TestSmtpServer.start({ user: 'outbound', pass: PASSWORD });
    svc = await startService();
    const client = await signedIn(svc);

    const empty = await client.get('/admin/settings');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('No SMTP relay configured');

    const relay = {
      host: '127.0.0.1',
      port: String(smtp.port),
      security: 'none',
      username: 'outbound',
      from: 'Outbound <outbound@example.com>',
    };
    const invalid = await client.post('/admin/settings/email', {
      ...relay,
      host: '',
      port: '70000',
      security: 'ssl',
      from: 'nobody',
      password: PASSWORD,
    });
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid.text, 'host')).toMatch(/^SMTP relay: a host name/);
    expect(errorOf(invalid.text, 'port')).toMatch(/^Port: a whole number/);
    expect(errorOf(invalid.text, 'security')).toMatch(/^Security: choose/);
    expect(errorOf(invalid.text, 'from')).toMatch(/^Sender address: an email address/);
    expect(invalid.text).not.toContain(PASSWORD);
    expect(await svc.service.store.settings.get('mail')).toBeUndefined();

    const saved = await client.post('/admin/settings/email', { ...relay, password: PASSWORD });
    expect(saved.status).toBe(303);
    const page = await client.get('/admin/settings');
    expect(page.text).toContain('SMTP relay status: OK');
    expect(page.text).toContain('A password is stored');
    expect(page.text).not.toContain(PASSWORD);

    // An empty password field keeps the stored password.
    await client.post('/admin/settings/email', { ...relay, password: '' });
    expect(await svc.service.store.settings.get('mail')).toMatchObject({
      host: '127.0.0.1',
      port: smtp.port,
      username: 'outbound',
      password: PASSWORD,
    });

    const badTo = await client.post('/admin/settings/email/test', { to: 'me' });
    expect(badTo.status).toBe(400);
    expect(errorOf(badTo.text, 'to')).toMatch(/an email address/);
    const sent = await client.post('/admin/settings/email/test', { to: 'ops@example.com' });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('A test email was sent to ops@example.com');
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({
      to: ['ops@example.com'],
      subject: '[Outbound] Test email',
    });

    const audit = await svc.service.store.admin.listAudit(10);
    expect(audit.map((e) => e.action)).toEqual(['settings.email.update', 'settings.email.update']);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
    expect(audit[1]?.after).toMatchObject({ passwordChanged: true });
    expect(audit[0]?.after).toMatchObject({ passwordChanged: false });
    const auditPage = await client.get('/admin/audit');
    expect(auditPage.text).not.toContain(PASSWORD);
  });

  it('shows what is wrong when the relay refuses, and a failed test email next to the field', async () => {
    smtp = await TestSmtpServer.start({ user: 'outbound', pass: PASSWORD });
    svc = await startService();
    const client = await signedIn(svc);
    await client.get('/admin/settings');
    await client.post('/admin/settings/email', {
      host: '127.0.0.1',
      port: String(smtp.port),
      security: 'none',
      username: 'outbound',
      password: 'wrong',
      from: 'outbound@example.com',
    });
    const page = await client.get('/admin/settings');
    expect(page.text).toMatch(/SMTP relay status: .*Invalid/);
    const failed = await client.post('/admin/settings/email/test', { to: 'ops@example.com' });
    expect(failed.status).toBe(502);
    expect(errorOf(failed.text, 'to')).toMatch(/^Not sent: .*Invalid/);
    expect(smtp.mails).toEqual([]);
  });
});
