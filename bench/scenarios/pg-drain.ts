/**
 * Scenarios 6–8 — backlog drains on PostgreSQL, each system on a fresh database of the same
 * server (postgres.ts) and delivering to the same receiver process:
 *
 * - `pg-one`: N events queued for one recipient; Outbound (one `outbound serve`) vs
 *   graphile-worker (a job per delivery, `queueName` = the recipient) vs pg-boss
 *   (`key_strict_fifo`, `singletonKey` = the recipient). Target: Outbound ≥ 4× graphile-worker.
 * - `pg-many`: the same spread over 1,000 recipients (each gets every event). pg-boss runs on
 *   100 recipients, as in the issue. Target: Outbound ≥ 10× graphile-worker.
 * - `pg-nodes`: 1 vs 3 `outbound serve` processes on one database, 1,000 recipients whose
 *   receiver takes 5 ms per request. Target: 3 nodes ≥ 1.8× one node.
 *
 * The backlog is queued before delivery starts: Outbound's recipients are created paused, the
 * events stored straight into its store, the serve processes started, then every recipient is
 * resumed at once in the database (each node's sweep picks that up within a second, see
 * resumeAllInDatabase); the baselines' jobs are inserted before their worker starts. A drain
 * rate is the deliveries counted by the receiver divided by the time from its first to its last
 * arrival, so that no system is charged for its start-up. pg-boss delivers a few jobs per
 * polling interval: its rate is the deliveries of a fixed window from its first arrival. The
 * receiver checks the order per recipient (path) and counts duplicates and overlapping
 * requests (two requests in flight to one recipient at once).
 */
import { cpuSeconds, type ReceiverStats, Serve } from '../harness.js';
import {
  insertPostgresBacklog,
  preparePostgresStore,
  recipientUrl,
  resumeAllInDatabase,
  type Workload,
} from '../pg-harness.js';
import { postgres } from '../postgres.js';
import { IpcChild, log, monoMs, round, sleep } from '../util.js';
import type { Context, Row, ScenarioResult } from './types.js';

export const TARGET_ONE_VS_GRAPHILE = 4;
export const TARGET_MANY_VS_GRAPHILE = 10;
export const TARGET_THREE_VS_ONE = 1.8;

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

interface Drain {
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
  extra: Record<string, unknown>;
}

