/**
 * Scenario 2 — ingest: durable events/s through `POST /api/v1/events` under 64 concurrent
 * keep-alive clients, single events and bulk arrays, vs a bare Fastify hello-world POST
 * route (same Fastify, own process, JSON body parsed, 202) under the same load. The service
 * has one recipient, paused, so that every event also creates a delivery but delivery does
 * not compete for the CPU.
 */
import { request } from 'undici';
import type { SqliteDriverChoice } from '../../src/sqlite/index.js';
import { jsonEvent } from '../events.js';
import { cpuSeconds, HelloWorld, type Prepared, prepareStore, Serve } from '../harness.js';
import type { LoadOptions, LoadResult } from '../load.js';
import { preparePostgresStore } from '../pg-harness.js';
import { postgres } from '../postgres.js';
import { type BatchedInsertRate, sqliteBatchedInsertRate } from '../sqlite-batch-insert.js';
import { log, monoMs, round, sleep } from '../util.js';
import type { Context, Row, ScenarioResult } from './types.js';

export const TARGET_SINGLE_RATIO = 0.7;
/** Bulk arrays (issue #17): at least this many durable events/s… */
export const TARGET_BULK_EVENTS = 60_000;
/** …and at least this share of SQLite's own batched-insert rate, measured in the same run. */
export const TARGET_BULK_SQLITE_RATIO = 0.5;

interface Measured {
  result: LoadResult;
  /** CPU of the server process over the measured window, as a share of one core. */
  serverCpu: number;
  /** The measured window on the monotonic clock, ms. */
  fromMs: number;
  toMs: number;
}

async function measure(ctx: Context, pid: number, options: LoadOptions): Promise<Measured> {
  const running = ctx.load.load(options);
  await sleep(options.warmupMs);
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const fromMs = monoMs();
  await sleep(options.durationMs);
  const toMs = monoMs();
  const serverCpu = (cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000);
  const result = await running;
  const failures = Object.entries(result.failures);
  log(
    `  ${Math.round(result.eventsPerSecond)} events/s (${Math.round(result.requestsPerSecond)} requests/s, p50 ${result.latencyMs.p50.toFixed(2)} ms, server CPU ${serverCpu.toFixed(2)}, load CPU ${result.loadCpu.toFixed(2)})${failures.length > 0 ? ` failures ${JSON.stringify(result.failures)}: ${result.firstFailure}` : ''}`,
  );
  return { result, serverCpu, fromMs, toMs };
}

function summarize(m: Measured) {
  return {
    eventsPerSecond: round(m.result.eventsPerSecond, 1),
    requestsPerSecond: round(m.result.requestsPerSecond, 1),
    requests: m.result.requests,
    seconds: round(m.result.seconds, 3),
    failures: m.result.failures,
    firstFailure: m.result.firstFailure,
    latencyMs: Object.fromEntries(
      Object.entries(m.result.latencyMs).map(([k, v]) => [k, round(v, 3)]),
    ),
    serverCpuShareOfOneCore: round(m.serverCpu, 2),
    loadCpuShareOfOneCore: round(m.result.loadCpu, 2),
  };
}

export function ingest(ctx: Context): Promise<ScenarioResult> {
  return ingestOn(ctx, 'sqlite');
}

/**
 * Scenario 5 — the same on PostgreSQL (`OUTBOUND_DATABASE_URL=postgres://…`, a fresh database
 * on the bench's server, see postgres.ts), against the same hello-world baseline.
 */
export function pgIngest(ctx: Context): Promise<ScenarioResult> {
  return ingestOn(ctx, 'postgres');
}

