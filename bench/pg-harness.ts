/**
 * Setting up Outbound on PostgreSQL for the `pg-*` scenarios (a fresh database per scenario,
 * see postgres.ts), the drain workload shared with the job-queue baselines, and the HTTP client
 * the baselines deliver with.
 */
import pg from 'pg';
import { Agent } from 'undici';
import { newEventUid } from '../src/ids.js';
import { openStore } from '../src/store/open.js';
import { formBody } from './events.js';
import type { Prepared } from './harness.js';
import { type RecipientSetup, setUpStore, storeBacklog } from './store-setup.js';
import { makeTempDir } from './util.js';

/**
 * A drain workload: `events` events (lsid 0…events-1), each delivered to every one of
 * `recipients` recipients, recipient k at `${base}/r/${k}` — `events × recipients` deliveries,
 * in event order per recipient. Outbound stores each event once and fans it out; the
 * job-queue baselines store one job per delivery, queued event by event.
 */
export interface Workload {
  base: string;
  recipients: number;
  events: number;
}

export function recipientUrl(base: string, k: number): string {
  return `${base}/r/${k}`;
}

/** The deliveries of a workload in the order they are queued: event by event. */
export function* deliveries(
  workload: Workload,
  limit = Number.POSITIVE_INFINITY,
): Generator<{ k: number; i: number; url: string; body: string }> {
  let produced = 0;
  for (let i = 0; i < workload.events; i++) {
    const body = formBody(i);
    for (let k = 0; k < workload.recipients; k++) {
      if (produced++ >= limit) return;
      yield { k, i, url: recipientUrl(workload.base, k), body };
    }
  }
}

/**
 * A fresh Outbound store on `databaseUrl` (migrated) with an API token and the recipients
 * (events: all, retry interval 1 s, at most 5 s).
 */
export async function preparePostgresStore(
  databaseUrl: string,
  recipients: RecipientSetup[],
): Promise<Prepared> {
  const dataDir = makeTempDir('outbound-bench-');
  const store = openStore(databaseUrl);
  try {
    return { dataDir, dbPath: '', ...(await setUpStore(store, recipients)), databaseUrl };
  } finally {
    await store.close();
  }
}

/**
 * Stores `n` events straight into the Outbound store on `databaseUrl`, each queued for every
 * enabled recipient, in durable transactions of at most `maxDeliveries` deliveries.
 */
export function insertPostgresBacklog(
  databaseUrl: string,
  n: number,
  recipients: number,
  maxDeliveries = 20_000,
): Promise<number> {
  const batch = Math.max(1, Math.floor(maxDeliveries / Math.max(1, recipients)));
  return storeBacklog(openStore(databaseUrl), n, batch);
}

/**
 * Resumes every paused recipient of the Outbound store at `databaseUrl` in one statement, as
 * `outbound recipient resume` does one at a time (a running serve picks the change up with its
 * next sweep, within OUTBOUND_SWEEP_INTERVAL_MS). Through the API, each resume also refreshes
 * the lane on the node that answers; 1,000 of them took ~30 s on PostgreSQL, which would turn a
 * drain over many recipients into a measure of the resume calls.
 */
export async function resumeAllInDatabase(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query(
      'UPDATE recipients SET paused = false, updated_at = updated_at + 1 WHERE paused',
    );
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

/**
 * How the job-queue baselines deliver: keep-alive undici (the client Outbound uses), the same
 * form body, headers like Outbound's, and anything but 200 is a failure (the job throws).
 */
export function makePoster(connections: number) {
  const agent = new Agent({ keepAliveTimeout: 60_000, connections, pipelining: 1 });
  return {
    async post(url: string, body: string, id: string): Promise<void> {
      const response = await agent.request({
        origin: new URL(url).origin,
        path: url.slice(url.indexOf('/', 8)),
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'Outbound-bench/0.1',
          'webhook-id': id || newEventUid(),
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        },
        body,
      });
      await response.body.dump();
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
    },
    close: () => agent.close(),
  };
}
