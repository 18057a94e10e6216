/**
 * OUTBOUND_SQLITE_DRIVER at start: `serve` says which driver it uses; a bad value, or a driver
 * that cannot load on this Node, stops the start in one line naming the cause, exit 2, with no
 * database created.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autoDriverName, type SqliteDriverName } from '../../src/sqlite/index.js';
import { type CliResult, runOutbound } from '../support/cli.js';
import { serveUntilStarted } from '../support/serve-process.js';
import { loadableDrivers } from '../support/sqlite-drivers.js';

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outbound-driver-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function outbound(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  return runOutbound({ OUTBOUND_LOG_LEVEL: 'info', OUTBOUND_PORT: '0', ...env }, ...args);
}

/** Starts serve until it says it is serving, stops it, and returns what it logged. */
const serveLog = serveUntilStarted;

/** The driver's start line, as JSON. */
function driverLine(log: string): { sqliteDriver: string; choice: string; msg: string } {
  const line = log.split('\n').find((l) => l.includes('"sqliteDriver"'));
  if (line === undefined) throw new Error(`no driver line in:\n${log}`);
  return JSON.parse(line);
}

describe('OUTBOUND_SQLITE_DRIVER', () => {
  it('serve logs the driver auto picks on this Node, in one info line', async () => {
    const log = await serveLog({ OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'outbound.db')}` });
    const line = driverLine(log);
    expect(line).toMatchObject({ sqliteDriver: autoDriverName(), choice: 'auto' });
    expect(line.msg).toMatch(
      autoDriverName() === 'node'
        ? /^SQLite driver: node:sqlite \(Node [\d.]+, SQLite [\d.]+\)$/
        : /^SQLite driver: better-sqlite3 12\.[\d.]+ \(SQLite [\d.]+\)$/,
    );
  }, 60_000);

  it('a value that is no driver is refused in one line naming the variable, exit 2', async () => {
    const path = join(dir, 'outbound.db');
    for (const args of [['serve'], ['migrate']]) {
      const failed = await outbound(
        { OUTBOUND_DATABASE_URL: `sqlite:${path}`, OUTBOUND_SQLITE_DRIVER: 'bogus' },
        ...args,
      );
      expect(failed.code, args[0]).toBe(2);
      expect(lines(failed.stderr), args[0]).toEqual([
        expect.stringMatching(
          /OUTBOUND_SQLITE_DRIVER\) must be one of auto, node, better-sqlite3, got "bogus"$/,
        ),
      ]);
      expect(existsSync(path)).toBe(false);
    }
  }, 60_000);

  // The driver this Node does not use by default: on Node 20 node:sqlite, which it lacks; on
  // 24/26 better-sqlite3, whose addon in node_modules is built for the machine's Node only.
  const other: SqliteDriverName = autoDriverName() === 'node' ? 'better-sqlite3' : 'node';
  const { missing } = loadableDrivers();

  if (missing[other] !== undefined) {
    it(`${other}, which cannot load here, stops the start in one line saying what to do, exit 2`, async () => {
      const path = join(dir, 'outbound.db');
      for (const args of [['serve'], ['migrate']]) {
        const failed = await outbound(
          { OUTBOUND_DATABASE_URL: `sqlite:${path}`, OUTBOUND_SQLITE_DRIVER: other },
          ...args,
        );
        expect(failed.code, args[0]).toBe(2);
        const [line, ...more] = lines(failed.stderr);
        expect(more, args[0]).toEqual([]);
        expect(line).toMatch(
          other === 'node'
            ? /OUTBOUND_SQLITE_DRIVER=node needs node:sqlite, which Node [\d.]+ does not provide .*: use Node ≥ 24\.15, or OUTBOUND_SQLITE_DRIVER=better-sqlite3$/
            : /OUTBOUND_SQLITE_DRIVER=better-sqlite3 needs the SQLite driver better-sqlite3, which cannot be loaded \(.*\): use OUTBOUND_SQLITE_DRIVER=auto .*npm rebuild better-sqlite3\)$/,
        );
        if (args[0] === 'serve') expect(line).toMatch(/^outbound: cannot start: /);
        expect(existsSync(path)).toBe(false);
      }
    }, 60_000);
  } else {
    it(`${other}, which loads here too, is used when chosen`, async () => {
      const log = await serveLog({
        OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'outbound.db')}`,
        OUTBOUND_SQLITE_DRIVER: other,
      });
      expect(driverLine(log)).toMatchObject({ sqliteDriver: other, choice: other });
    }, 60_000);
  }
});
