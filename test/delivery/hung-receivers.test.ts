/**
 * End to end, real sockets: receivers that accept the connection and never answer hold up no
 * other recipient (CONTRACT §6), and a shortened time-out, a pause, a disable or a deletion
 * applies to the request in flight at once. Waits are generous; nothing is timed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TIMEOUT_SECONDS } from '../../src/recipients/timeout-limit.js';
import { waitUntil } from '../support/wait.js';
import {
  acceptedCount,
  addRecipient,
  cleanup,
  deliveries,
  numbered,
  onCleanup,
  postEvents,
  receiver,
  service,
} from './e2e.js';
import { HangingReceiver } from './hanging-receiver.js';

afterEach(cleanup);

async function hanging(): Promise<HangingReceiver> {
  const r = await HangingReceiver.start();
  onCleanup(() => r.close());
  return r;
}

/**
 * A service with one recipient at the largest time-out whose receiver never answers, `events`
 * events posted to it, and its first request waiting.
 */
async function waitingRequest(events: number, settings: Record<string, unknown> = {}) {
  const hung = await hanging();
  const svc = await service();
  const r = await addRecipient(svc, {
    name: 'slow',
    url: hung.url(),
    timeoutSeconds: MAX_TIMEOUT_SECONDS,
    ...settings,
  });
  const ids = await postEvents(svc, numbered(events));
  await waitUntil(() => hung.open === 1, 'the first request waiting');
  return { hung, svc, r, ids };
}

/** Far below the time-out the hung requests were given: only a cut explains an end this soon. */
const SOON_MS = 15_000;

describe('receivers that never answer', () => {
  it('200 of them at the largest time-out do not hold up a healthy recipient', async () => {
    const hung = await hanging();
    const healthy = await receiver();
    // The default global cap (64): far fewer slots than hung recipients.
    const svc = await service();
    for (let i = 0; i < 200; i++) {
      await addRecipient(svc, {
        name: `hung ${i}`,
        url: hung.url(`hung-${i}`),
        timeoutSeconds: MAX_TIMEOUT_SECONDS,
        events: ['support_conference_end'],
      });
    }
    const ends = numbered(1).map((e) => ({ ...e, event: 'support_conference_end' }));
    await postEvents(svc, ends);
    // Every hung recipient has its request waiting, not only as many as the cap.
    await waitUntil(() => hung.open === 200, '200 requests waiting at the hung receiver', SOON_MS);

    await addRecipient(svc, {
      name: 'healthy',
      url: healthy.url,
      events: ['support_conference_begin'],
    });
    await postEvents(svc, numbered(20));
    await acceptedCount(healthy, 20, SOON_MS);
    // Still waiting: nothing was cut to make room.
    expect(hung.cut).toBe(0);
  });

  it('a PATCH that shortens the time-out ends the request in flight', async () => {
    const { hung, svc, r } = await waitingRequest(1, {
      retryIntervalSeconds: 60,
      retryMaxIntervalSeconds: 60,
    });
    const res = await svc.api('PATCH', `/api/v1/recipients/${r.id}`, { timeoutSeconds: 0.5 });
    expect(res.status).toBe(200);
    await waitUntil(() => hung.cut === 1, 'the request cut', SOON_MS);
    // It counts as a time-out under the new setting: a failed attempt, retried later.
    const head = await waitUntil(async () => {
      const [d] = await deliveries(svc, r.id, 'pending');
      return d !== undefined && d.attemptCount === 1 ? d : undefined;
    }, 'the attempt recorded');
    expect(head?.lastError).toMatch(/within 500 ms/);
  });

  it.each([
    ['pausing', { paused: true }, { paused: false }],
    ['disabling', { enabled: false }, { enabled: true }],
  ])(
    '%s cuts the request in flight; the head stays pending and is sent again with its id',
    async (_name, stop, resume) => {
      const { hung, svc, r, ids } = await waitingRequest(1);
      const [id] = ids;
      expect((await svc.api('PATCH', `/api/v1/recipients/${r.id}`, stop)).status).toBe(200);
      await waitUntil(() => hung.cut === 1, 'the request cut', SOON_MS);
      // Its outcome is unknown: not delivered, no failed attempt, still the head.
      const [head] = await deliveries(svc, r.id, 'pending');
      expect(head).toMatchObject({ eventId: id, state: 'pending', attemptCount: 0 });

      hung.hang = false;
      expect((await svc.api('PATCH', `/api/v1/recipients/${r.id}`, resume)).status).toBe(200);
      await waitUntil(
        async () => (await deliveries(svc, r.id, 'delivered')).length === 1,
        'the head delivered after resuming',
      );
      expect(hung.requests.map((q) => q.headers['webhook-id'])).toEqual([id, id]);
    },
  );

  it('a time-out above the bound is refused, naming the field', async () => {
    const svc = await service();
    const res = await svc.api('POST', '/api/v1/recipients', {
      name: 'slow',
      url: 'http://127.0.0.1:9/hook',
      timeoutSeconds: MAX_TIMEOUT_SECONDS + 1,
    });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('timeoutSeconds');
    expect(res.body.message ?? res.body.error).toMatch(new RegExp(`${MAX_TIMEOUT_SECONDS}`));
  });

  it('deleting the recipient cuts the request in flight', async () => {
    const { hung, svc, r } = await waitingRequest(1);
    expect((await svc.api('DELETE', `/api/v1/recipients/${r.id}`)).status).toBeLessThan(300);
    await waitUntil(() => hung.cut === 1, 'the request cut', SOON_MS);
  });

  it('setting the hung head aside cuts its request and moves on to the next event', async () => {
    const { hung, svc, r } = await waitingRequest(2);
    // Answered once the head is set aside, not once its 120 s time-out ran out.
    const aside = await Promise.race([
      svc.api('POST', `/api/v1/recipients/${r.id}/set-aside`),
      new Promise<'waited'>((resolve) => setTimeout(resolve, SOON_MS, 'waited')),
    ]);
    expect(aside).not.toBe('waited');
    expect((aside as { status: number }).status).toBeLessThan(300);
    await waitUntil(() => hung.cut >= 1, 'the request cut', SOON_MS);
    const failed = await deliveries(svc, r.id, 'failed');
    expect(failed).toHaveLength(1);
    // The next event goes out (and hangs in its turn).
    await waitUntil(() => hung.open === 1 && hung.cut === 1, 'the next request waiting', SOON_MS);
  });
});
