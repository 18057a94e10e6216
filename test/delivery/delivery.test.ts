/** End to end: events posted to the API reach a real receiver byte-exact (CONTRACT §2). */
import { afterEach, describe, expect, it } from 'vitest';
import { FORM_CONTENT_TYPE } from '../../src/events/index.js';
import {
  acceptedCount,
  addRecipient,
  allDelivered,
  cleanup,
  type EventInput,
  makeEvent,
  postEach,
  postEvents,
  receiver,
  service,
  wire,
} from './e2e.js';

afterEach(cleanup);

const QUERY = '?outbound_event_token=a%2Bb&appliance_id=x';

/** One of each of the seven events, with values that need form encoding. */
function sevenEvents(): EventInput[] {
  return [
    makeEvent('begin', { external_key: 'INC-7 & co=1+1' }),
    makeEvent('owner_changed', { conference_id: 'rep:12', conference_name: 'Jane Doe' }),
    makeEvent('owner_changed', { conference_id: 'general', conference_name: 'General' }),
    makeEvent('member_added', { type: 'customer', display_name: 'Zoë Ünal 😀 a+b=c&d' }),
    makeEvent('member_added', {
      type: 'representative',
      display_name: 'Jane Doe',
      user_id: '12',
      username: 'jdoe',
    }),
    makeEvent('member_departed', { type: 'customer', display_name: 'Zoë Ünal 😀 a+b=c&d' }),
    makeEvent('member_departed', {
      type: 'representative',
      display_name: 'Jane Doe',
      user_id: '12',
      username: 'jdoe',
      external_key: 'INC-7',
    }),
    makeEvent('customer_exit_survey_completed'),
    makeEvent('representative_exit_survey_completed'),
    makeEvent('end'),
  ];
}

/** What the contract says a receiver reads: every variable as a string, nothing else. */
function contractFields(event: EventInput): Record<string, string> {
  return Object.fromEntries(Object.entries(event).map(([k, v]) => [k, String(v)]));
}

