/**
 * `outbound simulate` end to end: a real service, the listener as its recipient, and the
 * simulator driving sessions through the sessions API; then the errors it reports.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Listener, type ReceivedRecord } from '../../src/listener/index.js';
import {
  expectedEvents,
  type SessionOutcome,
  Simulation,
  type SimulationOptions,
} from '../../src/simulator/index.js';
import { startService, type TestService } from '../support/service.js';
import { sleep, waitUntil } from '../support/wait.js';
import { killChildren, startCli } from './helpers.js';

let service: TestService | undefined;
let listener: Listener | undefined;
let fake: Server | undefined;

afterEach(async () => {
  await killChildren();
  await service?.stop();
  await listener?.close();
  if (fake) await new Promise((resolve) => fake?.close(resolve));
  service = undefined;
  listener = undefined;
  fake = undefined;
});

/** A service whose only recipient is a listener (failing `failRate` of requests). */
async function serviceWithListener(failRate = 0) {
  const records: ReceivedRecord[] = [];
  listener = await Listener.start({
    port: 0,
    failRate,
    seed: 'e2e',
    onRecord: (r) => records.push(r),
  });
  service = await startService();
  const created = await service.api('POST', '/api/v1/recipients', {
    name: 'listen',
    url: `${listener.url}hook`,
    retryIntervalSeconds: 0.05,
  });
  expect(created.status).toBe(201);
  const accepted = () => records.filter((r) => r.status === 200);
  return { service, records, accepted };
}

/** What a record says, reduced to what the steps determine. */
function essence(r: ReceivedRecord | ReturnType<typeof expectedEvents>[number]) {
  if ('variables' in r) {
    const v = r.variables;
    return [v.event, v.external_key, v.type, v.display_name, v.user_id, v.conference_id].join('|');
  }
  return [
    r.event,
    r.externalKey,
    r.member?.type,
    r.member?.display_name,
    r.member?.type === 'representative' ? r.member.user_id : undefined,
    r.owner?.conference_id,
  ].join('|');
}

function byLsidOf(records: ReceivedRecord[]): Map<string, ReceivedRecord[]> {
  const out = new Map<string, ReceivedRecord[]>();
  for (const r of records) {
    const list = out.get(r.lsid as string) ?? [];
    list.push(r);
    out.set(r.lsid as string, list);
  }
  return out;
}

/** Checks the order rules a receiver relies on, per lsid, on the accepted records. */
function checkOrder(records: ReceivedRecord[]): void {
  const byLsid = byLsidOf(records);
  for (const [lsid, events] of byLsid) {
    const names = events.map((e) => e.event);
    expect(names[0], lsid).toBe('support_conference_begin');
    expect(names[1], lsid).toBe('support_conference_owner_changed');
    const end = names.indexOf('support_conference_end');
    expect(end, lsid).toBeGreaterThan(0);
    expect(names.lastIndexOf('support_conference_member_departed'), lsid).toBeLessThan(end);
    expect(names.lastIndexOf('support_conference_member_added'), lsid).toBeLessThan(end);
    const added = names.filter((n) => n === 'support_conference_member_added').length;
    const departed = names.filter((n) => n === 'support_conference_member_departed').length;
    expect(departed, lsid).toBe(added);
    for (const survey of [
      'support_conference_customer_exit_survey_completed',
      'support_conference_representative_exit_survey_completed',
    ]) {
      expect(names.filter((n) => n === survey).length, lsid).toBeLessThanOrEqual(1);
    }
  }
}

describe('outbound simulate, end to end', () => {
  it('every event it emits reaches the listener once, in each session’s order', async () => {
    const { service, records, accepted } = await serviceWithListener(0.1);
    const outcomes: SessionOutcome[] = [];
    const options: SimulationOptions = {
      url: service.url,
      token: service.token,
      sessions: 20,
      rate: 0,
      concurrency: 8,
      seed: 'e2e',
      onSession: (o) => outcomes.push(o),
    };
    const result = await new Simulation(options).run();
    expect(result.firstErrors).toEqual([]);
    expect(result).toMatchObject({ total: 20, started: 20, done: 20, errors: 0 });
    expect(result.apiCalls).toBe(outcomes.reduce((n, o) => n + o.steps.length, 0));

    await waitUntil(() => accepted().length >= result.events, 'every event delivered', 30_000);
    await sleep(300); // nothing more may come
    expect(accepted().length).toBe(result.events);
    expect(records.some((r) => r.failed)).toBe(true);
    expect(records.flatMap((r) => r.problems)).toEqual([]);
    expect(new Set(accepted().map((r) => r.headers['webhook-id'])).size).toBe(result.events);

    // Per session, exactly the events its steps say, in order (the service interleaves
    // sessions, but never reorders one).
    const byLsid = byLsidOf(accepted());
    expect(new Set(byLsid.keys())).toEqual(new Set(outcomes.map((o) => o.lsid)));
    for (const outcome of outcomes) {
      const got = (byLsid.get(outcome.lsid as string) ?? []).map(essence);
      expect(got, `session ${outcome.index}`).toEqual(expectedEvents(outcome.steps).map(essence));
    }
    checkOrder(accepted());
    // Sessions ran side by side: their events are interleaved.
    const lsids = accepted().map((r) => r.lsid);
    expect(lsids.some((l, i) => i > 0 && l !== lsids[i - 1] && lsids.indexOf(l) < i)).toBe(true);
  });

  it('as a command: paced, prints progress and a summary whose count the listener confirms', async () => {
    const { service, accepted } = await serviceWithListener();
    const cli = startCli(
      [
        'simulate',
        '--url',
        service.url,
        '--sessions',
        '10',
        '--rate',
        '8',
        '--concurrency',
        '3',
        '--seed',
        'cli',
      ],
      { OUTBOUND_TOKEN: service.token },
    );
    expect(await cli.exited, cli.stderr()).toBe(0);
    const out = cli.stdout();
    expect(out).toContain(`simulated 10 sessions against ${service.url} (seed cli;`);
    expect(out).toMatch(/ {2}sessions {3}10 of 10\n/);
    expect(out).toMatch(/ {2}errors {5}0\n/);
    const events = Number(/ {2}events {5}(\d+)\n/.exec(out)?.[1]);
    const calls = Number(/ {2}API calls {2}(\d+)\n/.exec(out)?.[1]);
    expect(events).toBeGreaterThan(20);
    expect(calls).toBeGreaterThan(20);
    // 10 sessions at 8/s: the last starts 1.125 s after the first.
    expect(Number(/ {2}elapsed {4}([\d.]+) s\n/.exec(out)?.[1])).toBeGreaterThanOrEqual(1.12);
    expect(cli.stderr()).toContain(
      `outbound simulate: 10 sessions against ${service.url}, 8/s, 3 at once, seed cli`,
    );
    expect(cli.stderr()).toMatch(/simulate: \d+\/10 sessions, \d+ events, \d+ events\/s, ETA/);

    await waitUntil(() => accepted().length >= events, 'every event delivered', 30_000);
    await sleep(200);
    expect(accepted().length).toBe(events);
    checkOrder(accepted());
  });
});