async function ingestOn(ctx: Context, backend: 'sqlite' | 'postgres'): Promise<ScenarioResult> {
  const { sizes } = ctx;
  const pg = backend === 'postgres';
  const tag = pg ? 'pg-ingest' : 'ingest';
  const number = pg ? '5' : '2';
  const on = pg ? ' on PostgreSQL' : '';
  const single = Array.from({ length: 1000 }, (_, i) => JSON.stringify(jsonEvent(i)));
  const bulk = Array.from({ length: 20 }, (_, b) =>
    JSON.stringify(Array.from({ length: sizes.bulkSize }, (_, i) => jsonEvent(b * 1000 + i))),
  );
  const common = {
    connections: sizes.ingestConnections,
    warmupMs: sizes.ingestWarmupMs,
    durationMs: sizes.ingestDurationMs,
    expectStatus: 202,
  };
  const variants = [
    { key: 'single', bodies: single, eventsPerRequest: 1 },
    { key: 'bulk', bodies: bulk, eventsPerRequest: sizes.bulkSize },
  ] as const;

  const baseline: Record<string, Measured> = {};
  const hello = await HelloWorld.start();
  try {
    for (const v of variants) {
      log(`${tag}: hello-world baseline, ${v.key}, ${sizes.ingestConnections} connections`);
      baseline[v.key] = await measure(ctx, hello.ipc.pid, {
        ...common,
        url: `http://127.0.0.1:${hello.port}/api/v1/events`,
        headers: { 'content-type': 'application/json' },
        bodies: [...v.bodies],
        eventsPerRequest: v.eventsPerRequest,
      });
    }
  } finally {
    await hello.stop();
  }

  const recipients = [{ name: 'paused', url: ctx.receiver.url('/ingest'), paused: true }];
  let prepared: Prepared;
  let dropDatabase = async () => {};
  let server = '';
  if (pg) {
    const pgServer = await postgres();
    const url = await pgServer.createDatabase('ingest');
    dropDatabase = () => pgServer.dropDatabase(url);
    server = pgServer.kind;
    prepared = await preparePostgresStore(url, recipients);
  } else {
    prepared = await prepareStore(recipients);
  }
  const serve = await Serve.start(prepared, ctx.serveOptions);
  const outbound: Record<string, Measured> = {};
  let queued = Number.NaN;
  try {
    for (const v of variants) {
      log(`${tag}: outbound${on}, ${v.key}, ${sizes.ingestConnections} connections`);
      outbound[v.key] = await measure(ctx, serve.pid, {
        ...common,
        url: `${serve.base}/api/v1/events`,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${prepared.token}`,
        },
        bodies: [...v.bodies],
        eventsPerRequest: v.eventsPerRequest,
      });
    }
    // Every acknowledged event must have its delivery queued (the recipient is paused).
    const metrics = await fetchText(`${serve.base}/metrics`);
    const match = /^outbound_queue_depth\{[^}]*\} (\d+)/m.exec(metrics);
    queued = match ? Number(match[1]) : Number.NaN;
  } finally {
    await serve.stop();
    await dropDatabase();
  }

  // SQLite on its own, right after serve, on the same driver (PostgreSQL: none).
  let sqliteAlone: BatchedInsertRate | undefined;
  if (!pg) {
    log(`${tag}: SQLite's own batched-insert rate`);
    const driver = (ctx.serveOptions.env?.OUTBOUND_SQLITE_DRIVER ?? 'auto') as SqliteDriverChoice;
    sqliteAlone = await sqliteBatchedInsertRate(driver, sizes.ingestDurationMs / 1000);
    log(`  ${Math.round(sqliteAlone.eventsPerSecond)} events/s`);
  }

  const s = outbound.single as Measured;
  const b = outbound.bulk as Measured;
  const hs = baseline.single as Measured;
  const hb = baseline.bulk as Measured;
  const acknowledged = s.result.requests + b.result.events; // within the windows only
  const clean = (m: Measured) => Object.keys(m.result.failures).length === 0;
  const singleRatio = s.result.eventsPerSecond / hs.result.requestsPerSecond;
  const rows: Row[] = [
    {
      scenario: `${number}a. Ingest${on}, single-event JSON requests, ${sizes.ingestConnections} clients (recipient paused)`,
      unit: 'durable events/s',
      outbound: s.result.eventsPerSecond,
      baseline: hs.result.requestsPerSecond,
      baselineLabel: 'bare Fastify hello-world POST route, requests/s',
      ratio: singleRatio,
      // The target is the SQLite one; on PostgreSQL the figure is for information.
      target: pg ? null : `ratio ≥ ${TARGET_SINGLE_RATIO}`,
      pass: pg ? (clean(s) ? null : false) : singleRatio >= TARGET_SINGLE_RATIO && clean(s),
    },
    sqliteAlone === undefined
      ? {
          scenario: `${number}b. Ingest${on}, bulk arrays of ${sizes.bulkSize}, ${sizes.ingestConnections} clients (recipient paused)`,
          unit: 'durable events/s',
          outbound: b.result.eventsPerSecond,
          baseline: hb.result.eventsPerSecond,
          baselineLabel: `hello-world route, same arrays (requests/s × ${sizes.bulkSize})`,
          ratio: b.result.eventsPerSecond / hb.result.eventsPerSecond,
          target: null,
          pass: clean(b) ? null : false,
        }
      : {
          scenario: `${number}b. Ingest, bulk arrays of ${sizes.bulkSize}, ${sizes.ingestConnections} clients (recipient paused)`,
          unit: 'durable events/s',
          outbound: b.result.eventsPerSecond,
          baseline: sqliteAlone.eventsPerSecond,
          baselineLabel: `SQLite alone: the same rows, prepared statements, durable transactions of ${sqliteAlone.batch} events (sqlite-batch-insert.ts)`,
          ratio: b.result.eventsPerSecond / sqliteAlone.eventsPerSecond,
          target: `≥ ${TARGET_BULK_EVENTS.toLocaleString('en-US')}/s and ratio ≥ ${TARGET_BULK_SQLITE_RATIO}`,
          pass:
            b.result.eventsPerSecond >= TARGET_BULK_EVENTS &&
            b.result.eventsPerSecond / sqliteAlone.eventsPerSecond >= TARGET_BULK_SQLITE_RATIO &&
            clean(b),
        },
  ];
  return {
    name: tag,
    title: `Ingest${on}`,
    rows,
    details: {
      connections: sizes.ingestConnections,
      warmupMs: sizes.ingestWarmupMs,
      durationMs: sizes.ingestDurationMs,
      bulkSize: sizes.bulkSize,
      store: pg ? `PostgreSQL: ${server}` : 'SQLite',
      outbound: { single: summarize(s), bulk: summarize(b) },
      baseline: { single: summarize(hs), bulk: summarize(hb) },
      ...(sqliteAlone === undefined
        ? {}
        : {
            sqliteAlone: {
              eventsPerSecond: round(sqliteAlone.eventsPerSecond, 1),
              cpuMicrosPerEvent: round(sqliteAlone.cpuMicrosPerEvent, 2),
              batch: sqliteAlone.batch,
              seconds: round(sqliteAlone.seconds, 3),
            },
          }),
      queuedDeliveriesAfterRun: queued,
      acknowledgedInWindows: acknowledged,
    },
    windows: [
      { label: 'single', fromMs: s.fromMs, toMs: s.toMs },
      { label: 'bulk', fromMs: b.fromMs, toMs: b.toMs },
    ],
    notes: [
      `Ingest${on}: ${sizes.ingestConnections} keep-alive connections (one undici Pool in the load process), ${sizes.ingestWarmupMs} ms warm-up then ${sizes.ingestDurationMs} ms measured; only 202 answers count. The recipient is paused: each event also stores a delivery, none is sent.${pg ? ` Store: a fresh database on ${server} (fsync and synchronous_commit on: each 202 waits for a WAL flush); the hello-world baseline is measured again in this scenario.` : ''}`,
      `Ingest${on} CPU, as a share of one core — single: serve ${s.serverCpu.toFixed(2)}, hello-world ${hs.serverCpu.toFixed(2)}, load generator ${s.result.loadCpu.toFixed(2)} / ${hs.result.loadCpu.toFixed(2)}; bulk: serve ${b.serverCpu.toFixed(2)}, hello-world ${hb.serverCpu.toFixed(2)}. Request latency p50/p99 — single: serve ${s.result.latencyMs.p50.toFixed(1)}/${s.result.latencyMs.p99.toFixed(1)} ms, hello-world ${hs.result.latencyMs.p50.toFixed(1)}/${hs.result.latencyMs.p99.toFixed(1)} ms.`,
      ...(sqliteAlone === undefined
        ? []
        : [
            `Ingest bulk: SQLite alone stored ${Math.round(sqliteAlone.eventsPerSecond).toLocaleString('en-US')} events/s (${sqliteAlone.cpuMicrosPerEvent.toFixed(1)} µs of CPU an event) in durable transactions of ${sqliteAlone.batch}; serve ${Math.round(b.result.eventsPerSecond).toLocaleString('en-US')} events/s (${((b.serverCpu * 1e6) / b.result.eventsPerSecond).toFixed(1)} µs an event); the hello-world route took the same arrays at ${Math.round(hb.result.eventsPerSecond).toLocaleString('en-US')} events/s.`,
          ]),
      `Ingest${on} check: ${Number.isNaN(queued) ? 'queue depth not read' : `${queued.toLocaleString('en-US')} deliveries queued after the run (warm-ups included) for ${acknowledged.toLocaleString('en-US')} events acknowledged within the measured windows`}.`,
    ],
  };
}

async function fetchText(url: string): Promise<string> {
  const response = await request(url);
  return response.body.text();
}
