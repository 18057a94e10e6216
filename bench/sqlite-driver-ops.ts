/**
 * `node --import tsx bench/sqlite-driver-ops.ts` — the store's kinds of SQLite operation, timed
 * in process on each SQLite driver that loads here (OUTBOUND_BETTER_SQLITE3_ADDON for
 * better-sqlite3 on a Node it was not installed for): a durable one-row transaction, a lane's
 * autocommit update at synchronous=NORMAL, a read by key, a durable transaction of 100 rows.
 * Wall time and CPU (process.cpuUsage) per operation, drivers alternated over three rounds so
 * that a busy moment of a shared machine does not fall on one driver only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSqliteDriver, type SqliteDriver, useBetterSqlite3Addon } from '../src/sqlite/index.js';

useBetterSqlite3Addon(process.env.OUTBOUND_BETTER_SQLITE3_ADDON || undefined);
const drivers: SqliteDriver[] = [];
for (const name of ['node', 'better-sqlite3'] as const) {
  try {
    drivers.push(loadSqliteDriver(name));
  } catch (error) {
    console.log(`not ${name}: ${(error as Error).message}`);
  }
}

const BODY = 'x'.repeat(300);

function measure(driver: SqliteDriver): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-driver-ops-'));
  const db = driver.open(join(dir, 'ops.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE e (id INTEGER PRIMARY KEY, body TEXT, at INTEGER)');
    const insert = db.prepare('INSERT INTO e (body, at) VALUES (?, ?)');
    const update = db.prepare('UPDATE e SET at = ? WHERE id = ?');
    const read = db.prepare('SELECT id, body, at FROM e WHERE id = ?');
    const ops: [string, 'FULL' | 'NORMAL', number, (i: number) => unknown][] = [
      ['durable 1-row transaction', 'FULL', 1000, (i) => db.immediate(() => insert.run(BODY, i))],
      ['autocommit update (NORMAL)', 'NORMAL', 20_000, (i) => update.run(i, (i % 1000) + 1)],
      ['read by key', 'NORMAL', 100_000, (i) => read.get((i % 1000) + 1)],
      [
        'durable 100-row transaction',
        'FULL',
        200,
        (i) =>
          db.immediate(() => {
            for (let k = 0; k < 100; k++) insert.run(BODY, i);
          }),
      ],
    ];
    return ops.map(([label, sync, n, op]) => {
      db.pragma(`synchronous = ${sync}`);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) op(i);
      const wallUs = ((performance.now() - t0) * 1000) / n;
      const cpu = process.cpuUsage(cpu0);
      return `${label}: ${wallUs.toFixed(1)} µs wall, ${((cpu.user + cpu.system) / n).toFixed(1)} µs CPU`;
    });
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `Node ${process.version}; load average ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (let round = 1; round <= 3; round++) {
  for (const driver of round % 2 === 1 ? drivers : [...drivers].reverse()) {
    console.log(`round ${round}, ${driver.description}\n  ${measure(driver).join('\n  ')}`);
  }
}
