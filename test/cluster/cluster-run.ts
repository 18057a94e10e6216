/**
 * What the multi-node fault tests share: recipients created through the API, a client that
 * streams events into whichever node it may use, and the checks of what every recipient got
 * (CONTRACT §3 across nodes).
 */
import { expect } from 'vitest';
import type { LaneReceiver } from '../support/lane-receiver.js';
import { freePort, outbound, ServeProcess } from '../support/serve-process.js';
import { sleep } from '../support/wait.js';

/**
 * Starts `count` serve nodes on one PostgreSQL database (quick sweeps, short shutdown), makes
 * an API token and `recipients` recipients r0, r1… on the receiver's lanes. `started` gets the
 * nodes as soon as they are spawned, so that the caller stops them even if a later step fails.
 */
export async function startNodes(options: {
  databaseUrl: string | undefined;
  leaseMs: number;
  count: number;
  recipients: number;
  tokenName: string;
  receiver: LaneReceiver;
  started: (nodes: ServeProcess[]) => void;
}): Promise<{ token: string; names: string[] }> {
  const env = {
    OUTBOUND_DATABASE_URL: options.databaseUrl,
    OUTBOUND_LEASE_MS: String(options.leaseMs),
    OUTBOUND_SWEEP_INTERVAL_MS: '200',
    OUTBOUND_SHUTDOWN_TIMEOUT_MS: '500',
  };
  const token = (await outbound(env, 'token', 'create', '--name', options.tokenName)).trim();
  expect(token).toMatch(/^obt_/);
  const ports = await Promise.all(Array.from({ length: options.count }, () => freePort()));
  const nodes = ports.map((port) => new ServeProcess(port, env));
  options.started(nodes);
  for (const node of nodes) node.start();
  await Promise.all(nodes.map((node) => node.ready()));
  const names = Array.from({ length: options.recipients }, (_, i) => `r${i}`);
  await createRecipients(nodes[0] as ServeProcess, token, names, options.receiver);
  return { token, names };
}

/** Creates one recipient per name, each a path of the receiver; quick retries. */
export async function createRecipients(
  node: ServeProcess,
  token: string,
  names: string[],
  receiver: LaneReceiver,
): Promise<void> {
  for (const name of names) {
    const response = await fetch(`${node.url}/api/v1/recipients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        url: receiver.urlFor(name),
        retryIntervalSeconds: 0.01,
        retryMaxIntervalSeconds: 0.05,
        retryDurationSeconds: 0,
        timeoutSeconds: 5,
      }),
    });
    expect(response.status, await response.text()).toBe(201);
  }
}

export interface StreamStats {
  requests: number;
  acked: number;
  failed: number;
}

/**
 * The client: one request at a time (one to five events) to a node `pick` chooses, so that
 * acceptance order is lsid order (`e000000`, `e000001`, …). An event counts as acknowledged
 * only on a 202; a request that failed may still have been stored (`attempted`).
 */
export class EventStream {
  readonly acked: string[] = [];
  readonly attempted = new Set<string>();
  readonly stats: StreamStats = { requests: 0, acked: 0, failed: 0 };
  private stopped = false;
  private running: Promise<void> | undefined;
  private next = 0;

  constructor(
    private readonly token: string,
    private readonly random: () => number,
    /** The node to send to now, or undefined to wait. */
    private readonly pick: () => ServeProcess | undefined,
    /** Most milliseconds between two requests (a random pause up to this). */
    private readonly gapMs = 4,
    /** How long one request may take; longer than any freeze, so that order holds. */
    private readonly requestTimeoutMs = 10_000,
  ) {}

  start(): void {
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const node = this.pick();
      if (node === undefined) {
        await sleep(10);
        continue;
      }
      const count = this.random() < 0.6 ? 1 : 2 + Math.floor(this.random() * 4);
      const lsids = Array.from({ length: count }, () => `e${String(this.next++).padStart(6, '0')}`);
      for (const lsid of lsids) this.attempted.add(lsid);
      const events = lsids.map((lsid) => ({ event: 'support_conference_begin', lsid }));
      this.stats.requests++;
      try {
        const response = await fetch(`${node.url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(events),
          signal: AbortSignal.timeout(this.requestTimeoutMs),
        });
        await response.arrayBuffer();
        if (response.status === 202) {
          this.acked.push(...lsids);
          this.stats.acked++;
        } else this.stats.failed++;
      } catch {
        this.stats.failed++;
        await sleep(10);
      }
      await sleep(Math.floor(this.random() * this.gapMs));
    }
  }
}

const indexOf = (lsid: string): number => Number(lsid.slice(1));

/** Every recipient got every acknowledged event: true once they all have. */
export function allDelivered(receiver: LaneReceiver, names: string[], acked: string[]): boolean {
  return names.every((name) => {
    const got = new Set(receiver.lane(name).accepted);
    return acked.every((lsid) => got.has(lsid));
  });
}

/**
 * What must hold at every recipient: nothing acknowledged missing, nothing unknown; first
 * deliveries in acceptance order; a repeat only of the delivery just made (a lane's head, sent
 * again by the node that took the lane over); never two requests open at once, and never a
 * request for an older event after one for a newer. Returns how many heads were sent again.
 */
export function checkRecipients(
  receiver: LaneReceiver,
  names: string[],
  stream: EventStream,
): number {
  let repeats = 0;
  for (const name of names) {
    const lane = receiver.lane(name);
    const lsids = lane.accepted;
    for (const lsid of lsids) {
      expect(stream.attempted.has(lsid), `${name} got unknown ${lsid}`).toBe(true);
    }
    const got = new Set(lsids);
    const missing = stream.acked.filter((lsid) => !got.has(lsid));
    expect(missing.length, `${name} never got ${missing.slice(0, 10).join(', ')}`).toBe(0);
    const seen = new Set<string>();
    let last = -1;
    for (const [k, lsid] of lsids.entries()) {
      if (seen.has(lsid)) {
        repeats++;
        expect(lsids[k - 1], `${name}: ${lsid} re-sent at ${k}, not right after itself`).toBe(lsid);
        continue;
      }
      seen.add(lsid);
      expect(indexOf(lsid), `${name}: ${lsid} first delivered after e${last}`).toBeGreaterThan(
        last,
      );
      last = indexOf(lsid);
    }
    expect(lane.overlaps, `${name}: requests open from two nodes at once`).toBe(0);
    // Every request, answered or not: never one for an older event after one for a newer
    // (a node that lost the lane writing its old head late).
    let highest = -1;
    for (const lsid of lane.arrived) {
      expect(
        indexOf(lsid),
        `${name}: a request for ${lsid} came after one for e${highest}`,
      ).toBeGreaterThanOrEqual(highest);
      highest = Math.max(highest, indexOf(lsid));
    }
  }
  return repeats;
}
