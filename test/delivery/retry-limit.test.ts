/**
 * End to end: a head that fails for longer than the recipient's retry duration is set aside as
 * failed (kept, visible, replayable) and delivery moves on (CONTRACT §3, §5 replay actions).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import {
  acceptedCount,
  addRecipient,
  cleanup,
  deliveries,
  getRecipient,
  metrics,
  numbered,
  postEvents,
  receiver,
  sample,
  service,
  wire,
} from './e2e.js';

afterEach(cleanup);

describe('retry duration', () => {
  it('sets the failing head aside, delivers the rest, and replays it on request', async () => {
    const r = await receiver();
    const svc = await service();
    const recipient = await addRecipient(svc, {
      name: 'r',
      url: r.url,
      retryDurationSeconds: 0.3,
    });
    expect(recipient.retryDurationSeconds).toBe(0.3);
    const events = numbered(3);
    const bodies = events.map(wire);
    // Only the first event is refused.
    r.modeFor = (request) =>
      request.body === bodies[0] ? { kind: 'status', status: 500 } : undefined;

    const started = new Date(Date.now() - 1000).toISOString();
    const ids = await postEvents(svc, events);
    await acceptedCount(r, 2);
    expect(r.accepted).toEqual([bodies[1], bodies[2]]);
    // The head was retried until the limit, and nothing newer went out before it was set aside.
    const attemptsOfHead = r.requests.filter((q) => q.body === bodies[0]).length;
    expect(attemptsOfHead).toBeGreaterThanOrEqual(2);
    expect(r.requests.slice(0, attemptsOfHead).every((q) => q.body === bodies[0])).toBe(true);

    const failed = await deliveries(svc, recipient.id, 'failed');
    expect(failed).toHaveLength(1);
    const [gone] = failed;
    expect(gone).toMatchObject({
      eventId: ids[0],
      event: 'support_conference_begin',
      state: 'failed',
      lastStatus: 500,
      deliveredAt: null,
    });
    expect(gone?.failedAt).toEqual(expect.any(String));
    expect(gone?.lastError).toMatch(/^HTTP 500/);
    expect(gone?.attemptCount).toBe(attemptsOfHead);
    expect(gone?.failedAttempts).toHaveLength(attemptsOfHead);
    for (const [i, attempt] of (gone?.failedAttempts ?? []).entries()) {
      expect(attempt).toMatchObject({ n: i + 1, status: 500, errorCode: 'HTTP_STATUS' });
      expect(attempt.error).toMatch(/^HTTP 500/);
    }
    await waitUntil(
      async () => (await deliveries(svc, recipient.id, 'delivered')).length === 2,
      'events 2 and 3 delivered',
    );
    const shown = await getRecipient(svc, recipient.id);
    expect(shown.status).toMatchObject({ queued: 0, failed: 1 });
    const text = await metrics(svc);
    expect(sample(text, 'outbound_failed_deliveries', recipient.id)).toBe(1);
    expect(sample(text, 'outbound_set_aside_total', recipient.id)).toBe(1);

    // Replay the failed event: it is sent again, with its original id and body.
    r.modeFor = undefined;
    const replay = await svc.api('POST', `/api/v1/recipients/${recipient.id}/replay`);
    expect(replay).toEqual({ status: 200, body: { replayed: 1 } });
    await acceptedCount(r, 3);
    expect(r.accepted[2]).toBe(bodies[0]);
    expect(r.requests.at(-1)?.headers['webhook-id']).toBe(ids[0]);
    expect(await deliveries(svc, recipient.id, 'failed')).toEqual([]);
    await waitUntil(
      async () => (await deliveries(svc, recipient.id, 'delivered')).length === 3,
      'all three delivered',
    );
    expect((await getRecipient(svc, recipient.id)).status).toMatchObject({ queued: 0, failed: 0 });

    // Replay a time range: delivered events are sent again, in acceptance order.
    const range = await svc.api('POST', `/api/v1/recipients/${recipient.id}/replay-range`, {
      from: started,
      to: new Date(Date.now() + 1000).toISOString(),
    });
    expect(range).toEqual({ status: 200, body: { replayed: 3 } });
    await acceptedCount(r, 6);
    expect(r.accepted.slice(3)).toEqual(bodies);
    expect(r.requests.slice(-3).map((q) => q.headers['webhook-id'])).toEqual(ids);
    expect(r.maxInFlight).toBe(1);
  });

  it('replays only the failed deliveries named by seq', async () => {
    const r = await receiver({ kind: 'status', status: 500 });
    const svc = await service();
    const recipient = await addRecipient(svc, {
      name: 'r',
      url: r.url,
      retryDurationSeconds: 0.1,
    });
    const events = numbered(3);
    const ids = await postEvents(svc, events);
    await waitUntil(
      async () => (await deliveries(svc, recipient.id, 'failed')).length === 3,
      'all three set aside',
    );
    const failed = await deliveries(svc, recipient.id, 'failed');
    // Newest first.
    expect(failed.map((d) => d.eventId)).toEqual([...ids].reverse());
    r.mode = { kind: 'ok' };
    const second = failed[1]?.seq;
    const replay = await svc.api('POST', `/api/v1/recipients/${recipient.id}/replay`, {
      seqs: [second],
    });
    expect(replay.body).toEqual({ replayed: 1 });
    await acceptedCount(r, 1);
    expect(r.accepted).toEqual([wire(events[1] ?? {})]);
    const stillFailed = await deliveries(svc, recipient.id, 'failed');
    expect(stillFailed.map((d) => d.eventId)).toEqual([ids[2], ids[0]]);

    const bad = await svc.api('POST', `/api/v1/recipients/${recipient.id}/replay`, {
      seqs: ['x'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('seqs');
  });
});
