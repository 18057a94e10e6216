/**
 * End to end: a receiver that answers at once with `503` and a Retry-After asking for no wait
 * (`0`, or a date in the past) is retried once per retry interval, not once per round trip,
 * and the attempts recorded stay as few (CONTRACT §6). Requests are counted, not timed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, waitUntil } from '../support/wait.js';
import {
  addRecipient,
  cleanup,
  deliveries,
  numbered,
  postEvents,
  receiver,
  service,
} from './e2e.js';

afterEach(cleanup);

const INTERVAL_MS = 200;
/** How long the receiver is watched after its first request. */
const WINDOW_MS = 1500;

describe('Retry-After never shortens the retry interval', () => {
  it.each([
    ['0', '0'],
    ['a date in the past', 'Wed, 21 Oct 2015 07:28:00 GMT'],
  ])('503 with Retry-After %s: at most one request per interval', async (_name, retryAfter) => {
    const r = await receiver({ kind: 'status', status: 503, retryAfter });
    const svc = await service();
    const recipient = await addRecipient(svc, {
      name: 'r',
      url: r.url,
      retryIntervalSeconds: INTERVAL_MS / 1000,
      retryMaxIntervalSeconds: INTERVAL_MS / 1000,
      retryDurationSeconds: 0,
    });
    await postEvents(svc, numbered(2));
    await waitUntil(() => r.requests.length > 0, 'the first request');
    const first = r.requests[0]?.at as number;
    await sleep(WINDOW_MS);
    const inWindow = r.requests.filter((q) => q.at <= first + WINDOW_MS).length;
    // One at the start, then one per interval at most (the bug: thousands).
    expect(inWindow).toBeGreaterThanOrEqual(2);
    expect(inWindow).toBeLessThanOrEqual(WINDOW_MS / INTERVAL_MS + 1);
    // Always the head, with its one webhook-id.
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(1);
    // The attempts recorded are as few as the requests made.
    const [head] = await deliveries(svc, recipient.id, 'pending');
    expect(head?.attemptCount).toBeLessThanOrEqual(r.requests.length);
    expect(head?.attemptCount).toBeLessThanOrEqual(WINDOW_MS / INTERVAL_MS + 2);
  });

  it('a retry duration shorter than the interval: the last retry waits the interval, then sets aside', async () => {
    const r = await receiver({ kind: 'status', status: 503, retryAfter: '0' });
    const svc = await service();
    const recipient = await addRecipient(svc, {
      name: 'r',
      url: r.url,
      retryIntervalSeconds: 0.4,
      retryMaxIntervalSeconds: 0.4,
      retryDurationSeconds: 0.05,
    });
    await postEvents(svc, numbered(1));
    await waitUntil(
      async () => (await deliveries(svc, recipient.id, 'failed')).length === 1,
      'the head set aside',
    );
    // Tried once more after the interval (not at the 50 ms deadline), then set aside.
    expect(r.requests).toHaveLength(2);
    const [failed] = await deliveries(svc, recipient.id, 'failed');
    expect(failed?.attemptCount).toBe(2);
    const [a, b] = (failed?.failedAttempts ?? []).map((x) => Date.parse(x.at));
    expect((b as number) - (a as number)).toBeGreaterThanOrEqual(400);
  });
});
