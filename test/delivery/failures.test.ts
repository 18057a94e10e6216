/**
 * End to end: while a recipient fails, its head is retried and nothing newer is sent to it;
 * once it answers 200 again every event arrives in order exactly once, and a healthy recipient
 * is never held up by a failing one (CONTRACT §3).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TestReceiver } from '../support/receiver.js';
import { waitUntil } from '../support/wait.js';
import {
  acceptedCount,
  addRecipient,
  allDelivered,
  cleanup,
  deliveries,
  numbered,
  postEach,
  receiver,
  service,
  wire,
} from './e2e.js';

afterEach(cleanup);

interface FailureMode {
  name: string;
  /** The stable code recorded for each failed attempt. */
  errorCode: string;
  /** Whether the receiver sees the failed requests (not when nothing listens). */
  seesRequests: boolean;
  fail(r: TestReceiver): Promise<void> | void;
  heal(r: TestReceiver): Promise<void> | void;
}

const status = (code: number): FailureMode => ({
  name: `answers ${code}`,
  errorCode: 'HTTP_STATUS',
  seesRequests: true,
  fail: (r) => {
    r.mode = { kind: 'status', status: code };
  },
  heal: (r) => {
    r.mode = { kind: 'ok' };
  },
});

const MODES: FailureMode[] = [
  {
    name: 'is down (connection refused)',
    errorCode: 'CONNECTION_REFUSED',
    seesRequests: false,
    fail: (r) => r.down(),
    heal: (r) => r.up(),
  },
  status(500),
  status(201),
  status(302),
  {
    name: 'hangs past the time-out',
    errorCode: 'TIMEOUT',
    seesRequests: true,
    fail: (r) => {
      r.mode = { kind: 'hang' };
    },
    heal: (r) => {
      r.mode = { kind: 'ok' };
    },
  },
  {
    name: 'resets the connection',
    errorCode: 'CONNECTION_RESET',
    seesRequests: true,
    fail: (r) => {
      r.mode = { kind: 'reset' };
    },
    heal: (r) => {
      r.mode = { kind: 'ok' };
    },
  },
];

const N = 5;

describe.each(MODES)('a recipient that $name', (mode) => {
  it('gets only its head retried, then every event in order exactly once', async () => {
    const failing = await receiver();
    const healthy = await receiver();
    const svc = await service();
    const bad = await addRecipient(svc, { name: 'failing', url: failing.url, timeoutSeconds: 0.5 });
    const good = await addRecipient(svc, { name: 'healthy', url: healthy.url });
    await mode.fail(failing);

    const events = numbered(N);
    const bodies = events.map(wire);
    const ids = await postEach(svc, events);

    // The healthy recipient is not held up by the failing one.
    await acceptedCount(healthy, N);
    expect(healthy.accepted).toEqual(bodies);

    // The failing recipient's head has been tried at least twice (a retry happened)…
    await waitUntil(async () => {
      const [head] = await deliveries(svc, bad.id, 'pending');
      return head !== undefined && head.attemptCount >= 2;
    }, 'two failed attempts of the head');
    const pending = await deliveries(svc, bad.id, 'pending');
    expect(pending.map((d) => d.eventId)).toEqual(ids);
    // …and nothing newer than the head was sent meanwhile.
    expect(pending.slice(1).map((d) => d.attemptCount)).toEqual(Array(N - 1).fill(0));
    const head = pending[0];
    expect(head?.failedAttempts.length).toBe(head?.attemptCount);
    for (const attempt of head?.failedAttempts ?? [])
      expect(attempt.errorCode).toBe(mode.errorCode);
    expect(failing.accepted).toEqual([]);
    for (const request of failing.requests) {
      expect(request.body).toBe(bodies[0]);
      expect(request.headers['webhook-id']).toBe(ids[0]);
      expect(request.url).toBe('/hook'); // a redirect is never followed
    }
    if (mode.seesRequests) expect(failing.requests.length).toBeGreaterThanOrEqual(2);
    else expect(failing.requests).toEqual([]);
    const shown = (await svc.api('GET', `/api/v1/recipients/${bad.id}`)).body;
    expect(shown.status.queued).toBe(N);
    expect(shown.status.lastError).toEqual(expect.any(String));

    await mode.heal(failing);
    await allDelivered(svc, bad.id, N);
    expect(failing.accepted).toEqual(bodies);
    // The last N requests are the answered ones, each event once, with its own id.
    expect(failing.requests.slice(-N).map((q) => q.headers['webhook-id'])).toEqual(ids);
    expect(failing.maxInFlight).toBe(1);
    expect(healthy.accepted).toEqual(bodies);
    await allDelivered(svc, good.id, N);
  });
});
