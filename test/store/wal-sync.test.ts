/**
 * Acceptance commits at NORMAL and flushes the write-ahead log off the event loop (WalSync).
 * What must hold: nothing is acknowledged, answered again by its Idempotency-Key, or read by a
 * lane before the log holding it is on the device; a failed flush loses the store for good.
 * The flush is the real fdatasync, held back by the test to open the window.
 */
import { fdatasync, fstatSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { type DataSync, WalSync } from '../../src/store/sqlite/wal-sync.js';
import { BEGIN, END, newEvents, recipientInput } from './fixtures.js';

/** fdatasync, each call held until the test releases it (or fails it). */
class HeldSync {
  readonly calls: { fd: number; release: () => void; fail: (code: string) => void }[] = [];
  readonly sync: DataSync = (fd, done) => {
    this.calls.push({
      fd,
      release: () => fdatasync(fd, done),
      fail: (code) => done(Object.assign(new Error(`${code}: i/o error, fdatasync`), { code })),
    });
  };
}

/** True once `promise` settled, after letting the event loop turn. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  return done;
}

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function lockHolder(held: HeldSync, take = true) {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-wal-sync-'));
  dirs.push(dir);
  const path = join(dir, 'outbound.db');
  const store = new SqliteStore(path, { dataSync: held.sync });
  stores.push(store);
  await store.migrate();
  if (take) {
    const me = { token: 't', pid: process.pid, host: 'here' };
    expect(await store.writerLock.take(me, 1_000, () => true)).toBeUndefined();
  }
  return { store, path };
}

describe('SQLite acceptance flushed off the event loop', () => {
  it('acknowledges, answers a key again and lets a lane read only once the log is on the device', async () => {
    const held = new HeldSync();
    const { store, path } = await lockHolder(held);
    const r = await store.createRecipient(recipientInput(), 1_000);
    const key = { tokenId: 1, key: 'k-1', fingerprint: 'f', status: 202, body: '{}' };
    const accepted = store.acceptEvents(newEvents(BEGIN, END), 2_000, [key]);

    expect(await settled(accepted)).toBe(false);
    expect(held.calls).toHaveLength(1);
    // The flush is of the database's write-ahead log.
    const call = held.calls[0];
    if (call === undefined) throw new Error('no flush');
    expect(fstatSync(call.fd).ino).toBe(statSync(`${path}-wal`).ino);
    // Committed, yet no lane sees it, and its key is not answered again.
    expect(await store.pendingDeliveries(r.id, 100)).toEqual([]);
    const found = store.idempotency.find(1, 'k-1');
    expect(await settled(found)).toBe(false);

    call.release();
    const result = await accepted;
    expect(result.ids).toHaveLength(2);
    expect(result.recipientIds).toEqual([r.id]);
    expect((await found)?.key).toBe('k-1');
    expect((await store.pendingDeliveries(r.id, 100)).map((d) => d.seq)).toEqual(result.ids);
  });

  it('a lane held back while a commit was not durable is woken with it', async () => {
    const held = new HeldSync();
    const { store } = await lockHolder(held);
    const ends = await store.createRecipient(recipientInput({ events: [END] }), 1_000);
    const early = await store.createRecipient(recipientInput({ events: [BEGIN] }), 1_000);
    const accepted = store.acceptEvents(newEvents(END), 2_000);
    expect(await settled(accepted)).toBe(false);
    // A lane with nothing in the batch reads meanwhile: it may have missed a later commit.
    expect(await store.pendingDeliveries(early.id, 100)).toEqual([]);
    held.calls[0]?.release();
    expect((await accepted).recipientIds.sort()).toEqual([ends.id, early.id].sort());
  });

  it('commits made during a flush share the next one, and each is acknowledged after it', async () => {
    const held = new HeldSync();
    const { store } = await lockHolder(held);
    const r = await store.createRecipient(recipientInput(), 1_000);
    const first = store.acceptEvents(newEvents(BEGIN), 2_000);
    const second = store.acceptEvents(newEvents(BEGIN), 2_000);
    const third = store.acceptEvents(newEvents(END), 2_000);
    expect(held.calls).toHaveLength(1);
    held.calls[0]?.release();
    expect((await first).ids).toHaveLength(1);
    expect(await settled(second)).toBe(false);
    // Until the second flush, the lane stops before the first seq not yet durable.
    expect(await store.pendingDeliveries(r.id, 100)).toHaveLength(1);
    expect(held.calls).toHaveLength(2);
    held.calls[1]?.release();
    await Promise.all([second, third]);
    expect(held.calls).toHaveLength(2);
    expect(await store.pendingDeliveries(r.id, 100)).toHaveLength(3);
  });

  it('a failed flush loses the store: the batch is refused with 503 and never delivered', async () => {
    const held = new HeldSync();
    const { store } = await lockHolder(held);
    const r = await store.createRecipient(recipientInput(), 1_000);
    const accepted = store.acceptEvents(newEvents(BEGIN), 2_000);
    held.calls[0]?.fail('EIO');
    await expect(accepted).rejects.toMatchObject({ code: 'OUTBOUND_STORAGE_LOST' });
    expect(store.health.state).toBe('lost');
    expect(store.health.reason).toContain('write-ahead log could not be flushed');
    expect(store.health.reason).toContain('EIO');
    expect(await store.pendingDeliveries(r.id, 100)).toEqual([]);
    await expect(store.acceptEvents(newEvents(END), 3_000)).rejects.toMatchObject({
      code: 'OUTBOUND_STORAGE_LOST',
    });
  });

  it('a process without the writer lock commits at FULL, with no flush of its own', async () => {
    const held = new HeldSync();
    const { store } = await lockHolder(held, false);
    const r = await store.createRecipient(recipientInput(), 1_000);
    const { ids } = await store.acceptEvents(newEvents(BEGIN, END), 2_000);
    expect(held.calls).toHaveLength(0);
    expect((await store.pendingDeliveries(r.id, 100)).map((d) => d.seq)).toEqual(ids);
  });
});

describe('WalSync', () => {
  it('after a failed flush, nothing later is called durable', async () => {
    const held = new HeldSync();
    const dir = mkdtempSync(join(tmpdir(), 'outbound-wal-sync-'));
    dirs.push(dir);
    const wal = join(dir, 'log');
    writeFileSync(wal, 'x');
    const sync = new WalSync(wal, held.sync);
    const first = sync.durable(5);
    const second = sync.durable(9);
    held.calls[0]?.fail('EIO');
    await expect(first).rejects.toMatchObject({ code: 'EIO' });
    await expect(second).rejects.toMatchObject({ code: 'EIO' });
    await expect(sync.durable(12)).rejects.toMatchObject({ code: 'EIO' });
    await expect(sync.settled()).rejects.toMatchObject({ code: 'EIO' });
    expect(sync.durableBelow()).toBe(5);
    expect(held.calls).toHaveLength(1);
    sync.close();
  });

  it('in memory there is nothing to flush', async () => {
    const sync = new WalSync(undefined);
    await sync.durable(3);
    expect(sync.durableBelow()).toBe(Number.MAX_SAFE_INTEGER);
  });
});
