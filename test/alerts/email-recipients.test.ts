/**
 * Outbound Events → Email recipients end to end: added in the admin interface, sent the
 * events they chose as readable mails through a real SMTP server, in order, with SMTP
 * failures retried like HTTP ones.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { emailRecipientInput } from '../../src/alerts/email-recipient.js';
import type { MailSettings } from '../../src/alerts/index.js';
import { signedIn } from '../admin/client.js';
import { recipientInput } from '../store/fixtures.js';
import { startService, type TestService } from '../support/service.js';
import { TestSmtpServer } from '../support/smtp.js';
import { waitUntil } from '../support/wait.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const errorOf = (page: string, field: string) =>
  new RegExp(`data-field-name="${field}"[\\s\\S]*?class="error"[^>]*>([^<]*)<`).exec(page)?.[1];

const END = 'support_conference_end';
const CUSTOMER_SURVEY = 'support_conference_customer_exit_survey_completed';

describe('email recipients', () => {
  it('mails the chosen events in order, retrying while the relay refuses', async () => {
    const smtp = await TestSmtpServer.start({ user: 'outbound', pass: 'right' });
    cleanups.push(() => smtp.close());
    const svc: TestService = await startService();
    cleanups.push(() => svc.stop());
    const relay: MailSettings = {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      tlsVerify: true,
      username: 'outbound',
      password: 'wrong',
      from: 'outbound@example.com',
    };
    await svc.service.mail.save(relay, Date.now());
    const client = await signedIn(svc);

    const page = await client.get('/admin/email-recipients');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/SMTP relay status: .*Invalid/);

    const invalid = await client.post('/admin/email-recipients', { address: 'reports' });
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid.text, 'address')).toMatch(/^Email address: e\.g\./);
    expect(errorOf(invalid.text, 'events')).toMatch(/^Events to Send: choose at least one/);
    const added = await client.post('/admin/email-recipients', {
      address: 'reports@example.com',
      events: [END, CUSTOMER_SURVEY],
    });
    expect(added.status).toBe(303);
    const [recipient] = await svc.service.store.listRecipients();
    expect(recipient).toMatchObject({
      kind: 'email',
      url: 'mailto:reports@example.com',
      events: [END, CUSTOMER_SURVEY],
    });
    const id = recipient?.id as number;
    // Quick retries for the test (the API changes an email recipient's timing like any other).
    await svc.api('PATCH', `/api/v1/recipients/${id}`, {
      retryIntervalSeconds: 0.1,
      retryMaxIntervalSeconds: 0.1,
    });
    expect((await client.get('/admin/recipients')).text).not.toContain('reports@example.com');
    // Its own page links to where it is managed; the HTTP form is not for it.
    const own = await client.get(`/admin/recipients/${id}`);
    expect(own.text).toContain('href="/admin/email-recipients"');
    expect(own.text).not.toContain(`/admin/recipients/${id}/edit`);
    const form = await client.get(`/admin/recipients/${id}/edit`);
    expect(form.status).toBe(303);
    const moved = await svc.api('PATCH', `/api/v1/recipients/${id}`, { url: 'http://x/' });
    expect(moved).toMatchObject({ status: 400, body: { field: 'url' } });
    expect((await svc.api('GET', `/api/v1/recipients/${id}`)).body).toMatchObject({
      kind: 'email',
      url: 'mailto:reports@example.com',
    });

    for (const [event, lsid] of [
      ['support_conference_begin', '1'],
      [END, '1'],
      [CUSTOMER_SURVEY, '1'],
      [END, '2'],
    ] as const) {
      expect((await svc.api('POST', '/api/v1/events', { event, lsid })).status).toBe(202);
    }
    // The relay refuses the sign-in: failed attempts, shown on the page, nothing lost.
    await waitUntil(async () => {
      const attempts = await svc.service.store.listDeliveries(id, { limit: 10 });
      return attempts.some((d) => d.attempts >= 2);
    }, 'failed attempts');
    const failing = await client.get('/admin/email-recipients');
    expect(failing.text).toMatch(/<td[^>]*>reports@example.com<\/td>[\s\S]*Invalid/);
    expect(smtp.mails).toEqual([]);

    await svc.service.mail.save({ ...relay, password: 'right' }, Date.now());
    await waitUntil(() => smtp.mails.length === 3, 'three mails');
    expect(smtp.mails.map((m) => [m.to, m.subject])).toEqual([
      [['reports@example.com'], 'Support session ended (session 1)'],
      [['reports@example.com'], 'Customer exit survey completed (session 1)'],
      [['reports@example.com'], 'Support session ended (session 2)'],
    ]);
    expect(smtp.mails[0]?.text).toContain('Session id (lsid): 1');
    // The relay has the mail a moment before the lane records it.
    await waitUntil(async () => {
      const deliveries = await svc.service.store.listDeliveries(id, { limit: 10 });
      return deliveries.length === 3 && deliveries.every((d) => d.state === 'delivered');
    }, 'three deliveries recorded');

    const removed = await client.post(`/admin/email-recipients/${id}/delete`);
    expect(removed.status).toBe(303);
    expect(await svc.service.store.listRecipients()).toEqual([]);
    const audit = await svc.service.store.admin.listAudit(10);
    // The PATCH through the API above is audited too, under the token's name.
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['email-recipient.delete', 'admin'],
      ['recipient.update', 'api:test'],
      ['email-recipient.create', 'admin'],
    ]);
  }, 30_000);

  it('takes at most 10 addresses, each once, and only the events mail offers', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({
      ...recipientInput({ kind: 'email', url: `mailto:a${i}@example.com` }),
      id: i + 1,
      createdAt: 0,
      updatedAt: 0,
    }));
    expect(emailRecipientInput('b@example.com', [END], ten)).toEqual({
      ok: false,
      errors: { address: expect.stringMatching(/at most 10 email recipients/) },
    });
    expect(emailRecipientInput('A0@example.com', [END], ten.slice(0, 3))).toMatchObject({
      ok: false,
      errors: { address: expect.stringMatching(/already an email recipient/) },
    });
    expect(emailRecipientInput('b@example.com', ['support_conference_begin'], [])).toMatchObject({
      ok: false,
      errors: { events: expect.any(String) },
    });
    expect(emailRecipientInput('b@example.com', [END], [])).toMatchObject({
      ok: true,
      value: { kind: 'email', name: 'email: b@example.com', events: [END] },
    });
  });
});
