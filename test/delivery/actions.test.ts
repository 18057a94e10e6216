/**
 * End to end: the recipient actions of the API (CONTRACT §5) — set aside, retry now, pause and
 * resume, test event — and how recipient settings (enabled, events, url, delete) steer delivery.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, waitUntil } from '../support/wait.js';
import {
  acceptedCount,
  addRecipient,
  allDelivered,
  cleanup,
  deliveries,
  getRecipient,
  makeEvent,
  numbered,
  postEach,
  postEvents,
  receiver,
  service,
  wire,
} from './e2e.js';

afterEach(cleanup);

describe('recipient actions', () => {
  it('set-aside moves the head to failed and the next event is delivered', async () => {
    const r = await receiver();
    const svc = await service();
    const recipient = await addRecipient(svc, { name: 'r', url: r.url });
    const events = numbered(2);
    const bodies = events.map(wire);
    r.modeFor = (q) => (q.body === bodies[0] ? { kind: 'status', status: 503 } : undefined);
    const ids = await postEvents(svc, events);
    await waitUntil(async () => {
      const [head] = await deliveries(svc, recipient.id, 'pending');
      return head !== undefined && head.attemptCount >= 1;
    }, 'a failed attempt of the head');
    expect(r.accepted).toEqual([]);

    const res = await svc.api('POST', `/api/v1/recipients/${recipient.id}/set-aside`);
    expect(res.status).toBe(200);
    const [head] = await deliveries(svc, recipient.id, 'failed');
    expect(res.body).toEqual({ setAside: head?.seq });
    expect(head?.eventId).toBe(ids[0]);
    await acceptedCount(r, 1);
    expect(r.accepted).toEqual([bodies[1]]);
    await waitUntil(
      async () => (await deliveries(svc, recipient.id, 'pending')).length === 0,
      'an empty queue',
    );
    // Nothing left to set aside.
    const empty = await svc.api('POST', `/api/v1/recipients/${recipient.id}/set-aside`);
    expect(empty.status).toBe(409);
    expect(empty.body.error).toBe('conflict');
  });

  it('retry now sends a head that waits on a long retry interval at once', async () => {
    const r = await receiver();
    const svc = await service();
    const recipient = await addRecipient(svc, {
      name: 'r',
      url: r.url,
      retryIntervalSeconds: 60,
      retryMaxIntervalSeconds: 60,
    });
    await r.down();
    const event = makeEvent('begin');
    const [id] = await postEvents(svc, event);
    await waitUntil(async () => {
      const [head] = await deliveries(svc, recipient.id, 'pending');
      return head !== undefined && head.attemptCount === 1;
    }, 'a refused attempt');
    const [head] = await deliveries(svc, recipient.id, 'pending');
    expect(Date.parse(head?.nextAttemptAt ?? '')).toBeGreaterThan(Date.now() + 30_000);
    expect((await getRecipient(svc, recipient.id)).status.state).toBe('waiting');

    await r.up();
    const res = await svc.api('POST', `/api/v1/recipients/${recipient.id}/retry`);
    expect(res).toEqual({ status: 200, body: { retried: true } });
    // Far sooner than the 60 s the lane was waiting for.
    await acceptedCount(r, 1, 15_000);
    expect(r.accepted).toEqual([wire(event)]);
    expect(r.requests[0]?.headers['webhook-id']).toBe(id);
    await allDelivered(svc, recipient.id, 1);
    const again = await svc.api('POST', `/api/v1/recipients/${recipient.id}/retry`);
    expect(again.body).toEqual({ retried: false });
  });

  it('pause queues events without sending; resume sends them all in order', async () => {
    const r = await receiver();
    const svc = await service();
    const recipient = await addRecipient(svc, { name: 'r', url: r.url });
    const paused = await svc.api('POST', `/api/v1/recipients/${recipient.id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ paused: true, status: { state: 'paused' } });

    const events = numbered(4);
    const ids = await postEach(svc, events);
    const list = (await svc.api('GET', '/api/v1/recipients')).body.recipients;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: recipient.id, paused: true });
    expect(list[0].status).toMatchObject({ state: 'paused', queued: 4, failed: 0 });
    expect(list[0].status.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(0);
    const pending = await deliveries(svc, recipient.id, 'pending');
    expect(pending.map((d) => [d.eventId, d.attemptCount])).toEqual(ids.map((id) => [id, 0]));
    // A few sweeps and retry intervals later, still nothing was sent.
    await sleep(500);
    expect(r.requests).toEqual([]);

    const resumed = await svc.api('POST', `/api/v1/recipients/${recipient.id}/resume`);
    expect(resumed.body).toMatchObject({ paused: false });
    await acceptedCount(r, 4);
    expect(r.accepted).toEqual(events.map(wire));
    await allDelivered(svc, recipient.id, 4);
    expect((await getRecipient(svc, recipient.id)).status).toMatchObject({
      state: 'idle',
      queued: 0,
    });
  });

  it('a test event reaches only its recipient', async () => {
    const a = await receiver();
    const b = await receiver();
    const svc = await service();
    const ra = await addRecipient(svc, { name: 'a', url: a.url });
    const rb = await addRecipient(svc, { name: 'b', url: b.url });

    const res = await svc.api('POST', `/api/v1/recipients/${ra.id}/test`);
    expect(res.status).toBe(202);
    const [id] = res.body.ids as string[];
    await acceptedCount(a, 1);
    const fields = Object.fromEntries(new URLSearchParams(a.accepted[0]));
    expect(fields).toMatchObject({
      event: 'support_conference_begin',
      version: '1',
      lsid: 'outbound-test',
    });
    expect(Object.keys(fields)).toEqual(['event', 'version', 'timestamp', 'lsid']);
    expect(a.requests[0]?.headers['webhook-id']).toBe(id);

    // A given event, also for this recipient only.
    const custom = makeEvent('end', { lsid: 'probe' });
    const given = await svc.api('POST', `/api/v1/recipients/${rb.id}/test`, custom);
    expect(given.status).toBe(202);
    await acceptedCount(b, 1);
    expect(b.accepted).toEqual([wire(custom)]);

    // An ordinary event goes to both; neither saw the other's test event.
    const ordinary = makeEvent('begin');
    await postEvents(svc, ordinary);
    await acceptedCount(a, 2);
    await acceptedCount(b, 2);
    expect(a.accepted[1]).toBe(wire(ordinary));
    expect(b.accepted).toEqual([wire(custom), wire(ordinary)]);
    expect(await deliveries(svc, ra.id)).toHaveLength(2);
    expect(await deliveries(svc, rb.id)).toHaveLength(2);

    const unknown = await svc.api('POST', '/api/v1/recipients/999/test');
    expect(unknown.status).toBe(404);
  });

  it('a disabled recipient is queued nothing', async () => {
    const off = await receiver();
    const on = await receiver();
    const svc = await service();
    const disabled = await addRecipient(svc, { name: 'off', url: off.url, enabled: false });
    expect(disabled.status.state).toBe('disabled');
    const enabled = await addRecipient(svc, { name: 'on', url: on.url });

    const first = makeEvent('begin');
    await postEvents(svc, first);
    await acceptedCount(on, 1);
    expect(await deliveries(svc, disabled.id)).toEqual([]);
    expect((await getRecipient(svc, disabled.id)).status).toMatchObject({ queued: 0 });
    const test = await svc.api('POST', `/api/v1/recipients/${disabled.id}/test`);
    expect(test.status).toBe(409);

    // Enabled again: later events are delivered, the earlier one was never queued.
    const patched = await svc.api('PATCH', `/api/v1/recipients/${disabled.id}`, {
      enabled: true,
    });
    expect(patched.status).toBe(200);
    const second = makeEvent('end');
    await postEvents(svc, second);
    await acceptedCount(off, 1);
    await acceptedCount(on, 2);
    expect(off.accepted).toEqual([wire(second)]);
    expect(off.requests).toHaveLength(1);
    await allDelivered(svc, enabled.id, 2);
  });

  it('a recipient subscribed to some event types gets only those', async () => {
    const some = await receiver();
    const all = await receiver();
    const svc = await service();
    const subscribed = await addRecipient(svc, {
      name: 'members',
      url: some.url,
      events: ['support_conference_member_added'],
    });
    expect(subscribed.events).toEqual(['support_conference_member_added']);
    await addRecipient(svc, { name: 'all', url: all.url });

    const events = [
      makeEvent('begin'),
      makeEvent('member_added', { type: 'customer', display_name: 'Ann' }),
      makeEvent('owner_changed', { conference_id: 'team:5', conference_name: 'Team' }),
      makeEvent('member_departed', { type: 'customer', display_name: 'Ann' }),
      makeEvent('member_added', {
        type: 'representative',
        display_name: 'Bob',
        user_id: '3',
        username: 'bob',
      }),
      makeEvent('end'),
    ];
    await postEvents(svc, events);
    await acceptedCount(all, events.length);
    await acceptedCount(some, 2);
    expect(all.accepted).toEqual(events.map(wire));
    expect(some.accepted).toEqual([wire(events[1] ?? {}), wire(events[4] ?? {})]);
    await allDelivered(svc, subscribed.id, 2);
    expect(some.requests).toHaveLength(2);
  });

  it('a PATCHed url takes effect for the next events', async () => {
    const before = await receiver();
    const after = await receiver();
    const svc = await service();
    const recipient = await addRecipient(svc, { name: 'r', url: before.url });
    const first = makeEvent('begin');
    await postEvents(svc, first);
    await acceptedCount(before, 1);

    const url = `${after.url}?token=t%2F1`;
    const patched = await svc.api('PATCH', `/api/v1/recipients/${recipient.id}`, { url });
    expect(patched.status).toBe(200);
    expect(patched.body.url).toBe(url);
    const second = makeEvent('end');
    await postEvents(svc, second);
    await acceptedCount(after, 1);
    expect(after.accepted).toEqual([wire(second)]);
    expect(after.requests[0]?.url).toBe('/hook?token=t%2F1');
    expect(before.accepted).toEqual([wire(first)]);
    expect(before.requests).toHaveLength(1);
  });

  it('DELETE removes a recipient, its queue and its deliveries', async () => {
    const gone = await receiver();
    const stays = await receiver();
    const svc = await service();
    const doomed = await addRecipient(svc, { name: 'gone', url: gone.url });
    const kept = await addRecipient(svc, { name: 'stays', url: stays.url });
    // Something queued and failing while it is deleted.
    await gone.down();
    await postEvents(svc, makeEvent('begin'));
    await waitUntil(async () => {
      const [head] = await deliveries(svc, doomed.id, 'pending');
      return head !== undefined && head.attemptCount >= 1;
    }, 'a refused attempt');

    const res = await svc.api('DELETE', `/api/v1/recipients/${doomed.id}`);
    expect(res.status).toBe(204);
    expect((await svc.api('GET', `/api/v1/recipients/${doomed.id}`)).status).toBe(404);
    expect((await svc.api('GET', `/api/v1/recipients/${doomed.id}/deliveries`)).status).toBe(404);
    expect((await svc.api('DELETE', `/api/v1/recipients/${doomed.id}`)).status).toBe(404);
    const list = (await svc.api('GET', '/api/v1/recipients')).body.recipients;
    expect(list.map((x: { id: number }) => x.id)).toEqual([kept.id]);

    await gone.up();
    await postEvents(svc, makeEvent('end'));
    await acceptedCount(stays, 2);
    await sleep(300);
    expect(gone.requests).toEqual([]);
    // The name is free again; the new recipient gets a new id and an empty queue.
    const again = await addRecipient(svc, { name: 'gone', url: gone.url });
    expect(again.id).not.toBe(doomed.id);
    expect(await deliveries(svc, again.id)).toEqual([]);
  });
});
