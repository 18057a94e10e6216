import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../examples/express-receiver/app.js';
import { createTicketReceiver } from '../../examples/ticket-receiver/receiver.js';
import { Tickets } from '../../examples/ticket-receiver/tickets.js';
import { encodeEvent, type OutboundEvent } from '../../src/events/index.js';
import { type RawDatabase, rawDrivers, requiredDriver } from '../support/sqlite-drivers.js';
import { deliver, newId, post, SECRET, signed, TOKEN } from './requests.js';
import { Servers, serveNode } from './servers.js';

const servers = new Servers();
const cleanup: (() => void)[] = [];
afterEach(async () => {
  await servers.closeAll();
  for (const fn of cleanup.splice(0).reverse()) fn();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-example-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The database as an integrator on this Node opens it (node:sqlite from 24.15). */
const driver = rawDrivers().find((d) => d.name === requiredDriver());

function openDb(path: string): RawDatabase {
  if (driver === undefined) throw new Error(`no ${requiredDriver()} on Node ${process.version}`);
  const db = driver.open(path);
  cleanup.push(() => db.close());
  return db;
}

const at = 1_700_000_000;
const ev = (fields: Record<string, unknown>) =>
  ({ version: 1, timestamp: at, ...fields }) as unknown as OutboundEvent;

/** Two sessions: one gets its external key later, the other has it from the start. */
const SESSION = [
  ev({ event: 'support_conference_begin', lsid: 's1' }),
  ev({
    event: 'support_conference_owner_changed',
    lsid: 's1',
    conference_id: 'general',
    conference_name: 'General',
  }),
  ev({ event: 'support_conference_begin', lsid: 's2', external_key: 'INC-2' }),
  ev({
    event: 'support_conference_member_added',
    lsid: 's1',
    external_key: 'INC-1',
    type: 'customer',
    display_name: 'Ann',
  }),
  ev({
    event: 'support_conference_owner_changed',
    lsid: 's1',
    external_key: 'INC-1',
    conference_id: 'rep:12',
    conference_name: 'Bob',
  }),
  ev({ event: 'support_conference_end', lsid: 's1', external_key: 'INC-1', timestamp: at + 60 }),
];

describe('example: ticket receiver', () => {
  it('opens, assigns and closes a ticket per session, storing the external key', async () => {
    const db = openDb(join(tempDir(), 'tickets.db'));
    const served = await serveNode(createTicketReceiver(db, { secret: SECRET }).toNodeListener());
    servers.add(served);
    for (const event of SESSION) expect((await deliver(served.url, event)).status).toBe(200);

    const tickets = new Tickets(db);
    expect(tickets.get('s1')).toEqual({
      lsid: 's1',
      external_key: 'INC-1',
      status: 'closed',
      assignee_id: 'rep:12',
      assignee_name: 'Bob',
      opened_at: at,
      closed_at: at + 60,
    });
    expect(tickets.get('s2')).toMatchObject({
      external_key: 'INC-2',
      status: 'open',
      assignee_id: null,
    });
  });

  it('a re-sent event is not applied twice, even after a restart of the receiver', async () => {
    const path = join(tempDir(), 'tickets.db');
    const first = openDb(path);
    const served = servers.add(
      await serveNode(createTicketReceiver(first, { secret: SECRET }).toNodeListener()),
    );
    const owner = SESSION[1] as OutboundEvent;
    const ownerId = newId();
    await deliver(served.url, SESSION[0] as OutboundEvent);
    await deliver(served.url, owner, ownerId);
    await deliver(served.url, SESSION[4] as OutboundEvent); // the owner is now rep:12
    await servers.closeAll();

    // Restarted, Outbound re-sends the older owner change (a power cut lost its 200).
    const second = openDb(path);
    const again = servers.add(
      await serveNode(createTicketReceiver(second, { secret: SECRET }).toNodeListener()),
    );
    const response = await deliver(again.url, owner, ownerId);
    expect(await response.text()).toBe('ok (already handled)');
    expect(new Tickets(second).get('s1')?.assignee_id).toBe('rep:12');
  });

  it('refuses a bad signature and changes nothing', async () => {
    const db = openDb(join(tempDir(), 'tickets.db'));
    const served = servers.add(
      await serveNode(createTicketReceiver(db, { secret: SECRET }).toNodeListener()),
    );
    const body = encodeEvent(SESSION[0] as OutboundEvent);
    expect(
      (await post(served.url, body, { 'content-type': 'application/x-www-form-urlencoded' }))
        .status,
    ).toBe(401);
    expect(new Tickets(db).get('s1')).toBeUndefined();
  });
});

describe('example: Express receiver', () => {
  it('receives events on /outbound; the app’s own form routes still work', async () => {
    const events: OutboundEvent[] = [];
    const app = createApp({ secret: SECRET, token: TOKEN, onEvent: (e) => void events.push(e) });
    const served = servers.add(await serveNode(app));
    const body = encodeEvent(SESSION[2] as OutboundEvent);
    const url = `${served.url}?outbound_event_token=${TOKEN}`;
    expect((await post(url, body, signed(body))).status).toBe(200);
    expect((await post(served.url, body, signed(body))).status).toBe(401);
    expect(events).toEqual([SESSION[2]]);
  });
});

describe('examples run with one command', () => {
  const children: ChildProcess[] = [];
  afterEach(async () => {
    await Promise.all(
      children.splice(0).map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill();
          }),
      ),
    );
  });

  /** Starts `node --import tsx <script>` and waits for its "listening on <url>" line. */
  async function run(script: string, env: Record<string, string>): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: join(import.meta.dirname, '../..'),
      env: { ...process.env, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    for await (const line of createInterface({ input: child.stdout! })) {
      const url = /listening on (\S+)/.exec(line)?.[1];
      if (url) return url;
    }
    throw new Error(`${script} exited before listening`);
  }

  it.each([
    ['examples/ticket-receiver/server.ts', (dir: string) => ({ TICKETS_DB: join(dir, 't.db') })],
    ['examples/express-receiver/server.ts', () => ({})],
  ])('%s', async (script, extraEnv) => {
    const url = await run(script, { OUTBOUND_SECRET: SECRET, ...extraEnv(tempDir()) });
    const target = url.endsWith('/outbound') ? url : `${url}outbound`;
    expect((await deliver(target, SESSION[0] as OutboundEvent)).status).toBe(200);
  });
});
