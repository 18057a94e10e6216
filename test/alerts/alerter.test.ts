/**
 * Error alerts end to end: a real dispatcher on SQLite delivering to a loopback receiver that
 * fails, the Alerter watching its lane, and a real SMTP server receiving the mails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Alerter, Mailer, type MailSettings } from '../../src/alerts/index.js';
import { Dispatcher, HttpSender } from '../../src/delivery/index.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import type { RecipientInput } from '../../src/types.js';
import { BEGIN, newEvent, recipientInput } from '../store/fixtures.js';
import { TestReceiver } from '../support/receiver.js';
import { TestSmtpServer } from '../support/smtp.js';
import { sleep, waitUntil } from '../support/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(
  rule: { alertAfterMs: number; resendEveryMs: number },
  input: Partial<RecipientInput> = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-alerts-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const store = new SqliteStore(join(dir, 'outbound.db'));
  cleanups.push(() => store.close());
  await store.migrate();
  const receiver = await TestReceiver.start({ kind: 'status', status: 503 });
  cleanups.push(() => receiver.close());
  const smtp = await TestSmtpServer.start();
  cleanups.push(() => smtp.close());
  const settings: MailSettings = {
    host: '127.0.0.1',
    port: smtp.port,
    security: 'none',
    tlsVerify: true,
    username: null,
    password: null,
    from: 'outbound@example.com',
  };
  const mailer = new Mailer(2_000);
  cleanups.push(() => mailer.close());
  const errors: unknown[] = [];
  const alerter = new Alerter({
    mailer,
    settings: async () => settings,
    ruleFor: (r) => (r.name === 'quiet' ? undefined : { contacts: ['ops@example.com'], ...rule }),
    queued: async (id) => (await store.laneStats()).find((s) => s.recipientId === id)?.pending ?? 0,
    pageUrl: (id) => `http://127.0.0.1:8080/admin/recipients/${id}`,
    tickMs: 25,
    onError: (error) => errors.push(error),
  });
  alerter.start();
  cleanups.push(() => alerter.stop());
  const sender = new HttpSender();
  cleanups.push(() => sender.close());
  const dispatcher = new Dispatcher(store, sender, { observer: alerter, sweepIntervalMs: 100 });
  const recipient = await store.createRecipient(
    recipientInput({
      name: 'ticketing',
      url: receiver.url,
      retryIntervalMs: 20,
      retryMaxIntervalMs: 40,
      ...input,
    }),
    Date.now(),
  );
  await dispatcher.start();
  cleanups.push(() => dispatcher.stop(1_000));
  const send = async (count = 1) => {
    const accepted = await store.acceptEvents(
      Array.from({ length: count }, () => newEvent(BEGIN)),
      Date.now(),
    );
    dispatcher.wake(accepted.recipientIds);
  };
  return { store, receiver, smtp, send, recipient, errors };
}

describe('error alerts by email', () => {
  it('alert after the delay, resend while failing, one mail when it recovers', async () => {
    const { receiver, smtp, send, recipient, errors } = await setup({
      alertAfterMs: 200,
      resendEveryMs: 400,
    });
    const startedAt = Date.now();
    await send(3);
    await waitUntil(() => smtp.mails.length >= 1, 'the first alert', 5_000);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(200);
    const [first] = smtp.mails;
    expect(first).toMatchObject({
      to: ['ops@example.com'],
      subject: '[Outbound] ticketing is failing',
    });
    expect(first?.text).toContain('Last error: HTTP 503');
    expect(first?.text).toContain(`URL: ${receiver.url}`);
    expect(first?.text).toContain('Queued events: 3');
    expect(first?.text).toContain(`/admin/recipients/${recipient.id}`);

    await waitUntil(() => smtp.mails.length >= 2, 'the resent alert', 5_000);
    expect(smtp.mails[1]?.subject).toBe('[Outbound] ticketing is failing (still)');
    receiver.mode = { kind: 'ok' };
    await waitUntil(() => receiver.accepted.length === 3, 'the queue to drain', 5_000);
    await waitUntil(
      () => smtp.mails.some((m) => m.subject === '[Outbound] ticketing recovered'),
      'the recovery mail',
      5_000,
    );
    const count = smtp.mails.length;
    await sleep(500);
    // Healthy again: nothing more.
    expect(smtp.mails.length).toBe(count);
    expect(smtp.mails.filter((m) => m.subject.endsWith('recovered'))).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('no mail when the event gets through before "send email alert after"', async () => {
    const { receiver, smtp, send } = await setup({ alertAfterMs: 2_000, resendEveryMs: 0 });
    await send();
    await waitUntil(() => receiver.requests.length >= 3, 'a few failures', 5_000);
    receiver.mode = { kind: 'ok' };
    await waitUntil(() => receiver.accepted.length === 1, 'the delivery', 5_000);
    await sleep(300);
    expect(smtp.mails).toEqual([]);
  });

  it('a mail when an event is set aside as failed', async () => {
    const { smtp, send, errors } = await setup(
      { alertAfterMs: 60_000, resendEveryMs: 0 },
      { retryDurationMs: 100 },
    );
    await send();
    await waitUntil(() => smtp.mails.length >= 1, 'the set-aside mail', 5_000);
    expect(smtp.mails[0]?.subject).toBe('[Outbound] ticketing: an event was set aside as failed');
    expect(smtp.mails[0]?.text).toMatch(
      /The event evt_\w+ \(support_conference_begin, session \d+\)/,
    );
    expect(errors).toEqual([]);
  });
});
