/**
 * Scenario 9 — a healthy recipient beside receivers that never answer. 200 recipients (more
 * than three times the global cap of 64) point at a server in the bench process that reads
 * each request and never answers; their time-out is the largest a recipient may have. One
 * event sets all 200 requests waiting; right after it (so that the 200 requests starting are
 * inside the measurement) events are posted one at a time for the healthy recipient, each
 * measured from just before its POST to its arrival at the receiver process, on the machine's
 * monotonic clock as in scenario 3.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Client } from 'undici';
import { MAX_TIMEOUT_SECONDS } from '../../src/recipients/timeout-limit.js';
import { jsonEvent } from '../events.js';
import { prepareStore, Serve } from '../harness.js';
import { log, monoMs, round, sleep, summary } from '../util.js';
import type { Context, ScenarioResult } from './types.js';

export const TARGET_P99_MS = 1000;
const HUNG_RECIPIENTS = 200;
/** The event type only the hung recipients get: one of it sets their requests waiting. */
const KICK = 'support_conference_end';

export async function hung(ctx: Context): Promise<ScenarioResult> {
  const { receiver, quick } = ctx;
  const events = quick ? 100 : 300;
  const gapMs = 20;
  const server = await HungServer.start();
  const prepared = await prepareStore([
    { name: 'healthy', url: receiver.url('/healthy'), paused: false },
  ]);
  const serve = await Serve.start(prepared, {
    ...ctx.serveOptions,
    // 200 requests are still waiting when it stops: give up on them quickly.
    env: { OUTBOUND_SHUTDOWN_TIMEOUT_MS: '1000' },
  });
  const client = new Client(serve.base, { keepAliveTimeout: 60_000 });
  const api = async (method: string, path: string, body: unknown) => {
    const response = await client.request({
      path,
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${prepared.token}` },
      body: JSON.stringify(body),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300)
      throw new Error(`${method} ${path}: ${response.statusCode} ${text}`);
    return text;
  };
  const arrivals = new Map<number, number>();
  let notify: (() => void) | null = null;
  const off = receiver.ipc.onMessage((m) => {
    if (m.type !== 'got') return;
    arrivals.set(Number(m.lsid), Number(m.t));
    notify?.();
  });
  const endToEnd: number[] = [];
  let allWaitingAfterMs: number | null = null;
  let waitingAtEnd = 0;
  let inFlightAtEnd: number | null = null;
  let fromMs = Number.NaN;
  let toMs = Number.NaN;
  try {
    log(
      `hung: ${HUNG_RECIPIENTS} recipients that never answer (time-out ${MAX_TIMEOUT_SECONDS} s)`,
    );
    for (let k = 0; k < HUNG_RECIPIENTS; k++) {
      await api('POST', '/api/v1/recipients', {
        name: `hung ${k}`,
        url: `${server.url}/hung/${k}`,
        events: [KICK],
        timeoutSeconds: MAX_TIMEOUT_SECONDS,
      });
    }
    await receiver.reset(true);
    const kickedAt = monoMs();
    server.onAllWaiting(HUNG_RECIPIENTS, () => {
      allWaitingAfterMs = monoMs() - kickedAt;
    });
    await api('POST', '/api/v1/events', { event: KICK, lsid: '1' });
    log(`hung: ${events} events one at a time for the healthy recipient`);
    fromMs = monoMs();
    for (let i = 0; i < events; i++) {
      const lsid = 1_000_000 + i;
      const t0 = monoMs();
      await api('POST', '/api/v1/events', jsonEvent(i));
      const deadline = performance.now() + 30_000;
      while (!arrivals.has(lsid)) {
        if (performance.now() > deadline) {
          throw new Error(
            `event ${i} for the healthy recipient not received in 30 s (${server.waiting} hung requests waiting)`,
          );
        }
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, 100);
        });
        notify = null;
      }
      endToEnd.push((arrivals.get(lsid) as number) - t0);
      arrivals.delete(lsid);
      await sleep(gapMs);
    }
    toMs = monoMs();
    waitingAtEnd = server.waiting;
    // Public unless OUTBOUND_METRICS_TOKEN is set (it is not here).
    const metrics = await client.request({ path: '/metrics', method: 'GET' });
    const text = await metrics.body.text();
    const line = /^outbound_requests_in_flight (\d+)/m.exec(text);
    inFlightAtEnd = metrics.statusCode === 200 && line ? Number(line[1]) : null;
  } finally {
    off();
    // Cut the hung requests first: serve then stops without waiting for them.
    await server.close();
    await client.close();
    await serve.stop();
    await receiver.reset(false);
  }
  const e2e = summary(endToEnd);
  log(
    `hung: healthy accept→received p50 ${e2e.p50.toFixed(2)} ms, p99 ${e2e.p99.toFixed(2)} ms; ${waitingAtEnd} hung requests waiting`,
  );
  const rounded = Object.fromEntries(Object.entries(e2e).map(([k, v]) => [k, round(v, 3)]));
  const label = `beside ${HUNG_RECIPIENTS} receivers that never answer (time-out ${MAX_TIMEOUT_SECONDS} s)`;
  return {
    name: 'hung',
    title: 'Hung receivers',
    rows: [
      {
        scenario: `9a. Healthy recipient ${label}, accept → received p50 (${events} events)`,
        unit: 'ms',
        outbound: e2e.p50,
        baseline: null,
        baselineLabel: null,
        ratio: null,
        target: null,
        pass: null,
      },
      {
        scenario: `9b. Healthy recipient ${label}, accept → received p99 (${events} events)`,
        unit: 'ms',
        outbound: e2e.p99,
        baseline: null,
        baselineLabel: null,
        ratio: null,
        target: `< ${TARGET_P99_MS} ms`,
        pass: e2e.p99 < TARGET_P99_MS,
      },
    ],
    details: {
      hungRecipients: HUNG_RECIPIENTS,
      hungTimeoutSeconds: MAX_TIMEOUT_SECONDS,
      globalCap: 64,
      events,
      idleGapMs: gapMs,
      acceptToReceivedMs: rounded,
      allHungRequestsWaitingAfterMs:
        allWaitingAfterMs === null ? null : round(allWaitingAfterMs as number, 1),
      hungRequestsWaitingAtEnd: waitingAtEnd,
      requestsInFlightAtEnd: inFlightAtEnd,
    },
    windows: [{ label: 'measured events', fromMs, toMs }],
    notes: [
      `Hung receivers: ${HUNG_RECIPIENTS} recipients whose receiver (in the bench process) reads each request and never answers, time-out ${MAX_TIMEOUT_SECONDS} s (the largest allowed), global cap 64 (OUTBOUND_CONCURRENCY's default). The healthy recipient's events were posted one at a time right after the event that set the ${HUNG_RECIPIENTS} requests going (all were waiting ${allWaitingAfterMs === null ? 'never, within the run' : `${(allWaitingAfterMs as number).toFixed(0)} ms after it`}; ${waitingAtEnd} still were at the end, \`outbound_requests_in_flight\` ${inFlightAtEnd ?? 'unknown'}). Accept → received: min ${e2e.min.toFixed(2)}, p90 ${e2e.p90.toFixed(2)}, max ${e2e.max.toFixed(2)} ms. A run shorter than the time-out does not see the hung requests time out and start again.`,
    ],
  };
}

/** Reads every request and never answers; counts the requests left waiting. */
class HungServer {
  private readonly waitingSet = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();
  private watcher: { count: number; then: () => void } | null = null;

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly url: string,
  ) {}

  static async start(): Promise<HungServer> {
    const server = createServer();
    server.requestTimeout = 0;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const hungServer = new HungServer(server, `http://127.0.0.1:${port}`);
    server.on('connection', (socket) => {
      hungServer.sockets.add(socket);
      socket.on('close', () => hungServer.sockets.delete(socket));
    });
    server.on('request', (request, response) => {
      request.resume();
      request.on('end', () => hungServer.hold(response));
    });
    return hungServer;
  }

  get waiting(): number {
    return this.waitingSet.size;
  }

  /** Calls `then` once `count` requests are waiting at the same time. */
  onAllWaiting(count: number, then: () => void): void {
    this.watcher = { count, then };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private hold(response: ServerResponse): void {
    this.waitingSet.add(response);
    response.on('close', () => this.waitingSet.delete(response));
    if (this.watcher !== null && this.waitingSet.size >= this.watcher.count) {
      this.watcher.then();
      this.watcher = null;
    }
  }
}
