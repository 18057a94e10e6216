/**
 * Outbound's drain: recipients created paused and the backlog stored straight into a fresh
 * store, one or more `outbound serve` started on it, then every recipient resumed at once in
 * the database (see resumeAllInDatabase), so that the drain does not measure resume calls.
 */
import pg from 'pg';
import { Serve } from '../harness.js';
import {
  insertPostgresBacklog,
  preparePostgresStore,
  recipientUrl,
  resumeAllInDatabase,
  type Workload,
} from '../pg-harness.js';
import type { PostgresServer } from '../postgres.js';
import type { Context } from '../scenarios/types.js';
import { log, round, sleep } from '../util.js';
import { cpuMeter, type Drain, drainToEnd, logRate, onFreshDatabase } from './measure.js';

/** Deliveries Outbound counted as delivered (`outbound_attempts_total{outcome="delivered"}`). */
async function deliveredBy(serve: Serve): Promise<number> {
  try {
    const response = await fetch(`${serve.base}/metrics`);
    const text = await response.text();
    let sum = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith('outbound_attempts_total{') && line.includes('"delivered"')) {
        sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  } catch {
    return Number.NaN;
  }
}

/**
 * The CPU the serve processes and the PostgreSQL server use while every recipient is still
 * paused (heartbeats, lease claims, sweeps): a node's fixed load on the database, which the
 * scale-out projection (scale-out.ts) charges per node. After a second for start-up work.
 */
async function idleCpu(server: PostgresServer, serves: Serve[], ms: number) {
  await sleep(1000);
  const used = cpuMeter(
    server,
    serves.map((s) => s.pid),
  );
  await sleep(ms);
  const { cpu, db } = used();
  return { nodeCpu: round(cpu / (ms / 1000), 4), postgresCpu: round(db / (ms / 1000), 4) };
}

/**
 * How long the delivered requests took as Outbound measured them (from the request leaving
 * to the response's end, deliveries.last_latency_ms): the part of a delivery's time spent on
 * HTTP and in the receiver, against which the rest (the ack's round trip to PostgreSQL, the
 * lane's own work) is told apart.
 */
async function requestTimes(url: string): Promise<{ mean: number; p50: number; p99: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ mean: number; p50: number; p99: number }>(
      `SELECT avg(last_latency_ms)::float8 AS mean,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY last_latency_ms)::float8 AS p50,
        percentile_cont(0.99) WITHIN GROUP (ORDER BY last_latency_ms)::float8 AS p99
      FROM deliveries WHERE state = 'delivered'`,
    );
    const row = rows[0] as { mean: number; p50: number; p99: number };
    return { mean: round(row.mean, 3), p50: round(row.p50, 3), p99: round(row.p99, 3) };
  } finally {
    await client.end();
  }
}

export async function drainOutbound(
  ctx: Context,
  label: string,
  workload: Workload,
  nodes = 1,
  delayMs = 0,
  /** When given, the idle CPU is measured over this long before the drain (idleCpu). */
  idleMs?: number,
): Promise<Drain> {
  const name = `outbound${nodes > 1 ? ` ×${nodes} nodes` : ''}`;
  return onFreshDatabase(label, async (server, url) => {
    const serves: Serve[] = [];
    try {
      const t0 = performance.now();
      const recipients = Array.from({ length: workload.recipients }, (_, k) => ({
        name: `r${k}`,
        url: recipientUrl(workload.base, k),
        paused: true,
      }));
      const prepared = await preparePostgresStore(url, recipients);
      await insertPostgresBacklog(url, workload.events, workload.recipients);
      const setupSeconds = (performance.now() - t0) / 1000;
      const total = workload.events * workload.recipients;
      log(
        `${label}: ${name}: ${total.toLocaleString('en-US')} deliveries queued in ${setupSeconds.toFixed(1)} s`,
      );
      for (let i = 0; i < nodes; i++) serves.push(await Serve.start(prepared, ctx.serveOptions));
      const idle = idleMs === undefined ? undefined : await idleCpu(server, serves, idleMs);
      const { drain, settled, firstArrivalAfterStartMs, arrivals } = await drainToEnd(ctx, server, {
        label,
        databaseUrl: url,
        system: name,
        workload,
        setupSeconds,
        pids: serves.map((s) => s.pid),
        delayMs,
        async start() {
          const resumed = await resumeAllInDatabase(url);
          if (resumed !== workload.recipients) throw new Error(`resumed ${resumed} recipients`);
        },
        async settle() {
          await sleep(500); // late duplicates
          return requestTimes(url);
        },
      });
      const perNode = await Promise.all(serves.map(deliveredBy));
      const extra = {
        nodes,
        receiverDelayMs: delayMs,
        firstArrivalAfterResumeStartMs: round(firstArrivalAfterStartMs, 1),
        arrivalsMonotonicMs: arrivals,
        deliveredPerNode: perNode,
        ...(idle === undefined ? {} : { idleCpuShareOfOneCore: idle }),
        httpRequestMs: settled,
      };
      logRate(label, drain, `; per node ${perNode.join(' / ')}`);
      return { ...drain, extra };
    } finally {
      for (const serve of serves) await serve.stop();
    }
  });
}
