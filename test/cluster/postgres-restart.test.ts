/**
 * The database restarts under two running nodes: a PostgreSQL server of this test's own is
 * stopped in the middle of a stream of events and started again. The nodes must report it on
 * /readyz, reconnect by themselves, and deliver every acknowledged event, in order.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRecipient, cleanup, onCleanup, service } from '../delivery/e2e.js';
import { type PostgresServer, startPostgres } from '../support/embedded-postgres.js';
import { LaneReceiver } from '../support/lane-receiver.js';
import type { TestService } from '../support/service.js';
import { sleep, waitUntil } from '../support/wait.js';

const RECIPIENTS = 6;

describe('PostgreSQL restarted under two nodes', () => {
  let server: PostgresServer | undefined;

  beforeAll(async () => {
    server = await startPostgres();
  });

  afterAll(async () => {
    await cleanup();
    await server?.remove();
  });

  it('nodes carry on after the restart and nothing acknowledged is lost', async () => {
    const pgServer = server as PostgresServer;
    const admin = new pg.Client({ connectionString: pgServer.url });
    await admin.connect();
    await admin.query('CREATE DATABASE outbound');
    await admin.end();
    const url = new URL(pgServer.url);
    url.pathname = '/outbound';

    const receiver = await LaneReceiver.start({ delayMs: () => Math.random() * 2 });
    onCleanup(() => receiver.close());
    const settings = { databaseUrl: url.toString(), leaseMs: 1000, sweepIntervalMs: 200 };
    const a = await service(settings);
    const b = await service(settings);
    const names = Array.from({ length: RECIPIENTS }, (_, i) => `r${i}`);
    for (const name of names) await addRecipient(a, { name, url: receiver.urlFor(name) });

    // One request at a time, alternating nodes: acceptance order is lsid order.
    const acked: string[] = [];
    let next = 0;
    let stop = false;
    const post = async (svc: TestService) => {
      const lsid = `e${String(next++).padStart(5, '0')}`;
      try {
        const response = await svc.api('POST', '/api/v1/events', {
          event: 'support_conference_begin',
          lsid,
        });
        if (response.status === 202) acked.push(lsid);
      } catch {
        // Not acknowledged: it may or may not arrive.
      }
    };
    const client = (async () => {
      for (let i = 0; !stop; i++) {
        await post(i % 2 === 0 ? a : b);
        await sleep(5);
      }
    })();

    await waitUntil(() => acked.length >= 30, 'events before the restart', 20_000);
    await pgServer.stop();
    const readiness = await fetch(`${a.url}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ status: 'store unavailable' });
    const ackedWhileDown = acked.length;
    await sleep(1500);
    // Nothing can be acknowledged without the database.
    expect(acked.length - ackedWhileDown).toBeLessThanOrEqual(1);
    await pgServer.start();

    const afterRestart = acked.length;
    await waitUntil(() => acked.length >= afterRestart + 30, 'events after the restart', 30_000);
    stop = true;
    await client;
    for (const svc of [a, b]) {
      await waitUntil(
        async () => (await fetch(`${svc.url}/readyz`)).status === 200,
        'ready again',
        10_000,
      );
    }

    const lanes = names.map((name) => receiver.lane(name));
    await waitUntil(
      () =>
        lanes.every((lane) => {
          const got = new Set(lane.accepted);
          return acked.every((lsid) => got.has(lsid));
        }),
      'every acknowledged event at every recipient',
      30_000,
      50,
    );
    for (const [i, lane] of lanes.entries()) {
      // First deliveries in order; a repeat only of the delivery just made.
      const firsts = lane.accepted.filter((lsid, k) => lane.accepted[k - 1] !== lsid);
      expect(new Set(firsts).size, `r${i} got an event twice, apart`).toBe(firsts.length);
      expect(firsts, `r${i} out of order`).toEqual([...firsts].sort());
      expect(lane.overlaps, `r${i}: two requests open at once`).toBe(0);
    }
    // Both nodes drive lanes again.
    const held = await Promise.all(
      [a, b].map(
        async (svc) =>
          ((await (await fetch(`${svc.url}/readyz`)).json()) as { lanes: number }).lanes,
      ),
    );
    expect((held[0] ?? 0) + (held[1] ?? 0)).toBe(RECIPIENTS);
  }, 120_000);
});
