/**
 * Signed deliveries (Standard Webhooks), checked with the official `standardwebhooks` package,
 * and secret rotation: a replaced secret keeps signing alongside the new one for a while.
 */
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import {
  addRecipient,
  cleanup,
  getRecipient,
  makeEvent,
  postEach,
  receiver,
  service,
  wire,
} from './e2e.js';

afterEach(cleanup);

/**
 * Whether the official package accepts the delivery for `secret`. Its `verify()` parses the
 * payload as JSON after checking the signature, and schema-1 bodies are forms, so the check
 * compares against what its `sign()` produces for the same id, timestamp and body.
 */
function accepts(secret: string, body: string, headers: ReturnType<typeof headersOf>): boolean {
  const timestamp = new Date(Number(headers['webhook-timestamp']) * 1000);
  const expected = new Webhook(secret).sign(headers['webhook-id'], timestamp, body);
  return headers['webhook-signature'].split(' ').includes(expected);
}

const OLD = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NEW = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';

function headersOf(request: { headers: Record<string, string | string[] | undefined> }) {
  const h = request.headers;
  return {
    'webhook-id': String(h['webhook-id']),
    'webhook-timestamp': String(h['webhook-timestamp']),
    'webhook-signature': String(h['webhook-signature']),
  };
}

describe('signed deliveries', () => {
  it('signs every delivery so that the official package verifies it', async () => {
    const r = await receiver();
    const svc = await service();
    const recipient = await addRecipient(svc, { name: 'signed', url: r.url, secret: OLD });
    expect((await getRecipient(svc, recipient.id)) as unknown).toMatchObject({
      secret: 'whsec_…LaSw',
    });
    const event = makeEvent('begin');
    const [id] = await postEach(svc, [event]);
    await waitUntil(() => r.accepted.length === 1, 'the delivery');
    const request = r.requests[0] as (typeof r.requests)[number];
    const headers = headersOf(request);
    expect(headers['webhook-id']).toBe(id);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(request.body).toBe(wire(event));
    expect(accepts(OLD, request.body, headers)).toBe(true);
    expect(accepts(NEW, request.body, headers)).toBe(false);
  });

  it('signs with both secrets during a rotation, then with the new one only', async () => {
    const r = await receiver();
    const svc = await service();
    const recipient = await addRecipient(svc, { name: 'rotating', url: r.url, secret: OLD });
    const patched = await svc.api('PATCH', `/api/v1/recipients/${recipient.id}`, {
      secret: NEW,
      secretRotationSeconds: 3600,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      secret: 'whsec_…b7oD',
      previousSecret: 'whsec_…LaSw',
      secretRotationSeconds: 3600,
    });
    expect(Date.parse(patched.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3500_000);

    await postEach(svc, [makeEvent('begin')]);
    await waitUntil(() => r.accepted.length === 1, 'the delivery during the rotation');
    const during = headersOf(r.requests[0] as (typeof r.requests)[number]);
    expect(during['webhook-signature'].split(' ')).toHaveLength(2);
    const body = r.accepted[0] as string;
    expect(accepts(OLD, body, during)).toBe(true);
    expect(accepts(NEW, body, during)).toBe(true);

    // Sending back the masked secret changes nothing; rotation 0 ends the overlap at once.
    const unchanged = await svc.api('PATCH', `/api/v1/recipients/${recipient.id}`, {
      secret: 'whsec_…b7oD',
    });
    expect(unchanged.body.previousSecret).toBe('whsec_…LaSw');
    const third = 'whsec_dGhpcmQtc2VjcmV0LXRoaXJkLXNlY3JldC0xMjM=';
    const replaced = await svc.api('PATCH', `/api/v1/recipients/${recipient.id}`, {
      secret: third,
      secretRotationSeconds: 0,
    });
    expect(replaced.body.previousSecret).toBeNull();
    await postEach(svc, [makeEvent('end')]);
    await waitUntil(() => r.accepted.length === 2, 'the delivery after the rotation');
    const after = headersOf(r.requests[1] as (typeof r.requests)[number]);
    expect(after['webhook-signature'].split(' ')).toHaveLength(1);
    expect(accepts(third, r.accepted[1] as string, after)).toBe(true);
    expect(accepts(NEW, r.accepted[1] as string, after)).toBe(false);
  });
});
