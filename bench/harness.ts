/**
 * The processes of a bench run: the receiver, the ingest baseline, the load generator and
 * `outbound serve`, each in its own child process, plus direct access to a serve's SQLite
 * store for setting it up before it starts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { SqliteStore } from '../src/store/sqlite/store.js';
import { jsonEvent } from './events.js';
import type { LoadOptions, LoadResult, LoopResult } from './load.js';
import type { ReceiverMode, ReceiverStats } from './receiver-stats.js';
import { type RecipientSetup, setUpStore, storeBacklog } from './store-setup.js';
import {
  BENCH_DIR,
  freePort,
  IpcChild,
  log,
  makeTempDir,
  ROOT_DIR,
  registerTempDir,
  removeTempDir,
  sleep,
  stopChild,
  track,
} from './util.js';

export class Receiver {
  private constructor(
    readonly ipc: IpcChild,
    readonly port: number,
  ) {}

  static async start(): Promise<Receiver> {
    const ipc = new IpcChild('receiver-process.ts');
    const ready = await ipc.waitFor((m) => m.type === 'ready');
    return new Receiver(ipc, Number(ready.port));
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async reset(report = false, mode: ReceiverMode = {}): Promise<void> {
    await this.ipc.request({ type: 'reset', report, ...mode });
  }

  async stats(): Promise<ReceiverStats> {
    return (await this.ipc.request<{ stats: ReceiverStats }>({ type: 'stats' })).stats;
  }

  /**
   * Resolves when `count` requests have arrived (duplicates, counted with `perPath`, do not
   * count); rejects when nothing arrived for `stallMs`.
   * Logs progress every few seconds.
   */
  async awaitCount(count: number, stallMs = 30_000, label = 'received'): Promise<ReceiverStats> {
    let done = false;
    const reached = this.ipc
      .request<{ stats: ReceiverStats }>({ type: 'await', count })
      .then((m) => m.stats)
      .finally(() => {
        done = true;
      });
    const watch = (async () => {
      let last = -1;
      let lastChange = performance.now();
      let lastLog = performance.now();
      while (!done) {
        await sleep(250);
        if (done) return;
        const stats = await this.stats();
        const now = performance.now();
        if (stats.count !== last) {
          last = stats.count;
          lastChange = now;
        } else if (now - lastChange > stallMs) {
          throw new Error(
            `${label}: stalled at ${stats.count} of ${count} for ${Math.round(stallMs / 1000)} s`,
          );
        }
        if (now - lastLog > 5000) {
          lastLog = now;
          log(
            `  ${label} ${stats.count.toLocaleString('en-US')} / ${count.toLocaleString('en-US')}`,
          );
        }
      }
    })();
    const stats = await Promise.race([reached, watch.then(() => reached)]);
    done = true;
    await watch.catch(() => undefined);
    return stats;
  }

  async stop(): Promise<void> {
    await this.ipc.stop();
  }
}

export class LoadGenerator {
  private constructor(readonly ipc: IpcChild) {}

  static async start(): Promise<LoadGenerator> {
    const ipc = new IpcChild('load-process.ts');
    await ipc.waitFor((m) => m.type === 'ready');
    return new LoadGenerator(ipc);
  }

  async loop(url: string, n: number, warmup: number): Promise<LoopResult> {
    return (await this.ipc.request<{ result: LoopResult }>({ type: 'loop', url, n, warmup }))
      .result;
  }

  async load(options: LoadOptions): Promise<LoadResult> {
    return (await this.ipc.request<{ result: LoadResult }>({ type: 'load', options })).result;
  }

  async stop(): Promise<void> {
    await this.ipc.stop();
  }
}

/** The idle-latency baseline (relay-process.ts): fsync, forward to `recipientUrl`, 202. */
export class Relay {
  private constructor(
    readonly ipc: IpcChild,
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(recipientUrl: string): Promise<Relay> {
    const dir = makeTempDir('outbound-bench-relay-');
    const ipc = new IpcChild('relay-process.ts', [recipientUrl, dir]);
    const ready = await ipc.waitFor((m) => m.type === 'ready');
    return new Relay(ipc, Number(ready.port), dir);
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await this.ipc.stop();
    removeTempDir(this.dir);
  }
}

export class HelloWorld {
  private constructor(
    readonly ipc: IpcChild,
    readonly port: number,
  ) {}

  static async start(): Promise<HelloWorld> {
    const ipc = new IpcChild('hello-process.ts');
    const ready = await ipc.waitFor((m) => m.type === 'ready');
    return new HelloWorld(ipc, Number(ready.port));
  }

