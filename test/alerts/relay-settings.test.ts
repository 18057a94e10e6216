/** The pure parts of Settings → Email and email recipients: addresses and the relay form. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isEmailAddress, senderAddress, splitAddresses } from '../../src/alerts/email-address.js';
import { MailRelay } from '../../src/alerts/mail-relay.js';
import { Mailer } from '../../src/alerts/mailer.js';
import { type MailSettingsFields, parseMailSettings } from '../../src/alerts/relay-settings.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { TestSmtpServer } from '../support/smtp.js';

const FIELDS: MailSettingsFields = {
  host: 'smtp.example.com',
  port: '',
  security: 'starttls',
  tlsVerify: true,
  username: 'outbound',
  password: '',
  from: 'Outbound <outbound@example.com>',
};

describe('addresses', () => {
  it('takes plain addresses, refuses what could add headers or is mistyped', () => {
    for (const good of ['ops@example.com', 'a.b+c@mail.example.org', 'root@localhost']) {
      expect(isEmailAddress(good), good).toBe(true);
    }
    for (const bad of [
      'ops',
      'ops@example',
      'a b@example.com',
      'a@b.com\r\nBcc: c@d.com',
      '<a@b.com>',
    ]) {
      expect(isEmailAddress(bad), bad).toBe(false);
    }
    expect(senderAddress(' Outbound <outbound@example.com> ')).toBe(
      'Outbound <outbound@example.com>',
    );
    expect(senderAddress('outbound@example.com')).toBe('outbound@example.com');
    expect(senderAddress('Outbound <nobody>')).toBeUndefined();
    expect(splitAddresses('a@x.com, b@x.com;c@x.com\nd@x.com ')).toEqual([
      'a@x.com',
      'b@x.com',
      'c@x.com',
      'd@x.com',
    ]);
  });
});

describe('parseMailSettings', () => {
  it('fills the usual port of the security mode', () => {
    const ports = ['starttls', 'tls', 'none'].map((security) => {
      const parsed = parseMailSettings({ ...FIELDS, security }, undefined);
      return parsed.ok ? parsed.value.port : undefined;
    });
    expect(ports).toEqual([587, 465, 25]);
  });

  it('keeps the stored password on an empty field, and drops it without a username', () => {
    const current = { ...FIELDS, port: 587, security: 'starttls' as const, password: 'stored' };
    const kept = parseMailSettings(FIELDS, current);
    expect(kept.ok && kept.value.password).toBe('stored');
    const replaced = parseMailSettings({ ...FIELDS, password: 'new' }, current);
    expect(replaced.ok && replaced.value.password).toBe('new');
    const none = parseMailSettings({ ...FIELDS, username: '', password: 'x' }, current);
    expect(none.ok && none.value).toMatchObject({ username: null, password: null });
  });
});

describe('MailRelay.status', () => {
  let smtp: TestSmtpServer | undefined;
  let dir: string | undefined;
  let store: SqliteStore | undefined;
  afterEach(async () => {
    await smtp?.close();
    await store?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('is cached briefly, then checked again', async () => {
    smtp = await TestSmtpServer.start();
    dir = mkdtempSync(join(tmpdir(), 'outbound-relay-'));
    store = new SqliteStore(join(dir, 'outbound.db'));
    await store.migrate();
    let now = 1_000;
    const mailer = new Mailer(2_000);
    const relay = new MailRelay(mailer, store.settings, () => now, 30_000);
    expect(await relay.status()).toEqual({
      ok: false,
      message: 'No SMTP relay configured (Settings → Email)',
    });
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
      now,
    );
    expect(await relay.status()).toEqual({ ok: true, message: 'OK' });
    await smtp.close();
    smtp = undefined;
    now += 29_000;
    expect((await relay.status()).ok).toBe(true);
    now += 1_000;
    expect((await relay.status()).ok).toBe(false);
    mailer.close();
  });
});
