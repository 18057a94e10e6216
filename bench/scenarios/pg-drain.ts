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
 * requests (two requests in flight to one recipient at once). How each system's drain is run
 * and measured is in bench/drains/; this file turns the drains into rows and notes.
 */
import { drainGraphile, PGBOSS_SETTINGS, windowPgBoss } from '../drains/baselines.js';
import { checks, clean, cpuText, type Drain, summarize } from '../drains/measure.js';
import { drainOutbound } from '../drains/outbound.js';
import type { Workload } from '../pg-harness.js';
import { postgres } from '../postgres.js';
import {
  projectScaleOut,
  type ScaleOutPoint,
  type ScaleOutProjection,
  scaleOutNote,
} from '../scale-out.js';
import { fmt, log, round } from '../util.js';
import type { Context, Row, ScenarioResult } from './types.js';

export const TARGET_ONE_VS_GRAPHILE = 4;
export const TARGET_MANY_VS_GRAPHILE = 10;
export const TARGET_THREE_VS_ONE = 1.8;

/**
 * A row of Outbound's drain rate against a baseline's: with a target, it passes when the ratio
 * reaches it; without, it is only a comparison. Either way it fails if Outbound's drain broke
 * the receiver's checks.
 */
function rateRow(
  scenario: string,
  outbound: Drain,
  baseline: Drain,
  baselineLabel: string,
  target?: number,
): Row {
  const ratio = outbound.rate / baseline.rate;
  return {
    scenario,
    unit: 'deliveries/s',
    outbound: outbound.rate,
    baseline: baseline.rate,
    baselineLabel,
    ratio,
    target: target === undefined ? null : `ratio ≥ ${target}`,
    pass:
      target === undefined ? (clean(outbound) ? null : false) : ratio >= target && clean(outbound),
  };
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
  const rows: Row[] = [
    rateRow(
      `6a. PostgreSQL, backlog of ${n.toLocaleString('en-US')} events to 1 recipient, drain rate`,
      outbound,
      graphile,
      'graphile-worker 0.16, a job per delivery, queueName = recipient',
      TARGET_ONE_VS_GRAPHILE,
    ),
    rateRow(
      '6b. PostgreSQL, 1 recipient, vs pg-boss',
      outbound,
      boss,
      `pg-boss 12, key_strict_fifo, ${boss.delivered} delivered in ${boss.seconds.toFixed(1)} s`,
    ),
  ];
  return {
    name: 'pg-one',
    title: 'PostgreSQL drain to one recipient',
    rows,
    // What `--profile` summarizes serve's profile over, besides its whole life.
    windows: [
      {
        label: 'outbound drain',
        ...(outbound.extra.arrivalsMonotonicMs as { fromMs: number; toMs: number }),
      },
    ],
    details: {
      server: server.kind,
      outbound: summarize(outbound),
      graphileWorker: summarize(graphile),
      pgBoss: summarize(boss),
    },
    notes: [
      `PostgreSQL, one recipient: ${serverNote(server.kind)}. Rate = deliveries / (last arrival − first arrival); pg-boss over ${Math.round(sizes.pgBossWindowMs / 1000)} s from its first arrival. CPU during the drain — Outbound: ${cpuText(outbound)}; graphile-worker: ${cpuText(graphile)}; pg-boss: ${cpuText(boss)}. Receiver — Outbound: ${checks(outbound)}; graphile-worker: ${checks(graphile)}; pg-boss: ${checks(boss)}.`,
      perDeliveryNote(outbound),
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
  // pg-boss on the 100 recipients, the same number of deliveries.
  const bossWorkload: Workload = {
    base,
    recipients: sizes.pgBossRecipients,
    events: Math.ceil(total / sizes.pgBossRecipients),
  };
  log(
    `pg-many: ${total.toLocaleString('en-US')} deliveries over ${r.toLocaleString('en-US')} recipients`,
  );
  const outbound = await drainOutbound(ctx, 'pg_many', workload, 1, 0, IDLE_MS);
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
  const scaleOut = projectScaleOut({
    rate: outbound.rate,
    nodeCpu: outbound.cpu,
    postgresCpu: outbound.dbCpu,
    idlePostgresCpu: (outbound.extra.idleCpuShareOfOneCore as { postgresCpu: number }).postgresCpu,
  });
  const rows: Row[] = [
    rateRow(
      `7a. PostgreSQL, ${total.toLocaleString('en-US')} deliveries over ${r.toLocaleString('en-US')} recipients, drain rate`,
      outbound,
      graphile,
      'graphile-worker 0.16, same workload',
      TARGET_MANY_VS_GRAPHILE,
    ),
    rateRow(
      `7b. PostgreSQL, many recipients, vs pg-boss on ${sizes.pgBossRecipients} recipients`,
      outbound,
      boss,
      `pg-boss 12, key_strict_fifo, batches of ${PGBOSS_SETTINGS.batchSize}, burstWhenBatchFull, ${sizes.pgBossRecipients} recipients, ${boss.delivered.toLocaleString('en-US')} delivered in ${boss.seconds.toFixed(1)} s`,
    ),
    rateRow(
      `7c. PostgreSQL, many recipients, vs pg-boss on ${sizes.pgBossRecipients} recipients, no burst`,
      outbound,
      bossPolled,
      `pg-boss 12 as 7b without burstWhenBatchFull (a batch per ${PGBOSS_SETTINGS.pollingIntervalSeconds} s poll), ${bossPolled.delivered.toLocaleString('en-US')} delivered in ${bossPolled.seconds.toFixed(1)} s`,
    ),
    ...scaleOutRows(scaleOut),
  ];
  return {
    name: 'pg-many',
    title: 'PostgreSQL drain over many recipients',
    rows,
    details: {
      server: server.kind,
      scaleOut: scaleOutDetails(scaleOut),
      outbound: summarize(outbound),
      graphileWorker: summarize(graphile),
      pgBoss: summarize(boss),
      pgBossNoBurst: summarize(bossPolled),
    },
    notes: [
      `PostgreSQL, ${r.toLocaleString('en-US')} recipients: ${workload.events} events, each to every recipient (Outbound stores an event once and fans it out; graphile-worker has a job per delivery, queued event by event). pg-boss: ${bossWorkload.events} events to each of ${sizes.pgBossRecipients} recipients (the same number of deliveries), rate over at most ${Math.round(sizes.pgBossWindowMs / 1000)} s. ${serverNote(server.kind)}. CPU during the drain — Outbound: ${cpuText(outbound)}; graphile-worker: ${cpuText(graphile)}; pg-boss: ${cpuText(boss)}; pg-boss without burst: ${cpuText(bossPolled)}. Receiver — Outbound: ${checks(outbound)}; graphile-worker: ${checks(graphile)}; pg-boss: ${checks(boss)}; without burst: ${checks(bossPolled)}.`,
      scaleOutNote(scaleOut, SERVE_CONCURRENCY),
    ],
  };
}

/** The serve children's OUTBOUND_CONCURRENCY (the default). */
const SERVE_CONCURRENCY = 64;
/** How long pg-many measures the idle node's load on PostgreSQL before the drain. */
const IDLE_MS = 2000;

/**
 * Where a lone lane's delivery time goes: the time between two deliveries (1 / rate), the
 * HTTP request within it as Outbound timed it, and the rest; CPU per delivery on either side.
 */
function perDeliveryNote(d: Drain): string {
  const each = 1e6 / d.rate;
  const http = d.extra.httpRequestMs as { mean: number; p50: number; p99: number } | undefined;
  const split =
    http === undefined
      ? ''
      : `: the HTTP request (from leaving to the response's end, as Outbound timed it) ${(http.mean * 1000).toFixed(0)} µs on average (p50 ${(http.p50 * 1000).toFixed(0)}, p99 ${(http.p99 * 1000).toFixed(0)}), the rest ${(each - http.mean * 1000).toFixed(0)} µs (the ack's round trip to PostgreSQL, the lane's own work, reading ahead 128 at a time)`;
  return `Outbound, one recipient, per delivery: ${each.toFixed(0)} µs between two deliveries${split}. CPU per delivery: \`outbound serve\` ${perDeliveryUs(d.cpu, d.rate)} µs, PostgreSQL ${perDeliveryUs(d.dbCpu, d.rate)} µs.`;
}

/** CPU microseconds per delivery, from a share of a core and a rate. */
function perDeliveryUs(cores: number, rate: number): string {
  return ((cores / rate) * 1e6).toFixed(0);
}

/** 7d and 7e: CPU per delivery on either side, and the projection of 10 nodes against 1. */
function scaleOutRows(p: ScaleOutProjection): Row[] {
  const at = (k: number) => p.points.find((x) => x.nodes === k) as ScaleOutPoint;
  const one = at(1);
  const three = at(3);
  const ten = at(10);
  const primary = p.assumptions.primaryCores;
  return [
    {
      scenario:
        '7d. PostgreSQL, many recipients, CPU per delivery: `outbound serve` vs the PostgreSQL server',
      unit: 'µs CPU',
      outbound: p.nodeCpuUsPerDelivery,
      baseline: p.postgresCpuUsPerDelivery,
      baselineLabel: 'PostgreSQL server, same drain, µs CPU',
      ratio: p.nodeCpuUsPerDelivery / p.postgresCpuUsPerDelivery,
      target: null,
      pass: null,
    },
    {
      scenario: `7e. Scale-out on paper: 10 nodes vs 1 on separate machines sharing a ${primary}-core primary (projected from 7d)`,
      unit: 'deliveries/s',
      outbound: ten.throughput,
      baseline: one.throughput,
      baselineLabel: `one node, projected; 3 nodes ${fmt(three.throughput)}/s; 10 nodes bound by ${ten.bound === 'nodes' ? "the nodes' CPU" : "the primary's CPU"}`,
      ratio: ten.throughput / one.throughput,
      target: null,
      pass: null,
    },
  ];
}

function scaleOutDetails(p: ScaleOutProjection) {
  return {
    ...p,
    nodeCpuUsPerDelivery: round(p.nodeCpuUsPerDelivery, 1),
    postgresCpuUsPerDelivery: round(p.postgresCpuUsPerDelivery, 1),
    nodeCap: round(p.nodeCap, 0),
    nodesUntilPostgresBound: round(p.nodesUntilPostgresBound, 2),
    points: p.points.map((x) => ({
      ...x,
      throughput: round(x.throughput, 0),
      primaryCoresUsed: round(x.primaryCoresUsed, 2),
    })),
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
      `PostgreSQL, 1 vs 3 nodes: ${workload.events} events to each of ${r.toLocaleString('en-US')} recipients; the receiver answers each request ${delay} ms after its body arrived. Each \`outbound serve\` has OUTBOUND_CONCURRENCY 64; the 3 nodes share one database, each on its own port, all on this machine's cores with PostgreSQL and the receiver. 1 node: ${Math.round(one.rate)}/s, ${checks(one)}, ${cpuText(one)}. 3 nodes: ${Math.round(three.rate)}/s, ${checks(three)}, ${cpuText(three)} together; delivered per node ${(three.extra.deliveredPerNode as number[]).join(' / ')}${caveat}. PostgreSQL CPU per delivery (what the scale-out projection of pg-many assumes constant): 1 node ${perDeliveryUs(one.dbCpu, one.rate)} µs, 3 nodes ${perDeliveryUs(three.dbCpu, three.rate)} µs.`,
    ],
  };
}
