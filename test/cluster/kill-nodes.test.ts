/**
 * Three `outbound serve` processes on one PostgreSQL database, SIGKILLed and restarted at
 * random while a client streams events into whichever is up, to many recipients.
 *
 * What must hold (CONTRACT §3 across nodes): every acknowledged event reaches every
 * recipient; first deliveries are in acceptance order per recipient; a repeat is only of the
 * delivery just made (a lane's head, re-sent by the node that took the lane over); and no two
 * nodes ever have a request open to the same recipient at once (the receiver counts overlaps).
 *
 * Seeded: OUTBOUND_CLUSTER_SEED=<n> repeats a schedule (wall-clock timing still varies).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LaneReceiver } from '../support/lane-receiver.js';
import { createDatabase } from '../support/postgres.js';
import { freePort, outbound, prng, ServeProcess } from '../support/serve-process.js';
import { sleep, waitUntil } from '../support/wait.js';

const SEED = Number(process.env.OUTBOUND_CLUSTER_SEED ?? 20_261_124);
const NODES = 3;
const RECIPIENTS = 16;
const KILLS = 8;
const LEASE_MS = 1000;

const indexOf = (lsid: string): number => Number(lsid.slice(1));

describe('three nodes on one database, killed with SIGKILL at random', () => {
  let db: { url: string; drop: () => Promise<void> } | undefined;
  let receiver: LaneReceiver | undefined;
  let nodes: ServeProcess[] = [];
  let clientStop = true;

  beforeAll(async () => {
    db = await createDatabase();
    const flaky = prng(SEED ^ 0xf1a4);
    const delays = prng(SEED ^ 0xde1a);
    receiver = await LaneReceiver.start({
      delayMs: () => delays() * 4,
      // One recipient in eight answers 500 now and then: retries are in play on takeover.
      fail: () => flaky() < 0.02,
    });
  });

  afterAll(async () => {
    clientStop = true;
    await Promise.all(nodes.map((node) => node.close()));
    await receiver?.close();
    await db?.drop();
  });

  it('loses nothing, keeps each recipient’s order, and never sends to one from two nodes', async () => {
    const began = Date.now();
    const env = {
      OUTBOUND_DATABASE_URL: db?.url,
      OUTBOUND_LEASE_MS: String(LEASE_MS),
      OUTBOUND_SWEEP_INTERVAL_MS: '200',
      OUTBOUND_SHUTDOWN_TIMEOUT_MS: '500',
    };
    const token = (await outbound(env, 'token', 'create', '--name', 'cluster-test')).trim();
    expect(token).toMatch(/^obt_/);
    const ports = await Promise.all(Array.from({ length: NODES }, () => freePort()));
    nodes = ports.map((port) => new ServeProcess(port, env));
    for (const node of nodes) node.start();
    await Promise.all(nodes.map((node) => node.ready()));
    const names = Array.from({ length: RECIPIENTS }, (_, i) => `r${i}`);
    for (const name of names) {
      const response = await fetch(`${nodes[0]?.url}/api/v1/recipients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name,
          url: (receiver as LaneReceiver).urlFor(name),
          retryIntervalSeconds: 0.01,
          retryMaxIntervalSeconds: 0.05,
          retryDurationSeconds: 0,
          timeoutSeconds: 5,
        }),
      });
      expect(response.status, await response.text()).toBe(201);
    }

    // The client: one request at a time to a random node that is up, so that acceptance
    // order is lsid order.
    const clientRandom = prng(SEED ^ 0xc11e);
    const acked: string[] = [];
    const attempted = new Set<string>();
    const stats = { requests: 0, acked: 0, failed: 0 };
    let next = 0;
    clientStop = false;
    const client = (async () => {
      while (!clientStop) {
        const up = nodes.filter((node) => node.running);
        const node = up[Math.floor(clientRandom() * up.length)];
        if (node === undefined) {
          await sleep(10);
          continue;
        }
        const count = clientRandom() < 0.6 ? 1 : 2 + Math.floor(clientRandom() * 4);
        const lsids = Array.from({ length: count }, () => `e${String(next++).padStart(6, '0')}`);
        for (const lsid of lsids) attempted.add(lsid);
        const events = lsids.map((lsid) => ({ event: 'support_conference_begin', lsid }));
        stats.requests++;
        try {
          const response = await fetch(`${node.url}/api/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(events),
            signal: AbortSignal.timeout(10_000),
          });
          await response.arrayBuffer();
          if (response.status === 202) {
            acked.push(...lsids);
            stats.acked++;
          } else stats.failed++;
        } catch {
          stats.failed++;
          await sleep(10);
        }
        await sleep(Math.floor(clientRandom() * 4));
      }
    })();

    // The killer: a random node at a random moment, started again a little later.
    const schedule = prng(SEED);
    const kills: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      // Paced by progress, not only by time: a busy machine still sees events between kills.
      const before = stats.acked;
      await sleep(400 + Math.floor(schedule() * 900));
      await waitUntil(() => stats.acked >= before + 8, 'the client to make progress', 30_000);
      const victim = nodes[Math.floor(schedule() * NODES)] as ServeProcess;
      for (const node of nodes) {
        if (node.unexpectedExit !== undefined) throw new Error(node.unexpectedExit);
      }
      await victim.kill();
      const downMs = Math.floor(schedule() * 1500);
      kills.push(`:${victim.port} for ${downMs} ms`);
      // Left down past its lease now and then: its lanes must move to the others.
      void sleep(downMs).then(() => {
        if (!clientStop) victim.start();
      });
    }
    await sleep(1600);
    for (const node of nodes) if (!node.running) node.start();
    await Promise.all(nodes.map((node) => node.ready()));
    await sleep(300);
    clientStop = true;
    await client;
    const stoppedAt = Date.now();
    expect(stats.acked).toBeGreaterThan(50);

    const lanes = names.map((name) => (receiver as LaneReceiver).lane(name));
    const hasAll = () =>
      lanes.every((lane) => {
        const got = new Set(lane.accepted);
        return acked.every((lsid) => got.has(lsid));
      });
    await waitUntil(hasAll, 'every acknowledged event at every recipient', 30_000, 100).catch(
      () => undefined,
    );
    const drainedMs = Date.now() - stoppedAt;
    for (const node of nodes) if (node.unexpectedExit) throw new Error(node.unexpectedExit);

    const report: string[] = [];
    let duplicatesTotal = 0;
    for (const [i, lane] of lanes.entries()) {
      const lsids = lane.accepted;
      for (const lsid of lsids) expect(attempted.has(lsid), `r${i} got unknown ${lsid}`).toBe(true);
      const got = new Set(lsids);
      const missing = acked.filter((lsid) => !got.has(lsid));
      expect(missing.length, `r${i} never got ${missing.slice(0, 10).join(', ')}`).toBe(0);
      const seen = new Set<string>();
      let last = -1;
      for (const [k, lsid] of lsids.entries()) {
        if (seen.has(lsid)) {
          duplicatesTotal++;
          expect(lsids[k - 1], `r${i}: ${lsid} re-sent at ${k}, not right after itself`).toBe(lsid);
          continue;
        }
        seen.add(lsid);
        expect(indexOf(lsid), `r${i}: ${lsid} first delivered after e${last}`).toBeGreaterThan(
          last,
        );
        last = indexOf(lsid);
      }
      expect(lane.overlaps, `r${i}: requests open from two nodes at once`).toBe(0);
      report.push(`r${i}: ${lsids.length} deliveries, ${lane.requests} requests`);
    }

    console.info(
      [
        `cluster test (seed ${SEED}): ${NODES} nodes, ${KILLS} kills (${kills.join(', ')})`,
        `client: ${stats.requests} requests, ${stats.acked} acknowledged (${acked.length} events), ${stats.failed} failed`,
        `${duplicatesTotal} re-sent heads over ${RECIPIENTS} recipients; drained in ${drainedMs} ms; total ${Date.now() - began} ms`,
      ].join('\n'),
    );
  }, 120_000);
});
