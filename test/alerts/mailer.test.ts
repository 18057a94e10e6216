/** Mail through a real SMTP server on loopback (smtp-server). */
import { afterEach, describe, expect, it } from 'vitest';
import { eventMail, Mailer, type MailSettings } from '../../src/alerts/index.js';
import { encodeEvent, validateEvent } from '../../src/events/index.js';
import { freePort } from '../support/serve-process.js';
import { TestSmtpServer } from '../support/smtp.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function relay(auth?: { user: string; pass: string }) {
  const server = await TestSmtpServer.start(auth);
  cleanups.push(() => server.close());
  const settings: MailSettings = {
    host: '127.0.0.1',
    port: server.port,
    security: 'none',
    tlsVerify: true,
    username: auth?.user ?? null,
    password: auth?.pass ?? null,
    from: 'Outbound <outbound@example.com>',
  };
  return { server, settings };
}

function mailer(): Mailer {
  const m = new Mailer(2_000);
  cleanups.push(() => m.close());
  return m;
}

describe('Mailer', () => {
  it('sends through the relay with its credentials, and reports it OK', async () => {
    const { server, settings } = await relay({ user: 'alerts', pass: 's3cret' });
    const m = mailer();
    expect(await m.status(settings)).toEqual({ ok: true, message: 'OK' });
    await m.send(settings, {
      to: ['ops@example.com', 'oncall@example.com'],
      subject: 'Täst ✓',
      text: 'Hello, José Müller & 王小明\n',
    });
    expect(server.mails).toHaveLength(1);
    expect(server.mails[0]).toMatchObject({
      from: 'outbound@example.com',
      to: ['ops@example.com', 'oncall@example.com'],
      subject: 'Täst ✓',
    });
    expect(server.mails[0]?.text).toContain('Hello, José Müller & 王小明');
  });

  it('says what is wrong: bad credentials, nothing listening', async () => {
    const { settings } = await relay({ user: 'alerts', pass: 's3cret' });
    const m = mailer();
    const wrong = await m.status({ ...settings, password: 'nope' });
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toMatch(/Invalid username or password|auth/i);
    const closed = await m.status({ ...settings, port: await freePort() });
    expect(closed).toMatchObject({ ok: false });
    expect(closed.message).toMatch(/ECONNREFUSED|connect/i);
    await expect(
      m.send(
        { ...settings, port: await freePort() },
        { to: ['a@example.com'], subject: 's', text: 't' },
      ),
    ).rejects.toThrow();
  });

  it('sends nothing to nobody', async () => {
    const { server, settings } = await relay();
    await mailer().send(settings, { to: [], subject: 's', text: 't' });
    expect(server.mails).toHaveLength(0);
  });
});

describe('event mails', () => {
  it('carry the variables in readable form, the time in UTC, non-ASCII intact', async () => {
    const body = encodeEvent(
      validateEvent({
        event: 'support_conference_member_added',
        version: 1,
        timestamp: 1_700_000_000,
        lsid: 'abc123',
        external_key: 'TICKET-9',
        type: 'representative',
        display_name: 'José Müller & 王小明',
        user_id: '12',
        username: 'jose',
      }),
    );
    const mail = eventMail('support_conference_member_added', body, ['ops@example.com']);
    expect(mail.subject).toBe('Someone joined a support session (session abc123)');
    expect(mail.text).toBe(
      [
        'Someone joined a support session.',
        '',
        'Event: support_conference_member_added',
        'Schema version: 1',
        'Time: 2023-11-14 22:13:20 UTC (1700000000)',
        'Session id (lsid): abc123',
        'External key: TICKET-9',
        'Member type: representative',
        'Display name: José Müller & 王小明',
        'User id: 12',
        'Username: jose',
        '',
      ].join('\n'),
    );
    const { server, settings } = await relay();
    await mailer().send(settings, mail);
    expect(server.mails[0]?.text).toContain('Display name: José Müller & 王小明');
  });
});
