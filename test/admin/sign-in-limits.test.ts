import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIGN_IN_DEFAULTS, SignIn, type SignInResult } from '../../src/credentials/sign-in.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { quickPasswordHash } from '../support/password.js';
import { startService, type TestService } from '../support/service.js';
import { AdminClient, addUser, PASSWORD } from './client.js';

/*
 * Failed sign-ins slow down whoever made them (the address, and the address with that name),
 * with delays that double; they never lock an administrator out for everyone else.
 */

describe('sign-in slowdown (a real store, a test clock)', () => {
  let store: Store;
  let now: number;
  let signIn: SignIn;

  beforeEach(async () => {
    store = openStore('sqlite::memory:');
    await store.migrate();
    await store.admin.createUser('alice', await quickPasswordHash(PASSWORD), 0);
    now = 1_000_000;
    signIn = new SignIn(store.admin, () => now);
  });

  afterEach(async () => {
    await store.close();
  });

  const wait = (result: SignInResult) =>
    !result.ok && result.status === 429 ? result.retryAfterMs : 0;

  it('lets an address that has not failed sign in while an attacker is slowed down', async () => {
    // The attacker keeps guessing for hours, always as soon as it is allowed again.
    let pending = 0;
    for (let i = 0; i < 60; i++) {
      now += pending;
      const result = await signIn.attempt('alice', `guess ${i}`, '203.0.113.9');
      expect(result.ok).toBe(false);
      pending = Math.max(wait(result), 1);
    }
    const refused = await signIn.attempt('alice', PASSWORD, '203.0.113.9');
    expect(refused).toMatchObject({ ok: false, status: 429 });
    const admin = await signIn.attempt('alice', PASSWORD, '198.51.100.7');
    expect(admin.ok).toBe(true);
  });

  it('slows the address and name pair with doubling delays, then forgets', async () => {
    const { perPair } = SIGN_IN_DEFAULTS;
    for (let i = 0; i < perPair.free; i++) {
      expect(await signIn.attempt('alice', 'wrong', '203.0.113.9')).toMatchObject({ status: 401 });
    }
    const delays: number[] = [];
    for (let i = 0; i < 14; i++) {
      const refused = await signIn.attempt('alice', PASSWORD, '203.0.113.9');
      expect(refused).toMatchObject({ ok: false, status: 429 });
      expect(refused.ok ? '' : refused.message).toMatch(/Too many failed sign-ins.*try again in/);
      delays.push(wait(refused));
      now += wait(refused);
      expect(await signIn.attempt('alice', 'wrong', '203.0.113.9')).toMatchObject({ status: 401 });
    }
    expect(delays.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);
    expect(Math.max(...delays)).toBe(perPair.maxMs);
    // A refused attempt does not count: the wait does not grow while the attacker hammers.
    const first = wait(await signIn.attempt('alice', 'wrong', '203.0.113.9'));
    now += 1000;
    expect(wait(await signIn.attempt('alice', 'wrong', '203.0.113.9'))).toBe(first - 1000);
    // Quiet long enough, the address starts afresh.
    now += perPair.forgetMs + perPair.maxMs;
    expect(await signIn.attempt('alice', 'wrong', '203.0.113.9')).toMatchObject({ status: 401 });
  });

  it('slows an address that tries many names, whichever names', async () => {
    const { perAddress } = SIGN_IN_DEFAULTS;
    for (let i = 0; i < perAddress.free; i++) {
      expect(await signIn.attempt(`user${i}`, 'x', '203.0.113.9')).toMatchObject({ status: 401 });
    }
    const refused = await signIn.attempt('alice', PASSWORD, '203.0.113.9');
    expect(refused).toMatchObject({ ok: false, status: 429 });
    expect((await signIn.attempt('alice', PASSWORD, '198.51.100.7')).ok).toBe(true);
  });

  it('answers a name that does not exist exactly as one that does', async () => {
    const answers = async (name: string, address: string) => {
      const out: (number | undefined)[] = [];
      for (let i = 0; i < 8; i++) {
        const result = await signIn.attempt(name, 'wrong', address);
        out.push(result.ok ? 200 : result.status, wait(result));
        now += 500;
      }
      return out;
    };
    const start = now;
    const known = await answers('alice', '203.0.113.9');
    now = start;
    expect(await answers('nobody', '203.0.113.10')).toEqual(known);
  });

  it('slows a name guessed from many addresses only for the addresses that failed', async () => {
    const { perName } = SIGN_IN_DEFAULTS;
    // A botnet: each address one guess, so that no address or pair is slowed on its own.
    for (let i = 0; i < perName.free + 3; i++) {
      expect(await signIn.attempt('alice', 'wrong', `203.0.113.${i}`)).toMatchObject({
        status: 401,
      });
    }
    // Back for a second guess: the name is under attack and this address has failed.
    const again = await signIn.attempt('alice', 'wrong', '203.0.113.1');
    expect(again).toMatchObject({ ok: false, status: 429 });
    // An address that has not failed: its wrong password is checked, its right one works.
    expect(await signIn.attempt('alice', 'typo', '198.51.100.8')).toMatchObject({ status: 401 });
    expect((await signIn.attempt('alice', PASSWORD, '198.51.100.7')).ok).toBe(true);
  });

  it('no longer keeps a lock in the store that others would run into', async () => {
    for (let i = 0; i < 10; i++) {
      await signIn.attempt('alice', 'wrong', '203.0.113.9');
      now += 1000;
    }
    expect((await store.admin.findUser('alice'))?.lockedUntil ?? null).toBeNull();
  });
});

