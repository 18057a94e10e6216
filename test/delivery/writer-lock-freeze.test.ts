/**
 * A single-writer (SQLite) process frozen past the writer lock's staleness: another process
 * may have taken the lock meanwhile, so once it runs again it sends nothing until a renewal
 * shows the lock is still its own, and gives everything up when it is not. The freeze is
 * played by the injected monotonic clock; the lock is the real one in a SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SoleOwnership } from '../../src/delivery/ownership.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { waitUntil } from '../support/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function store(): Promise<SqliteStore> {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-freeze-'));
  const s = new SqliteStore(join(dir, 'outbound.db'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => s.close());
  await s.migrate();
  return s;
}

// Renewals far apart: none happens by itself during a test, only those `holds` asks for.
const SLOW = { renewMs: 60_000, staleMs: 4_000 };

describe('the writer lock after a freeze', () => {
  it('a process frozen past staleness sends nothing until a renewal shows the lock is still its own', async () => {
    const s = await store();
    let mono = 0;
    let lost = 0;
    const owner = new SoleOwnership(s.writerLock, {
      ...SLOW,
      now: () => mono,
      onLost: () => lost++,
    });
    cleanups.push(() => owner.stop());
    await owner.start();
    expect(owner.holds()).toBe(true);
    mono += 2_900; // staleness less the margin (1 s): still surely ours
    expect(owner.holds()).toBe(true);
    mono += 200;
    expect(owner.holds()).toBe(false);
    // Nobody took it: the renewal holds asked for succeeds, and sending resumes.
    await waitUntil(() => owner.holds(), 'the lock to be trusted again');
    expect(lost).toBe(0);
  });

  it('a process frozen while another took the lock gives everything up when it runs again', async () => {
    const s = await store();
    let mono = 0;
    let lost = 0;
    const owner = new SoleOwnership(s.writerLock, {
      ...SLOW,
      now: () => mono,
      onLost: () => lost++,
    });
    cleanups.push(() => owner.stop());
    await owner.start();
    // Another process, past the staleness by the wall clock, takes the lock over.
    const taken = await s.writerLock.take(
      { token: 'other', pid: process.pid + 1, host: `${hostname()}-other` },
      Date.now() + SLOW.staleMs,
      (holder) => holder.token !== 'other',
    );
    expect(taken).toBeUndefined();
    mono += SLOW.staleMs;
    expect(owner.holds()).toBe(false);
    await waitUntil(() => lost === 1, 'the loss to be reported');
    expect(owner.holds()).toBe(false);
  });
});
