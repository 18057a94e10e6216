/**
 * Storage faults with a real `outbound serve` child process on a temp SQLite file: a database
 * file deleted or replaced while serving must never be acknowledged into, and a start-up that
 * cannot use its database says so in one line.
 *
 * Contract (§6): nothing is acknowledged (2xx) unless it is durably stored; when storage fails,
 * readiness says so and ingest answers 503.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSqliteDriver } from '../../src/sqlite/index.js';
import { cliArgs } from '../support/cli.js';
import { TestReceiver } from '../support/receiver.js';
import { freePort } from '../support/serve-process.js';
import { sleep, waitUntil } from '../support/wait.js';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
/** SoleOwnership's default renewal period: the longest a lost file may go unnoticed. */
const RENEW_MS = 5_000;

interface Child {
  process: ChildProcess;
  /** stdout (the log) and stderr, interleaved. */
  output: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

describe('storage faults under a running serve', () => {
  let dir = '';
  let path = '';
  let port = 0;
  const children: Child[] = [];
  let receiver: TestReceiver | undefined;
  let immutable: string | undefined;

  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    OUTBOUND_DATABASE_URL: `sqlite:${path}`,
    OUTBOUND_PORT: String(port),
    OUTBOUND_HOST: '127.0.0.1',
    OUTBOUND_LOG_LEVEL: 'info',
    OUTBOUND_SWEEP_INTERVAL_MS: '100',
    OUTBOUND_SHUTDOWN_TIMEOUT_MS: '500',
    ...extra,
  });

  const cli = async (...args: string[]): Promise<string> => {
    const { stdout } = await run(process.execPath, cliArgs(...args), {
      cwd: ROOT,
      env: env(),
    });
    return stdout;
  };