  async stop(): Promise<void> {
    await this.ipc.stop();
  }
}

export interface Prepared {
  dataDir: string;
  dbPath: string;
  token: string;
  recipientIds: number[];
  /** The store's URL when it is not the SQLite file `dbPath` (PostgreSQL scenarios). */
  databaseUrl?: string;
}

/** A fresh data folder whose store has an API token and the given recipients (events: all). */
export async function prepareStore(recipients: RecipientSetup[]): Promise<Prepared> {
  const dataDir = makeTempDir('outbound-bench-');
  const dbPath = join(dataDir, 'outbound.db');
  const store = new SqliteStore(dbPath);
  try {
    return { dataDir, dbPath, ...(await setUpStore(store, recipients)) };
  } finally {
    await store.close();
  }
}

/**
 * Stores `n` events (lsid 0…n-1) straight into the store, `batch` per durable transaction,
 * each queued for every enabled recipient — the state after a recipient was down for long.
 */
export function insertBacklog(dbPath: string, n: number, batch: number): Promise<number> {
  return storeBacklog(new SqliteStore(dbPath), n, batch);
}

export interface MemorySample {
  rssKb: number;
  hwmKb: number;
}

export function readMemory(pid: number): MemorySample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    return { rssKb: Number(rss?.[1] ?? 0), hwmKb: Number(hwm?.[1] ?? 0) };
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped. */
export class RssSampler {
  readonly samples: { t: number; rssKb: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastHwmKb = 0;

  constructor(
    private readonly pid: number,
    everyMs = 200,
  ) {
    const sample = () => {
      const memory = readMemory(this.pid);
      if (memory === null) return;
      this.samples.push({ t: performance.now(), rssKb: memory.rssKb });
      this.lastHwmKb = memory.hwmKb;
    };
    sample();
    this.timer = setInterval(sample, everyMs);
  }

  stop(): { maxRssKb: number; hwmKb: number; samples: number } {
    clearInterval(this.timer);
    const memory = readMemory(this.pid);
    if (memory !== null) this.lastHwmKb = memory.hwmKb;
    return {
      maxRssKb: this.samples.reduce((m, s) => Math.max(m, s.rssKb), 0),
      hwmKb: this.lastHwmKb,
      samples: this.samples.length,
    };
  }
}

export interface ServeOptions {
  /** Write a V8 CPU profile of the serve process into this folder on exit. */
  cpuProfDir?: string;
  /**
   * Run the sources compiled by `compileSources` (plain node, as `npm start` runs dist/)
   * instead of through tsx, whose loader thread adds ~25 MB of RSS and hides line numbers.
   */
  compiledDir?: string;
  /** Extra environment (e.g. OUTBOUND_CONCURRENCY) for the serve child. */
  env?: Record<string, string>;
}

/**
 * Compiles src/ with tsc (tsconfig.build.json) into a folder under bench/, so that the
 * output resolves node_modules like dist/ does; the folder is removed at exit.
 */
export async function compileSources(): Promise<string> {
  const outDir = join(BENCH_DIR, `.build-${process.pid}`);
  registerTempDir(outDir);
  const tsc = join(ROOT_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir];
  args.push('--declaration', 'false', '--sourceMap', 'false');
  const child = track(spawn(process.execPath, args, { cwd: ROOT_DIR, stdio: 'inherit' }));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`tsc failed (exit code ${code})`);
  return outDir;
}

/** `outbound serve` (from the sources, through tsx) as a child process on a free port. */
export class Serve {
  private stderrTail: string[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly prepared: Prepared,
  ) {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      process.stderr.write(chunk.replace(/^(?=.)/gm, '[serve] '));
      this.stderrTail = [...this.stderrTail, chunk].slice(-20);
    });
  }

  static async start(prepared: Prepared, options: ServeOptions = {}): Promise<Serve> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!key.startsWith('OUTBOUND_')) env[key] = value;
    }
    Object.assign(env, {
      OUTBOUND_DATABASE_URL: prepared.databaseUrl ?? `sqlite:${prepared.dbPath}`,
      OUTBOUND_PORT: String(port),
      OUTBOUND_HOST: '127.0.0.1',
      OUTBOUND_LOG_LEVEL: 'silent',
      ...options.env,
    });
    const profile =
      options.cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir];
    const entry =
      options.compiledDir === undefined
        ? ['--import', 'tsx', ...profile, 'src/cli/main.ts']
        : [...profile, join(options.compiledDir, 'cli', 'main.js')];
    const child = track(
      spawn(
        process.execPath,
        [...(process.env.BENCH_SERVE_FLAGS?.split(' ').filter(Boolean) ?? []), ...entry, 'serve'],
        {
          cwd: ROOT_DIR,
          env,
          stdio: ['ignore', process.env.BENCH_SERVE_FLAGS ? 'inherit' : 'ignore', 'pipe'],
        },
      ),
    );
    const serve = new Serve(child, port, prepared);
    await serve.waitReady();
    return serve;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`outbound serve exited early: ${this.stderrTail.join('')}`);
      }
      try {
        const response = await request(`${this.base}/readyz`);
        await response.body.dump();
        if (response.statusCode === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    throw new Error('outbound serve did not become ready in time');
  }

  /** An API call with the bench's token; throws unless the status is `expect`. */
  async api(method: 'GET' | 'POST', path: string, body?: unknown, expect = 200): Promise<unknown> {
    const response = await request(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.prepared.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    if (response.statusCode !== expect) {
      throw new Error(`${method} ${path}: ${response.statusCode} ${text.slice(0, 300)}`);
    }
    return text === '' ? undefined : JSON.parse(text);
  }

  /** Stops the service (SIGTERM: a CPU profile, if asked for, is written) and removes its data. */
  async stop(): Promise<void> {
    await stopChild(this.child, 20_000);
    removeTempDir(this.prepared.dataDir);
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
    return ticks / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
const CLOCK_TICKS = 100;

/** Queues events lsid `from`…`from + count - 1` through the bulk API, `batch` per request. */
export async function queueThroughApi(
  serve: Serve,
  from: number,
  count: number,
  batch = 1000,
): Promise<number> {
  const t0 = performance.now();
  for (let i = from; i < from + count; i += batch) {
    const events = [];
    for (let j = i; j < Math.min(from + count, i + batch); j++) events.push(jsonEvent(j));
    await serve.api('POST', '/api/v1/events', events, 202);
  }
  return (performance.now() - t0) / 1000;
}

/**
 * CPU used by processes outside the bench's own process tree (other work on the machine),
 * sampled from /proc every `everyMs`, in cores. Benchmarks on a shared 2-core machine are only
 * meaningful when this stays near 0: the bench waits for quiet before each scenario and
 * reports it for each.
 */
export class ForeignCpuMonitor {
  private last = new Map<number, number>();
  private lastAt = performance.now();
  private timer: NodeJS.Timeout | undefined;
  readonly samples: { t: number; cores: number }[] = [];

  start(everyMs = 500): void {
    this.last = this.read();
    this.lastAt = performance.now();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Mean foreign CPU (cores) over samples taken after `since` (performance.now()). */
  meanSince(since: number): number {
    const chosen = this.samples.filter((s) => s.t >= since);
    if (chosen.length === 0) return Number.NaN;
    return chosen.reduce((sum, s) => sum + s.cores, 0) / chosen.length;
  }

  /** Waits until foreign CPU stayed under `cores` for `quietMs`, at most `maxWaitMs`. */
  async waitForQuiet(cores = 0.15, quietMs = 2000, maxWaitMs = 120_000): Promise<number> {
    const start = performance.now();
    let warned = false;
    for (;;) {
      await sleep(quietMs);
      const mean = this.meanSince(performance.now() - quietMs);
      if (mean < cores) return mean;
      if (performance.now() - start > maxWaitMs) {
        log(`  machine still busy (${mean.toFixed(2)} cores used by other processes): going on`);
        return mean;
      }
      if (!warned) {
        log(`  other processes use ${mean.toFixed(2)} cores: waiting for quiet`);
        warned = true;
      }
    }
  }

  private sample(): void {
    const now = performance.now();
    const current = this.read();
    let used = 0;
    for (const [pid, seconds] of current) {
      const before = this.last.get(pid);
      if (before !== undefined) used += Math.max(0, seconds - before);
    }
    this.samples.push({ t: now, cores: used / ((now - this.lastAt) / 1000) });
    if (this.samples.length > 100_000) this.samples.splice(0, 50_000);
    this.last = current;
    this.lastAt = now;
  }

  /** CPU seconds of every process not descended from this one. */
  private read(): Map<number, number> {
    const parents = new Map<number, number>();
    const cpu = new Map<number, number>();
    let entries: string[];
    try {
      entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
    } catch {
      return cpu;
    }
    for (const entry of entries) {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const pid = Number(entry);
        parents.set(pid, Number(fields[1]));
        cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
      } catch {
        // gone meanwhile
      }
    }
    const ours = (pid: number): boolean => {
      for (
        let p: number | undefined = pid, depth = 0;
        p !== undefined && p > 1 && depth < 64;
        depth++
      ) {
        if (p === process.pid) return true;
        p = parents.get(p);
      }
      return false;
    };
    for (const pid of [...cpu.keys()]) if (ours(pid)) cpu.delete(pid);
    return cpu;
  }
}

/**
 * The disk's current fsync latency in the temp folder (ms, median of `n` 4 KiB appends each
 * followed by fsync): durable commits wait for it, and other work on the machine changes it.
 */
export function fsyncProbe(n = 40): { p50: number; p90: number } {
  const dir = makeTempDir('outbound-fsync-');
  const fd = openSync(join(dir, 'probe'), 'w');
  const page = Buffer.alloc(4096, 7);
  const times: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      writeSync(fd, page, 0, page.length, i * page.length);
      fsyncSync(fd);
      times.push(performance.now() - t0);
    }
  } finally {
    closeSync(fd);
    removeTempDir(dir);
  }
  times.sort((a, b) => a - b);
  return {
    p50: times[Math.floor(n / 2)] as number,
    p90: times[Math.floor(n * 0.9)] as number,
  };
}
