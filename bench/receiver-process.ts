/**
 * The recipient, in its own process: a plain node:http server that answers every POST with an
 * empty 200 once its body has arrived. It counts requests, checks that the `lsid`s (numbers
 * in the bench's events) arrive in rising order, and stamps each arrival with the machine's
 * monotonic clock. Driven over IPC by the bench:
 *
 * - `{ type: 'reset', report?: boolean }` clears the counters; with `report`, every arrival is
 *   sent to the parent as `{ type: 'got', lsid, t }` (for the latency scenario);
 * - `{ type: 'await', count }` answers once `count` requests have arrived;
 * - `{ type: 'stats' }` answers at once.
 */
import { createServer } from 'node:http';
import { serveRequests } from './util.js';

interface Stats {
  count: number;
  /** Arrival of the first and last request since the reset (monotonic ms). */
  firstAt: number | null;
  lastAt: number | null;
  /** An lsid lower than or equal to the previous one. */
  outOfOrder: number;
  lastLsid: number;
  bytes: number;
}

let stats: Stats = fresh();
let report = false;
let waiters: { count: number; resolve: () => void }[] = [];

function fresh(): Stats {
  return { count: 0, firstAt: null, lastAt: null, outOfOrder: 0, lastLsid: -1, bytes: 0 };
}

function monoMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

const LSID = /(?:^|&)lsid=(\d+)/;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const t = monoMs();
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    response.writeHead(200, { 'content-length': '0' });
    response.end();
    const match = LSID.exec(body.toString('latin1'));
    const lsid = match ? Number(match[1]) : -1;
    stats.count++;
    stats.bytes += body.length;
    stats.firstAt ??= t;
    stats.lastAt = t;
    if (lsid <= stats.lastLsid) stats.outOfOrder++;
    stats.lastLsid = lsid;
    if (report) process.send?.({ type: 'got', lsid, t });
    if (waiters.length > 0) {
      const done = waiters.filter((w) => w.count <= stats.count);
      if (done.length > 0) {
        waiters = waiters.filter((w) => w.count > stats.count);
        for (const w of done) w.resolve();
      }
    }
  });
});
server.keepAliveTimeout = 60_000;

serveRequests(async (message) => {
  switch (message.type) {
    case 'reset':
      stats = fresh();
      report = message.report === true;
      return { ok: true };
    case 'stats':
      return { stats };
    case 'await': {
      const count = Number(message.count);
      if (stats.count < count) {
        await new Promise<void>((resolve) => waiters.push({ count, resolve }));
      }
      return { stats };
    }
    default:
      throw new Error(`receiver: unknown message ${JSON.stringify(message)}`);
  }
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.send?.({ type: 'ready', port });
});
