/**
 * The job-queue baselines' drains, each in its own process with its jobs inserted before its
 * worker starts: graphile-worker to the end, pg-boss over a window (it is too slow to drain).
 */
import type { Workload } from '../pg-harness.js';
import type { PostgresServer } from '../postgres.js';
import type { Context } from '../scenarios/types.js';
import { IpcChild, log, monoMs, round, sleep } from '../util.js';
import { checks, cpuMeter, type Drain, drainToEnd, logRate, onFreshDatabase } from './measure.js';

/**
 * Baseline settings (see bench/README.md). graphile-worker: as many jobs at once as Outbound's
 * OUTBOUND_CONCURRENCY (64), its default poll (2 s: with one queue, a shorter one only makes the
 * workers that found the queue locked poll it, which made it 2–3× slower) and pool (10).
 * pg-boss: the shortest polling interval it allows (0.5 s, default 2 s), batches of 100 (a
 * fetch takes at most one job per key, so a batch spans up to 100 recipients), one worker, and
 * burstWhenBatchFull (fetch again at once while batches come back full).
 */
export const GRAPHILE_SETTINGS = {
  concurrency: 64,
  pollInterval: 2000,
  maxPoolSize: 10,
  ...overrides('OUTBOUND_BENCH_GRAPHILE'),
};
export const PGBOSS_SETTINGS = {
  batchSize: 100,
  pollingIntervalSeconds: 0.5,
  localConcurrency: 1,
  burst: true,
  max: 10,
  ...overrides('OUTBOUND_BENCH_PGBOSS'),
};

/** Settings to try instead, as JSON in an environment variable (e.g. `{"concurrency": 8}`). */
function overrides(variable: string): Record<string, number | boolean> {
  const text = process.env[variable];
  return text === undefined || text === '' ? {} : JSON.parse(text);
}

/** Stops a baseline's worker: the jobs it saw succeed and fail. */
async function stopWorker(child: IpcChild) {
  const { succeeded, failed, firstError } = await child.request<{
    succeeded: number;
    failed: number;
    firstError: string | null;
  }>({ type: 'stop' });
  return { succeeded, failed, firstError };
}

/**
 * A job-queue baseline's process (`graphile-process.ts`, `pgboss-process.ts`) with the
 * workload's jobs queued on a fresh database, not working yet, for `run`; stopped after.
 */
async function withBaseline<T>(
  baseline: { name: string; file: string; database: string; prepare?: Record<string, unknown> },
  label: string,
  workload: Workload,
  run: (
    child: IpcChild,
    server: PostgresServer,
    url: string,
    queued: { jobs: number; seconds: number },
  ) => Promise<T>,
): Promise<T> {
  return onFreshDatabase(`${label}_${baseline.database}`, async (server, url) => {
    const child = new IpcChild(baseline.file);
    try {
      await child.waitFor((m) => m.type === 'ready');
      const queued = await child.request<{ jobs: number; seconds: number }>({
        type: 'prepare',
        url,
        workload,
        ...baseline.prepare,
      });
      log(
        `${label}: ${baseline.name}: ${queued.jobs.toLocaleString('en-US')} jobs queued in ${queued.seconds.toFixed(1)} s`,
      );
      return await run(child, server, url, queued);
    } finally {
      await child.stop();
    }
  });
}

const GRAPHILE = { name: 'graphile-worker', file: 'graphile-process.ts', database: 'graphile' };

export async function drainGraphile(
  ctx: Context,
  label: string,
  workload: Workload,
): Promise<Drain> {
  return withBaseline(GRAPHILE, label, workload, async (child, server, url, queued) => {
    const { drain, settled } = await drainToEnd(ctx, server, {
      label,
      databaseUrl: url,
      system: GRAPHILE.name,
      workload,
      setupSeconds: queued.seconds,
      pids: [child.pid],
      start: async () => {
        await child.request({ type: 'start', url, ...GRAPHILE_SETTINGS });
      },
      settle: () => stopWorker(child),
    });
    logRate(label, drain);
    return { ...drain, extra: { settings: GRAPHILE_SETTINGS, jobs: settled } };
  });
}

/** pg-boss over a window of `windowMs` from its first delivery (it is too slow to drain). */
export async function windowPgBoss(
  ctx: Context,
  label: string,
  workload: Workload,
  windowMs: number,
  settings: typeof PGBOSS_SETTINGS = PGBOSS_SETTINGS,
  system = 'pg-boss',
): Promise<Drain> {
  const total = workload.events * workload.recipients;
  const baseline = {
    name: 'pg-boss',
    file: 'pgboss-process.ts',
    database: 'pgboss',
    prepare: { limit: total },
  };
  return withBaseline(baseline, label, workload, async (child, server, url, queued) => {
    await ctx.receiver.reset(false, { perPath: true });
    const cpuUsed = cpuMeter(server, [child.pid]);
    const started = monoMs();
    await child.request({ type: 'start', url, ...settings });
    let stats = await ctx.receiver.stats();
    while (stats.firstAt === null) {
      if (monoMs() - started > 60_000) throw new Error('pg-boss delivered nothing in 60 s');
      await sleep(20);
      stats = await ctx.receiver.stats();
    }
    const firstAt = stats.firstAt;
    while (monoMs() < firstAt + windowMs && stats.count < queued.jobs) {
      await sleep(Math.min(250, Math.max(1, firstAt + windowMs - monoMs())));
      stats = await ctx.receiver.stats();
    }
    stats = await ctx.receiver.stats();
    const endAt = stats.count >= queued.jobs ? (stats.lastAt as number) : monoMs();
    const { cpu, db } = cpuUsed();
    const outcome = await stopWorker(child);
    const seconds = (endAt - firstAt) / 1000;
    const distinct = stats.count - stats.duplicates;
    const drain: Drain = {
      system,
      recipients: workload.recipients,
      queued: queued.jobs,
      delivered: distinct,
      seconds,
      rate: distinct / seconds,
      setupSeconds: queued.seconds,
      stats,
      cpu: cpu / seconds,
      dbCpu: db / seconds,
      writesPerDelivery: { transactions: Number.NaN, walBytes: Number.NaN },
      extra: {
        settings,
        windowMs,
        firstArrivalAfterStartMs: round(firstAt - started, 1),
        jobs: outcome,
      },
    };
    log(
      `${label}: ${system}: ${Math.round(drain.rate)} deliveries/s over ${seconds.toFixed(1)} s (${checks(drain)})`,
    );
    return drain;
  });
}
