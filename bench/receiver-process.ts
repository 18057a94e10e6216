/**
 * The recipient, in its own process: a plain node:http server that answers every POST with an
 * empty 200 once its body has arrived. It counts requests, checks that the `lsid`s (numbers
 * in the bench's events) arrive in rising order, and stamps each arrival with the machine's
 * monotonic clock. Driven over IPC by the bench:
 *
 * - `{ type: 'reset', report?: boolean, delayMs?: number, perPath?: boolean }` clears the
 *   counters; with `report`, every arrival is sent to the parent as `{ type: 'got', lsid, t }`
 *   (for the latency scenario); with `delayMs`, each answer is sent that long after the body
 *   arrived (a slow recipient); with `perPath`, every path (without its query) is a recipient
 *   of its own: order is checked per path, and duplicates (an lsid a path already got) and
 *   overlaps (a request to a path while an earlier one to it is still unanswered) are counted;
 * - `{ type: 'await', count }` answers once `count` requests have arrived (not counting
 *   duplicates);
 * - `{ type: 'stats' }` answers at once.
 */
import { createServer } from 'node:http';
import type { ReceiverStats } from './receiver-stats.js';
import { serveRequests } from './util.js';

interface PathState {
  lastLsid: number;
  seen: Set<number>;
  inFlight: number;
}

let stats: ReceiverStats = fresh();
let report = false;
let delayMs = 0;
let perPath = false;
let paths = new Map<string, PathState>();
let waiters: { count: number; resolve: () => void }[] = [];

function fresh(): ReceiverStats {
  return {
    count: 0,
    firstAt: null,
    lastAt: null,
    outOfOrder: 0,
    lastLsid: -1,
    bytes: 0,
    paths: 0,
    duplicates: 0,
    overlapping: 0,
  };
}

function monoMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

const LSID = /(?:^|&)lsid=(\d+)/;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  let state: PathState | undefined;
  if (perPath) {
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    state = paths.get(path);
    if (state === undefined) {
      state = { lastLsid: -1, seen: new Set(), inFlight: 0 };
      paths.set(path, state);
      stats.paths = paths.size;
    }
    if (state.inFlight > 0) stats.overlapping++;
    state.inFlight++;
  }
  const generation = stats;
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const t = monoMs();
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    const answer = () => {
      if (state !== undefined) state.inFlight--;
      response.writeHead(200, { 'content-length': '0' });
      response.end();
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
    if (generation !== stats) return; // reset meanwhile
    const match = LSID.exec(body.toString('latin1'));
    const lsid = match ? Number(match[1]) : -1;
    stats.count++;
    stats.bytes += body.length;
    stats.firstAt ??= t;
    stats.lastAt = t;
    if (state !== undefined) {
      if (state.seen.has(lsid)) stats.duplicates++;
      else state.seen.add(lsid);
      if (lsid <= state.lastLsid) stats.outOfOrder++;
      state.lastLsid = lsid;
    } else if (lsid <= stats.lastLsid) stats.outOfOrder++;
    stats.lastLsid = lsid;
    if (report) process.send?.({ type: 'got', lsid, t });
    if (waiters.length > 0) {
      const distinct = stats.count - stats.duplicates;
      const done = waiters.filter((w) => w.count <= distinct);
      if (done.length > 0) {
        waiters = waiters.filter((w) => w.count > distinct);
        for (const w of done) w.resolve();
      }
    }
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;

serveRequests(async (message) => {
  switch (message.type) {
    case 'reset':
      stats = fresh();
      report = message.report === true;
      delayMs = typeof message.delayMs === 'number' ? message.delayMs : 0;
      perPath = message.perPath === true;
      paths = new Map();
      return { ok: true };
    case 'stats':
      return { stats };
    case 'await': {
      const count = Number(message.count);
      if (stats.count - stats.duplicates < count) {
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
