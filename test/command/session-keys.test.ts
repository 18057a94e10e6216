/**
 * generate_session_key, then a session started with the key through the sessions API: it
 * carries the key's external key and queue; the key starts one session only, none once
 * expired, and is stored hashed.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sleep } from '../support/wait.js';
import { COMMAND_NS, type CommandFixture, DECL, startCommandFixture, xmlError } from './support.js';

let f: CommandFixture;

beforeEach(async () => {
  f = await startCommandFixture();
});

afterEach(async () => {
  await f?.stop();
});

/** Generates a key; returns it with its expiry (Unix seconds) and URL. */
async function generate(params: Record<string, string>) {
  const res = await f.command(f.tokens.full, {
    action: 'generate_session_key',
    type: 'support',
    ...params,
  });
  const match = new RegExp(
    `^${esc(DECL)}<session_key xmlns="${esc(COMMAND_NS)}"><short_key>(\\d{7})</short_key><key_url>([^<]+)</key_url><mail_subject>[^<]+</mail_subject><mail_body>[^<]+</mail_body><expires timestamp="(\\d+)">([^<]+)</expires></session_key>\\n$`,
  ).exec(res.body);
  expect(match, res.body).not.toBeNull();
  const [, key, url, expires, iso] = match as unknown as [string, string, string, string, string];
  expect(new Date(iso).getTime()).toBe(Number(expires) * 1000);
  return { key, url, expires: Number(expires) };
}

const start = (sessionKey: string) =>
  f.svc.api('POST', '/api/v1/sessions', { session_key: sessionKey });

describe('generate_session_key', () => {
  it('a session started with the key carries its external key and queue, from its first event', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { key, url, expires } = await generate({
      queue_id: 'team:7',
      'session.custom.external_key': 'INC0042',
    });
    expect(url).toBe(`${f.svc.url}/api/start_session?short_key=${key}`);
    expect(expires).toBeGreaterThanOrEqual(before + 24 * 3600);
    expect(expires).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 24 * 3600);

    const res = await start(key);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const lsid = res.body.lsid as string;
    await f.arrived(2);
    const [begin, owner] = f.events();
    expect(begin?.get('event')).toBe('support_conference_begin');
    expect(begin?.get('lsid')).toBe(lsid);
    expect(begin?.get('external_key')).toBe('INC0042');
    expect(owner?.get('conference_id')).toBe('team:7');
    expect(owner?.get('external_key')).toBe('INC0042');

    // The key is stored only as its hash, now tied to the session.
    const stored = await f.svc.service.store.sessionKeys.find(
      createHash('sha256').update(key).digest('hex'),
    );
    expect(stored?.lsid).toBe(lsid);
    expect(JSON.stringify(stored)).not.toContain(`"${key}"`);
  });

  it('the old external_key spelling works too; no queue is the general queue', async () => {
    const { key } = await generate({ external_key: 'OLD-1' });
    const res = await start(key);
    expect(res.status).toBe(201);
    await f.arrived(2);
    const [begin, owner] = f.events();
    expect(begin?.get('external_key')).toBe('OLD-1');
    expect(owner?.get('conference_id')).toBe('general');
  });

  it('a key starts one session: the second use is refused naming session_key, and emits nothing', async () => {
    const { key } = await generate({ queue_id: 'general' });
    expect((await start(key)).status).toBe(201);
    const again = await start(key);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ field: 'session_key' });
    expect(again.body.message).toMatch(/used already/);
    const unknown = await start(key === '0000000' ? '0000001' : '0000000');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/not a key/);
    const malformed = await start('12345');
    expect(malformed.status).toBe(400);
    await f.arrived(2);
    await sleep(100);
    expect(f.receiver.accepted).toHaveLength(2);
  });

  it('two starts racing for one key: one session', async () => {
    const { key } = await generate({});
    const results = await Promise.all([start(key), start(key), start(key)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 400, 400]);
  });

  it('an expired key is refused', async () => {
    const { key, expires } = await generate({ ttl: '1' });
    while (Date.now() < expires * 1000) await sleep(50);
    const res = await start(key);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/expired/);
  });

  it('refuses what it cannot carry, naming it', async () => {
    const badQueue = await f.command(f.tokens.full, {
      action: 'generate_session_key',
      type: 'support',
      queue_id: 'embassy:1',
    });
    expect(badQueue.body).toContain('Invalid queue_id &quot;embassy:1&quot;');
    const badType = await f.command(f.tokens.full, {
      action: 'generate_session_key',
      type: 'presentation',
    });
    expect(badType.body).toBe(xmlError('Invalid type "presentation": only support is supported.'));
    const badTtl = await f.command(f.tokens.full, { action: 'generate_session_key', ttl: '-1' });
    expect(badTtl.body).toBe(xmlError('ttl must be a whole number of seconds.'));
    const long = await f.command(f.tokens.full, {
      action: 'generate_session_key',
      'session.custom.external_key': 'x'.repeat(1025),
    });
    expect(long.body).toBe(
      xmlError('session.custom.external_key is 1025 characters long; at most 1024 are allowed.'),
    );
  });

  it('is audited without the key itself', async () => {
    const { key } = await generate({ 'session.custom.external_key': 'INC5' });
    const [entry] = await f.svc.service.store.admin.listAudit(1);
    expect(entry?.actor).toBe('api-account:ticketing-full');
    expect(entry?.action).toBe('session-key.generate');
    expect(JSON.stringify(entry)).not.toContain(key);
  });
});

const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
