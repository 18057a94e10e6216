import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MemorySeenStore,
  type SeenStore,
  type SeenStoreOptions,
  SqliteSeenStore,
} from '../../src/receiver/index.js';
import { type RawDatabase, rawDrivers, requiredDriver } from '../support/sqlite-drivers.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

/**
 * The SDK takes the database an integrator opened: better-sqlite3's `Database` or node:sqlite's
 * `DatabaseSync`, each that loads on this Node (asserted below: none is skipped silently).
 */
const DRIVERS = rawDrivers();

/** A fresh database file per test, removed afterwards. */
function tempDatabase(driver = DRIVERS[0] as (typeof DRIVERS)[number]): {
  path: string;
  open(): RawDatabase;
} {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-seen-'));
  const path = join(dir, 'receiver.db');
  const opened: RawDatabase[] = [];
  cleanup.push(() => {
    for (const db of opened) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    path,
    open() {
      const db = driver.open(path);
      opened.push(db);
      return db;
    },
  };
}

const BACKENDS: Record<string, (options: SeenStoreOptions) => SeenStore> = {
  memory: (options) => new MemorySeenStore(options),
  ...Object.fromEntries(
    DRIVERS.map((driver) => [
      `sqlite (${driver.name})`,
      (options: SeenStoreOptions) => new SqliteSeenStore(tempDatabase(driver).open(), options),
    ]),
  ),
};

it(`runs the SQLite seen-store on this Node's driver (${requiredDriver()}) at least`, () => {
  expect(DRIVERS.map((d) => d.name)).toContain(requiredDriver());
});

for (const [backend, create] of Object.entries(BACKENDS)) {
  describe(`${backend} seen-store`, () => {
    let clock = 1_000_000;
    const now = () => clock;

    it('claims a new id once; it is busy until completed, then seen', async () => {
      const store = create({ now });
      expect(await store.claim('a')).toBe('claimed');
      expect(await store.claim('a')).toBe('busy');
      await store.complete('a');
      expect(await store.claim('a')).toBe('seen');
      expect(await store.claim('b')).toBe('claimed');
    });

    it('a released claim (the handler failed) can be claimed again', async () => {
      const store = create({ now });
      expect(await store.claim('a')).toBe('claimed');
      await store.release('a');
      expect(await store.claim('a')).toBe('claimed');
    });

    it('release does not forget a handled id', async () => {
      const store = create({ now });
      await store.claim('a');
      await store.complete('a');
      await store.release('a');
      expect(await store.claim('a')).toBe('seen');
    });

    it('a claim older than the lease is taken over (its process died)', async () => {
      const store = create({ now, leaseMs: 1000 });
      expect(await store.claim('a')).toBe('claimed');
      clock += 999;
      expect(await store.claim('a')).toBe('busy');
      clock += 1;
      expect(await store.claim('a')).toBe('claimed');
    });

    it('a handled id is forgotten after the TTL', async () => {
      const store = create({ now, ttlMs: 5000 });
      await store.claim('a');
      await store.complete('a');
      clock += 4999;
      expect(await store.claim('a')).toBe('seen');
      clock += 1;
      expect(await store.claim('a')).toBe('claimed');
    });

    it('refuses non-positive durations', () => {
      expect(() => create({ ttlMs: 0 })).toThrow(TypeError);
      expect(() => create({ leaseMs: -1 })).toThrow(TypeError);
    });
  });
}

describe('MemorySeenStore bounds', () => {
  it('keeps at most maxEntries, evicting the least recently used', () => {
    const store = new MemorySeenStore({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c']) {
      store.claim(id);
      store.complete(id);
    }
    expect(store.claim('a')).toBe('seen'); // a is now the most recently used
    store.claim('d');
    store.complete('d');
    expect(store.size).toBe(3);
    expect(store.claim('b')).toBe('claimed'); // evicted
    expect(store.claim('a')).toBe('seen');
  });

  it('refuses a non-positive maxEntries', () => {
    expect(() => new MemorySeenStore({ maxEntries: 0 })).toThrow(TypeError);
  });
});

for (const driver of DRIVERS) {
  describe(`SqliteSeenStore on ${driver.name}`, () => {
    it('survives a restart: a new connection to the file still knows the handled ids', () => {
      const file = tempDatabase(driver);
      const first = new SqliteSeenStore(file.open());
      first.claim('a');
      first.complete('a');
      first.claim('b'); // in flight when the process "died"
      const second = new SqliteSeenStore(file.open(), { leaseMs: 60_000 });
      expect(second.claim('a')).toBe('seen');
      expect(second.claim('b')).toBe('busy');
    });

    it('two connections to one file: exactly one wins a claim', () => {
      const file = tempDatabase(driver);
      const a = new SqliteSeenStore(file.open());
      const b = new SqliteSeenStore(file.open());
      const results = ['x', 'y', 'z'].flatMap((id) => [a.claim(id), b.claim(id)]);
      expect(results).toEqual(['claimed', 'busy', 'claimed', 'busy', 'claimed', 'busy']);
    });

    it('uses the table it is given, and prunes expired rows', () => {
      const db = tempDatabase(driver).open();
      let clock = 0;
      const store = new SqliteSeenStore(db, { table: 'my_seen', ttlMs: 1000, now: () => clock });
      store.claim('old');
      store.complete('old');
      clock = 120_000;
      store.claim('new');
      const ids = db
        .prepare('SELECT id FROM my_seen ORDER BY id')
        .all()
        .map((row) => (row as { id: string }).id);
      expect(ids).toEqual(['new']);
    });

    it('refuses a table name that is not an identifier', () => {
      const db = tempDatabase(driver).open();
      expect(() => new SqliteSeenStore(db, { table: 'x; DROP TABLE y' })).toThrow(TypeError);
    });
  });
}
