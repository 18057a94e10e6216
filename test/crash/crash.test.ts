/**
 * Crash safety with a real child process: `outbound serve` is SIGKILLed many times while a
 * client streams events into it and three recipients (one of them flaky) receive them.
 *
 * Contract (§3): an event acknowledged with 202 is never lost, even on `kill -9`; first
 * deliveries to a recipient are in acceptance order; after a killed process only a lane's head
 * may be sent again, with the same event id.
 *
 * The schedule (kill moments, request shapes, the flaky receiver's answers) is seeded:
 * OUTBOUND_CRASH_SEED=<n> repeats one. Wall-clock timing still varies from run to run.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgs } from '../support/cli.js';
import { type ReceiverMode, TestReceiver } from '../support/receiver.js';
import { freePort, prng } from '../support/serve-process.js';
import { sleep, waitUntil } from '../support/wait.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SEED = Number(process.env.OUTBOUND_CRASH_SEED ?? 20_250_901);
const KILLS = 10;
/** Share of requests the flaky recipient answers 500. */
const FLAKY_SHARE = 0.15;

const run = promisify(execFile);

/**
 * Makes `receiver` answer 500 to a random share of requests. TestReceiver reads `mode` once per
 * request, after recording it; a getter draws a fresh answer each time.
 */
function makeFlaky(receiver: TestReceiver, share: number, random: () => number): void {
  const ok: ReceiverMode = { kind: 'ok' };
  const fail: ReceiverMode = { kind: 'status', status: 500 };
  Object.defineProperty(receiver, 'mode', {
    configurable: true,
    get: () => (random() < share ? fail : ok),
    set: () => {},
  });
}

const lsidOf = (body: string): string => new URLSearchParams(body).get('lsid') ?? '';
const indexOf = (lsid: string): number => Number(lsid.slice(1));

