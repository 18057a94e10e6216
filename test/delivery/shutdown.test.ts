/**
 * End to end: a graceful stop does not wait on a hanging recipient past its deadline, and
 * nothing un-acknowledged is lost: after a restart on the same data the head is sent again,
 * with the same event id, followed by the rest of the queue (CONTRACT §3).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import {
  acceptedCount,
  addRecipient,
  allDelivered,
  cleanup,
  deliveries,
  numbered,
  postEvents,
  receiver,
  service,
  wire,
} from './e2e.js';

afterEach(cleanup);

const SHUTDOWN_MS = 300;

describe('graceful shutdown', () => {
  it('stops within its deadline while a request hangs, and re-sends the head after a restart', async () => {
    const r = await receiver({ kind: 'hang' });
    const first = await service({ shutdownTimeoutMs: SHUTDOWN_MS });
    // The request would hang for 30 s: only the shutdown deadline can end it.
    const recipient = await addRecipient(first, { name: 'r', url: r.url, timeoutSeconds: 30 });
    const events = numbered(3);
    const ids = await postEvents(first, events);
    await waitUntil(() => r.requests.length === 1, 'the head in flight');
    expect(r.requests[0]?.headers['webhook-id']).toBe(ids[0]);

    const started = performance.now();
    await first.stop({ keepData: true });
    const took = performance.now() - started;
    // Generous: the point is that it did not wait for the 30 s request.
    expect(took).toBeLessThan(SHUTDOWN_MS + 10_000);
    expect(r.requests).toHaveLength(1);
    const ready = await fetch(`${first.url}/readyz`).catch(() => null);
    expect(ready).toBeNull(); // no longer listening

    r.mode = { kind: 'ok' };
    const second = await service({}, first.dir);
    await acceptedCount(r, 3);
    await allDelivered(second, recipient.id, 3);
    expect(r.accepted).toEqual(events.map(wire));
    expect(r.requests.map((q) => q.headers['webhook-id'])).toEqual([ids[0], ...ids]);
    const history = await deliveries(second, recipient.id);
    expect(history.map((d) => d.eventId)).toEqual([...ids].reverse());
    expect(r.maxInFlight).toBe(1);
  });

  it('stops promptly with nothing in flight, keeping queued events for the next start', async () => {
    const r = await receiver();
    const first = await service({ shutdownTimeoutMs: SHUTDOWN_MS });
    const recipient = await addRecipient(first, { name: 'r', url: r.url });
    await first.api('POST', `/api/v1/recipients/${recipient.id}/pause`);
    const events = numbered(2);
    await postEvents(first, events);
    await first.stop({ keepData: true });

    const second = await service({}, first.dir);
    const [shown] = (await second.api('GET', '/api/v1/recipients')).body.recipients;
    expect(shown.status).toMatchObject({ state: 'paused', queued: 2 });
    await second.api('POST', `/api/v1/recipients/${recipient.id}/resume`);
    await acceptedCount(r, 2);
    expect(r.accepted).toEqual(events.map(wire));
  });
});