describe('sign-in slowdown over HTTP', () => {
  let svc: TestService;
  const clients: AdminClient[] = [];
  const client = (...args: ConstructorParameters<typeof AdminClient>) => {
    const made = new AdminClient(...args);
    clients.push(made);
    return made;
  };

  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    await svc.stop();
  });

  /** Wrong passwords until one is refused as too many (growing delays: it comes quickly). */
  async function slowDown(attacker: AdminClient, name = 'alice'): Promise<void> {
    for (let i = 0; i < 12; i++) {
      const answer = await attacker.signIn(name, `guess ${i}`);
      expect(answer.status, answer.text).not.toBe(303);
      if (answer.status === 429) {
        expect(answer.text).toContain('Too many failed sign-ins');
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
        return;
      }
      expect(answer.status).toBe(401);
    }
    throw new Error('twelve wrong passwords in a row were never slowed down');
  }

  it('slows the attacking address; an administrator at another address signs in', async () => {
    svc = await startService();
    await addUser(svc, 'alice');
    await slowDown(client(svc.url, { localAddress: '127.0.0.2' }));
    const admin = client(svc.url);
    expect((await admin.signIn('alice')).status).toBe(303);
  });

  it('ignores X-Forwarded-For and X-Forwarded-Proto without trustProxy', async () => {
    svc = await startService();
    await addUser(svc, 'alice');
    // Each attempt claims another address: the claim is ignored, the real address is slowed.
    for (let i = 0; ; i++) {
      const attacker = client(svc.url, { headers: { 'x-forwarded-for': `198.51.100.${i}` } });
      const answer = await attacker.signIn('alice', `guess ${i}`);
      if (answer.status === 429) break;
      expect(answer.status).toBe(401);
      expect(i).toBeLessThan(12);
    }
    // Nor can a client claim TLS to get a Secure cookie (an address that has not failed).
    await addUser(svc, 'bob');
    const https = client(svc.url, {
      localAddress: '127.0.0.3',
      headers: { 'x-forwarded-proto': 'https' },
    });
    const ok = await https.signIn('bob');
    expect(ok.status).toBe(303);
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('outbound_session='));
    expect(cookie).not.toMatch(/Secure/);
  });

  it('honours X-Forwarded-For and X-Forwarded-Proto from a trusted proxy', async () => {
    svc = await startService({ trustProxy: ['127.0.0.1'] });
    await addUser(svc, 'alice');
    // Both come through the proxy at 127.0.0.1: only the attacker's own address is slowed.
    await slowDown(client(svc.url, { headers: { 'x-forwarded-for': '203.0.113.9' } }));
    const admin = client(svc.url, {
      headers: { 'x-forwarded-for': '198.51.100.7', 'x-forwarded-proto': 'https' },
    });
    const ok = await admin.signIn('alice');
    expect(ok.status).toBe(303);
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('outbound_session='));
    expect(cookie).toMatch(/; Secure/);
  });
});
