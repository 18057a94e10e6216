import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signDelivery, signingKey } from '../../src/delivery/signature.js';
import { encodeEvent } from '../../src/events/index.js';
import {
  ReceiverError,
  signHeaders,
  type VerifyOptions,
  verify,
} from '../../src/receiver/index.js';
import { validEvent } from '../events/arbitraries.js';
import { OTHER_SECRET, SECRET } from './requests.js';

const NOW = 1_700_000_000;
const at = (seconds: number): VerifyOptions => ({ now: seconds * 1000 });

function refusal(fn: () => unknown): ReceiverError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ReceiverError);
    return error as ReceiverError;
  }
  throw new Error('expected verify to refuse');
}

const secret = fc
  .uint8Array({ minLength: 16, maxLength: 64 })
  .map((key) => `whsec_${Buffer.from(key).toString('base64')}`);
const msgId = fc
  .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 })
  .filter((s) => s.trim() === s && s.length > 0);
const body = fc.oneof(validEvent.map(encodeEvent), fc.string({ unit: 'binary' }));

describe('verify against the official standardwebhooks package', () => {
  it('accepts the Standard Webhooks reference vector', () => {
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    const vectorSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const payload = '{"test": 2432232314}';
    expect(
      new Webhook(vectorSecret).sign(headers['webhook-id'], new Date(1614265330_000), payload),
    ).toBe(headers['webhook-signature']);
    expect(verify(headers, payload, vectorSecret, at(1614265330))).toEqual({
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
    });
  });

  it('our verify accepts what the official package signs', () => {
    fc.assert(
      fc.property(secret, msgId, body, fc.integer({ min: 0, max: 4e9 }), (key, id, payload, ts) => {
        const signature = new Webhook(key).sign(id, new Date(ts * 1000), payload);
        const headers = {
          'webhook-id': id,
          'webhook-timestamp': String(ts),
          'webhook-signature': signature,
        };
        expect(verify(headers, payload, key, at(ts))).toEqual({ id, timestamp: ts });
        expect(verify(headers, Buffer.from(payload), key, at(ts)).id).toBe(id);
      }),
      { numRuns: 300 },
    );
  });

  it('the official package verifies what our signHeaders produces', () => {
    fc.assert(
      fc.property(secret, msgId, body, (key, id, payload) => {
        const headers = signHeaders(key, payload, { id });
        // jsonParse: false, because Outbound's bodies are forms, not JSON.
        expect(() =>
          new Webhook(key).verify(payload, { ...headers }, { jsonParse: false }),
        ).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('the official package verifies what the Outbound sender signs, and so does ours', () => {
    fc.assert(
      fc.property(secret, msgId, body, (key, id, payload) => {
        const ts = String(Math.floor(Date.now() / 1000));
        const headers = {
          'webhook-id': id,
          'webhook-timestamp': ts,
          'webhook-signature': signDelivery(signingKey(key), id, ts, payload),
        };
        expect(() => new Webhook(key).verify(payload, headers, { jsonParse: false })).not.toThrow();
        expect(verify(headers, payload, key).id).toBe(id);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what the official package signs with another secret, or for other bytes', () => {
    fc.assert(
      fc.property(secret, secret, msgId, body, (a, b, id, payload) => {
        fc.pre(a !== b);
        const headers = signHeaders(a, payload, { id, timestamp: NOW });
        expect(refusal(() => verify(headers, payload, b, at(NOW))).code).toBe(
          'OUTBOUND_INVALID_SIGNATURE',
        );
        expect(refusal(() => verify(headers, `${payload}x`, a, at(NOW))).code).toBe(
          'OUTBOUND_INVALID_SIGNATURE',
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe('verify: rotation', () => {
  const payload = 'event=support_conference_end&version=1&timestamp=1&lsid=1';

  it('a request signed with either of two secrets passes', () => {
    for (const key of [SECRET, OTHER_SECRET]) {
      const headers = signHeaders(key, payload, { id: 'm1', timestamp: NOW });
      expect(verify(headers, payload, [SECRET, OTHER_SECRET], at(NOW)).id).toBe('m1');
    }
  });

  it('a signature list passes when any entry matches, whatever its position', () => {
    const good = signHeaders(SECRET, payload, { id: 'm2', timestamp: NOW })['webhook-signature'];
    const bad = signHeaders(OTHER_SECRET, payload, { id: 'm2', timestamp: NOW })[
      'webhook-signature'
    ];
    const unknownVersion = `v1a,${randomBytes(64).toString('base64')}`;
    for (const list of [
      `${bad} ${good}`,
      `${good} ${bad}`,
      `${unknownVersion} ${bad} ${good}`,
      `${bad}, ${good}`,
    ]) {
      const headers = {
        'webhook-id': 'm2',
        'webhook-timestamp': String(NOW),
        'webhook-signature': list,
      };
      expect(verify(headers, payload, SECRET, at(NOW)).id).toBe('m2');
    }
    const none = {
      'webhook-id': 'm2',
      'webhook-timestamp': String(NOW),
      'webhook-signature': `${bad} ${unknownVersion}`,
    };
    expect(refusal(() => verify(none, payload, SECRET, at(NOW))).code).toBe(
      'OUTBOUND_INVALID_SIGNATURE',
    );
  });

  it('the signature under another version tag does not pass', () => {
    const good = signHeaders(SECRET, payload, { id: 'm3', timestamp: NOW })['webhook-signature'];
    const headers = {
      'webhook-id': 'm3',
      'webhook-timestamp': String(NOW),
      'webhook-signature': good.replace('v1,', 'v2,'),
    };
    expect(refusal(() => verify(headers, payload, SECRET, at(NOW))).status).toBe(401);
  });
});

describe('verify: timestamp tolerance, both ways', () => {
  const payload = 'x';
  const signedAt = (ts: number) => signHeaders(SECRET, payload, { id: 'm', timestamp: ts });

  it.each([
    ['300 s old', NOW - 300, true],
    ['301 s old', NOW - 301, false],
    ['300 s ahead', NOW + 300, true],
    ['301 s ahead', NOW + 301, false],
    ['a day old', NOW - 86_400, false],
  ])('%s', (_what, ts, ok) => {
    if (ok) expect(verify(signedAt(ts), payload, SECRET, at(NOW)).timestamp).toBe(ts);
    else
      expect(refusal(() => verify(signedAt(ts), payload, SECRET, at(NOW)))).toMatchObject({
        code: 'OUTBOUND_TIMESTAMP_OUT_OF_RANGE',
        status: 401,
      });
  });

  it('honours toleranceSeconds and a Date for now', () => {
    const headers = signedAt(NOW - 3600);
    expect(() => verify(headers, payload, SECRET, { now: new Date(NOW * 1000) })).toThrow(
      ReceiverError,
    );
    expect(
      verify(headers, payload, SECRET, { now: new Date(NOW * 1000), toleranceSeconds: 3600 }).id,
    ).toBe('m');
  });

  it('the official package refuses the same too-old and too-new timestamps', () => {
    const now = Math.floor(Date.now() / 1000);
    for (const ts of [now - 400, now + 400]) {
      expect(() =>
        new Webhook(SECRET).verify(payload, signedAt(ts), { jsonParse: false }),
      ).toThrow();
      expect(() => verify(signedAt(ts), payload, SECRET)).toThrow(ReceiverError);
    }
  });
});

describe('verify: malformed input', () => {
  const payload = 'x';
  const good = signHeaders(SECRET, payload, { id: 'm', timestamp: NOW });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('missing %s → 401', (name) => {
    const headers: Record<string, string> = { ...good };
    delete headers[name];
    expect(refusal(() => verify(headers, payload, SECRET, at(NOW)))).toMatchObject({
      code: 'OUTBOUND_MISSING_SIGNATURE',
      status: 401,
    });
  });

  it.each(['', '12a', '-1', '1.5', ' 1700000000'])('webhook-timestamp %j → 401', (ts) => {
    const headers = { ...good, 'webhook-timestamp': ts };
    expect(refusal(() => verify(headers, payload, SECRET, at(NOW))).status).toBe(401);
  });

  it('a changed id fails: the id is signed too', () => {
    expect(
      refusal(() => verify({ ...good, 'webhook-id': 'other' }, payload, SECRET, at(NOW))).code,
    ).toBe('OUTBOUND_INVALID_SIGNATURE');
  });

  it('reads headers in any case, from a record or a Web Headers', () => {
    const mixed = {
      'Webhook-Id': good['webhook-id'],
      'WEBHOOK-TIMESTAMP': good['webhook-timestamp'],
      'webhook-Signature': [good['webhook-signature']],
    };
    expect(verify(mixed, payload, SECRET, at(NOW)).id).toBe('m');
    expect(verify(new Headers(good), payload, SECRET, at(NOW)).id).toBe('m');
  });

  it.each(['', 'whsec_', 'whsec_not base64!', []])(
    'secret %j is a configuration error (500)',
    (bad) => {
      expect(refusal(() => verify(good, payload, bad as string, at(NOW)))).toMatchObject({
        code: 'OUTBOUND_INVALID_SECRET',
        status: 500,
      });
    },
  );

  it('accepts a secret without the whsec_ prefix, as the official package does', () => {
    expect(verify(good, payload, SECRET.slice('whsec_'.length), at(NOW)).id).toBe('m');
  });
});
