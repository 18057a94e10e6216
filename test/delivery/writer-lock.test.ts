import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SoleOwnership } from '../../src/delivery/ownership.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { DatabaseInUseError, type WriterHolder } from '../../src/store/writer-lock.js';
import { cliArgs } from '../support/cli.js';
import { freePort, ServeProcess } from '../support/serve-process.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FAST = { renewMs: 40, staleMs: 400 };

describe('the writer lock of a SQLite database', () => {
  let dir: string;
  let path: string;
  const stores: SqliteStore[] = [];
  const owners: SoleOwnership[] = [];

  const store = async () => {
    const opened = new SqliteStore(path);
    stores.push(opened);
    await opened.migrate();
    return opened;
  };
  const ownership = (s: SqliteStore, options: ConstructorParameters<typeof SoleOwnership>[1]) => {
    const owner = new SoleOwnership(s.writerLock, { where: path, ...options });
    owners.push(owner);
    return owner;
  };
  /** A holder put there as another process would, without renewing it. */
  const plant = async (s: SqliteStore, holder: Omit<WriterHolder, 'acquiredAt' | 'seenAt'>) =>
    expect(await s.writerLock.take(holder, Date.now(), () => true)).toBeUndefined();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outbound-writer-'));
    path = join(dir, 'outbound.db');
  });
  afterEach(async () => {
    for (const owner of owners.splice(0)) await owner.stop();
    for (const s of stores.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a second process on this machine is refused at once, naming the first', async () => {
    const s = await store();
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      await plant(s, { token: 'first', pid: live.pid as number, host: hostname() });
      const second = ownership(s, { renewMs: 5_000, staleMs: 60_000 });
      const refused = await second.start().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(DatabaseInUseError);
      expect((refused as Error).message).toContain(`pid ${live.pid} on ${hostname()}`);
      expect((refused as Error).message).toContain(path);
      expect(second.holds()).toBe(false);
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('a process on this machine that died is replaced at once', async () => {
    const s = await store();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    await plant(s, { token: 'killed', pid: dead, host: hostname() });
    const next = ownership(s, { renewMs: 5_000, staleMs: 60_000 });
    const started = Date.now();
    await next.start();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(next.holds()).toBe(true);
  });

  it('a holder on another machine is waited for while it renews, and refused once it does', async () => {
    const s = await store();
    await plant(s, { token: 'elsewhere', pid: 1, host: 'another-host' });
    const waited: WriterHolder[] = [];
    const next = ownership(s, { ...FAST, onWaiting: (holder) => waited.push(holder) });
    const starting = next.start();
    // The other machine renews.
    await sleep(100);
    expect(await s.writerLock.renew('elsewhere', Date.now())).toBe(true);
    await expect(starting).rejects.toThrow(/pid 1 on another-host/);
    expect(waited).toMatchObject([{ token: 'elsewhere', host: 'another-host' }]);
  });

  it('a holder on another machine that stopped renewing is replaced once stale', async () => {
    const s = await store();
    await plant(s, { token: 'elsewhere', pid: 1, host: 'another-host' });
    const next = ownership(s, FAST);
    const started = Date.now();
    await next.start();
    expect(Date.now() - started).toBeGreaterThanOrEqual(FAST.staleMs - 50);
    expect(next.holds()).toBe(true);
    expect(await s.writerLock.renew('elsewhere', Date.now())).toBe(false);
  });

  it('a holder whose lock was taken over stops holding its lanes at its next renewal', async () => {
    const s = await store();
    let lost = 0;
    const owner = ownership(s, { ...FAST, onLost: () => lost++ });
    await owner.start();
    expect(owner.holds()).toBe(true);
    // Another process judged it gone (it was frozen) and took the lock.
    await plant(await store(), { token: 'thief', pid: 1, host: 'another-host' });
    const deadline = Date.now() + 5_000;
    while (owner.holds() && Date.now() < deadline) await sleep(10);
    expect(owner.holds()).toBe(false);
    expect(lost).toBe(1);
  });

  it('a clean stop releases the lock for the next process at once', async () => {
    const first = ownership(await store(), FAST);
    await first.start();
    await first.stop();
    const next = ownership(await store(), { renewMs: 5_000, staleMs: 60_000 });
    await next.start();
    expect(next.holds()).toBe(true);
  });
});

describe('two outbound serve processes on one SQLite file', () => {
  let dir: string;
  let first: ServeProcess | undefined;
  afterEach(async () => {
    await first?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the second exits with code 2 and names the first; the first keeps serving', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbound-two-serves-'));
    const env = { OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'outbound.db')}` };
    first = new ServeProcess(await freePort(), env);
    first.start();
    await first.ready();
    const second = await run(
      process.execPath,
      cliArgs('serve', '--port', String(await freePort())),
      {
        cwd: resolve(import.meta.dirname, '../..'),
        env: { ...process.env, ...env, OUTBOUND_LOG_LEVEL: 'silent' },
      },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/another outbound serve \(pid \d+ on .+\) delivers from sqlite:/);
    expect(second.stderr).toContain('use PostgreSQL');
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    expect(first.unexpectedExit).toBeUndefined();
  });
});
