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
import { prng, type ServeProcess } from '../support/serve-process.js';
import { sleep, waitUntil } from '../support/wait.js';
import { allDelivered, checkRecipients, EventStream, startNodes } from './cluster-run.js';

const SEED = Number(process.env.OUTBOUND_CLUSTER_SEED ?? 20_261_124);
const NODES = 3;
const RECIPIENTS = 16;
const KILLS = 8;
const LEASE_MS = 1000;

describe('three nodes on one database, killed with SIGKILL at random', () => {
  let db: { url: string; drop: () => Promise<void> } | undefined;
  let receiver: LaneReceiver | undefined;
  let nodes: ServeProcess[] = [];
  let stream: EventStream | undefined;

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
    await stream?.stop();
    await Promise.all(nodes.map((node) => node.close()));
    await receiver?.close();
    await db?.drop();
  });

  it('loses nothing, keeps each recipient’s order, and never sends to one from two nodes', async () => {
    const began = Date.now();
    const lanes = receiver as LaneReceiver;
    const { token, names } = await startNodes({
      databaseUrl: db?.url,
      leaseMs: LEASE_MS,
      count: NODES,
      recipients: RECIPIENTS,
      tokenName: 'cluster-test',
      receiver: lanes,
      started: (started) => {
        nodes = started;
      },
    });

    // The client: one request at a time to a random node that is up, so that acceptance
    // order is lsid order.
    const clientRandom = prng(SEED ^ 0xc11e);
    const client = new EventStream(token, clientRandom, () => {
      const up = nodes.filter((node) => node.running);
      return up[Math.floor(clientRandom() * up.length)];
    });
    client.start();
    stream = client;
    const stats = client.stats;

    // The killer: a random node at a random moment, started again a little later.
    const schedule = prng(SEED);
    const kills: string[] = [];
    let stopping = false;
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
        if (!stopping) victim.start();
      });
    }
    await sleep(1600);
    stopping = true;
    for (const node of nodes) if (!node.running) node.start();
    await Promise.all(nodes.map((node) => node.ready()));
    await sleep(300);
    await client.stop();
    const stoppedAt = Date.now();
    expect(stats.acked).toBeGreaterThan(50);

    await waitUntil(
      () => allDelivered(lanes, names, client.acked),
      'every acknowledged event at every recipient',
      30_000,
      100,
    ).catch(() => undefined);
    const drainedMs = Date.now() - stoppedAt;
    for (const node of nodes) if (node.unexpectedExit) throw new Error(node.unexpectedExit);
    const duplicatesTotal = checkRecipients(lanes, names, client);

    console.info(
      [
        `cluster test (seed ${SEED}): ${NODES} nodes, ${KILLS} kills (${kills.join(', ')})`,
        `client: ${stats.requests} requests, ${stats.acked} acknowledged (${client.acked.length} events), ${stats.failed} failed`,
        `${duplicatesTotal} re-sent heads over ${RECIPIENTS} recipients; drained in ${drainedMs} ms; total ${Date.now() - began} ms`,
      ].join('\n'),
    );
  }, 120_000);
});
