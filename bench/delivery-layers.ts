/**
 * `node --import tsx bench/delivery-layers.ts [N]` — where a delivery's CPU goes, layer by
 * layer, in one process against the bench's receiver (its own process):
 *
 * 1. `request`: undici `Client.request` and `body.dump()`, the bench's baseline loop;
 * 2. `dispatch`: undici `Client.dispatch` with a handler that only waits for the end;
 * 3. `sender`: `HttpSender.send`, what a lane calls (headers, time-out timer, result);
 * 4. `lane`: a real SQLite store and `Dispatcher`, draining N queued events to one recipient
 *    (reads ahead, the ack log and its folds, metrics, the observer hooks).
 *
 * CPU per request (process.cpuUsage, user + system) over N requests after a warm-up, layers
 * alternated over three rounds, since a shared machine drifts. What one layer adds over the one
 * before is what it costs.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client, type Dispatcher as UndiciDispatcher } from 'undici';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { HttpSender } from '../src/delivery/http-sender.js';
import { newEventUid } from '../src/ids.js';
import { SqliteStore } from '../src/store/sqlite/store.js';
import { formBody } from './events.js';
import {
  compileSources,
  cpuSeconds,
  insertBacklog,
  prepareStore,
  queueThroughApi,
  Receiver,
  Serve,
} from './harness.js';
import { formatSummary, summarizeProfile } from './profile-summary.js';
import { BENCH_DIR, installCleanup, removeTempDir } from './util.js';

installCleanup();
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const N = Number(args[0] ?? 5000);
const WARMUP = 5000;
const receiver = await Receiver.start();
const url = receiver.url('/hook?outbound_event_token=bench');
const bodies = Array.from({ length: N + WARMUP }, (_, i) => formBody(i));

/** Sets up a run of `n` requests (not measured) and returns the run (measured). */
/** With --profile: a V8 CPU profile of each measured run only, summarised. */
const PROFILE = process.argv.includes('--profile');
/** With --heap: where the measured run allocates (V8's sampling heap profiler), by function. */
const HEAP = process.argv.includes('--heap');

async function startHeapProfile(): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  // Objects collected during the run are what matters: the garbage made per request.
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 512,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    session.disconnect();
    const bySite = new Map<string, number>();
    const walk = (node: typeof profile.head) => {
      const { functionName, url, lineNumber } = node.callFrame;
      const site = `${functionName || '(anonymous)'} ${url.replace(/.*\/(src|node_modules)\//, '$1/')}:${lineNumber + 1}`;
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      for (const child of node.children) walk(child);
    };
    walk(profile.head);
    const top = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 25);
    let total = 0;
    for (const [, bytes] of bySite) total += bytes;
    console.log(
      `  allocated ≈ ${Math.round(total / N)} bytes per request; top sites (bytes/request):`,
    );
    for (const [site, bytes] of top)
      console.log(
        `    ${Math.round(bytes / N)
          .toString()
          .padStart(6)}  ${site}`,
      );
  };
}

