/**
 * The attacker's side of POST /oauth2/token: wrong client secrets hammered from one address,
 * client ids sprayed, and what the clients with the right secret see meanwhile. Failed client
 * authentications slow down whoever made them, as failed admin sign-ins do (the same
 * mechanism): a real server on loopback, requests from several loopback addresses, a real store.
 */
import { randomBytes } from 'node:crypto';
import { Agent, fetch } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAILED_ATTEMPT_DEFAULTS } from '../../src/credentials/credential-throttle.js';
import { createApiAccount } from '../../src/operations/api-accounts.js';
import { BACKENDS } from '../store/backends.js';
import { freshStore } from '../store/harness.js';
import { BY, basic, type Harness, startHarness } from './harness.js';

// The throttle keeps its counts in memory, whatever the store: one backend is enough.
const sqlite = BACKENDS.find((backend) => backend.name === 'sqlite');
if (sqlite === undefined) throw new Error('no sqlite backend');

describe('OAuth2 token endpoint: failed client authentications are slowed down', () => {
  const fresh = freshStore(sqlite);
  let h: Harness;
  const agents: Agent[] = [];
  beforeEach(async () => {
    h = await startHarness(fresh.store);
  });
  afterEach(async () => {
    await h.close();
    await Promise.all(agents.splice(0).map((agent) => agent.close()));
  });

  /** Token requests from one loopback address (127.0.0.2…), as another machine would send them. */
  const from = (address: string) => {
    const agent = new Agent({ localAddress: address });
    agents.push(agent);
    return async (id: string, secret: string) => {
      const response = await fetch(`${h.url}/oauth2/token`, {
        method: 'POST',
        dispatcher: agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(id, secret),
        },
        body: 'grant_type=client_credentials',
      });
      return {
        status: response.status,
        headers: response.headers,
        json: (await response.json()) as Record<string, unknown>,
      };
    };
  };

  const account = (name: string) =>
    createApiAccount(h.ctx, { name, reporting: true, command: 'read_only' }, BY);

  it('wrong secrets for one client: 429 with Retry-After after the free ones, secret unchecked', async () => {
    const { account: a, clientSecret } = await account('siem');
    const attacker = from('127.0.0.2');
    const { free } = FAILED_ATTEMPT_DEFAULTS.perPair;
    for (let i = 0; i < free; i++) {
      expect((await attacker(a.clientId, `guess-${i}`)).status).toBe(401);
    }
    // Hammered: every further guess waits, and the wait does not grow while nothing is checked.
    for (let i = 0; i < 50; i++) {
      const answer = await attacker(a.clientId, `more-${i}`);
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(answer.json).toEqual({
        error: 'slow_down',
        error_description: 'too many failed client authentications: try again in 1 s',
      });
    }
    // Refused before the secret is checked: the right one waits too, from that address.
    expect((await attacker(a.clientId, clientSecret)).status).toBe(429);
    expect(await fresh.store.apiAccounts.liveTokenCounts(h.clock.now)).toEqual(new Map());
    // Once the wait is over, the right secret gets its token.
    h.clock.now += 1000;
    expect((await attacker(a.clientId, clientSecret)).status).toBe(200);
  });

  it('the client itself, and other clients, still get tokens from their own addresses', async () => {
    const { account: a, clientSecret } = await account('siem');
    const { account: b, clientSecret: secretB } = await account('ticketing');
    const attacker = from('127.0.0.2');
    // The attacker keeps guessing for hours, always as soon as it is allowed again.
    for (let i = 0; i < 40; i++) {
      const answer = await attacker(a.clientId, `guess-${i}`);
      h.clock.now += Number(answer.headers.get('retry-after') ?? 0) * 1000;
    }
    expect((await attacker(a.clientId, 'once more')).status).toBe(401);
    expect((await attacker(a.clientId, clientSecret)).status).toBe(429);
    // Past the address's free failures, its guesses at any other client wait too.
    expect((await attacker(b.clientId, 'and this one')).status).toBe(429);
    const integration = from('127.0.0.3');
    expect((await integration(a.clientId, clientSecret)).status).toBe(200);
    expect((await integration(b.clientId, secretB)).status).toBe(200);
  });

  it('successful requests are never slowed, nor a few failures between them', async () => {
    const { account: a, clientSecret } = await account('siem');
    const client = from('127.0.0.4');
    for (let i = 0; i < 60; i++) {
      if (i % 20 === 0) expect((await client(a.clientId, 'an old secret')).status).toBe(401);
      expect((await client(a.clientId, clientSecret)).status).toBe(200);
    }
  });

  it('client ids sprayed from one address: slowed by the address, memory stays small', async () => {
    const { account: a, clientSecret } = await account('siem');
    const attacker = from('127.0.0.5');
    const statuses = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const answer = await attacker(randomBytes(16).toString('hex'), 'guess');
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    }
    const { free } = FAILED_ATTEMPT_DEFAULTS.perAddress;
    expect(statuses).toEqual(
      new Map([
        [401, free],
        [429, 300 - free],
      ]),
    );
    // Only the attempts that were checked are remembered: the address, and each id it tried.
    expect(h.clientThrottle.tracked()).toBe(1 + 2 * free);
    expect((await from('127.0.0.6')(a.clientId, clientSecret)).status).toBe(200);
  });

  it('many addresses with many ids: the counts kept never exceed the bound', async () => {
    await h.close();
    h = await startHarness(fresh.store, { clientThrottleKeys: 25 });
    const { account: a, clientSecret } = await account('siem');
    for (let n = 10; n < 20; n++) {
      const attacker = from(`127.0.0.${n}`);
      for (let i = 0; i < 12; i++) await attacker(randomBytes(16).toString('hex'), 'guess');
    }
    // 100 ids tried from 10 addresses: the address-and-id and the id counts hold 25 keys each.
    expect(h.clientThrottle.tracked()).toBe(25 + 25 + 10);
    expect((await from('127.0.0.30')(a.clientId, clientSecret)).status).toBe(200);
  });
});
