import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../../src/admin/audit.js';
import { DeliveryRate } from '../../src/admin/delivery-rate.js';
import { html } from '../../src/admin/html.js';
import { nextPage } from '../../src/admin/routes/sign-in.js';
import { randomToken, sameSecret, sha256 } from '../../src/admin/tokens.js';
import { userNameProblem } from '../../src/admin/user-name.js';
import { FailureBackoff } from '../../src/credentials/failure-backoff.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/credentials/password.js';
import { DeliveryMetrics } from '../../src/metrics/delivery-metrics.js';

describe('password hashing', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
  });

  it('reads the parameters stored with the hash, and refuses malformed hashes', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$0$8$1$AAAA$AAAA')).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$1$2$3$4$5')).toBe(false);
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const hash = await hashPassword('caf\u00e9-au-lait-42');
    expect(await verifyPassword('cafe\u0301-au-lait-42', hash)).toBe(true);
  });

  it('names what is wrong with a password or a user name', () => {
    expect(passwordProblem('short')).toBe('password must be at least 10 characters');
    expect(passwordProblem('long enough now')).toBeUndefined();
    expect(userNameProblem('')).toBe('user name must not be empty');
    expect(userNameProblem('a b')).toMatch(/letters, digits/);
    expect(userNameProblem('jörg.m@example-1')).toBeUndefined();
  });
});

describe('CSRF and session tokens', () => {
  it('are random, stored as SHA-256, and compared in constant time', () => {
    const a = randomToken();
    expect(a).toMatch(/^[\w-]{43}$/);
    expect(randomToken()).not.toBe(a);
    expect(sha256(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(sameSecret(a, a)).toBe(true);
    expect(sameSecret(undefined, a)).toBe(false);
    expect(sameSecret('', a)).toBe(false);
    expect(sameSecret(`${a}x`, a)).toBe(false);
    expect(
      sameSecret(
        a.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
        a,
      ),
    ).toBe(false);
  });

  it('sends signed-in users only to our own pages after sign-in', () => {
    expect(nextPage('/admin/recipients/3')).toBe('/admin/recipients/3');
    expect(nextPage('//evil.example/admin/')).toBe('/admin/recipients');
    expect(nextPage('https://evil.example/')).toBe('/admin/recipients');
    expect(nextPage('/admin/../x')).toBe('/admin/recipients');
    expect(nextPage(undefined)).toBe('/admin/recipients');
  });
});

describe('failure backoff', () => {
  const policy = { free: 2, baseMs: 1000, maxMs: 8000, forgetMs: 60_000 };

  it('lets `free` failures through, then doubles the wait up to the cap, per key', () => {
    const backoff = new FailureBackoff(policy);
    backoff.fail('ip', 0);
    expect(backoff.retryAfter('ip', 0)).toBe(0);
    const waits: number[] = [];
    for (let t = 0, i = 0; i < 6; i++) {
      backoff.fail('ip', t);
      waits.push(backoff.retryAfter('ip', t));
      t += backoff.retryAfter('ip', t);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoff.retryAfter('other', 0)).toBe(0);
  });

  it('counts from the last failure, forgets a quiet key, and resets', () => {
    const backoff = new FailureBackoff(policy);
    for (let i = 0; i < 2; i++) backoff.fail('ip', 0);
    expect(backoff.retryAfter('ip', 400)).toBe(600);
    expect(backoff.count('ip', 1000 + 59_999)).toBe(2);
    expect(backoff.count('ip', 1000 + 60_000)).toBe(0);
    for (let i = 0; i < 3; i++) backoff.fail('ip', 0);
    backoff.reset('ip');
    expect(backoff.retryAfter('ip', 1)).toBe(0);
  });

  it('keeps a bounded number of keys', () => {
    const backoff = new FailureBackoff({ ...policy, free: 0 }, 100);
    for (let i = 0; i < 1000; i++) backoff.fail(`k${i}`, 0);
    expect(backoff.retryAfter('k999', 1)).toBeGreaterThan(0);
    expect(backoff.retryAfter('k0', 1)).toBe(0);
  });
});

describe('html templates', () => {
  it('escape every interpolated value unless it is already html', () => {
    const name = `<script>alert("x")</script>&'`;
    const inner = html`<b>${name}</b>`;
    expect(html`<p title="${name}">${inner}${[1, null, false, undefined, 'a<']}</p>`.text).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"><b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</b>1a&lt;</p>',
    );
  });
});

describe('audit masking', () => {
  it('masks secrets at any depth and keeps the rest', () => {
    expect(
      maskSecrets({
        name: 'crm',
        secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        previousSecret: 'whsec_…abcd',
        nested: [{ password: 'hunter2hunter2', token: 'obt_x' }],
        headers: { 'x-api-key': 'k', 'x-team': 'blue' },
        url: 'https://crm.example/hook?outbound_event_token=s3cret&appliance_id=7',
      }),
    ).toEqual({
      name: 'crm',
      secret: 'whsec_…LaSw',
      previousSecret: 'whsec_…abcd',
      nested: [{ password: '•••', token: '•••' }],
      // Every header value: a name does not reliably say which one is a secret.
      headers: { 'x-api-key': '•••', 'x-team': '•••' },
      url: 'https://crm.example/hook?outbound_event_token=•••&appliance_id=7',
    });
  });
});

describe('delivery rate', () => {
  it("counts the dispatcher's deliveries per recipient over the last minute", () => {
    const metrics = new DeliveryMetrics();
    const rate = new DeliveryRate(metrics);
    const deliver = (recipient: number, n: number) => {
      for (let i = 0; i < n; i++) metrics.attempts.inc({ recipient, outcome: 'delivered' });
    };
    deliver(1, 5);
    expect(rate.perMinute([1, 2], 0)).toEqual(
      new Map([
        [1, null],
        [2, null],
      ]),
    );
    deliver(1, 10);
    metrics.attempts.inc({ recipient: 2, outcome: 'HTTP_STATUS' });
    expect(rate.perMinute([1, 2], 30_000)).toEqual(
      new Map([
        [1, 20],
        [2, 0],
      ]),
    );
    for (let t = 31_000; t <= 90_000; t += 1000) rate.perMinute([1, 2], t);
    // The first 15 are out of the window now: nothing delivered in the last minute.
    expect(rate.perMinute([1, 2], 91_000).get(1)).toBe(0);
    // A recipient added later is measured from when it was first seen.
    deliver(3, 2);
    rate.perMinute([1, 2, 3], 92_000);
    deliver(3, 3);
    expect(rate.perMinute([1, 2, 3], 102_000).get(3)).toBe(18);
  });
});
