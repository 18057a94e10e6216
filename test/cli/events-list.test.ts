/**
 * `outbound events list`: the events accepted, newest first, as GET /api/v1/events lists them
 * (same filters, same cursor), read from the store without a running service.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { BEGIN, END, newEvent } from '../store/fixtures.js';
import { runOutbound } from '../support/cli.js';

let dir: string;

async function outbound(...args: string[]) {
  return runOutbound({ OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'outbound.db')}` }, ...args);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outbound-cli-events-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('lists events newest first, filtered, a page at a time; a bad flag is a usage error', async () => {
  const store = new SqliteStore(join(dir, 'outbound.db'));
  await store.migrate();
  const events = [
    newEvent(BEGIN, { lsid: 'S1', externalKey: 'INC-1' }),
    newEvent(END, { lsid: 'S1', externalKey: 'INC-1' }),
    newEvent(BEGIN, { lsid: 'S2' }),
  ];
  await store.acceptEvents(events, Date.now());
  await store.close();
  const uids = events.map((e) => e.uid);

  const all = await outbound('events', 'list');
  expect(all.code).toBe(0);
  const lines = all.stdout.trim().split('\n');
  expect(lines.map((l) => l.split('\t')[1])).toEqual([...uids].reverse());
  expect(lines[1]).toContain(`\t${END}\tS1\tINC-1\t0/0 delivered`);

  const first = await outbound('events', 'list', '--lsid', 'S1', '--limit', '1');
  expect(first.stdout.trim().split('\t')[1]).toBe(uids[1]);
  const cursor = /more: --cursor (\S+)/.exec(first.stderr)?.[1] as string;
  const second = await outbound('events', 'list', '--lsid', 'S1', '--cursor', cursor, '--json');
  expect(JSON.parse(second.stdout)).toMatchObject({
    events: [{ id: uids[0], type: BEGIN, external_key: 'INC-1' }],
    next_cursor: null,
  });

  expect(await outbound('events', 'list', '--type', 'nope')).toMatchObject({ code: 2 });
  const badTime = await outbound('events', 'list', '--since', 'yesterday');
  expect(badTime.code).toBe(2);
  expect(badTime.stderr).toContain('--since');
  expect((await outbound('events', 'list', '--cursor', 'abc')).code).toBe(2);
});
