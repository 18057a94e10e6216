/**
 * Ordering under random operations, in process: events are posted while recipients go down and
 * come back, answer 500 for a while, and the service is restarted (gracefully) on its data.
 *
 * Property (contract §3): per recipient, the distinct events in first-delivery order are
 * exactly the acknowledged events in acceptance order — nothing lost, nothing reordered — and
 * a repeat is only the event delivered just before it.
 *
 * Seeded: OUTBOUND_PROPERTY_SEED=<n> repeats a run; on failure fast-check prints the seed and
 * the shrunk counterexample (pass both back through `seed` and `path` to replay it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { TestReceiver } from '../support/receiver.js';
import { startService, type TestService } from '../support/service.js';
import { sleep, waitUntil } from '../support/wait.js';

const SEED = Number(process.env.OUTBOUND_PROPERTY_SEED ?? 424_242);
const NUM_RUNS = 25;

type Command =
  | { kind: 'post'; count: number; bulk: boolean }
  | { kind: 'down' | 'up' | 'fail' | 'heal'; r: number }
  | { kind: 'restart' }
  | { kind: 'wait'; ms: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('post' as const),
      count: fc.integer({ min: 1, max: 8 }),
      bulk: fc.boolean(),
    }),
    weight: 5,
  },
  ...(['down', 'up', 'fail', 'heal'] as const).map((kind) => ({
    arbitrary: fc.record({ kind: fc.constant(kind), r: fc.nat(2) }),
    weight: 2,
  })),
  { arbitrary: fc.constant({ kind: 'restart' as const }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.integer({ min: 0, max: 60 }),
    }),
    weight: 2,
  },
);

const scenario = fc.record({
  recipients: fc.integer({ min: 1, max: 3 }),
  commands: fc.array(command, { minLength: 4, maxLength: 24, size: 'max' }),
});

const SERVICE: Partial<Config> = { sweepIntervalMs: 50, shutdownTimeoutMs: 1000 };

const lsidOf = (body: string): string => new URLSearchParams(body).get('lsid') ?? '';

let runs = 0;
/** What the runs exercised, printed at the end. */
const totals = { events: 0, failedAttempts: 0, restarts: 0, outages: 0, repeats: 0 };

async function runScenario({
  recipients,
  commands,
}: {
  recipients: number;
  commands: Command[];
}): Promise<void> {
  const run = runs++;
  const dir = mkdtempSync(join(tmpdir(), 'outbound-order-'));
  const receivers: TestReceiver[] = [];
  const up: boolean[] = [];
  let service: TestService | undefined;
  try {
    for (let i = 0; i < recipients; i++) {
      receivers.push(await TestReceiver.start());
      up.push(true);
    }
    service = await startService(SERVICE, dir);
    for (const [i, receiver] of receivers.entries()) {
      const created = await service.api('POST', '/api/v1/recipients', {
        name: `r${i}`,
        url: receiver.url,
        retryIntervalSeconds: 0.01,
        retryMaxIntervalSeconds: 0.04,
        retryDurationSeconds: 0,
        timeoutSeconds: 2,
      });
      expect(created.status).toBe(201);
    }

    const acked: string[] = [];
    let next = 0;
    for (const c of commands) {
      const r = 'r' in c ? c.r % recipients : 0;
      const receiver = receivers[r] as TestReceiver;
      switch (c.kind) {
        case 'post': {
          const lsids = Array.from({ length: c.count }, () => `p${run}-${next++}`);
          const events = lsids.map((lsid, k) => ({
            event: k % 2 === 0 ? 'support_conference_begin' : 'support_conference_end',
            lsid,
          }));
          const requests = c.bulk ? [events] : events;
          let posted = 0;
          for (const body of requests) {
            const response = await service.api('POST', '/api/v1/events', body);
            expect(response.status, JSON.stringify(response.body)).toBe(202);
            const count = Array.isArray(body) ? body.length : 1;
            acked.push(...lsids.slice(posted, posted + count));
            posted += count;
          }
          break;
        }
        case 'down':
          if (up[r]) totals.outages++;
          if (up[r]) await receiver.down();
          up[r] = false;
          break;
        case 'up':
          if (!up[r]) await receiver.up();
          up[r] = true;
          break;
        case 'fail':
          receiver.mode = { kind: 'status', status: 500 };
          break;
        case 'heal':
          receiver.mode = { kind: 'ok' };
          break;
        case 'restart':
          await service.stop();
          service = undefined;
          totals.restarts++;
          service = await startService(SERVICE, dir);
          break;
        case 'wait':
          await sleep(c.ms);
          break;
      }
    }

    // Everyone up and healthy: every acknowledged event must arrive everywhere.
    for (const [i, receiver] of receivers.entries()) {
      receiver.mode = { kind: 'ok' };
      if (!up[i]) await receiver.up();
      up[i] = true;
    }
    const firstDeliveries = (receiver: TestReceiver) => [...new Set(receiver.accepted.map(lsidOf))];
    await waitUntil(
      () => receivers.every((receiver) => firstDeliveries(receiver).length >= acked.length),
      'every acknowledged event at every recipient',
      10_000,
      10,
    ).catch(() => undefined); // the checks below say what is missing

    for (const [i, receiver] of receivers.entries()) {
      expect(firstDeliveries(receiver), `r${i}: first deliveries`).toEqual(acked);
      const bodies = receiver.accepted;
      for (let k = 1; k < bodies.length; k++) {
        const lsid = lsidOf(bodies[k] as string);
        if (bodies.indexOf(bodies[k] as string) < k) {
          expect(bodies[k], `r${i}: ${lsid} repeated, not right after itself`).toBe(bodies[k - 1]);
          totals.repeats++;
        }
      }
    }
    totals.events += acked.length;
    for (const receiver of receivers)
      totals.failedAttempts += receiver.requests.length - receiver.accepted.length;
  } finally {
    await service?.stop();
    await Promise.all(receivers.map((receiver) => receiver.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('delivery order under outages, failures and restarts (property)', () => {
  it('per recipient, first deliveries are exactly the acknowledged events in order', async () => {
    await fc.assert(fc.asyncProperty(scenario, runScenario), {
      seed: SEED,
      numRuns: NUM_RUNS,
    });
    console.info(`ordering property (seed ${SEED}, ${NUM_RUNS} runs): ${JSON.stringify(totals)}`);
  }, 180_000);
});