describe('outbound serve killed with SIGKILL during a stream of events', () => {
  let dir = '';
  let port = 0;
  let receivers: TestReceiver[] = [];
  let child: ChildProcess | undefined;
  let childStderr = '';
  /** Set when a child exits without having been killed by the test. */
  let unexpectedExit: string | undefined;
  let clientStop = true;
  /** Set by afterAll: no child may be started after it (e.g. by a test that timed out). */
  let closing = false;

  const env = () => ({
    ...process.env,
    OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'outbound.db')}`,
    OUTBOUND_PORT: String(port),
    OUTBOUND_HOST: '127.0.0.1',
    OUTBOUND_LOG_LEVEL: 'silent',
    OUTBOUND_SWEEP_INTERVAL_MS: '100',
    OUTBOUND_SHUTDOWN_TIMEOUT_MS: '500',
  });

  const cli = async (...args: string[]): Promise<string> => {
    const { stdout } = await run(process.execPath, cliArgs(...args), {
      cwd: ROOT,
      env: env(),
    });
    return stdout;
  };

  function spawnChild(): ChildProcess {
    if (closing) throw new Error('the test is over: no new child');
    childStderr = '';
    const started = spawn(process.execPath, cliArgs('serve'), {
      cwd: ROOT,
      env: env(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    started.stderr?.setEncoding('utf8');
    started.stderr?.on('data', (chunk: string) => {
      childStderr = (childStderr + chunk).slice(-4000);
    });
    // 'close': after stderr has been read to its end.
    started.once('close', (code, signal) => {
      if (signal !== 'SIGKILL' && signal !== 'SIGTERM') {
        unexpectedExit = `child exited by itself (code ${code}, signal ${signal}): ${childStderr}`;
      }
    });
    child = started;
    return started;
  }

  async function killChild(): Promise<void> {
    const current = child;
    if (current === undefined || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise<void>((ok) => current.once('exit', () => ok()));
    // No wrapper process: the pid is the service itself.
    current.kill('SIGKILL');
    await exited;
  }

  async function ready(timeoutMs = 20_000): Promise<void> {
    await waitUntil(
      async () => {
        if (unexpectedExit !== undefined) throw new Error(unexpectedExit);
        try {
          const response = await fetch(`http://127.0.0.1:${port}/readyz`);
          await response.arrayBuffer();
          return response.status === 200;
        } catch {
          return false;
        }
      },
      'the child to be ready',
      timeoutMs,
      20,
    );
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbound-crash-'));
    port = await freePort();
    const flakyRandom = prng(SEED ^ 0x5eed);
    receivers = await Promise.all([
      TestReceiver.start(),
      TestReceiver.start(),
      TestReceiver.start(),
    ]);
    makeFlaky(receivers[2] as TestReceiver, FLAKY_SHARE, flakyRandom);
  });

  afterAll(async () => {
    closing = true;
    clientStop = true;
    await killChild();
    await Promise.all(receivers.map((r) => r.close()));
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged event, keeps first deliveries in order, re-sends only heads', async () => {
    const began = Date.now();
    const token = (await cli('token', 'create', '--name', 'crash-test')).trim();
    expect(token).toMatch(/^obt_/);
    // The token's command migrated the store: the recipients can be added side by side.
    await Promise.all(
      receivers.map((receiver, i) =>
        cli(
          'recipient',
          'add',
          `r${i}`,
          receiver.url,
          '--retry-interval',
          '0.01',
          '--retry-max-interval',
          '0.05',
          '--retry-duration',
          '0',
          '--timeout',
          '5',
        ),
      ),
    );

    const first = spawnChild();
    await ready();
    // The service runs in the child itself: SIGKILL of child.pid kills the service, and no
    // grandchild is left holding the port or the database.
    if (existsSync(`/proc/${first.pid}/task`)) {
      const tasks = readdirSync(`/proc/${first.pid}/task`);
      const children = tasks.map((t) =>
        readFileSync(`/proc/${first.pid}/task/${t}/children`, 'utf8').trim(),
      );
      expect(children.join('')).toBe('');
    }

    // The client: one request at a time, so that acceptance order is lsid order.
    const clientRandom = prng(SEED ^ 0xc11e);
    const acked: string[] = [];
    const attempted = new Set<string>();
    const stats = { requests: 0, acked: 0, refused: 0, errors: 0, other: 0 };
    let next = 0;
    clientStop = false;
    const client = (async () => {
      while (!clientStop) {
        const count = clientRandom() < 0.6 ? 1 : 2 + Math.floor(clientRandom() * 4);
        const bulk = count > 1 || clientRandom() < 0.3;
        const lsids = Array.from({ length: count }, () => `e${String(next++).padStart(6, '0')}`);
        for (const lsid of lsids) attempted.add(lsid);
        const events = lsids.map((lsid) => ({ event: 'support_conference_begin', lsid }));
        stats.requests++;
        try {
          const response = await fetch(`http://127.0.0.1:${port}/api/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(bulk ? events : events[0]),
            signal: AbortSignal.timeout(10_000),
          });
          await response.arrayBuffer();
          if (response.status === 202) {
            acked.push(...lsids);
            stats.acked++;
          } else {
            stats.other++;
          }
        } catch (error) {
          const code = (error as { cause?: { code?: string } }).cause?.code;
          if (code === 'ECONNREFUSED') stats.refused++;
          else stats.errors++;
          await sleep(10);
        }
        await sleep(Math.floor(clientRandom() * 6));
      }
    })();

    // The killer: SIGKILL at a random moment, restart on the same port and database.
    const scheduleRandom = prng(SEED);
    const kills: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      if (scheduleRandom() < 0.1) {
        // Now and then during start-up (migrations, first sweep, resending heads).
        const delay = 300 + Math.floor(scheduleRandom() * 700);
        await sleep(delay);
        kills.push(`${delay}ms after spawn`);
      } else {
        await ready();
        // Paced by progress, not only by time: a busy machine still sees events between kills.
        const before = stats.acked;
        const delay = 100 + Math.floor(scheduleRandom() * 500);
        await sleep(delay);
        await waitUntil(() => stats.acked >= before + 8, 'the client to make progress', 30_000);
        kills.push(`${delay}ms after ready`);
      }
      if (unexpectedExit !== undefined) throw new Error(unexpectedExit);
      await killChild();
      spawnChild();
    }
    await ready();
    await sleep(500);
    clientStop = true;
    await client;
    const killedAt = Date.now();

    expect(stats.acked).toBeGreaterThan(50);
    const ackedSet = new Set(acked);

    // Every acknowledged event reaches every recipient (the flaky one still fails now and then).
    // Parsed incrementally: the receivers share this event loop, so the check must stay cheap.
    const arrived = receivers.map(() => ({ read: 0, lsids: new Set<string>() }));
    const hasAll = (r: TestReceiver, i: number) => {
      const seen = arrived[i] as { read: number; lsids: Set<string> };
      for (; seen.read < r.accepted.length; seen.read++) {
        seen.lsids.add(lsidOf(r.accepted[seen.read] as string));
      }
      return acked.every((lsid) => seen.lsids.has(lsid));
    };
    // On a time-out, go on: the checks below say which events are missing where.
    await waitUntil(
      () => receivers.every(hasAll),
      'every acknowledged event at every recipient',
      20_000,
      50,
    ).catch(() => undefined);
    const drainedMs = Date.now() - killedAt;
    if (unexpectedExit !== undefined) throw new Error(unexpectedExit);

    const eventIds = new Map<string, string>();
    const report: string[] = [];
    for (const [i, receiver] of receivers.entries()) {
      const bodies = receiver.accepted;
      const lsids = bodies.map(lsidOf);

      // Nothing that was never posted, and nothing acknowledged missing.
      for (const lsid of lsids) expect(attempted.has(lsid), `r${i} got unknown ${lsid}`).toBe(true);
      const got = new Set(lsids);
      const missing = acked.filter((lsid) => !got.has(lsid));
      expect(
        missing.length,
        `r${i} never got ${missing.length} acknowledged events: ${missing.slice(0, 10).join(', ')}`,
      ).toBe(0);

      // First deliveries in acceptance order; a repeat only of the body just delivered.
      const seen = new Set<string>();
      let last = -1;
      let duplicates = 0;
      for (const [k, lsid] of lsids.entries()) {
        if (seen.has(lsid)) {
          duplicates++;
          expect(
            bodies[k],
            `r${i}: ${lsid} re-sent at position ${k} after ${lsids[k - 1]}, not right after itself`,
          ).toBe(bodies[k - 1]);
          continue;
        }
        seen.add(lsid);
        const index = indexOf(lsid);
        expect(index, `r${i}: ${lsid} first delivered after e${last}`).toBeGreaterThan(last);
        last = index;
      }

      // One webhook-id per event, on every attempt (failed ones too) and at every recipient.
      for (const request of receiver.requests) {
        const lsid = lsidOf(request.body);
        const id = request.headers['webhook-id'];
        expect(typeof id, `r${i}: webhook-id of ${lsid}`).toBe('string');
        const known = eventIds.get(lsid);
        if (known === undefined) eventIds.set(lsid, id as string);
        else expect(id, `r${i}: webhook-id of ${lsid} changed`).toBe(known);
      }

      const unackedArrived = [...got].filter((lsid) => !ackedSet.has(lsid)).length;
      report.push(
        `r${i}: ${bodies.length} deliveries, ${got.size} events, ${duplicates} re-sent heads, ` +
          `${unackedArrived} unacknowledged arrived, ${receiver.requests.length} requests`,
      );
    }
    // The flaky recipient really failed, so retries were in play.
    expect(receivers[2]?.requests.length).toBeGreaterThan(receivers[2]?.accepted.length ?? 0);

    console.info(
      [
        `crash test (seed ${SEED}): ${KILLS} kills (${kills.join(', ')})`,
        `client: ${stats.requests} requests, ${stats.acked} acknowledged (${acked.length} events), ` +
          `${stats.refused} refused, ${stats.errors} cut off, ${stats.other} other`,
        ...report,
        `drained in ${drainedMs} ms; total ${Date.now() - began} ms`,
      ].join('\n'),
    );
  }, 120_000);
});