describe('outbound simulate, interrupted', () => {
  it('Ctrl-C stops starting sessions, lets those in progress finish, and sums up', async () => {
    const { service, accepted } = await serviceWithListener();
    const cli = startCli(
      ['simulate', '--url', service.url, '--sessions', '1000', '--rate', '10', '--seed', 'stop'],
      { OUTBOUND_TOKEN: service.token },
    );
    await waitUntil(() => /sessions, [1-9]\d* events/.test(cli.stderr()), 'progress', 20_000);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(130);
    expect(cli.stderr()).toContain('outbound simulate: stopping; sessions in progress finish');
    const done = Number(/ {2}sessions {3}(\d+) of 1000 \(interrupted\)\n/.exec(cli.stdout())?.[1]);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(1000);
    expect(cli.stdout()).toMatch(/ {2}errors {5}0\n/);
    // Every session that started was finished: each one's events end with its end event.
    const events = Number(/ {2}events {5}(\d+)\n/.exec(cli.stdout())?.[1]);
    await waitUntil(() => accepted().length >= events, 'every event delivered', 30_000);
    const ends = accepted().filter((r) => r.event === 'support_conference_end').length;
    expect(ends).toBe(done);
  });
});

describe('outbound simulate, errors', () => {
  /** Answers the preflight, creates sessions, refuses every member: each session fails. */
  async function fakeService(): Promise<string> {
    fake = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const json = (status: number, body: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.headers.authorization !== 'Bearer good') {
          return json(401, { error: 'unauthorized', message: 'the API token is unknown' });
        }
        if (req.method === 'GET' && req.url === '/api/v1/recipients') {
          return json(200, { recipients: [] });
        }
        if (req.method === 'POST' && req.url === '/api/v1/sessions')
          return json(201, { lsid: 'L1' });
        json(409, { error: 'conflict', message: 'session L1 has ended' });
      });
    });
    await new Promise<void>((resolve) => fake?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  }

  it('stops a session at its first failed call and reports the first errors', async () => {
    const url = await fakeService();
    const result = await new Simulation({
      url,
      token: 'good',
      sessions: 7,
      rate: 0,
      concurrency: 2,
      seed: '1',
    }).run();
    expect(result).toMatchObject({ done: 7, errors: 7, apiCalls: 14, events: 14 });
    expect(result.firstErrors).toHaveLength(5);
    expect(result.firstErrors[0]).toMatch(
      /^session \d \(lsid L1\): POST \/api\/v1\/sessions\/L1\/(members|owner) → 409: session L1 has ended$/,
    );
  });

  it('exits 1 on errors, on a refused token or an unreachable service; 2 without a token', async () => {
    const url = await fakeService();
    const failing = startCli(['simulate', '--url', url, '--token', 'good', '--rate', '0']);
    const refused = startCli(['simulate', '--url', url, '--token', 'bad']);
    const none = startCli(['simulate'], { OUTBOUND_TOKEN: '' });
    expect(await failing.exited).toBe(1);
    expect(failing.stdout()).toMatch(/ {2}errors {5}10\n {4}- session \d \(lsid L1\): /);
    expect(failing.stderr()).toContain('note: no enabled recipient');
    expect(await refused.exited).toBe(1);
    expect(refused.stderr()).toBe(
      `outbound simulate: the service at ${url} refused the token (401)\n`,
    );
    expect(await none.exited).toBe(2);
    expect(none.stderr()).toContain(
      'outbound: an API token is required: --token TOKEN or env OUTBOUND_TOKEN',
    );

    const port = (fake?.address() as AddressInfo | undefined)?.port;
    await new Promise((resolve) => fake?.close(resolve));
    fake = undefined;
    const down = startCli(['simulate', '--url', `http://127.0.0.1:${port}`, '--token', 'x']);
    expect(await down.exited).toBe(1);
    expect(down.stderr()).toContain(
      `outbound simulate: cannot reach the service at http://127.0.0.1:${port} (ECONNREFUSED)`,
    );
  });
});
