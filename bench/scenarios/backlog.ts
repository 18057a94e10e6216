/**
 * Scenario 4 — backlog: a recipient that was down (paused) has N events queued, stored
 * straight into the SQLite store in durable batches before `serve` starts. Then the service
 * starts, the recipient is resumed, and the bench times the drain and samples the serve
 * process's RSS every 200 ms. The drain rate is compared with the sequential-loop limit,
 * measured again in this scenario.
 */
import { cpuSeconds, insertBacklog, prepareStore, RssSampler, Serve } from '../harness.js';
import { log, monoMs, round } from '../util.js';
import type { Context, ScenarioResult } from './types.js';

export const TARGET_RSS_MB = 200;
export const TARGET_DRAIN_RATIO = 0.7;

export async function backlog(ctx: Context): Promise<ScenarioResult> {
  const { sizes, receiver, load } = ctx;
  const n = sizes.backlogEvents;

  log(`backlog: baseline loop, ${sizes.loopRequests.toLocaleString('en-US')} sequential POSTs`);
  await receiver.reset();
  const loop = await load.loop(receiver.url(), sizes.loopRequests, sizes.loopWarmup);
  log(`backlog: loop ${Math.round(loop.perSecond)} requests/s`);

  const prepared = await prepareStore([
    { name: 'was-down', url: receiver.url('/backlog'), paused: true },
  ]);
  const id = prepared.recipientIds[0] as number;
  log(`backlog: storing ${n.toLocaleString('en-US')} events, ${sizes.backlogBatch} per commit`);
  const insertSeconds = await insertBacklog(prepared.dbPath, n, sizes.backlogBatch);
  log(`backlog: stored in ${insertSeconds.toFixed(1)} s (${Math.round(n / insertSeconds)}/s)`);

  const serve = await Serve.start(prepared, ctx.serveOptions);
  const sampler = new RssSampler(serve.pid, 200);
  try {
    await receiver.reset();
    log('backlog: resume, draining');
    const cpu0 = cpuSeconds(serve.pid);
    const t0 = monoMs();
    await serve.api('POST', `/api/v1/recipients/${id}/resume`);
    const stats = await receiver.awaitCount(n, 60_000, 'drained');
    const cpu = cpuSeconds(serve.pid) - cpu0;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const memory = sampler.stop();
    const after = await receiver.stats();
    const seconds = ((stats.lastAt as number) - t0) / 1000;
    const rate = n / seconds;
    const ratio = rate / loop.perSecond;
    const maxRssMb = memory.maxRssKb / 1024;
    const idleRssMb = (sampler.samples[0]?.rssKb ?? 0) / 1024;
    log(
      `backlog: ${Math.round(rate)} deliveries/s (ratio ${ratio.toFixed(2)}), max RSS ${maxRssMb.toFixed(1)} MB`,
    );
    const clean = after.count === n && after.outOfOrder === 0;
    return {
      name: 'backlog',
      title: 'Backlog drain',
      rows: [
        {
          scenario: `4a. Backlog of ${n.toLocaleString('en-US')} events, drain rate`,
          unit: 'deliveries/s',
          outbound: rate,
          baseline: loop.perSecond,
          baselineLabel: 'sequential keep-alive POST loop (undici), requests/s',
          ratio,
          target: `ratio ≥ ${TARGET_DRAIN_RATIO}`,
          pass: ratio >= TARGET_DRAIN_RATIO && clean,
        },
        {
          scenario: `4b. Backlog of ${n.toLocaleString('en-US')} events, max RSS of serve`,
          unit: 'MB',
          outbound: maxRssMb,
          baseline: null,
          baselineLabel: null,
          ratio: null,
          target: `< ${TARGET_RSS_MB} MB`,
          pass: maxRssMb < TARGET_RSS_MB && memory.hwmKb / 1024 < TARGET_RSS_MB,
        },
      ],
      details: {
        events: n,
        insert: { seconds: round(insertSeconds, 2), eventsPerSecond: round(n / insertSeconds) },
        outbound: {
          deliveriesPerSecond: round(rate, 1),
          seconds: round(seconds, 2),
          firstArrivalAfterResumeMs: round((stats.firstAt as number) - t0, 2),
          serveCpuShareOfOneCore: round(cpu / seconds, 2),
          received: after.count,
          outOfOrder: after.outOfOrder,
        },
        memory: {
          idleRssMbBeforeResume: round(idleRssMb, 1),
          maxSampledRssMb: round(maxRssMb, 1),
          peakRssMbVmHWM: round(memory.hwmKb / 1024, 1),
          samples: memory.samples,
        },
        baseline: {
          requestsPerSecond: round(loop.perSecond, 1),
          requests: loop.requests,
          non200: loop.non200,
        },
      },
      windows: [{ label: 'drain', fromMs: t0, toMs: stats.lastAt as number }],
      notes: [
        `Backlog: one delivery took ${Math.round(1e6 / rate)} µs against ${Math.round(1e6 / loop.perSecond)} µs per round trip of the loop (${Math.round(1e6 / rate - 1e6 / loop.perSecond)} µs of the service's own work in series).`,
        `Backlog: ${n.toLocaleString('en-US')} events stored straight into the SQLite store (${sizes.backlogBatch} per durable transaction, ${Math.round(n / insertSeconds).toLocaleString('en-US')}/s) before \`serve\` started; clock from just before the resume call to the last arrival (${seconds.toFixed(1)} s); serve used ${round(cpu / seconds, 2)} of a core. RSS sampled every 200 ms (${memory.samples} samples): ${idleRssMb.toFixed(1)} MB idle before resume, max ${maxRssMb.toFixed(1)} MB, kernel peak (VmHWM) ${(memory.hwmKb / 1024).toFixed(1)} MB. Receiver saw ${after.count.toLocaleString('en-US')} requests, ${after.outOfOrder} out of order.`,
      ],
    };
  } finally {
    sampler.stop();
    await serve.stop();
  }
}
