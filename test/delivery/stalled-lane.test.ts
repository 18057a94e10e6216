/**
 * End to end: the dispatcher's safety net. Work that reached the store without a wake-up (as
 * when another process, such as the CLI, writes it) is picked up by the periodic sweep, and
 * /metrics shows how long the oldest pending delivery has waited.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newEventUid } from '../../src/ids.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import type { NewEvent } from '../../src/types.js';
import { recipientInput } from '../store/fixtures.js';
import type { TestService } from '../support/service.js';
import { waitUntil } from '../support/wait.js';
import {
  acceptedCount,
  addRecipient,
  allDelivered,
  cleanup,
  deliveries,
  type EventInput,
  getRecipient,
  makeEvent,
  metrics,
  onCleanup,
  postEach,
  receiver,
  sample,
  service,
  wire,
} from './e2e.js';

afterEach(cleanup);

/** A second connection to the service's database, the way the CLI opens it. */
function secondStore(svc: TestService): Store {
  const store = openStore(svc.databaseUrl);
  onCleanup(() => store.close());
  return store;
}

function stored(event: EventInput): NewEvent {
  return {
    uid: newEventUid(),
    name: event.event as NewEvent['name'],
    lsid: String(event.lsid),
    externalKey: null,
    timestamp: Number(event.timestamp),
    body: wire(event),
  };
}

const SWEEP_MS = 200;

describe('stalled lane safety net', () => {
  it('delivers a head whose retry time has passed without any wake-up', async () => {
    const r = await receiver();
    const svc = await service({ sweepIntervalMs: SWEEP_MS });
    const recipient = await addRecipient(svc, { name: 'r', url: r.url });
    const other = secondStore(svc);

    const now = Date.now();
    const event = makeEvent('begin');
    const accepted = await other.acceptEvents([stored(event)], now - 60_000);
    const seq = accepted.ids[0] as number;
    expect(accepted.recipientIds).toEqual([recipient.id]);
    // A failed attempt whose retry was due half a minute ago: the lane never heard of it.
    await other.recordFailure(
      recipient.id,
      seq,
      {
        at: now - 31_000,
        status: 500,
        errorCode: 'HTTP_STATUS',
        error: 'HTTP 500',
        latencyMs: 1,
        snippet: null,
      },
      now - 30_000,
    );

    await acceptedCount(r, 1, 20 * SWEEP_MS + 5_000);
    expect(r.accepted).toEqual([wire(event)]);
    await allDelivered(svc, recipient.id, 1);
    const [done] = await deliveries(svc, recipient.id);
    expect(done).toMatchObject({ seq, state: 'delivered', attemptCount: 2 });
    const text = await metrics(svc);
    expect(sample(text, 'outbound_oldest_pending_age_seconds', recipient.id)).toBe(0);
    expect(sample(text, 'outbound_queue_depth', recipient.id)).toBe(0);
  });

  it('notices a head made due by another process while its lane sleeps on a long retry', async () => {
    const r = await receiver({ kind: 'status', status: 500 });
    const svc = await service({ sweepIntervalMs: SWEEP_MS });
    const recipient = await addRecipient(svc, {
      name: 'sleeper',
      url: r.url,
      retryIntervalSeconds: 600,
      retryMaxIntervalSeconds: 600,
    });
    const event = makeEvent('begin');
    await postEach(svc, [event]);
    await waitUntil(() => r.requests.length >= 1, 'the first failed attempt');
    await waitUntil(
      async () => (await getRecipient(svc, recipient.id)).status.nextAttemptAt !== null,
      'the lane to sleep until its retry',
    );
    r.mode = { kind: 'ok' };
    // What `retry now` from another process does: the head is due, no wake-up is sent.
    const other = secondStore(svc);
    expect(await other.retryNow(recipient.id, Date.now())).toBe(true);
    await acceptedCount(r, 1, 20 * SWEEP_MS + 5_000);
    expect(r.accepted).toEqual([wire(event)]);
  });

  it('picks up a recipient and its events written by another process', async () => {
    const r = await receiver();
    const svc = await service({ sweepIntervalMs: SWEEP_MS });
    const other = secondStore(svc);
    const created = await other.createRecipient(
      recipientInput({
        name: 'from-cli',
        url: r.url,
        retryIntervalMs: 50,
        retryMaxIntervalMs: 200,
      }),
      Date.now(),
    );
    const events = [makeEvent('begin'), makeEvent('end')];
    await other.acceptEvents(events.map(stored), Date.now());
    await acceptedCount(r, 2, 20 * SWEEP_MS + 5_000);
    expect(r.accepted).toEqual(events.map(wire));
    await allDelivered(svc, created.id, 2);
  });

  it('shows the oldest pending age in /metrics while a lane is stuck, and 0 after', async () => {
    const r = await receiver();
    const svc = await service({ sweepIntervalMs: SWEEP_MS });
    const recipient = await addRecipient(svc, { name: 'stuck', url: r.url });
    const idle = await metrics(svc);
    expect(sample(idle, 'outbound_oldest_pending_age_seconds', recipient.id)).toBe(0);
    await r.down();

    const other = secondStore(svc);
    const event = makeEvent('begin');
    await other.acceptEvents([stored(event)], Date.now() - 60_000);
    const stuck = await metrics(svc);
    expect(sample(stuck, 'outbound_queue_depth', recipient.id)).toBe(1);
    const age = sample(stuck, 'outbound_oldest_pending_age_seconds', recipient.id);
    expect(age).toBeGreaterThanOrEqual(59);
    expect(stuck).toMatch(
      new RegExp(
        `^outbound_oldest_pending_age_seconds\\{name="stuck",recipient="${recipient.id}"\\} [0-9.]+$`,
        'm',
      ),
    );
    const shown = await getRecipient(svc, recipient.id);
    expect(shown.status.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(59);
    expect(shown.status.queued).toBe(1);

    // The sweep finds it; it is refused until the receiver is back, then delivered.
    await waitUntil(async () => {
      const [head] = await deliveries(svc, recipient.id, 'pending');
      return head !== undefined && head.attemptCount >= 1;
    }, 'an attempt of the head');
    await r.up();
    await acceptedCount(r, 1);
    await allDelivered(svc, recipient.id, 1);
    const after = await metrics(svc);
    expect(sample(after, 'outbound_oldest_pending_age_seconds', recipient.id)).toBe(0);
    expect(sample(after, 'outbound_queue_depth', recipient.id)).toBe(0);
  });
});