async function startProfile(): Promise<(name: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return async (name) => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const dir = join(BENCH_DIR, 'profiles');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `layer-${name}-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    console.log(formatSummary(summarizeProfile(file, 30)));
  };
}

type Layer = (n: number, offset: number) => Promise<() => Promise<number | null>>;

function cpuMicros(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return used.user + used.system;
}

/** CPU ms by thread of process `pid` (from /proc; 10 ms ticks), main thread first. */
function threadCpu(pid: number): Map<string, number> {
  const byThread = new Map<string, number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byThread.set(task, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // the thread ended
    }
  }
  return byThread;
}

/** µs per request on the main thread and on all others, between two threadCpu readings. */
function threadSplit(pid: number, before: Map<string, number>, after: Map<string, number>) {
  let main = 0;
  let others = 0;
  for (const [task, ms] of after) {
    const used = ms - (before.get(task) ?? 0);
    if (task === String(pid)) main += used;
    else others += used;
  }
  return `main ${((main * 1000) / N).toFixed(0)} + other threads ${((others * 1000) / N).toFixed(0)} µs`;
}

async function timed(name: string, layer: Layer): Promise<number> {
  await receiver.reset();
  await (await layer(WARMUP, 0))();
  const run = await layer(N, WARMUP);
  const profiler = PROFILE ? await startProfile() : undefined;
  const heap = HEAP ? await startHeapProfile() : undefined;
  const cpu0 = process.cpuUsage();
  const threads0 = threadCpu(process.pid);
  const t0 = performance.now();
  // A layer in another process (serve) says what CPU it used; the others use this process's.
  const elsewhere = await run();
  const us = (elsewhere ?? cpuMicros(cpu0)) / N;
  const rate = N / ((performance.now() - t0) / 1000);
  const split =
    typeof elsewhere === 'number'
      ? ''
      : `  (${threadSplit(process.pid, threads0, threadCpu(process.pid))})`;
  if (profiler !== undefined) await profiler(name);
  if (heap !== undefined) await heap();
  const stats = await receiver.stats();
  if (stats.count !== N + WARMUP) throw new Error(`${name}: receiver got ${stats.count}`);
  console.log(
    `  ${name.padEnd(9)} ${us.toFixed(1).padStart(6)} µs CPU/request  ${Math.round(rate)} /s${split}`,
  );
  return us;
}

const target = new URL(url);
const path = `${target.pathname}${target.search}`;
const headersOf = () => ({
  'content-type': 'application/x-www-form-urlencoded',
  'user-agent': 'Outbound-bench/0.1',
  'webhook-id': newEventUid(),
  'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
});

function requestLayer(): Layer {
  return async (n, offset) => async () => {
    const client = new Client(target.origin, { keepAliveTimeout: 60_000, pipelining: 1 });
    try {
      for (let i = offset; i < offset + n; i++) {
        const response = await client.request({
          path,
          method: 'POST',
          headers: headersOf(),
          body: bodies[i] as string,
        });
        await response.body.dump();
      }
      return null;
    } finally {
      await client.close();
    }
  };
}

class EndHandler implements UndiciDispatcher.DispatchHandler {
  constructor(
    private readonly resolve: () => void,
    private readonly reject: (error: Error) => void,
  ) {}
  // undici takes a handler for its new interface only when it has onRequestStart.
  onRequestStart(): void {}
  onResponseStart(): void {}
  onResponseData(): void {}
  onResponseEnd(): void {
    this.resolve();
  }
  onResponseError(_controller: unknown, error: Error): void {
    this.reject(error);
  }
}

function dispatchLayer(): Layer {
  return async (n, offset) => async () => {
    const client = new Client(target.origin, { keepAliveTimeout: 60_000, pipelining: 1 });
    try {
      for (let i = offset; i < offset + n; i++) {
        await new Promise<void>((resolve, reject) => {
          client.dispatch(
            { path, method: 'POST', headers: headersOf(), body: bodies[i] as string },
            new EndHandler(resolve, reject),
          );
        });
      }
      return null;
    } finally {
      await client.close();
    }
  };
}

async function senderLayer(): Promise<Layer> {
  const prepared = await prepareStore([{ name: 'layers', url, paused: false }]);
  const store = new SqliteStore(prepared.dbPath);
  const recipient = await store.getRecipient(prepared.recipientIds[0] as number);
  await store.close();
  removeTempDir(prepared.dataDir);
  if (recipient === undefined) throw new Error('no recipient');
  return async (n, offset) => async () => {
    const sender = new HttpSender();
    try {
      for (let i = offset; i < offset + n; i++) {
        const result = await sender.send(recipient, {
          eventUid: newEventUid(),
          body: bodies[i] as string,
          customFieldsJson: null,
        });
        if (!result.ok) throw new Error(`sender: ${result.error}`);
      }
      return null;
    } finally {
      await sender.close();
    }
  };
}

/** A store with `n` events queued for one recipient, drained by a real Dispatcher. */
function laneLayer(): Layer {
  return async (n) => {
    const prepared = await prepareStore([{ name: 'layers', url, paused: false }]);
    await insertBacklog(prepared.dbPath, n, 500);
    const store = new SqliteStore(prepared.dbPath);
    const sender = new HttpSender();
    const dispatcher = new Dispatcher(store, sender, {});
    const before = (await receiver.stats()).count;
    return async () => {
      try {
        await dispatcher.start();
        await receiver.awaitCount(before + n, 30_000, 'lane');
        return null;
      } finally {
        await dispatcher.stop(1000);
        await sender.close();
        await store.close();
        removeTempDir(prepared.dataDir);
      }
    };
  };
}

/**
 * One `outbound serve` (compiled by tsc, as dist/ runs), kept for every run: n events queued
 * through the API for its paused recipient, then resumed; its CPU (from /proc) while it drains.
 */
function serveLayer(compiledDir: string): { layer: Layer; stop: () => Promise<void> } {
  let started: Promise<{ serve: Serve; id: number }> | undefined;
  const start = async () => {
    const prepared = await prepareStore([{ name: 'layers', url, paused: true }]);
    const serve = await Serve.start(prepared, {
      compiledDir,
      ...(PROFILE ? { cpuProfDir: join(BENCH_DIR, 'profiles', 'layer-serve') } : {}),
    });
    return { serve, id: prepared.recipientIds[0] as number };
  };
  const layer: Layer = async (n, offset) => {
    started ??= start();
    const { serve, id } = await started;
    await queueThroughApi(serve, offset, n);
    const before = (await receiver.stats()).count;
    return async () => {
      const cpu0 = cpuSeconds(serve.pid);
      await serve.api('POST', `/api/v1/recipients/${id}/resume`);
      await receiver.awaitCount(before + n, 30_000, 'serve');
      const used = (cpuSeconds(serve.pid) - cpu0) * 1e6;
      await serve.api('POST', `/api/v1/recipients/${id}/pause`);
      return used;
    };
  };
  return { layer, stop: async () => (await started)?.serve.stop() };
}

const only = args[1]?.split(',');
const served = serveLayer(await compileSources());
const layers: [string, Layer][] = (
  [
    ['request', requestLayer()],
    ['dispatch', dispatchLayer()],
    ['sender', await senderLayer()],
    ['lane', laneLayer()],
    ['serve', served.layer],
  ] as [string, Layer][]
).filter(([name]) => only === undefined || only.includes(name));
const results = new Map<string, number[]>();
const loadBefore = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
console.log(`Node ${process.version}, ${N} requests per layer after ${WARMUP} of warm-up`);
try {
  for (let round = 1; round <= 3; round++) {
    console.log(`round ${round}`);
    const order = round % 2 === 1 ? layers : [...layers].reverse();
    for (const [name, layer] of order) {
      const us = await timed(name, layer);
      results.set(name, [...(results.get(name) ?? []), us]);
    }
  }
  const lines = [
    `# Where a delivery's CPU goes, layer by layer (bench/delivery-layers.ts)`,
    '',
    `${new Date().toISOString()} · Node ${process.version} · ${N.toLocaleString('en-US')} requests a run after ${WARMUP.toLocaleString('en-US')} of warm-up · load average before: ${loadBefore}`,
    '',
    '| layer | median CPU per request | added by the layer | the three runs |',
    '|---|---:|---:|---|',
  ];
  let previous: number | undefined;
  for (const [name] of layers) {
    const runs = results.get(name) as number[];
    const median = [...runs].sort((a, b) => a - b)[1] as number;
    const added = previous === undefined ? '' : `${(median - previous).toFixed(1)} µs`;
    lines.push(
      `| ${name} | ${median.toFixed(1)} µs | ${added} | ${runs.map((r) => r.toFixed(1)).join(', ')} |`,
    );
    previous = median;
  }
  const text = `${lines.join('\n')}\n`;
  console.log(text);
  if (only === undefined) writeFileSync(join(BENCH_DIR, 'results-delivery-layers.md'), text);
} finally {
  await served.stop();
  await receiver.stop();
}
