/**
 * Scenario 3 — idle latency, accept → recipient receives. One event at a time is posted to an
 * idle service whose recipient is healthy; the bench stamps the moment just before the POST,
 * the receiver process stamps the moment the delivery's body has arrived, both on the
 * machine's monotonic clock (CLOCK_MONOTONIC, shared by all processes). Between two events
 * the service is left idle for a few milliseconds.
 */
import { Client } from 'undici';
import { jsonEvent } from '../events.js';
import { prepareStore, Serve } from '../harness.js';
import { log, monoMs, round, sleep, summary } from '../util.js';
import type { Context, ScenarioResult } from './types.js';

export const TARGET_P50_MS = 5;

export async function latency(ctx: Context): Promise<ScenarioResult> {
  const { sizes, receiver } = ctx;
  const prepared = await prepareStore([
    { name: 'healthy', url: receiver.url('/latency'), paused: false },
  ]);
  const serve = await Serve.start(prepared, ctx.serveOptions);
  const client = new Client(serve.base, { keepAliveTimeout: 60_000 });
  const arrivals = new Map<number, number>();
  let notify: (() => void) | null = null;
  const off = receiver.ipc.onMessage((m) => {
    if (m.type !== 'got') return;
    arrivals.set(Number(m.lsid), Number(m.t));
    notify?.();
  });
  const endToEnd: number[] = [];
  const accept: number[] = [];
  let receivedBeforeAck = 0;
  let fromMs = Number.NaN;
  let toMs = Number.NaN;
  try {
    await receiver.reset(true);
    const total = sizes.latencyWarmup + sizes.latencyEvents;
    log(`latency: ${sizes.latencyEvents} events one at a time (+${sizes.latencyWarmup} warm-up)`);
    for (let i = 0; i < total; i++) {
      const lsid = 1_000_000 + i;
      const body = JSON.stringify(jsonEvent(i));
      const t0 = monoMs();
      if (i === sizes.latencyWarmup) fromMs = t0;
      const response = await client.request({
        path: '/api/v1/events',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${prepared.token}`,
        },
        body,
      });
      const text = await response.body.text();
      const acked = monoMs();
      if (response.statusCode !== 202)
        throw new Error(`POST event: ${response.statusCode} ${text}`);
      const deadline = performance.now() + 10_000;
      while (!arrivals.has(lsid)) {
        if (performance.now() > deadline) throw new Error(`event ${i} not received in 10 s`);
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, 100);
        });
        notify = null;
      }
      if ((arrivals.get(lsid) as number) < acked) receivedBeforeAck++;
      if (i >= sizes.latencyWarmup) {
        endToEnd.push((arrivals.get(lsid) as number) - t0);
        accept.push(acked - t0);
      }
      arrivals.delete(lsid);
      toMs = monoMs();
      await sleep(sizes.latencyGapMs);
    }
  } finally {
    off();
    await client.close();
    await serve.stop();
    await receiver.reset(false);
  }
  const e2e = summary(endToEnd);
  const ack = summary(accept);
  log(`latency: accept→received p50 ${e2e.p50.toFixed(2)} ms, p99 ${e2e.p99.toFixed(2)} ms`);
  const rounded = (s: typeof e2e) =>
    Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v, 3)]));
  const n = sizes.latencyEvents;
  const received = receivedBeforeAck;
  return {
    name: 'latency',
    title: 'Idle latency',
    rows: [
      {
        scenario: `3a. Idle latency accept → recipient received, p50 (${n} events)`,
        unit: 'ms',
        outbound: e2e.p50,
        baseline: null,
        baselineLabel: null,
        ratio: null,
        target: `< ${TARGET_P50_MS} ms`,
        pass: e2e.p50 < TARGET_P50_MS,
      },
      {
        scenario: `3b. Idle latency accept → recipient received, p99 (${n} events)`,
        unit: 'ms',
        outbound: e2e.p99,
        baseline: null,
        baselineLabel: null,
        ratio: null,
        target: null,
        pass: null,
      },
    ],
    details: {
      events: n,
      warmupEvents: sizes.latencyWarmup,
      idleGapMs: sizes.latencyGapMs,
      acceptToReceivedMs: rounded(e2e),
      acceptTo202Ms: rounded(ack),
      receivedBefore202: received,
    },
    windows: [{ label: 'measured events', fromMs, toMs }],
    notes: [
      `Latency: from just before the POST (bench process) to the end of the delivery's body at the receiver (receiver process), CLOCK_MONOTONIC in both; ${sizes.latencyGapMs} ms idle between events. The POST's own 202 came after p50 ${ack.p50.toFixed(2)} ms / p99 ${ack.p99.toFixed(2)} ms (the durable commit); ${received} of ${n + sizes.latencyWarmup} deliveries arrived before their 202. Accept → received: min ${e2e.min.toFixed(2)}, p90 ${e2e.p90.toFixed(2)}, max ${e2e.max.toFixed(2)} ms.`,
    ],
  };
}
