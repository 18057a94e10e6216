/**
 * Shared plumbing of the benchmark: child processes that are always killed, temp folders that
 * are always removed, free ports, percentiles, progress on stderr.
 */
import { type ChildProcess, type ForkOptions, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT_DIR = dirname(BENCH_DIR);

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** Progress line on stderr, prefixed with the time since the run started. */
const started = performance.now();
export function log(message: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${s}s] ${message}\n`);
}

/** Monotonic clock shared by every process of the machine (CLOCK_MONOTONIC), in ms. */
export function monoMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Registers a child so that it is killed whatever way the bench ends. */
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** A folder to remove at exit, like those of makeTempDir. */
export function registerTempDir(dir: string): void {
  tempDirs.add(dir);
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Kills every child still running and removes every temp folder (synchronous: for exit). */
export function cleanupNow(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

let installed = false;
/** Cleans up on normal exit, on Ctrl-C / SIGTERM and on an uncaught error. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      log(`${signal}: killing children`);
      cleanupNow();
      process.exit(130);
    });
  }
  process.on('uncaughtException', (error) => {
    process.stderr.write(`bench: ${error.stack ?? String(error)}\n`);
    cleanupNow();
    process.exit(1);
  });
}

/** Ends a child politely (SIGTERM), then firmly after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A TCP port free at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A TypeScript module of bench/ in a child process with an IPC channel, answering requests
 * `{ id, ... }` with `{ id, ... }`; other messages go to `onMessage`.
 */
export class IpcChild {
  readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (m: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  private listeners: ((message: Record<string, unknown>) => void)[] = [];
  private exitError: Error | null = null;

  constructor(module: string, args: string[] = [], options: ForkOptions = {}) {
    this.child = track(
      fork(join(BENCH_DIR, module), args, {
        execArgv: ['--import', 'tsx'],
        cwd: ROOT_DIR,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
        ...options,
      }),
    );
    this.child.on('message', (raw) => {
      const message = raw as Record<string, unknown>;
      const id = typeof message.id === 'number' ? message.id : undefined;
      const waiting = id === undefined ? undefined : this.pending.get(id);
      if (id !== undefined && waiting !== undefined) {
        this.pending.delete(id);
        if (typeof message.error === 'string') waiting.reject(new Error(message.error));
        else waiting.resolve(message);
        return;
      }
      for (const listener of this.listeners) listener(message);
    });
    this.child.once('exit', (code, signal) => {
      this.exitError = new Error(`${module} exited (code ${code}, signal ${signal})`);
      for (const waiting of this.pending.values()) waiting.reject(this.exitError);
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  onMessage(listener: (message: Record<string, unknown>) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** The first message satisfying `test` (e.g. `{ type: 'ready' }`). */
  waitFor(test: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      if (this.exitError) return reject(this.exitError);
      const off = this.onMessage((m) => {
        if (test(m)) {
          off();
          resolve(m);
        }
      });
      this.child.once('exit', () => {
        off();
        reject(this.exitError ?? new Error('child exited'));
      });
    });
  }

  request<T = Record<string, unknown>>(message: Record<string, unknown>): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.exitError) return reject(this.exitError);
      const id = this.nextId++;
      this.pending.set(id, { resolve: resolve as (m: Record<string, unknown>) => void, reject });
      this.child.send({ ...message, id });
    });
  }

  async stop(): Promise<void> {
    await stopChild(this.child, 3000);
  }
}

/** Answers requests from the parent (`serveRequests(async (m) => reply)`), in a child. */
export function serveRequests(
  handle: (message: Record<string, unknown>) => Promise<Record<string, unknown> | undefined>,
): void {
  process.on('message', (raw) => {
    const message = raw as Record<string, unknown>;
    const id = message.id;
    handle(message).then(
      (reply) => {
        if (reply !== undefined && id !== undefined) process.send?.({ ...reply, id });
      },
      (error: unknown) => {
        process.send?.({ id, error: String((error as Error)?.stack ?? error) });
      },
    );
  });
  // The parent is gone (killed): do not linger.
  process.on('disconnect', () => process.exit(0));
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function summary(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean,
  };
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** 12345.6 → "12,346" */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}