describe('delivery through the API', () => {
  it('delivers each of the seven events byte-exact, in order, with the configured URL', async () => {
    const r = await receiver();
    const svc = await service();
    const recipient = await addRecipient(svc, { name: 'r', url: `${r.url}${QUERY}` });
    expect(recipient.url).toBe(`${r.url}${QUERY}`);

    const events = sevenEvents();
    const ids = await postEach(svc, events);
    await acceptedCount(r, events.length);
    await allDelivered(svc, recipient.id, events.length);

    expect(new Set(events.map((e) => e.event)).size).toBe(7);
    expect(r.accepted).toEqual(events.map(wire));
    expect(r.requests).toHaveLength(events.length);
    r.requests.forEach((request, i) => {
      const event = events[i] as EventInput;
      expect(request.method).toBe('POST');
      expect(request.url).toBe(`/hook${QUERY}`);
      expect(request.headers['content-type']).toBe(FORM_CONTENT_TYPE);
      expect(request.headers['webhook-id']).toBe(ids[i]);
      // A receiver reading the body with an ordinary form parser gets exactly the contract's
      // variables, strings only.
      const fields = Object.fromEntries(new URLSearchParams(request.body));
      expect(fields).toEqual(contractFields(event));
      expect(new URLSearchParams(request.body).getAll('event')).toHaveLength(1);
    });
    const query = new URLSearchParams((r.requests[0]?.url ?? '').split('?')[1]);
    expect([...query]).toEqual([
      ['outbound_event_token', 'a+b'],
      ['appliance_id', 'x'],
    ]);
    expect(r.maxInFlight).toBe(1);

    // Spot checks against the contract's wording.
    const begin = Object.fromEntries(new URLSearchParams(r.accepted[0]));
    expect(begin).toMatchObject({ event: 'support_conference_begin', version: '1' });
    const customer = Object.fromEntries(new URLSearchParams(r.accepted[3]));
    expect(Object.keys(customer).sort()).toEqual(
      ['display_name', 'event', 'lsid', 'timestamp', 'type', 'version'].sort(),
    );
    expect(customer.external_key).toBeUndefined();
    const rep = Object.fromEntries(new URLSearchParams(r.accepted[4]));
    expect(rep).toMatchObject({ type: 'representative', user_id: '12', username: 'jdoe' });
    const last = Object.fromEntries(new URLSearchParams(r.accepted[8]));
    expect(last.event).toBe('support_conference_representative_exit_survey_completed');
  });

  it('defaults version to 1 and timestamp to the acceptance time', async () => {
    const r = await receiver();
    const svc = await service();
    await addRecipient(svc, { name: 'r', url: r.url });
    const before = Math.floor(Date.now() / 1000);
    await postEvents(svc, { event: 'support_conference_begin', lsid: '42' });
    const after = Math.ceil(Date.now() / 1000);
    await acceptedCount(r, 1);
    const fields = Object.fromEntries(new URLSearchParams(r.accepted[0]));
    expect(Object.keys(fields)).toEqual(['event', 'version', 'timestamp', 'lsid']);
    expect(fields.version).toBe('1');
    expect(Number(fields.timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(fields.timestamp)).toBeLessThanOrEqual(after);
    expect(fields.lsid).toBe('42');
  });

  it('accepts an event posted as a form body, as the appliance sends it', async () => {
    const r = await receiver();
    const svc = await service();
    await addRecipient(svc, { name: 'r', url: r.url });
    const post = (body: string) =>
      fetch(`${svc.url}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${svc.token}`, 'content-type': FORM_CONTENT_TYPE },
        body,
      });

    const form = new URLSearchParams({
      event: 'support_conference_member_added',
      version: '1',
      timestamp: '1700000123',
      lsid: '0042',
      external_key: 'INC 7+8',
      type: 'representative',
      display_name: 'Jane Ö',
      user_id: '12',
      username: 'jdoe',
    }).toString();
    const res = await post(form);
    expect(res.status).toBe(202);
    const { ids } = (await res.json()) as { ids: string[] };
    expect(ids).toHaveLength(1);

    // The deployed appliances' short name is accepted and sent as the guide's name.
    const alias = await post(
      'event=support_conference_rep_exit_survey_completed&version=1&timestamp=1700000124&lsid=0042',
    );
    expect(alias.status).toBe(202);

    await acceptedCount(r, 2);
    expect(r.accepted[0]).toBe(form);
    expect(r.requests[0]?.headers['webhook-id']).toBe(ids[0]);
    expect(r.accepted[1]).toBe(
      'event=support_conference_representative_exit_survey_completed&version=1&timestamp=1700000124&lsid=0042',
    );
  });

  it('delivers a bulk array in its order, each with its own id', async () => {
    const r = await receiver();
    const svc = await service();
    const recipient = await addRecipient(svc, { name: 'r', url: r.url });
    const events = sevenEvents();
    const ids = await postEvents(svc, events);
    expect(ids).toHaveLength(events.length);
    expect(new Set(ids).size).toBe(events.length);
    await acceptedCount(r, events.length);
    await allDelivered(svc, recipient.id, events.length);
    expect(r.accepted).toEqual(events.map(wire));
    expect(r.requests.map((q) => q.headers['webhook-id'])).toEqual(ids);
  });

  it('delivers to several recipients, each in acceptance order', async () => {
    const a = await receiver();
    const b = await receiver();
    const svc = await service();
    await addRecipient(svc, { name: 'a', url: a.url });
    await addRecipient(svc, { name: 'b', url: b.url });
    const events = Array.from({ length: 30 }, (_, i) =>
      makeEvent(i % 2 ? 'begin' : 'end', { lsid: `S${i}` }),
    );
    // Concurrent requests: acceptance order is whatever order the API committed them in, and
    // both recipients must see that same order.
    const ids = (await Promise.all(events.map((e) => postEvents(svc, e)))).flat();
    await acceptedCount(a, events.length);
    await acceptedCount(b, events.length);
    const orderA = a.requests.map((q) => q.headers['webhook-id']);
    const orderB = b.requests.map((q) => q.headers['webhook-id']);
    expect(orderA).toEqual(orderB);
    expect([...orderA].sort()).toEqual([...ids].sort());
    expect(a.maxInFlight).toBe(1);
    expect(b.maxInFlight).toBe(1);
  });
});
