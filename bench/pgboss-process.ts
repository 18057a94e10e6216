/**
 * The pg-boss baseline, in its own process: one queue with the `key_strict_fifo` policy (a
 * key's next job waits until the previous one completed; a failed job blocks its key, as
 * Outbound's lanes do), a job per delivery with `singletonKey` = the recipient, and a batch
 * worker that POSTs each job's form body with undici (the jobs of a batch have different keys,
 * so they are posted concurrently) and fails the batch unless every answer is 200. Driven over
 * IPC by the bench:
 *
 * - `{ type: 'prepare', url, workload, limit }` creates pg-boss's schema and the queue and
 *   inserts the first `limit` deliveries of the workload (`insert()`, 5,000 per call);
 * - `{ type: 'start', batchSize, pollingIntervalSeconds, localConcurrency, burst }` starts
 *   the worker (`work()`);
 * - `{ type: 'stop' }` stops pg-boss and answers with the counts of jobs that succeeded and
 *   failed.
 *
 * `insert()` gives every job of a call the same `created_on`, and pg-boss's default ids are
 * random UUIDs, so jobs of one key inserted together would be fetched in random order
 * (key_strict_fifo orders a key by created_on, then id). The bench passes ids that grow in
 * queueing order, which keeps each key in order.
 */
import { PgBoss } from 'pg-boss';
import { deliveries, makePoster, type Workload } from './pg-harness.js';
import { serveRequests } from './util.js';

const QUEUE = 'deliver';
let boss: PgBoss | undefined;
let poster: ReturnType<typeof makePoster> | undefined;
let succeeded = 0;
let failed = 0;
let firstError: string | null = null;

/** A UUID whose bytes grow with `n` (PostgreSQL compares uuids bytewise). */
function orderedId(n: number): string {
  const hex = n.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function open(url: string, max: number): Promise<PgBoss> {
  const created = new PgBoss({ connectionString: url, max, schedule: false });
  created.on('error', (error) => {
    firstError ??= String(error);
    process.stderr.write(`[pg-boss] ${String(error)}\n`);
  });
  await created.start();
  return created;
}

async function prepare(
  url: string,
  workload: Workload,
  limit: number,
): Promise<{ jobs: number; seconds: number }> {
  const t0 = performance.now();
  const b = await open(url, 4);
  let jobs = 0;
  try {
    await b.createQueue(QUEUE, { policy: 'key_strict_fifo' });
    let chunk: { id: string; singletonKey: string; data: { url: string; body: string } }[] = [];
    const flush = async () => {
      if (chunk.length === 0) return;
      await b.insert(QUEUE, chunk);
      jobs += chunk.length;
      chunk = [];
    };
    for (const d of deliveries(workload, limit)) {
      chunk.push({
        id: orderedId(jobs + chunk.length + 1),
        singletonKey: `r${d.k}`,
        data: { url: d.url, body: d.body },
      });
      if (chunk.length >= 5000) await flush();
    }
    await flush();
  } finally {
    await b.stop({ graceful: false });
  }
  return { jobs, seconds: (performance.now() - t0) / 1000 };
}

serveRequests(async (message) => {
  switch (message.type) {
    case 'prepare':
      return prepare(String(message.url), message.workload as Workload, Number(message.limit));
    case 'start': {
      const batchSize = Number(message.batchSize);
      const localConcurrency = Number(message.localConcurrency);
      boss = await open(String(message.url), Number(message.max ?? 10));
      poster = makePoster(batchSize * localConcurrency);
      const post = poster.post;
      await boss.work<{ url: string; body: string }>(
        QUEUE,
        {
          batchSize,
          localConcurrency,
          pollingIntervalSeconds: Number(message.pollingIntervalSeconds),
          burstWhenBatchFull: message.burst === true,
        },
        async (jobs) => {
          try {
            await Promise.all(jobs.map((job) => post(job.data.url, job.data.body, job.id)));
            succeeded += jobs.length;
          } catch (error) {
            failed += jobs.length;
            firstError ??= String(error);
            throw error;
          }
        },
      );
      return { ok: true };
    }
    case 'stop': {
      await boss?.stop({ graceful: false });
      await poster?.close();
      boss = undefined;
      return { succeeded, failed, firstError };
    }
    default:
      throw new Error(`pgboss-process: unknown message ${JSON.stringify(message)}`);
  }
});

process.send?.({ type: 'ready' });
