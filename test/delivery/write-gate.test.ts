/**
 * The write gate: a sender asks it at the last moment before a request (or a mail) leaves,
 * and writes nothing when it says no. For HTTP that moment is undici's onRequestStart, which
 * undici calls synchronously right before it writes the request to the socket: after the
 * connection is made, after any wait in the sender. Real receivers on 127.0.0.1.
 */
import { channel } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MailRelay } from '../../src/alerts/mail-relay.js';
import { MailSender } from '../../src/alerts/mail-sender.js';
import { Mailer } from '../../src/alerts/mailer.js';
import { HttpSender } from '../../src/delivery/http-sender.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { newEvent } from '../store/fixtures.js';
import { TestReceiver } from '../support/receiver.js';
import { storedRecipient } from '../support/recipient.js';
import { TestSmtpServer } from '../support/smtp.js';
import { sleep } from '../support/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function receiver(): Promise<TestReceiver> {
  const r = await TestReceiver.start();
  cleanups.push(() => r.close());
  return r;
}

function sender(): HttpSender {
  const s = new HttpSender();
  cleanups.push(() => s.close());
  return s;
}

const event = newEvent();
const delivery = { eventUid: event.uid, body: event.body };

describe('HttpSender with a write gate', () => {
  it('writes nothing when the gate says no, and says LANE_LOST', async () => {
    const r = await receiver();
    const result = await sender().send(storedRecipient({ url: r.url }), delivery, () => false);
    expect(result).toMatchObject({ ok: false, status: null, errorCode: 'LANE_LOST' });
    await sleep(50);
    expect(r.requests).toEqual([]);
  });

  it('asks after the connection is made, not when the send starts', async () => {
    const r = await receiver();
    let open = true;
    let askedOpen: boolean[] = [];
    // A freeze that ends as the connection completes: the lease ran out meanwhile.
    const onConnected = () => {
      open = false;
    };
    channel('undici:client:connected').subscribe(onConnected);
    cleanups.push(() => void channel('undici:client:connected').unsubscribe(onConnected));
    const result = await sender().send(storedRecipient({ url: r.url }), delivery, () => {
      askedOpen = [...askedOpen, open];
      return open;
    });
    expect(askedOpen).toEqual([false]);
    expect(result.errorCode).toBe('LANE_LOST');
    await sleep(50);
    expect(r.requests).toEqual([]);
  });

  it('asks for every request on a kept-alive connection; a refusal costs only that request', async () => {
    const r = await receiver();
    const s = sender();
    const recipient = storedRecipient({ url: r.url });
    expect((await s.send(recipient, delivery, () => true)).ok).toBe(true);
    expect((await s.send(recipient, delivery, () => false)).errorCode).toBe('LANE_LOST');
    expect((await s.send(recipient, delivery, () => true)).ok).toBe(true);
    expect(r.requests).toHaveLength(2);
  });

  it('a gate that gives every lane up (aborting this request too) still writes nothing', async () => {
    const r = await receiver();
    const s = sender();
    const recipient = storedRecipient({ url: r.url });
    expect((await s.send(recipient, delivery, () => true)).ok).toBe(true);
    // As the dispatcher's onLost does from inside the gate: every recipient's connection
    // dropped at once, this request's among them, while undici is about to write it.
    const result = await s.send(recipient, delivery, () => {
      void s.abort(recipient.id);
      return false;
    });
    expect(result).toMatchObject({ ok: false, status: null, errorCode: 'LANE_LOST' });
    await sleep(50);
    expect(r.requests).toHaveLength(1);
    expect((await s.send(recipient, delivery, () => true)).ok).toBe(true);
  });
});

describe('MailSender with a write gate', () => {
  it('hands nothing to the relay when the gate says no', async () => {
    const smtp = await TestSmtpServer.start();
    cleanups.push(() => smtp.close());
    const dir = mkdtempSync(join(tmpdir(), 'outbound-gate-'));
    const store = new SqliteStore(join(dir, 'outbound.db'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => store.close());
    await store.migrate();
    const mailer = new Mailer(2_000);
    cleanups.push(() => mailer.close());
    const relay = new MailRelay(mailer, store.settings);
    await relay.save(
      {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        tlsVerify: true,
        username: null,
        password: null,
        from: 'outbound@example.com',
      },
      1,
    );
    const mail = new MailSender(relay);
    const recipient = storedRecipient({ kind: 'email', url: 'mailto:ops@example.com' });
    const refused = await mail.send(recipient, delivery, () => false);
    expect(refused).toMatchObject({ ok: false, errorCode: 'LANE_LOST' });
    expect(smtp.mails).toEqual([]);
    // The gate turns while the relay's settings are read: asked again before the hand-over.
    let asked = 0;
    const turns = () => ++asked === 1;
    expect(await mail.send(recipient, delivery, turns)).toMatchObject({ errorCode: 'LANE_LOST' });
    expect(asked).toBe(2);
    expect(smtp.mails).toEqual([]);
    expect((await mail.send(recipient, delivery, () => true)).ok).toBe(true);
    expect(smtp.mails).toHaveLength(1);
  });
});
