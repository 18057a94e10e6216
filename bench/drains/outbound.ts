/**
 * Outbound's drain: recipients created paused and the backlog stored straight into a fresh
 * store, one or more `outbound serve` started on it, then every recipient resumed at once in
 * the database (see resumeAllInDatabase), so that the drain does not measure resume calls.
 */
import { Serve } from '../harness.js';
import {
  insertPostgresBacklog,
  preparePostgresStore,
  recipientUrl,
  resumeAllInDatabase,
  type Workload,
} from '../pg-harness.js';
import type { Context } from '../scenarios/types.js';
import { log, round, sleep } from '../util.js';
import { type Drain, drainToEnd, logRate, onFreshDatabase } from './measure.js';

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

export async function drainOutbound(
  ctx: Context,
  label: string,
  workload: Workload,
  nodes = 1,
  delayMs = 0,
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
      const { drain, firstArrivalAfterStartMs } = await drainToEnd(ctx, server, {
        label,
        system: name,
        workload,
        setupSeconds,
        pids: serves.map((s) => s.pid),
        delayMs,
        async start() {
          const resumed = await resumeAllInDatabase(url);
          if (resumed !== workload.recipients) throw new Error(`resumed ${resumed} recipients`);
        },
        settle: () => sleep(500), // late duplicates
      });
      const perNode = await Promise.all(serves.map(deliveredBy));
      const extra = {
        nodes,
        receiverDelayMs: delayMs,
        firstArrivalAfterResumeStartMs: round(firstArrivalAfterStartMs, 1),
        deliveredPerNode: perNode,
      };
      logRate(label, drain, `; per node ${perNode.join(' / ')}`);
      return { ...drain, extra };
    } finally {
      for (const serve of serves) await serve.stop();
    }
  });
}
