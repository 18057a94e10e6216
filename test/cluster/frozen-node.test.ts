/**
 * A node frozen past its lease (a long GC pause, SIGSTOP, a VM pause) between deciding to send
 * and writing the request, while another node rightly takes the lane over, must write nothing
 * when it thaws: the receiver would otherwise see two requests to one recipient, and an old
 * event after a newer one. Played deterministically in one process on real PostgreSQL:
 *
 * - node A's monotonic clock is injected and stands still while A is "frozen"; its cluster
 *   calls (heartbeats, claims) wait until the thaw, as a stopped process's would;
 * - the database sees A's lease run out (its expiry is moved into the past, as the time of a
 *   freeze would);
 * - A's lane to `x` has decided to send and waits for A's only request slot, held by a request
 *   to `hog` that the receiver answers only at the thaw;
 * - node B claims both lanes and delivers e1 and e2 to `x`; then A thaws (its clock jumps past
 *   its lease, the hog request ends, the slot is free): the request to `x` must not be written.
 *
 * The clock jumps either with the thaw (the lane finds the lease spent once it has its slot)
 * or only once A's connection to `x` is made, after the lane's last check: then only the check
 * right before undici writes the request (the sender's write gate) stands in the way.
 */
import { channel } from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/delivery/dispatcher.js';
import { HttpSender } from '../../src/delivery/http-sender.js';
import type { ClusterStore } from '../../src/store/cluster-store.js';
import { PostgresStore } from '../../src/store/postgres/store.js';
import { BEGIN, END, newEvent, recipientInput } from '../store/fixtures.js';
import { createDatabase } from '../support/postgres.js';
import { sleep, waitUntil } from '../support/wait.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
});

interface Seen {
  path: string;
  lsid: string;
  node: string;
  /** Requests open to the same path when this one arrived. */
  open: number;
}

/** Records every request (path, lsid, which node sent it); holds those `hold` picks. */
class RecordingReceiver {
  readonly seen: Seen[] = [];
  private readonly open = new Map<string, number>();
  private readonly held: ServerResponse[] = [];
  private server: Server | undefined;
  port = 0;

  constructor(private readonly hold: (seen: Seen) => boolean) {}

  url(path: string): string {
    return `http://127.0.0.1:${this.port}/${path}`;
  }

  heldCount(): number {
    return this.held.length;
  }

  /** Answers the held requests 200. */
  release(): void {
    for (const res of this.held.splice(0)) res.end('ok');
  }

  async listen(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '/').slice(1).split('?')[0] ?? '';
      const open = this.open.get(path) ?? 0;
      this.open.set(path, open + 1);
      res.on('close', () => this.open.set(path, (this.open.get(path) ?? 1) - 1));
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const lsid = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('lsid') ?? '';
        const seen = { path, lsid, node: String(req.headers['user-agent']), open };
        this.seen.push(seen);
        if (this.hold(seen)) this.held.push(res);
        else res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** The cluster store of a frozen process: calls made while frozen proceed at the thaw. */
function freezable(cluster: ClusterStore): {
  store: ClusterStore;
  freeze: () => void;
  thaw: () => void;
} {
  let thawed: Promise<void> | null = null;
  let thaw = () => {};
  const store = new Proxy(cluster, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (thawed !== null) await thawed;
        return value.apply(target, args);
      };
    },
  });
  return {
    store,
    freeze: () => {
      thawed = new Promise((resolve) => {
        thaw = () => {
          thawed = null;
          resolve();
        };
      });
    },
    thaw: () => thaw(),
  };
}

async function pgStore(url: string): Promise<PostgresStore> {
  const store = new PostgresStore(url);
  cleanups.push(() => store.close());
  await store.migrate();
  return store;
}