function summarize(d: Drain) {
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

function checks(d: Drain): string {
  return `${d.stats.count.toLocaleString('en-US')} requests, ${d.stats.outOfOrder} out of order, ${d.stats.duplicates} duplicates, ${d.stats.overlapping} overlapping`;
}

/** "0.37 of a core (PostgreSQL 0.80)" */
function cpuText(d: Drain): string {
  return `${d.cpu.toFixed(2)} of a core${Number.isNaN(d.dbCpu) ? '' : ` (PostgreSQL ${d.dbCpu.toFixed(2)})`}`;
}

function clean(d: Drain): boolean {
  return (
    d.delivered >= d.queued &&
    d.stats.outOfOrder === 0 &&
    d.stats.duplicates === 0 &&
    d.stats.overlapping === 0
  );
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

async function drainOutbound(
  ctx: Context,
  label: string,
  workload: Workload,
  nodes = 1,
  delayMs = 0,
): Promise<Drain> {
  const server = await postgres();
  const url = await server.createDatabase(label);
  const total = workload.events * workload.recipients;
  const name = `outbound${nodes > 1 ? ` ×${nodes} nodes` : ''}`;
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
    log(
      `${label}: ${name}: ${total.toLocaleString('en-US')} deliveries queued in ${setupSeconds.toFixed(1)} s`,
    );
    for (let i = 0; i < nodes; i++) serves.push(await Serve.start(prepared, ctx.serveOptions));
    await ctx.receiver.reset(false, { perPath: true, delayMs });
    const cpu0 = serves.map((s) => cpuSeconds(s.pid));
    const db0 = server.cpuSeconds();
    const resumeFrom = monoMs();
    const resumed = await resumeAllInDatabase(url);
    if (resumed !== workload.recipients) throw new Error(`resumed ${resumed} recipients`);
    const stats = await ctx.receiver.awaitCount(total, 60_000, `${label} ${name}`);
    const cpu = serves.reduce((sum, s, i) => sum + cpuSeconds(s.pid) - (cpu0[i] as number), 0);
    const db = server.cpuSeconds() - db0;
    await sleep(500); // late duplicates
    const after = await ctx.receiver.stats();
    const seconds = ((stats.lastAt as number) - (stats.firstAt as number)) / 1000;
    const perNode = await Promise.all(serves.map(deliveredBy));
    const drain: Drain = {
      system: name,
      recipients: workload.recipients,
      queued: total,
      delivered: after.count - after.duplicates,
      seconds,
      rate: (stats.count - stats.duplicates) / seconds,
      setupSeconds,
      stats: after,
      cpu: cpu / seconds,
      dbCpu: db / seconds,
      extra: {
        nodes,
        receiverDelayMs: delayMs,
        firstArrivalAfterResumeStartMs: round((stats.firstAt as number) - resumeFrom, 1),
        deliveredPerNode: perNode,
      },
    };
    log(
      `${label}: ${name}: ${Math.round(drain.rate)} deliveries/s (${seconds.toFixed(2)} s; ${checks(drain)}; per node ${perNode.join(' / ')})`,
    );
    return drain;
  } finally {
    for (const serve of serves) await serve.stop();
    await server.dropDatabase(url).catch(() => undefined);
  }
}

async function drainGraphile(ctx: Context, label: string, workload: Workload): Promise<Drain> {
  const server = await postgres();
  const url = await server.createDatabase(`${label}_graphile`);
  const total = workload.events * workload.recipients;
  const child = new IpcChild('graphile-process.ts');
  try {
    await child.waitFor((m) => m.type === 'ready');
    const prepared = await child.request<{ jobs: number; seconds: number }>({
      type: 'prepare',
      url,
      workload,
    });
    log(
      `${label}: graphile-worker: ${prepared.jobs.toLocaleString('en-US')} jobs queued in ${prepared.seconds.toFixed(1)} s`,
    );
    await ctx.receiver.reset(false, { perPath: true });
    const cpu0 = cpuSeconds(child.pid);
    const db0 = server.cpuSeconds();
    await child.request({ type: 'start', url, ...GRAPHILE_SETTINGS });
    const stats = await ctx.receiver.awaitCount(total, 60_000, `${label} graphile-worker`);
    const cpu = cpuSeconds(child.pid) - cpu0;
    const db = server.cpuSeconds() - db0;
    const outcome = await stopWorker(child);
    const after = await ctx.receiver.stats();
    const seconds = ((stats.lastAt as number) - (stats.firstAt as number)) / 1000;
    const drain: Drain = {
      system: 'graphile-worker',
      recipients: workload.recipients,
      queued: total,
      delivered: after.count - after.duplicates,
      seconds,
      rate: (stats.count - stats.duplicates) / seconds,
      setupSeconds: prepared.seconds,
      stats: after,
      cpu: cpu / seconds,
      dbCpu: db / seconds,
      extra: { settings: GRAPHILE_SETTINGS, jobs: outcome },
    };
    log(
      `${label}: graphile-worker: ${Math.round(drain.rate)} deliveries/s (${seconds.toFixed(2)} s; ${checks(drain)})`,
    );
    return drain;
  } finally {
    await child.stop();
    await server.dropDatabase(url).catch(() => undefined);
  }
}

/** pg-boss over a window of `windowMs` from its first delivery (it is too slow to drain). */
async function windowPgBoss(
  ctx: Context,
  label: string,
  workload: Workload,
  windowMs: number,
  settings: typeof PGBOSS_SETTINGS = PGBOSS_SETTINGS,
  system = 'pg-boss',
): Promise<Drain> {
  const server = await postgres();
  const url = await server.createDatabase(`${label}_pgboss`);
  const child = new IpcChild('pgboss-process.ts');
  const total = workload.events * workload.recipients;
  try {
    await child.waitFor((m) => m.type === 'ready');
    const prepared = await child.request<{ jobs: number; seconds: number }>({
      type: 'prepare',
      url,
      workload,
      limit: total,
    });
    log(
      `${label}: pg-boss: ${prepared.jobs.toLocaleString('en-US')} jobs queued in ${prepared.seconds.toFixed(1)} s`,
    );
    await ctx.receiver.reset(false, { perPath: true });
    const cpu0 = cpuSeconds(child.pid);
    const db0 = server.cpuSeconds();
    const started = monoMs();
    await child.request({ type: 'start', url, ...settings });
    let stats = await ctx.receiver.stats();
    while (stats.firstAt === null) {
      if (monoMs() - started > 60_000) throw new Error('pg-boss delivered nothing in 60 s');
      await sleep(20);
      stats = await ctx.receiver.stats();
    }
    const firstAt = stats.firstAt;
    while (monoMs() < firstAt + windowMs && stats.count < prepared.jobs) {
      await sleep(Math.min(250, Math.max(1, firstAt + windowMs - monoMs())));
      stats = await ctx.receiver.stats();
    }
    stats = await ctx.receiver.stats();
    const endAt = stats.count >= prepared.jobs ? (stats.lastAt as number) : monoMs();
    const cpu = cpuSeconds(child.pid) - cpu0;
    const db = server.cpuSeconds() - db0;
    const outcome = await stopWorker(child);
    const seconds = (endAt - firstAt) / 1000;
    const distinct = stats.count - stats.duplicates;
    const drain: Drain = {
      system,
      recipients: workload.recipients,
      queued: prepared.jobs,
      delivered: distinct,
      seconds,
      rate: distinct / seconds,
      setupSeconds: prepared.seconds,
      stats,
      cpu: cpu / seconds,
      dbCpu: db / seconds,
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
  } finally {
    await child.stop();
    await server.dropDatabase(url).catch(() => undefined);
  }
}

function serverNote(kind: string): string {
  return `every system on a fresh database of one server (${kind}), delivering with keep-alive undici to the same receiver process`;
}

export async function pgOne(ctx: Context): Promise<ScenarioResult> {
  const { sizes } = ctx;
  const server = await postgres();
  const base = ctx.receiver.url('');
  const workload: Workload = { base, recipients: 1, events: sizes.pgOneEvents };
  const n = workload.events;
  log(`pg-one: ${n.toLocaleString('en-US')} events to one recipient`);
  const outbound = await drainOutbound(ctx, 'pg_one', workload);
  const graphile = await drainGraphile(ctx, 'pg_one', workload);
  const boss = await windowPgBoss(ctx, 'pg_one', workload, sizes.pgBossWindowMs);
  const ratio = outbound.rate / graphile.rate;
  const rows: Row[] = [
    {
      scenario: `6a. PostgreSQL, backlog of ${n.toLocaleString('en-US')} events to 1 recipient, drain rate`,
      unit: 'deliveries/s',
      outbound: outbound.rate,
      baseline: graphile.rate,
      baselineLabel: 'graphile-worker 0.16, a job per delivery, queueName = recipient',
      ratio,
      target: `ratio ≥ ${TARGET_ONE_VS_GRAPHILE}`,
      pass: ratio >= TARGET_ONE_VS_GRAPHILE && clean(outbound),
    },
    {
      scenario: '6b. PostgreSQL, 1 recipient, vs pg-boss',
      unit: 'deliveries/s',
      outbound: outbound.rate,
      baseline: boss.rate,
      baselineLabel: `pg-boss 12, key_strict_fifo, ${boss.delivered} delivered in ${boss.seconds.toFixed(1)} s`,
      ratio: outbound.rate / boss.rate,
      target: null,
      pass: clean(outbound) ? null : false,
    },
  ];
  return {
    name: 'pg-one',
    title: 'PostgreSQL drain to one recipient',
    rows,
    details: {
      server: server.kind,
      outbound: summarize(outbound),
      graphileWorker: summarize(graphile),
      pgBoss: summarize(boss),
    },
    notes: [
      `PostgreSQL, one recipient: ${serverNote(server.kind)}. Rate = deliveries / (last arrival − first arrival); pg-boss over ${Math.round(sizes.pgBossWindowMs / 1000)} s from its first arrival. CPU during the drain — Outbound: ${cpuText(outbound)}; graphile-worker: ${cpuText(graphile)}; pg-boss: ${cpuText(boss)}. Receiver — Outbound: ${checks(outbound)}; graphile-worker: ${checks(graphile)}; pg-boss: ${checks(boss)}.`,
    ],
  };
}

export async function pgMany(ctx: Context): Promise<ScenarioResult> {
  const { sizes } = ctx;
  const server = await postgres();
  const base = ctx.receiver.url('');
  const r = sizes.pgManyRecipients;
  const workload: Workload = { base, recipients: r, events: sizes.pgManyEvents };
  const total = workload.events * r;
  // pg-boss on the issue's 100 recipients, the same number of deliveries.
  const bossWorkload: Workload = {
    base,
    recipients: sizes.pgBossRecipients,
    events: Math.ceil(total / sizes.pgBossRecipients),
  };
  log(
    `pg-many: ${total.toLocaleString('en-US')} deliveries over ${r.toLocaleString('en-US')} recipients`,
  );
  const outbound = await drainOutbound(ctx, 'pg_many', workload);
  const graphile = await drainGraphile(ctx, 'pg_many', workload);
  const boss = await windowPgBoss(ctx, 'pg_many', bossWorkload, sizes.pgBossWindowMs);
  // Without burstWhenBatchFull: one batch per polling interval (issue #5's 220/s).
  const bossPolled = await windowPgBoss(
    ctx,
    'pg_many',
    bossWorkload,
    sizes.pgBossWindowMs,
    { ...PGBOSS_SETTINGS, burst: false },
    'pg-boss (no burst)',
  );
  const ratio = outbound.rate / graphile.rate;
  const rows: Row[] = [
    {
      scenario: `7a. PostgreSQL, ${total.toLocaleString('en-US')} deliveries over ${r.toLocaleString('en-US')} recipients, drain rate`,
      unit: 'deliveries/s',
      outbound: outbound.rate,
      baseline: graphile.rate,
      baselineLabel: 'graphile-worker 0.16, same workload',
      ratio,
      target: `ratio ≥ ${TARGET_MANY_VS_GRAPHILE}`,
      pass: ratio >= TARGET_MANY_VS_GRAPHILE && clean(outbound),
    },
    {
      scenario: `7b. PostgreSQL, many recipients, vs pg-boss on ${sizes.pgBossRecipients} recipients`,
      unit: 'deliveries/s',
      outbound: outbound.rate,
      baseline: boss.rate,
      baselineLabel: `pg-boss 12, key_strict_fifo, batches of ${PGBOSS_SETTINGS.batchSize}, burstWhenBatchFull, ${sizes.pgBossRecipients} recipients, ${boss.delivered.toLocaleString('en-US')} delivered in ${boss.seconds.toFixed(1)} s`,
      ratio: outbound.rate / boss.rate,
      target: null,
      pass: clean(outbound) ? null : false,
    },
    {
      scenario: `7c. PostgreSQL, many recipients, vs pg-boss on ${sizes.pgBossRecipients} recipients, no burst`,
      unit: 'deliveries/s',
      outbound: outbound.rate,
      baseline: bossPolled.rate,
      baselineLabel: `pg-boss 12 as 7b without burstWhenBatchFull (a batch per ${PGBOSS_SETTINGS.pollingIntervalSeconds} s poll), ${bossPolled.delivered.toLocaleString('en-US')} delivered in ${bossPolled.seconds.toFixed(1)} s`,
      ratio: outbound.rate / bossPolled.rate,
      target: null,
      pass: clean(outbound) ? null : false,
    },
  ];
  return {
    name: 'pg-many',
    title: 'PostgreSQL drain over many recipients',
    rows,
    details: {
      server: server.kind,
      outbound: summarize(outbound),
      graphileWorker: summarize(graphile),
      pgBoss: summarize(boss),
      pgBossNoBurst: summarize(bossPolled),
    },
    notes: [
      `PostgreSQL, ${r.toLocaleString('en-US')} recipients: ${workload.events} events, each to every recipient (Outbound stores an event once and fans it out; graphile-worker has a job per delivery, queued event by event). pg-boss: ${bossWorkload.events} events to each of ${sizes.pgBossRecipients} recipients (the same number of deliveries), rate over at most ${Math.round(sizes.pgBossWindowMs / 1000)} s. ${serverNote(server.kind)}. CPU during the drain — Outbound: ${cpuText(outbound)}; graphile-worker: ${cpuText(graphile)}; pg-boss: ${cpuText(boss)}; pg-boss without burst: ${cpuText(bossPolled)}. Receiver — Outbound: ${checks(outbound)}; graphile-worker: ${checks(graphile)}; pg-boss: ${checks(boss)}; without burst: ${checks(bossPolled)}.`,
    ],
  };
}

export async function pgNodes(ctx: Context): Promise<ScenarioResult> {
  const { sizes } = ctx;
  const server = await postgres();
  const base = ctx.receiver.url('');
  const r = sizes.pgManyRecipients;
  const workload: Workload = { base, recipients: r, events: sizes.pgNodesEvents };
  const total = workload.events * r;
  const delay = sizes.pgNodesDelayMs;
  log(
    `pg-nodes: ${total.toLocaleString('en-US')} deliveries over ${r} recipients, receiver ${delay} ms per request; 1 node, then 3`,
  );
  const one = await drainOutbound(ctx, 'pg_nodes_1', workload, 1, delay);
  const three = await drainOutbound(ctx, 'pg_nodes_3', workload, 3, delay);
  const ratio = three.rate / one.rate;
  const caveat =
    three.stats.duplicates + three.stats.outOfOrder + three.stats.overlapping > 0
      ? ' — **3 nodes broke the per-recipient order guarantees (see the notes): the rate is not a valid figure yet**'
      : '';
  return {
    name: 'pg-nodes',
    title: 'PostgreSQL, 1 vs 3 nodes',
    rows: [
      {
        scenario: `8. PostgreSQL, 3 nodes vs 1, ${total.toLocaleString('en-US')} deliveries over ${r.toLocaleString('en-US')} recipients, receivers ${delay} ms per request`,
        unit: 'deliveries/s',
        outbound: three.rate,
        baseline: one.rate,
        baselineLabel: 'one node (`outbound serve`), same workload',
        ratio,
        target: `ratio ≥ ${TARGET_THREE_VS_ONE}`,
        pass: ratio >= TARGET_THREE_VS_ONE && clean(three) && clean(one),
        note: `3 nodes: ${checks(three)}`,
      },
    ],
    details: {
      server: server.kind,
      oneNode: summarize(one),
      threeNodes: summarize(three),
    },
    notes: [
      `PostgreSQL, 1 vs 3 nodes: ${workload.events} events to each of ${r.toLocaleString('en-US')} recipients; the receiver answers each request ${delay} ms after its body arrived. Each \`outbound serve\` has OUTBOUND_CONCURRENCY 64; the 3 nodes share one database, each on its own port, all on this machine's cores with PostgreSQL and the receiver. 1 node: ${Math.round(one.rate)}/s, ${checks(one)}, ${cpuText(one)}. 3 nodes: ${Math.round(three.rate)}/s, ${checks(three)}, ${cpuText(three)} together; delivered per node ${(three.extra.deliveredPerNode as number[]).join(' / ')}${caveat}.`,
    ],
  };
}
