import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cliArgs } from '../support/cli.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/** A port that was free a moment ago (for a child process that needs a fixed --port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** POSTs a body (form-encoded unless `contentType` says otherwise); returns status and time. */
export async function post(
  url: string,
  body: string,
  options: { contentType?: string; headers?: Record<string, string>; method?: string } = {},
): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: options.method ?? 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      ...options.headers,
    },
    ...(options.method === 'GET' ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

/** A running `outbound …` child; stdout and stderr are collected as they arrive. */
export interface CliChild {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();

export function startCli(args: string[], env: Record<string, string> = {}): CliChild {
  const child = spawn(process.execPath, cliArgs(...args), {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Kills every child still running (afterEach). */
export async function killChildren(): Promise<void> {
  const running = [...children];
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(running.map((child) => new Promise((resolve) => child.once('exit', resolve))));
}
