/**
 * Two services in this process on one PostgreSQL database. The sweep is slowed to a minute so
 * that what is seen here is done by the signals between nodes (LISTEN/NOTIFY): lanes split on
 * a join, work accepted by one node wakes the lane the other drives, and a node that stops
 * hands its lanes over at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  addRecipient,
  cleanup,
  makeEvent,
  onCleanup,
  postEvents,
  service,
} from '../delivery/e2e.js';
import { LaneReceiver } from '../support/lane-receiver.js';
import { createDatabase } from '../support/postgres.js';
import type { TestService } from '../support/service.js';
import { sleep, waitUntil } from '../support/wait.js';

afterEach(cleanup);

const RECIPIENTS = 12;

async function lanesOf(svc: TestService): Promise<number> {
  const response = await fetch(`${svc.url}/readyz`);
  const body = (await response.json()) as { lanes: number; node?: number };
  expect(body.node).toEqual(expect.any(Number));
  return body.lanes;
}

describe('two nodes on one PostgreSQL database', () => {
  it('split the lanes, wake each other, keep order, and take over at once on a clean stop', async () => {
    const db = await createDatabase();
    onCleanup(db.drop);
    const receiver = await LaneReceiver.start({ delayMs: () => Math.random() * 3 });
    onCleanup(() => receiver.close());
    const settings = { databaseUrl: db.url, leaseMs: 2000, sweepIntervalMs: 60_000 };
    const a = await service(settings);
    const names = Array.from({ length: RECIPIENTS }, (_, i) => `r${i}`);
    for (const name of names) await addRecipient(a, { name, url: receiver.urlFor(name) });
    const b = await service(settings);

    await waitUntil(async () => {
      const [onA, onB] = [await lanesOf(a), await lanesOf(b)];
      return onA > 0 && onB > 0 && onA + onB === RECIPIENTS;
    }, 'the lanes to split between the nodes');

    // Accepted through either node, one request at a time: this is the acceptance order.
    const lsids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const event = makeEvent('begin');
      lsids.push(String(event.lsid));
      await postEvents(i % 2 === 0 ? a : b, event);
    }
    const delivered = (name: string) => receiver.lane(name).accepted;
    await waitUntil(
      () => names.every((name) => delivered(name).length >= lsids.length),
      'every event at every recipient',
    );
    for (const name of names) expect(delivered(name)).toEqual(lsids);
    expect(receiver.overlaps).toBe(0);

    // Paused through one node, a recipient stops on whichever node drives it, and resumes.
    const ids = (await a.api('GET', '/api/v1/recipients')).body.recipients.map(
      (r: { id: number }) => r.id,
    );
    for (const id of ids)
      expect((await a.api('POST', `/api/v1/recipients/${id}/pause`)).status).toBe(200);
    const paused: string[] = [];
    for (let i = 0; i < 4; i++) {
      const event = makeEvent('begin');
      paused.push(String(event.lsid));
      await postEvents(i % 2 === 0 ? a : b, event);
    }
    await sleep(500);
    for (const name of names) expect(delivered(name)).toEqual(lsids);
    for (const id of ids)
      expect((await a.api('POST', `/api/v1/recipients/${id}/resume`)).status).toBe(200);
    lsids.push(...paused);
    await waitUntil(
      () => names.every((name) => delivered(name).length >= lsids.length),
      'the events queued while paused',
    );
    for (const name of names) expect(delivered(name)).toEqual(lsids);

    // A clean stop gives its lanes up: the other node drives all of them, without a sweep.
    await a.stop();
    await waitUntil(async () => (await lanesOf(b)) === RECIPIENTS, 'b to take every lane');
    const more: string[] = [];
    for (let i = 0; i < 10; i++) {
      const event = makeEvent('begin');
      more.push(String(event.lsid));
      await postEvents(b, event);
    }
    await waitUntil(
      () => names.every((name) => delivered(name).length >= lsids.length + more.length),
      'the later events',
    );
    for (const name of names) expect(delivered(name)).toEqual([...lsids, ...more]);
    expect(receiver.overlaps).toBe(0);
  });
});
