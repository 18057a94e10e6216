/**
 * Legacy username/password parameters: off unless both the environment and an administrator
 * allow them; when off, one answer whoever the name; when on, wrong credentials are
 * "Login failed" and count toward the same slowdown as the admin /login.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { COMMAND_NS } from '../../src/appliance-api/xml-reply.js';
import { SIGN_IN_DEFAULTS } from '../../src/credentials/sign-in.js';
import { setLegacyApiAuth, setUserApiGrants } from '../../src/operations/api-accounts.js';
import { BACKENDS } from '../store/backends.js';
import { freshStore } from '../store/harness.js';
import { quickPasswordHash } from '../support/password.js';
import { BY, call, type Harness, startHarness } from './harness.js';

const PASSWORD = 'correct horse battery';

for (const backend of BACKENDS) {
  describe(`${backend.name}: legacy username/password`, () => {
    const fresh = freshStore(backend);
    let h: Harness | undefined;
    afterEach(() => h?.close());

    async function start(env: boolean, setting: boolean) {
      h = await startHarness(fresh.store, { legacyApiAuth: env });
      await fresh.store.admin.createUser('alice', await quickPasswordHash(PASSWORD), 0);
      await setUserApiGrants(h.ctx, 'alice', { reporting: true }, BY);
      if (setting) await setLegacyApiAuth(h.ctx, true, BY);
      return h;
    }

    const query = (user: string, password: string) =>
      `?username=${encodeURIComponent(user)}&password=${encodeURIComponent(password)}&generate_report=SupportSession`;

    for (const [env, setting] of [
      [false, false],
      [false, true],
      [true, false],
    ] as const) {
      it(`is refused unless both are on (env ${env}, setting ${setting}), telling nothing`, async () => {
        const { url } = await start(env, setting);
        const real = await call(url, `/probe/reporting${query('alice', PASSWORD)}`);
        const nobody = await call(url, `/probe/reporting${query('nobody', 'whatever-1234')}`);
        const form = await call(url, '/probe/command', {
          body: `username=alice&password=${encodeURIComponent(PASSWORD)}&action=get_api_info`,
        });
        for (const answer of [real, nobody]) {
          expect(answer.status).toBe(401);
          expect(answer.headers.get('www-authenticate')).toBe('Bearer');
          expect(answer.text).toContain('legacy API authentication is turned off');
        }
        expect(nobody.text).toBe(real.text);
        expect(form.status).toBe(401);
        expect(form.text).toContain(`<error xmlns="${COMMAND_NS}">`);
        expect(h?.reached.count).toBe(0);
        // Nothing was checked, so nothing counts as a failed sign-in.
        expect((await h!.signIn.attempt('alice', PASSWORD, '127.0.0.1')).ok).toBe(true);
      });
    }

    it('with both on: a granted administrator is let in, by query or form body', async () => {
      const { url } = await start(true, true);
      const byQuery = await call(url, `/probe/reporting${query('alice', PASSWORD)}`);
      expect(byQuery.status).toBe(200);
      expect(JSON.parse(byQuery.text).caller).toMatchObject({
        kind: 'user',
        name: 'alice',
        reporting: true,
        command: 'deny',
      });
      const byForm = await call(url, '/probe/reporting', {
        body: `generate_report=SupportSession&username=alice&password=${encodeURIComponent(PASSWORD)}`,
      });
      expect(byForm.status).toBe(200);
      // Granted the reporting API only.
      const command = await call(url, `/probe/command${query('alice', PASSWORD)}`);
      expect(command.status).toBe(403);
      expect(command.text).toContain('--command-api');
    });

    it('wrong credentials: HTTP 200 <error>Login failed</error>, the same for an unknown name', async () => {
      const { url } = await start(true, true);
      const wrong = await call(url, `/probe/reporting${query('alice', 'not-the-password')}`);
      const unknown = await call(url, `/probe/reporting${query('mallory', 'not-the-password')}`);
      for (const answer of [wrong, unknown]) {
        expect(answer.status).toBe(200);
        expect(answer.headers.get('content-type')).toBe('text/xml; charset=UTF-8');
        expect(answer.text).toContain('<error>Login failed</error>');
      }
      expect(unknown.text).toBe(wrong.text);
      expect(h?.reached.count).toBe(0);
    });

    it('an administrator without either grant is refused', async () => {
      const { url, ctx } = await start(true, true);
      await setUserApiGrants(ctx, 'alice', { reporting: false }, BY);
      const answer = await call(url, `/probe/reporting${query('alice', PASSWORD)}`);
      expect(answer.status).toBe(403);
      expect(h?.reached.count).toBe(0);
    });

    it('guesses count toward the admin sign-in slowdown: no faster through the API', async () => {
      const { url, signIn } = await start(true, true);
      const free = SIGN_IN_DEFAULTS.perPair.free;
      for (let i = 0; i < free; i++) {
        const answer = await call(url, `/probe/reporting${query('alice', `guess-${i}-xxxxx`)}`);
        expect(answer.text).toContain('Login failed');
      }
      // The next try waits, through the API…
      const waiting = await call(url, `/probe/reporting${query('alice', PASSWORD)}`);
      expect(waiting.status).toBe(429);
      expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(h?.reached.count).toBe(0);
      // …and at /login, which shares the count.
      const atLogin = await signIn.attempt('alice', PASSWORD, '127.0.0.1');
      expect(atLogin).toMatchObject({ ok: false, status: 429 });
    });
  });
}