  /** `outbound serve`, with its stdout (the log) and stderr kept together. */
  const serve = (extra: NodeJS.ProcessEnv = {}): Child => {
    let output = '';
    let stderr = '';
    const child = spawn(process.execPath, cliArgs('serve'), {
      cwd: ROOT,
      env: env(extra),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        output += chunk;
        if (stream === child.stderr) stderr += chunk;
      });
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
      child.once('close', (code, signal) => ok({ code, signal })),
    );
    const started = { process: child, output: () => output, stderr: () => stderr, exited };
    children.push(started);
    return started;
  };

  const ready = (child: Child) =>
    waitUntil(
      async () => {
        if (child.process.exitCode !== null) throw new Error(`serve exited: ${child.output()}`);
        try {
          const response = await fetch(`http://127.0.0.1:${port}/readyz`);
          await response.arrayBuffer();
          return response.status === 200;
        } catch {
          return false;
        }
      },
      'serve to be ready',
      20_000,
      20,
    );

  const readyz = async () => {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const post = async (token: string, lsid: string) => {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ event: 'support_conference_begin', lsid }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  /** How the child ended; one still running after 20 s is killed and reported as serving. */
  const exitOf = async (child: Child) => {
    const timer = setTimeout(() => child.process.kill('SIGKILL'), 20_000);
    const exit = await child.exited;
    clearTimeout(timer);
    if (exit.signal === 'SIGKILL') throw new Error(`serve started instead: ${child.output()}`);
    return exit;
  };

  /** A restart on the folder: it must refuse in one line, exit 2, no stack. */
  const expectRefusedStart = async (mentions: RegExp, extra: NodeJS.ProcessEnv = {}) => {
    const child = serve({ OUTBOUND_LOG_LEVEL: 'info', ...extra });
    const { code } = await exitOf(child);
    const stderr = child.stderr().trim();
    expect(code, stderr).toBe(2);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(mentions);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toMatch(/ at .*\.ts:\d+/);
    return stderr;
  };

  /** A serving process with a token and a recipient whose receiver keeps answering 500. */
  const serving = async () => {
    const token = (await cli('token', 'create', '--name', 'storage-test')).trim();
    receiver = await TestReceiver.start({ kind: 'status', status: 500 });
    await cli(
      'recipient',
      'add',
      'failing',
      receiver.url,
      '--retry-interval',
      '0.05',
      '--retry-max-interval',
      '0.05',
      '--retry-duration',
      '0',
    );
    const child = serve();
    await ready(child);
    expect((await post(token, 'before')).status).toBe(202);
    // The lane is retrying its head against the failing receiver.
    await waitUntil(
      () => (receiver as TestReceiver).requests.length >= 2,
      `retries (${(receiver as TestReceiver).requests.length} so far): ${child.output()}`,
      30_000,
    );
    return { child, token };
  };

  /** What must hold once the database is gone from under the process. */
  const expectStorageLost = async (child: Child, token: string, cause: RegExp) => {
    const started = Date.now();
    // No request: the renewal timer alone must notice, and the log say why.
    await waitUntil(
      () => cause.test(child.output()),
      `the log to name the cause`,
      RENEW_MS + 3_000,
    );
    expect(Date.now() - started).toBeLessThan(RENEW_MS + 3_000);
    const ready = await readyz();
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body)).toMatch(cause);
    for (const lsid of ['after-1', 'after-2', 'after-3']) {
      const answer = await post(token, lsid);
      expect(answer.status).toBe(503);
      expect(String(answer.body.message)).toMatch(cause);
    }
    // Delivery stopped: the lane no longer sends (and records) into the unlinked file.
    const seen = (receiver as TestReceiver).requests.length;
    await sleep(600);
    expect((receiver as TestReceiver).requests.length).toBe(seen);
    expect(child.process.exitCode).toBeNull();
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbound-storage-'));
    path = join(dir, 'outbound.db');
    port = await freePort();
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill('SIGKILL');
        await child.exited;
      }
    }
    await receiver?.close();
    receiver = undefined;
    if (immutable !== undefined) await run('chattr', ['-i', immutable]).catch(() => {});
    immutable = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a database file deleted while serving: 503s, delivery stops, and a restart refuses', async () => {
    const { child, token } = await serving();
    rmSync(path);
    await expectStorageLost(child, token, /outbound\.db.*(deleted|gone|missing)/);
    child.process.kill('SIGTERM');
    await child.exited;
    // Nothing new was created in its place.
    await expectRefusedStart(/outbound\.db/);
    expect(existsSync(path)).toBe(false);
  }, 60_000);

  it('a database file replaced by another while serving: 503s, and a restart refuses', async () => {
    const { child, token } = await serving();
    const other = join(dir, 'other.db');
    const db = loadSqliteDriver().open(other);
    db.exec('CREATE TABLE unrelated (x)');
    db.close();
    renameSync(other, path);
    await expectStorageLost(child, token, /outbound\.db.*replaced/);
    child.process.kill('SIGKILL');
    await child.exited;
    await expectRefusedStart(/outbound\.db/);
  }, 60_000);

  it('a folder whose ack log says a database was there, but without it, refuses to start', async () => {
    await cli('migrate');
    const child = serve();
    await ready(child);
    child.process.kill('SIGTERM');
    await child.exited;
    expect(existsSync(`${path}-acks`)).toBe(true);
    rmSync(path);
    await expectRefusedStart(/outbound\.db.*outbound\.db-acks/);
    expect(existsSync(path)).toBe(false);
  }, 60_000);

  it('a genuinely fresh folder still creates a new database', async () => {
    const child = serve();
    await ready(child);
    expect(existsSync(path)).toBe(true);
  }, 60_000);

  it('a corrupt database file stops start-up in one line, exit 2, without a stack', async () => {
    writeFileSync(path, Buffer.alloc(64 * 1024, 'not a database at all '));
    await expectRefusedStart(/outbound\.db.*not a (SQLite )?database/i);
  }, 60_000);

  it('the stack of a start-up error is shown at debug level', async () => {
    writeFileSync(path, Buffer.alloc(64 * 1024, 'not a database at all '));
    const child = serve({ OUTBOUND_LOG_LEVEL: 'debug' });
    const { code } = await exitOf(child);
    expect(code).toBe(2);
    expect(child.output()).toMatch(/\n\s+at /);
  }, 60_000);

  it('a read-only database file stops start-up in one line, exit 2, without a stack', async () => {
    await cli('migrate');
    // Root writes through chmod 0444: make the file immutable instead.
    if (process.getuid?.() === 0) {
      await run('chattr', ['+i', path]);
      immutable = path;
    } else {
      chmodSync(path, 0o444);
    }
    await expectRefusedStart(/outbound\.db.*read-only/i);
  }, 60_000);

  it('an unreachable PostgreSQL stops start-up in one line naming it, without the password', async () => {
    const closed = await freePort();
    const stderr = await expectRefusedStart(/PostgreSQL refused the connection/, {
      OUTBOUND_DATABASE_URL: `postgres://outbound:s3cret@127.0.0.1:${closed}/outbound`,
    });
    expect(stderr).toContain(`127.0.0.1:${closed}`);
    expect(stderr).not.toContain('s3cret');
  }, 60_000);

  it('a bad setting stops start-up in one line naming it', async () => {
    await expectRefusedStart(/OUTBOUND_PORT/, { OUTBOUND_PORT: 'eighty' });
  }, 60_000);
});