describe('a node frozen past its lease between its decision to send and the write', () => {
  it.each([
    ['the lane waits for a request slot', 'slot'],
    ['the connection is being made', 'connect'],
  ] as const)('writes nothing once it thaws (frozen while %s)', async (_, jumpAt) => {
    const db = await createDatabase();
    cleanups.push(db.drop);
    // A's request to `hog` is held until the thaw; everything else is answered at once.
    const receiver = new RecordingReceiver((seen) => seen.path === 'hog' && seen.node === 'A');
    await receiver.listen();
    cleanups.push(() => receiver.close());

    const storeA = await pgStore(db.url);
    const storeB = await pgStore(db.url);
    const hog = await storeA.createRecipient(recipientInput({ url: receiver.url('hog') }), 1);
    // `x` takes only END events: the BEGIN that occupies the slot goes to `hog` alone.
    const x = await storeA.createRecipient(
      recipientInput({ url: receiver.url('x'), events: [END] }),
      1,
    );

    // A: one request slot, its own clock, a lease long enough that no timer of its own fires
    // during the test (the freeze is played by the clock and the database, not by waiting).
    let clockA = 1_000_000;
    const link = freezable(storeA.cluster);
    const senderA = new HttpSender({ userAgent: 'A' });
    const errorsA: unknown[] = [];
    const a = new Dispatcher(storeA, senderA, {
      concurrency: 1,
      // The hog keeps the slot for the whole test (by default a request waiting this long
      // would give it back after 200 ms, and the lane to `x` would send before the freeze).
      slotHoldMs: 600_000,
      sweepIntervalMs: 60_000,
      onError: (error) => errorsA.push(error),
      cluster: { store: link.store, leaseMs: 60_000, name: 'A', now: () => clockA },
    });
    cleanups.push(async () => {
      link.thaw();
      await a.stop(0);
      await senderA.close();
    });
    await a.start();
    expect(a.ownership.describe().lanes).toBe(2);
    const nodeA = a.ownership.describe().node;
    // The lanes' first reads (of an empty queue) are over: from here on, only wakes send.
    await waitUntil(
      () => [hog.id, x.id].every((id) => a.laneStatus(id)?.state === 'idle'),
      'A’s lanes to be idle',
    );

    // A sends e0 to `hog` (held); then e1 for both, and A's lane to `x` waits for the slot.
    await storeA.acceptEvents([newEvent(BEGIN)], Date.now());
    a.wake([hog.id]);
    await waitUntil(() => receiver.heldCount() === 1, 'A’s request to hog');
    const e1 = newEvent(END);
    await storeA.acceptEvents([e1], Date.now());
    a.wake([x.id]);
    await waitUntil(() => a.laneStatus(x.id)?.state === 'sending', 'A’s lane to x to send');
    await sleep(20);
    expect(receiver.seen.filter((s) => s.path === 'x')).toEqual([]);

    // The freeze: A talks to nobody, and the database sees its lease run out.
    link.freeze();
    const sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    cleanups.push(() => sql.end());
    await sql.query('UPDATE nodes SET expires_at = 0 WHERE id = $1', [nodeA]);

    // B takes both lanes over and delivers e1, then e2, to `x`.
    const senderB = new HttpSender({ userAgent: 'B' });
    const b = new Dispatcher(storeB, senderB, {
      sweepIntervalMs: 100,
      cluster: { store: storeB.cluster, leaseMs: 60_000, name: 'B' },
    });
    cleanups.push(async () => {
      await b.stop(0);
      await senderB.close();
    });
    await b.start();
    await waitUntil(() => b.ownership.describe().lanes === 2, 'B to take both lanes');
    const e2 = newEvent(END);
    const { recipientIds } = await storeB.acceptEvents([e2], Date.now());
    b.wake(recipientIds);
    const toX = () => receiver.seen.filter((s) => s.path === 'x');
    await waitUntil(() => toX().length >= 2, 'B’s deliveries to x');
    expect(toX().map((s) => [s.node, s.lsid])).toEqual([
      ['B', e1.lsid],
      ['B', e2.lsid],
    ]);

    // The thaw: A's clock shows the time that passed; its request to hog ends and frees the
    // slot its lane to x was waiting for.
    let jumped = false;
    const jump = () => {
      if (jumped) return;
      jumped = true;
      clockA += 120_000;
    };
    if (jumpAt === 'slot') jump();
    else {
      // Published by undici when a connection is made, before it writes the request on it.
      const onConnected = () => jump();
      channel('undici:client:connected').subscribe(onConnected);
      cleanups.push(async () => channel('undici:client:connected').unsubscribe(onConnected));
    }
    link.thaw();
    receiver.release();
    await waitUntil(() => a.laneStatus(x.id) === undefined, 'A to drop its lane to x');
    await sleep(200);

    expect(jumped).toBe(true);
    expect(toX().filter((s) => s.node === 'A')).toEqual([]);
    expect(toX().filter((s) => s.open > 0)).toEqual([]);
    expect(toX().map((s) => s.lsid)).toEqual([e1.lsid, e2.lsid]);
    expect(a.ownership.describe()).toMatchObject({ lanes: 0 });
  });
});
