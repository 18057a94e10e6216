/**
 * Measuring one system's drain of a queued backlog on PostgreSQL (scenarios 6–8): each on a
 * fresh database of the run's server, delivering to the bench's receiver, which checks order,
 * duplicates and overlaps per recipient. What is the same for every system lives here; how
 * each one is set going is in outbound.ts and baselines.ts.
 */
import pg from 'pg';
import { cpuSeconds } from '../harness.js';
import type { Workload } from '../pg-harness.js';
import { type PostgresServer, postgres } from '../postgres.js';
import type { ReceiverStats } from '../receiver-stats.js';
import type { Context } from '../scenarios/types.js';
import { log, monoMs, round, sleep } from '../util.js';

export interface Drain {
  system: string;
  recipients: number;
  /** Deliveries queued, and those counted by the receiver (duplicates excluded). */
  queued: number;
  delivered: number;
  seconds: number;
  rate: number;
  /** Seconds spent queueing the backlog (not measured). */
  setupSeconds: number;
  stats: ReceiverStats;
  /** CPU of the delivering process(es) over the drain, as a share of one core. */
  cpu: number;
  /** CPU of the PostgreSQL server over the drain (NaN when not the embedded one). */
  dbCpu: number;
  /**
   * Transactions committed in the drain's database per delivery, from the start to shortly
   * after the end (pg_stat_database; NaN when not counted). Background work such as
   * heartbeats and polling counts too.
   */
  commitsPerDelivery: number;
  extra: Record<string, unknown>;
}

export function summarize(d: Drain) {
  return {
    system: d.system,
    recipients: d.recipients,
    queued: d.queued,
    delivered: d.delivered,
    seconds: round(d.seconds, 2),
    deliveriesPerSecond: round(d.rate, 1),
    setupSeconds: round(d.setupSeconds, 2),
    cpuShareOfOneCore: round(d.cpu, 2),
    postgresCpuShareOfOneCore: round(d.dbCpu, 2),
    commitsPerDelivery: round(d.commitsPerDelivery, 3),
    receiver: {
      requests: d.stats.count,
      outOfOrder: d.stats.outOfOrder,
      duplicates: d.stats.duplicates,
      overlapping: d.stats.overlapping,
      recipientsSeen: d.stats.paths,
    },
    ...d.extra,
  };
}

export function checks(d: Drain): string {
  return `${d.stats.count.toLocaleString('en-US')} requests, ${d.stats.outOfOrder} out of order, ${d.stats.duplicates} duplicates, ${d.stats.overlapping} overlapping`;
}

/** "0.37 of a core (PostgreSQL 0.80; 1.02 commits per delivery)" */
export function cpuText(d: Drain): string {
  const db = [
    Number.isNaN(d.dbCpu) ? '' : `PostgreSQL ${d.dbCpu.toFixed(2)}`,
    Number.isNaN(d.commitsPerDelivery)
      ? ''
      : `${d.commitsPerDelivery.toFixed(2)} commits per delivery`,
  ].filter((part) => part !== '');
  return `${d.cpu.toFixed(2)} of a core${db.length === 0 ? '' : ` (${db.join('; ')})`}`;
}

export function clean(d: Drain): boolean {
  return (
    d.delivered >= d.queued &&
    d.stats.outOfOrder === 0 &&
    d.stats.duplicates === 0 &&
    d.stats.overlapping === 0
  );
}

/** A fresh database of the run's server for `run`, dropped once it is done. */
export async function onFreshDatabase<T>(
  label: string,
  run: (server: PostgresServer, url: string) => Promise<T>,
): Promise<T> {
  const server = await postgres();
  const url = await server.createDatabase(label);
  try {
    return await run(server, url);
  } finally {
    await server.dropDatabase(url).catch(() => undefined);
  }
}

/** From now on: the CPU seconds used by `pids` together, and by the PostgreSQL server. */
export function cpuMeter(
  server: PostgresServer,
  pids: number[],
): () => { cpu: number; db: number } {
  const cpu0 = pids.map(cpuSeconds);
  const db0 = server.cpuSeconds();
  return () => ({
    cpu: pids.reduce((sum, pid, i) => sum + cpuSeconds(pid) - (cpu0[i] as number), 0),
    db: server.cpuSeconds() - db0,
  });
}

/**
 * Transactions committed in the database so far (pg_stat_database): a backend reports its
 * counts when it goes idle, at most once a second, so a reading waits that long after the work.
 */
async function commitsIn(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0]?.n ?? Number.NaN);
  } finally {
    await client.end();
  }
}

interface DrainRun<T> {
  label: string;
  /** The drain's database: its commits per delivery are counted when given. */
  databaseUrl?: string;
  system: string;
  workload: Workload;
  setupSeconds: number;
  /** The delivering processes, whose CPU is measured. */
  pids: number[];
  /** How long the receiver waits before answering each request. */
  delayMs?: number;
  /** Sets delivery of the queued backlog going. */
  start(): Promise<void>;
  /** Runs once everything arrived, before the receiver's final counts are read. */
  settle(): Promise<T>;
}

/**
 * Delivers a queued backlog to the end: the drain lasts from the receiver's first arrival to
 * the one that completes the workload (so that no system is charged for its start-up), CPU is
 * measured from just before `start` to then. `extra` of the drain is left to the caller.
 */
export async function drainToEnd<T>(
  ctx: Context,
  server: PostgresServer,
  run: DrainRun<T>,
): Promise<{ drain: Drain; settled: T; firstArrivalAfterStartMs: number }> {
  const total = run.workload.events * run.workload.recipients;
  await ctx.receiver.reset(false, { perPath: true, delayMs: run.delayMs ?? 0 });
  const commits0 = run.databaseUrl === undefined ? undefined : await commitsIn(run.databaseUrl);
  const cpuUsed = cpuMeter(server, run.pids);
  const startedAt = monoMs();
  await run.start();
  const stats = await ctx.receiver.awaitCount(total, 60_000, `${run.label} ${run.system}`);
  const { cpu, db } = cpuUsed();
  const stillReporting = sleep(1100);
  const settled = await run.settle();
  const after = await ctx.receiver.stats();
  let commitsPerDelivery = Number.NaN;
  if (run.databaseUrl !== undefined && commits0 !== undefined) {
    await stillReporting;
    // Less this reading's own transaction and the one before it.
    commitsPerDelivery = ((await commitsIn(run.databaseUrl)) - commits0 - 1) / total;
  }
  const seconds = ((stats.lastAt as number) - (stats.firstAt as number)) / 1000;
  const drain: Drain = {
    system: run.system,
    recipients: run.workload.recipients,
    queued: total,
    delivered: after.count - after.duplicates,
    seconds,
    rate: (stats.count - stats.duplicates) / seconds,
    setupSeconds: run.setupSeconds,
    stats: after,
    cpu: cpu / seconds,
    dbCpu: db / seconds,
    commitsPerDelivery,
    extra: {},
  };
  return { drain, settled, firstArrivalAfterStartMs: (stats.firstAt as number) - startedAt };
}

/** "pg_one: graphile-worker: 512 deliveries/s (7.81 s; 4,000 requests, …)" */
export function logRate(label: string, d: Drain, more = ''): void {
  log(
    `${label}: ${d.system}: ${Math.round(d.rate)} deliveries/s (${d.seconds.toFixed(2)} s; ${checks(d)}${more})`,
  );
}
