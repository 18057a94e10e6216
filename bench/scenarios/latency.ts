/**
 * Scenario 3 — idle latency, accept → recipient receives. One event at a time is posted to an
 * idle service whose recipient is healthy; the bench stamps the moment just before the POST,
 * the receiver process stamps the moment the delivery's body has arrived, both on the
 * machine's monotonic clock (CLOCK_MONOTONIC, shared by all processes). Between two events
 * the service is left idle for a few milliseconds.
 */
import { Client } from 'undici';
import { jsonEvent } from '../events.js';
import { prepareStore, Relay, Serve } from '../harness.js';
import { log, monoMs, round, sleep, summary } from '../util.js';
import type { Context, ScenarioResult } from './types.js';

export const TARGET_P50_MS = 2;
export const TARGET_P99_MS = 5;
const RELAY_LABEL = 'bare relay: fsync, forward, 202 (relay-process.ts), same path';

interface Measured {
  endToEnd: number[];
  accept: number[];
  receivedBeforeAck: number;
  fromMs: number;
  toMs: number;
}

/**
 * Posts the warm-up events back to back, then the measured ones one at a time with the idle
 * gap between them, each waited for at the receiver.
 */
async function measure(
  ctx: Context,
  base: string,
  headers: Record<string, string>,
  label: string,
): Promise<Measured> {
  const { sizes, receiver } = ctx;
  const client = new Client(base, { keepAliveTimeout: 60_000 });
  const arrivals = new Map<number, number>();
  let notify: (() => void) | null = null;
  const off = receiver.ipc.onMessage((m) => {
    if (m.type !== 'got') return;
    arrivals.set(Number(m.lsid), Number(m.t));
    notify?.();
  });
  const measured: Measured = {
    endToEnd: [],
    accept: [],
    receivedBeforeAck: 0,
    fromMs: Number.NaN,
    toMs: Number.NaN,
  };
  try {
    await receiver.reset(true);
    const total = sizes.latencyWarmup + sizes.latencyEvents;
    log(
      `latency: ${label}, ${sizes.latencyEvents} events one at a time (after ${sizes.latencyWarmup} back to back)`,
    );
    for (let i = 0; i < total; i++) {
      const lsid = 1_000_000 + i;
      const body = JSON.stringify(jsonEvent(i));
      const warmup = i < sizes.latencyWarmup;
      const t0 = monoMs();
      if (i === sizes.latencyWarmup) measured.fromMs = t0;
      const response = await client.request({
        path: '/api/v1/events',
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
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
      if (!warmup) {
        if ((arrivals.get(lsid) as number) < acked) measured.receivedBeforeAck++;
        measured.endToEnd.push((arrivals.get(lsid) as number) - t0);
        measured.accept.push(acked - t0);
      }
      arrivals.delete(lsid);
      measured.toMs = monoMs();
      if (!warmup) await sleep(sizes.latencyGapMs);
    }
    return measured;
  } finally {
    off();
    await client.close();
    await receiver.reset(false);
  }
}

export async function latency(ctx: Context): Promise<ScenarioResult> {
  const { sizes, receiver } = ctx;
  // The machine's floor first: a bare relay (fsync, forward, 202) to the same receiver.
  const relay = await Relay.start(receiver.url('/latency'));
  let floor: Measured;
  try {
    floor = await measure(ctx, relay.base, {}, 'bare relay (baseline)');
  } finally {
    await relay.stop();
  }
  const prepared = await prepareStore([
    { name: 'healthy', url: receiver.url('/latency'), paused: false },
  ]);
  const serve = await Serve.start(prepared, ctx.serveOptions);
  let measured: Measured;
  try {
    measured = await measure(
      ctx,
      serve.base,
      { authorization: `Bearer ${prepared.token}` },
      'serve',
    );
  } finally {
    await serve.stop();
  }
  const { endToEnd, accept, fromMs, toMs } = measured;
  const relayE2e = summary(floor.endToEnd);
  const e2e = summary(endToEnd);
  const ack = summary(accept);
  log(`latency: accept→received p50 ${e2e.p50.toFixed(2)} ms, p99 ${e2e.p99.toFixed(2)} ms`);
  const rounded = (s: typeof e2e) =>
    Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v, 3)]));
  const n = sizes.latencyEvents;
  const received = measured.receivedBeforeAck;
  return {
    name: 'latency',
    title: 'Idle latency',
    rows: [
      {
        scenario: `3a. Idle latency accept → recipient received, p50 (${n} events)`,
        unit: 'ms',
        outbound: e2e.p50,
        baseline: relayE2e.p50,
        baselineLabel: RELAY_LABEL,
        ratio: e2e.p50 / relayE2e.p50,
        target: `< ${TARGET_P50_MS} ms`,
        pass: e2e.p50 < TARGET_P50_MS,
      },
      {
        scenario: `3b. Idle latency accept → recipient received, p99 (${n} events)`,
        unit: 'ms',
        outbound: e2e.p99,
        baseline: relayE2e.p99,
        baselineLabel: RELAY_LABEL,
        ratio: e2e.p99 / relayE2e.p99,
        target: `< ${TARGET_P99_MS} ms`,
        pass: e2e.p99 < TARGET_P99_MS,
      },
    ],
    details: {
      events: n,
      warmupEvents: sizes.latencyWarmup,
      idleGapMs: sizes.latencyGapMs,
      acceptToReceivedMs: rounded(e2e),
      relay: {
        acceptToReceivedMs: rounded(relayE2e),
        acceptTo202Ms: rounded(summary(floor.accept)),
      },
      acceptTo202Ms: rounded(ack),
      receivedBefore202: received,
    },
    windows: [{ label: 'measured events', fromMs, toMs }],
    notes: [
      `Latency: from just before the POST (bench process) to the end of the delivery's body at the receiver (receiver process), CLOCK_MONOTONIC in both; ${sizes.latencyGapMs} ms idle between events. The POST's own 202 came after p50 ${ack.p50.toFixed(2)} ms / p99 ${ack.p99.toFixed(2)} ms (the durable commit); ${received} of ${n + sizes.latencyWarmup} deliveries arrived before their 202. Accept → received: min ${e2e.min.toFixed(2)}, p90 ${e2e.p90.toFixed(2)}, max ${e2e.max.toFixed(2)} ms.`,
      `Latency baseline: a bare relay process (relay-process.ts: node:http, append + fsync, an undici POST to the same receiver, 202), measured the same way just before: accept → received p50 ${relayE2e.p50.toFixed(2)} / p90 ${relayE2e.p90.toFixed(2)} / p99 ${relayE2e.p99.toFixed(2)} ms, min ${relayE2e.min.toFixed(2)}. It is the machine's floor for this path (two loopback hops after ${sizes.latencyGapMs} ms idle, one fsync); serve adds ${(e2e.p50 - relayE2e.p50).toFixed(2)} ms at p50.`,
    ],
  };
}
