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
import { log, monoMs, round } from '../util.js';

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
   * Per delivery, from the start to the last arrival: write transactions (transaction ids
   * assigned) and bytes of WAL written on the server; NaN when not counted. Background work
   * such as heartbeats and polling counts too.
   */
  writesPerDelivery: { transactions: number; walBytes: number };
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
    writeTransactionsPerDelivery: round(d.writesPerDelivery.transactions, 3),
    walBytesPerDelivery: round(d.writesPerDelivery.walBytes, 0),
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

/** "0.37 of a core (PostgreSQL 0.80; per delivery 1.02 write transactions, 612 B of WAL)" */
export function cpuText(d: Drain): string {
  const db = [
    Number.isNaN(d.dbCpu) ? '' : `PostgreSQL ${d.dbCpu.toFixed(2)}`,
    Number.isNaN(d.writesPerDelivery.transactions)
      ? ''
      : `per delivery ${d.writesPerDelivery.transactions.toFixed(2)} write transactions, ${Math.round(d.writesPerDelivery.walBytes)} B of WAL`,
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
 * Where the server's write-ahead log and transaction ids are: server-wide, so a drain alone on
 * the server is charged with what its system wrote. Reading the next transaction id assigns
 * none (a read-only transaction gets no id), and neither changes with reading them.
 */
async function serverWrites(url: string): Promise<{ xid: bigint; lsn: bigint }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ xid: string; lsn: string }>(
      'SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xid, pg_current_wal_lsn()::text AS lsn',
    );
    const row = rows[0] as { xid: string; lsn: string };
    const [high, low] = row.lsn.split('/') as [string, string];
    return { xid: BigInt(row.xid), lsn: (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`) };
  } finally {
    await client.end();
  }
}

interface DrainRun<T> {
  label: string;
  /** The drain's database: its write transactions and WAL per delivery are counted when given. */
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
): Promise<{
  drain: Drain;
  settled: T;
  firstArrivalAfterStartMs: number;
  /** From the first arrival to the last, on the monotonic clock (a CPU profile's window). */
  arrivals: { fromMs: number; toMs: number };
}> {
  const total = run.workload.events * run.workload.recipients;
  await ctx.receiver.reset(false, { perPath: true, delayMs: run.delayMs ?? 0 });
  const writes0 = run.databaseUrl === undefined ? undefined : await serverWrites(run.databaseUrl);
  const cpuUsed = cpuMeter(server, run.pids);
  const startedAt = monoMs();
  await run.start();
  const stats = await ctx.receiver.awaitCount(total, 60_000, `${run.label} ${run.system}`);
  const { cpu, db } = cpuUsed();
  const writes1 = run.databaseUrl === undefined ? undefined : await serverWrites(run.databaseUrl);
  const settled = await run.settle();
  const after = await ctx.receiver.stats();
  const seconds = ((stats.lastAt as number) - (stats.firstAt as number)) / 1000;
  const written =
    writes0 === undefined || writes1 === undefined
      ? { transactions: Number.NaN, walBytes: Number.NaN }
      : {
          transactions: Number(writes1.xid - writes0.xid) / total,
          walBytes: Number(writes1.lsn - writes0.lsn) / total,
        };
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
    writesPerDelivery: written,
    extra: {},
  };
  return {
    drain,
    settled,
    firstArrivalAfterStartMs: (stats.firstAt as number) - startedAt,
    arrivals: { fromMs: stats.firstAt as number, toMs: stats.lastAt as number },
  };
}

/** "pg_one: graphile-worker: 512 deliveries/s (7.81 s; 4,000 requests, …)" */
export function logRate(label: string, d: Drain, more = ''): void {
  log(
    `${label}: ${d.system}: ${Math.round(d.rate)} deliveries/s (${d.seconds.toFixed(2)} s; ${checks(d)}${more})`,
  );
}
