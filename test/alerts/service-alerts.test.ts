/**
 * Error alerts from a real service: a recipient whose receiver fails gets its Email Contact
 * mailed after "Send Email Alert After", again after "Resend Email Alerts", once more when it
 * recovers, and when an event is set aside; all received by a real SMTP server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ReceivedRequest } from '../support/receiver.js';
import { TestReceiver } from '../support/receiver.js';
import { startService, type TestService } from '../support/service.js';
import { TestSmtpServer } from '../support/smtp.js';
import { sleep, waitUntil } from '../support/wait.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(): Promise<{
  svc: TestService;
  smtp: TestSmtpServer;
  receiver: TestReceiver;
}> {
  const smtp = await TestSmtpServer.start();
  cleanups.push(() => smtp.close());
  const receiver = await TestReceiver.start({ kind: 'ok' });
  cleanups.push(() => receiver.close());
  const svc = await startService({ publicUrl: 'https://outbound.example.com' });
  cleanups.push(() => svc.stop());
  await svc.service.mail.save(
    {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      tlsVerify: true,
      username: null,
      password: null,
      from: 'Outbound <outbound@example.com>',
    },
    Date.now(),
  );
  return { svc, smtp, receiver };
}

const event = (lsid: string) => ({ event: 'support_conference_begin', lsid });

describe('error alerts from the service', () => {
  it('alerts after the delay, resends, mails the recovery and the set-aside event', async () => {
    const { svc, smtp, receiver } = await setup();
    const created = await svc.api('POST', '/api/v1/recipients', {
      name: 'crm',
      url: receiver.url,
      retryIntervalSeconds: 0.1,
      retryMaxIntervalSeconds: 0.1,
      alertContacts: ['ops@example.com', 'dev@example.com'],
      alertAfterSeconds: 0.6,
      resendAlertsSeconds: 1,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const subjects = () => smtp.mails.map((m) => m.subject);

    // A failure that clears up before the delay sends nothing.
    let failedOnce = false;
    receiver.modeFor = (_request: ReceivedRequest) => {
      if (failedOnce) return undefined;
      failedOnce = true;
      return { kind: 'status', status: 503 };
    };
    await svc.api('POST', '/api/v1/events', event('1'));
    await waitUntil(() => receiver.accepted.length === 1, 'the first event delivered');
    await sleep(800);
    expect(smtp.mails).toEqual([]);
    receiver.modeFor = undefined;

    // A lasting failure: the first alert after the delay, then one a second.
    receiver.mode = { kind: 'status', status: 503 };
    const failingFrom = Date.now();
    await svc.api('POST', '/api/v1/events', event('2'));
    await svc.api('POST', '/api/v1/events', event('3'));
    await waitUntil(() => smtp.mails.length >= 1, 'the first alert');
    const [first] = smtp.mails;
    expect(Date.now() - failingFrom).toBeGreaterThanOrEqual(600);
    expect(first).toMatchObject({
      to: ['ops@example.com', 'dev@example.com'],
      subject: '[Outbound] crm is failing',
    });
    expect(first?.text).toContain('Last error: ');
    expect(first?.text).toContain('Queued events: 2');
    expect(first?.text).toContain(`Details: https://outbound.example.com/admin/recipients/${id}`);
    await waitUntil(() => smtp.mails.length >= 2, 'the resent alert', 5_000);
    expect(subjects()[1]).toBe('[Outbound] crm is failing (still)');

    // It recovers: one more mail, and the queue drains in order.
    receiver.mode = { kind: 'ok' };
    await waitUntil(() => subjects().includes('[Outbound] crm recovered'), 'the recovery mail');
    await waitUntil(() => receiver.accepted.length === 3, 'the queue drained');
    const recovered = smtp.mails.find((m) => m.subject === '[Outbound] crm recovered');
    expect(recovered?.text).toContain('accepts events again');

    // A retry duration: the head is set aside, and that is mailed too.
    const before = smtp.mails.length;
    await svc.api('PATCH', `/api/v1/recipients/${id}`, {
      retryDurationSeconds: 0.8,
      resendAlertsSeconds: 0,
    });
    await sleep(1_200); // the lane picks up the change within a sweep
    receiver.mode = { kind: 'status', status: 500 };
    await svc.api('POST', '/api/v1/events', event('4'));
    const setAside = await waitUntil(
      () =>
        smtp.mails.find((m) => m.subject === '[Outbound] crm: an event was set aside as failed'),
      'the set-aside mail',
    );
    expect(setAside?.text).toContain('session 4');
    expect(setAside?.text).toContain('can be replayed');
    expect(smtp.mails.slice(before).map((m) => m.subject)).toContain('[Outbound] crm is failing');
  }, 30_000);

  it('sends nothing for a recipient without an Email Contact', async () => {
    const { svc, smtp, receiver } = await setup();
    receiver.mode = { kind: 'status', status: 503 };
    await svc.api('POST', '/api/v1/recipients', {
      name: 'quiet',
      url: receiver.url,
      retryIntervalSeconds: 0.1,
      retryMaxIntervalSeconds: 0.1,
      alertAfterSeconds: 0,
    });
    await svc.api('POST', '/api/v1/events', event('1'));
    await waitUntil(() => receiver.requests.length >= 5, 'several failed attempts');
    await sleep(300);
    expect(smtp.mails).toEqual([]);
  });
});
