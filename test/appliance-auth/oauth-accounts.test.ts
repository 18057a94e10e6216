/**
 * The attacker's side of the appliance APIs' authentication, on both backends: secrets that
 * are wrong, tokens that expired, were evicted, revoked or belong to a removed account, and
 * callers without the permission. A real server on loopback, a real store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPORTING_NS } from '../../src/appliance-api/xml-reply.js';
import {
  createApiAccount,
  MAX_LIVE_TOKENS,
  regenerateApiAccountSecret,
  removeApiAccount,
  setApiAccountEnabled,
  setApiAccountPermissions,
} from '../../src/operations/api-accounts.js';
import { BACKENDS } from '../store/backends.js';
import { freshStore } from '../store/harness.js';
import { BY, basic, call, getToken, type Harness, startHarness, tokenRequest } from './harness.js';

for (const backend of BACKENDS) {
  describe(`${backend.name}: OAuth2 API accounts`, () => {
    const fresh = freshStore(backend);
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness(fresh.store);
    });
    afterEach(() => h.close());

    const account = (name = 'siem', reporting = true, command = 'read_only' as const) =>
      createApiAccount(h.ctx, { name, reporting, command }, BY);

    it('issues a Bearer token for HTTP Basic client credentials, never cached', async () => {
      const { account: a, clientSecret } = await account();
      const answer = await tokenRequest(h.url, { authorization: basic(a.clientId, clientSecret) });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.json).toEqual({
        access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        token_type: 'Bearer',
        expires_in: 3600,
      });
      const probe = await call(h.url, '/probe/reporting', { bearer: answer.json.access_token });
      expect(probe.status).toBe(200);
      expect(JSON.parse(probe.text).caller).toEqual({
        kind: 'account',
        accountId: a.id,
        name: 'siem',
        reporting: true,
        command: 'read_only',
      });
      // The scheme in any case, as clients send token_type back.
      const lower = await call(h.url, '/probe/command', {
        authorization: `bearer ${answer.json.access_token}`,
      });
      expect(lower.status).toBe(200);
    });

    it('takes client_id and client_secret in the form body too (RFC 6749 §2.3.1)', async () => {
      const { account: a, clientSecret } = await account();
      const body = `grant_type=client_credentials&client_id=${a.clientId}&client_secret=${clientSecret}`;
      expect((await tokenRequest(h.url, { body })).status).toBe(200);
      const both = await tokenRequest(h.url, {
        body,
        authorization: basic(a.clientId, clientSecret),
      });
      expect(both.status).toBe(400);
      expect(both.json.error).toBe('invalid_request');
    });

    it('a wrong secret or an unknown client: 401 invalid_client, one answer for both', async () => {
      const { account: a, clientSecret } = await account();
      const wrong = await tokenRequest(h.url, {
        authorization: basic(a.clientId, `${clientSecret}x`),
      });
      const unknown = await tokenRequest(h.url, {
        authorization: basic('0'.repeat(32), clientSecret),
      });
      const none = await tokenRequest(h.url);
      for (const answer of [wrong, unknown, none]) {
        expect(answer.status).toBe(401);
        expect(answer.headers.get('www-authenticate')).toMatch(/^Basic /);
        expect(answer.headers.get('cache-control')).toBe('no-store');
        expect(answer.json.error).toBe('invalid_client');
        expect(JSON.stringify(answer.json)).not.toContain(clientSecret);
      }
      expect(wrong.json).toEqual(unknown.json);
    });

    it('another grant, or none: 400 and no token issued', async () => {
      const { account: a, clientSecret } = await account();
      const auth = basic(a.clientId, clientSecret);
      const password = await tokenRequest(h.url, {
        authorization: auth,
        body: 'grant_type=password&username=a&password=b',
      });
      expect(password.status).toBe(400);
      expect(password.json.error).toBe('unsupported_grant_type');
      const missing = await tokenRequest(h.url, { authorization: auth, body: 'scope=x' });
      expect(missing.status).toBe(400);
      expect(missing.json.error).toBe('invalid_request');
      const json = await tokenRequest(h.url, {
        authorization: auth,
        contentType: 'application/json',
        body: '{"grant_type":"client_credentials"}',
      });
      expect(json.status).toBe(400);
      expect(json.json.error).toBe('invalid_request');
      expect(
        (await fresh.store.apiAccounts.liveTokenCounts(h.clock.now)).get(a.id),
      ).toBeUndefined();
    });

    it('no token, a made-up token, or Basic on an API route: 401 Bearer with an XML error', async () => {
      for (const init of [{}, { bearer: 'made-up-token' }, { authorization: basic('a', 'b') }]) {
        const answer = await call(h.url, '/probe/reporting?generate_report=SupportSession', init);
        expect(answer.status).toBe(401);
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(answer.headers.get('content-type')).toBe('text/xml; charset=UTF-8');
        expect(answer.text).toContain(`<error xmlns="${REPORTING_NS}">`);
      }
      expect(h.reached.count).toBe(0);
    });

    it('an expired token is refused and pruned', async () => {
      const { account: a, clientSecret } = await account();
      const token = await getToken(h.url, a.clientId, clientSecret);
      h.clock.now += 3600 * 1000 - 1;
      expect((await call(h.url, '/probe/reporting', { bearer: token })).status).toBe(200);
      h.clock.now += 1;
      const expired = await call(h.url, '/probe/reporting', { bearer: token });
      expect(expired.status).toBe(401);
      expect(expired.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(h.reached.count).toBe(1);
      // Pruned: a minute on, the next check sweeps it away.
      h.clock.now += 60_000;
      await call(h.url, '/probe/reporting', { bearer: token });
      expect(await fresh.store.apiAccounts.pruneExpiredTokens(h.clock.now)).toBe(0);
    });

    it(`the ${MAX_LIVE_TOKENS + 1}st token evicts the oldest, and only it`, async () => {
      const { account: a, clientSecret } = await account();
      const tokens: string[] = [];
      for (let i = 0; i <= MAX_LIVE_TOKENS; i++) {
        tokens.push(await getToken(h.url, a.clientId, clientSecret));
        h.clock.now += 1; // issued in order, as a client refreshing would
      }
      expect((await fresh.store.apiAccounts.liveTokenCounts(h.clock.now)).get(a.id)).toBe(
        MAX_LIVE_TOKENS,
      );
      expect((await call(h.url, '/probe/reporting', { bearer: tokens[0] })).status).toBe(401);
      for (const token of tokens.slice(1)) {
        expect((await call(h.url, '/probe/reporting', { bearer: token })).status).toBe(200);
      }
    });

    it('token requests at once still leave at most 30 live', async () => {
      const { account: a, clientSecret } = await account();
      const answers = await Promise.all(
        Array.from({ length: MAX_LIVE_TOKENS + 10 }, () =>
          tokenRequest(h.url, { authorization: basic(a.clientId, clientSecret) }),
        ),
      );
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect((await fresh.store.apiAccounts.liveTokenCounts(h.clock.now)).get(a.id)).toBe(
        MAX_LIVE_TOKENS,
      );
    });

    it('a disabled account: its tokens die at once, it gets no new one until enabled', async () => {
      const { account: a, clientSecret } = await account();
      const token = await getToken(h.url, a.clientId, clientSecret);
      await setApiAccountEnabled(h.ctx, 'siem', false, BY);
      expect((await call(h.url, '/probe/reporting', { bearer: token })).status).toBe(401);
      const refused = await tokenRequest(h.url, { authorization: basic(a.clientId, clientSecret) });
      expect(refused.status).toBe(401);
      expect(refused.json.error).toBe('invalid_client');
      await setApiAccountEnabled(h.ctx, 'siem', true, BY);
      // Enabling brings no old token back.
      expect((await call(h.url, '/probe/reporting', { bearer: token })).status).toBe(401);
      const fresh2 = await getToken(h.url, a.clientId, clientSecret);
      expect((await call(h.url, '/probe/reporting', { bearer: fresh2 })).status).toBe(200);
    });

    it('a regenerated secret: the old secret and every token issued with it stop', async () => {
      const { account: a, clientSecret } = await account();
      const token = await getToken(h.url, a.clientId, clientSecret);
      const { clientSecret: next } = await regenerateApiAccountSecret(h.ctx, 'siem', BY);
      expect(next).not.toBe(clientSecret);
      expect((await call(h.url, '/probe/reporting', { bearer: token })).status).toBe(401);
      expect(
        (await tokenRequest(h.url, { authorization: basic(a.clientId, clientSecret) })).status,
      ).toBe(401);
      const renewed = await getToken(h.url, a.clientId, next);
      expect((await call(h.url, '/probe/reporting', { bearer: renewed })).status).toBe(200);
    });

    it('a removed account: its token cannot be replayed, even by a new account of that name', async () => {
      const { account: a, clientSecret } = await account();
      const token = await getToken(h.url, a.clientId, clientSecret);
      await removeApiAccount(h.ctx, 'siem', BY);
      expect((await call(h.url, '/probe/reporting', { bearer: token })).status).toBe(401);
      const { account: b } = await account();
      expect(b.clientId).not.toBe(a.clientId);
      expect((await call(h.url, '/probe/reporting', { bearer: token })).status).toBe(401);
      expect(
        (await tokenRequest(h.url, { authorization: basic(a.clientId, clientSecret) })).status,
      ).toBe(401);
    });

    it('a missing permission: 403 naming it, the handler never runs', async () => {
      const { account: a, clientSecret } = await createApiAccount(
        h.ctx,
        { name: 'ticketing', reporting: false, command: 'deny' },
        BY,
      );
      const token = await getToken(h.url, a.clientId, clientSecret);
      const reporting = await call(h.url, '/probe/reporting', { bearer: token });
      expect(reporting.status).toBe(403);
      expect(reporting.text).toContain('not allowed to use the Reporting API');
      const command = await call(h.url, '/probe/command', { bearer: token });
      expect(command.status).toBe(403);
      expect(command.text).toContain('not allowed to use the Command API');
      expect(h.reached.count).toBe(0);
      // Granted later: the same token now works (permissions are read on every call).
      await setApiAccountPermissions(h.ctx, 'ticketing', { command: 'full' }, BY);
      expect((await call(h.url, '/probe/command', { bearer: token })).status).toBe(200);
      expect((await call(h.url, '/probe/reporting', { bearer: token })).status).toBe(403);
    });

    it('stores only hashes, and audits every change without the secret', async () => {
      const { account: a, clientSecret } = await account();
      await getToken(h.url, a.clientId, clientSecret);
      await setApiAccountEnabled(h.ctx, 'siem', false, BY);
      await regenerateApiAccountSecret(h.ctx, 'siem', BY);
      await removeApiAccount(h.ctx, 'siem', BY);
      const audit = await fresh.store.admin.listAudit(10);
      expect(audit.map((e) => e.action)).toEqual([
        'api-account.remove',
        'api-account.regenerate-secret',
        'api-account.disable',
        'api-account.create',
      ]);
      expect(JSON.stringify(audit)).not.toContain(clientSecret);
      const found = await fresh.store.apiAccounts.findClient(a.clientId);
      expect(found).toBeUndefined();
    });
  });
}
