/**
 * Two `outbound serve` processes on one PostgreSQL database, frozen with SIGSTOP for longer
 * than their lease and thawed with SIGCONT, again and again, while a client streams events
 * into whichever is not frozen, to recipients whose receivers take about 20 ms per request.
 *
 * A frozen node keeps its sockets and its timers; the other node rightly takes its lanes once
 * the lease has run out. When the frozen one thaws, its I/O callbacks (a connection made, a
 * query answered) run before its timers: it must find out that its lease is spent before it
 * writes any request, not after. Each freeze is followed by a second one right after the
 * thawed node got lanes back, while its lanes are opening fresh connections (the moment a
 * request waits on I/O between the lease check and the write), and while the other node is
 * handing lanes back to it (a claim that read before a release must not bring a lane back:
 * lease-release-race.test.ts).
 *
 * What must hold is what the kill test checks (cluster-run.ts): nothing acknowledged lost,
 * first deliveries in acceptance order, no request open from two nodes to one recipient, and
 * never a request for an older event after one for a newer.
 *
 * Seeded: OUTBOUND_CLUSTER_SEED=<n> repeats a schedule (wall-clock timing still varies).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LaneReceiver } from '../support/lane-receiver.js';
import { createDatabase } from '../support/postgres.js';
import { prng, type ServeProcess } from '../support/serve-process.js';
import { sleep, waitUntil } from '../support/wait.js';
import { allDelivered, checkRecipients, EventStream, startNodes } from './cluster-run.js';

const SEED = Number(process.env.OUTBOUND_CLUSTER_SEED ?? 20_261_203);
const NODES = 2;
const RECIPIENTS = 20;
const ROUNDS = 3;
const LEASE_MS = 1000;

/** The node's id and lane count from /readyz; undefined when it does not answer soon. */
async function lanesOf(node: ServeProcess): Promise<{ node?: number; lanes: number } | undefined> {
  try {
    const response = await fetch(`${node.url}/readyz`, { signal: AbortSignal.timeout(500) });
    return (await response.json()) as { node?: number; lanes: number };
  } catch {
    return undefined;
  }
}

describe('two nodes on one database, frozen past their lease with SIGSTOP and thawed', () => {
  let db: { url: string; drop: () => Promise<void> } | undefined;
  let receiver: LaneReceiver | undefined;
  let nodes: ServeProcess[] = [];
  let stream: EventStream | undefined;

  beforeAll(async () => {
    db = await createDatabase();
    const delays = prng(SEED ^ 0xde1a);
    receiver = await LaneReceiver.start({ delayMs: () => 15 + delays() * 10 });
  });

  afterAll(async () => {
    for (const node of nodes) node.thaw();
    await stream?.stop();
    await Promise.all(nodes.map((node) => node.close()));
    await receiver?.close();
    await db?.drop();
  });

  it('a thawed node sends nothing more: order kept, never two requests open to one recipient', async () => {
    const began = Date.now();
    const lanes = receiver as LaneReceiver;
    const { token, names } = await startNodes({
      databaseUrl: db?.url,
      leaseMs: LEASE_MS,
      count: NODES,
      recipients: RECIPIENTS,
      tokenName: 'freeze-test',
      receiver: lanes,
      started: (started) => {
        nodes = started;
      },
    });

    // The client never picks a frozen node; one frozen under a request answers after its thaw
    // (the client waits: giving up could reorder acceptance).
    const frozen = new Set<ServeProcess>();
    const clientRandom = prng(SEED ^ 0xc11e);
    // Paced below what a 20 ms receiver takes, so that the backlog stays short.
    const client = new EventStream(
      token,
      clientRandom,
      () => {
        const up = nodes.filter((node) => node.running && !frozen.has(node));
        return up[Math.floor(clientRandom() * up.length)];
      },
      60,
    );
    client.start();
    stream = client;

    const schedule = prng(SEED);
    const freezes: string[] = [];
    const freeze = async (victim: ServeProcess, why: string) => {
      const forMs = LEASE_MS + 150 + Math.floor(schedule() * 600);
      victim.freeze();
      frozen.add(victim);
      freezes.push(`:${victim.port} ${why} for ${forMs} ms`);
      await sleep(forMs);
      victim.thaw();
      frozen.delete(victim);
    };
    for (let i = 0; i < ROUNDS; i++) {
      const before = client.stats.acked;
      await sleep(200 + Math.floor(schedule() * 400));
      await waitUntil(
        () => client.stats.acked >= before + 8,
        'the client to make progress',
        30_000,
      );
      for (const node of nodes) if (node.unexpectedExit) throw new Error(node.unexpectedExit);
      const victim = nodes[Math.floor(schedule() * NODES)] as ServeProcess;
      const was = (await lanesOf(victim))?.node;
      await freeze(victim, 'at random');
      // Thawed, it registers anew and gets lanes back, opening fresh connections to them:
      // frozen again right then.
      await waitUntil(
        async () => {
          const now = await lanesOf(victim);
          return now !== undefined && now.node !== was && now.lanes > 0;
        },
        'the thawed node to get lanes back',
        15_000,
        2,
      );
      await freeze(victim, 'as it got lanes back');
    }
    await sleep(300);
    await client.stop();
    const stoppedAt = Date.now();
    expect(client.stats.acked).toBeGreaterThan(50);

    await waitUntil(
      () => allDelivered(lanes, names, client.acked),
      'every acknowledged event at every recipient',
      30_000,
      100,
    ).catch(() => undefined);
    const drainedMs = Date.now() - stoppedAt;
    for (const node of nodes) if (node.unexpectedExit) throw new Error(node.unexpectedExit);
    const repeats = checkRecipients(lanes, names, client);

    const { stats } = client;
    console.info(
      [
        `freeze test (seed ${SEED}): ${NODES} nodes, lease ${LEASE_MS} ms, ${freezes.length} freezes (${freezes.join(', ')})`,
        `client: ${stats.requests} requests, ${stats.acked} acknowledged (${client.acked.length} events), ${stats.failed} failed`,
        `${repeats} re-sent heads over ${RECIPIENTS} recipients; drained in ${drainedMs} ms; total ${Date.now() - began} ms`,
      ].join('\n'),
    );
  }, 120_000);
});
