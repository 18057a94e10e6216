import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { cliArgs } from './cli.js';
import { waitUntil } from './wait.js';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

/** mulberry32: a small seeded PRNG, so that a failing schedule can be repeated. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Runs an `outbound` command (the CLI bundled from src/: cli.ts) and returns its stdout. */
export async function outbound(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, cliArgs(...args), {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  return stdout;
}

/**
 * One `outbound serve` child process on a fixed port, which can be SIGKILLed and started
 * again. An exit the test did not cause is kept in `unexpectedExit`.
 */
export class ServeProcess {
  unexpectedExit: string | undefined;
  private child: ChildProcess | undefined;
  private stderr = '';
  private closed = false;

  constructor(
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    const child = this.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  start(): void {
    if (this.closed) throw new Error('the test is over: no new child');
    this.stderr = '';
    const child = spawn(process.execPath, cliArgs('serve'), {
      cwd: ROOT,
      env: {
        ...process.env,
        OUTBOUND_PORT: String(this.port),
        OUTBOUND_HOST: '127.0.0.1',
        OUTBOUND_LOG_LEVEL: 'silent',
        ...this.env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    // 'close': after stderr has been read to its end.
    child.once('close', (code, signal) => {
      if (signal !== 'SIGKILL' && signal !== 'SIGTERM') {
        this.unexpectedExit = `serve on :${this.port} exited by itself (code ${code}, signal ${signal}): ${this.stderr}`;
      }
    });
    this.child = child;
  }

  /** The pid is the service itself (no wrapper process). */
  async kill(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.running) return;
    const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
    child.kill(signal);
    await exited;
  }

  /**
   * SIGSTOP: the process stays, with its sockets and timers, but runs nothing (as in a long GC
   * pause or a paused VM) until `thaw`. A frozen process can still be killed.
   */
  freeze(): void {
    if (this.running) this.child?.kill('SIGSTOP');
  }

  /** SIGCONT: a frozen process runs again, from where it stopped. */
  thaw(): void {
    if (this.running) this.child?.kill('SIGCONT');
  }

  async ready(timeoutMs = 20_000): Promise<void> {
    await waitUntil(
      async () => {
        if (this.unexpectedExit !== undefined) throw new Error(this.unexpectedExit);
        try {
          const response = await fetch(`${this.url}/readyz`);
          await response.arrayBuffer();
          return response.status === 200;
        } catch {
          return false;
        }
      },
      `serve on :${this.port} to be ready`,
      timeoutMs,
      20,
    );
  }

  /** Kills it for good: no start after this. */
  async close(): Promise<void> {
    this.closed = true;
    await this.kill();
  }
}

/**
 * Starts `outbound serve` on a free loopback port (info logs, the test's environment plus
 * `env`) until it says it is serving, stops it with SIGTERM, and returns all it printed.
 */
export async function serveUntilStarted(env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, cliArgs('serve'), {
    cwd: resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      OUTBOUND_PORT: String(await freePort()),
      OUTBOUND_HOST: '127.0.0.1',
      OUTBOUND_LOG_LEVEL: 'info',
      ...env,
    },
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise((ok) => child.once('close', ok));
  try {
    await waitUntil(() => output.includes('outbound serving'), 'serve to start', 20_000);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return output;
}
