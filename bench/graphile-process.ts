/**
 * The graphile-worker baseline, in its own process: a job per delivery, `queueName` = the
 * recipient (graphile-worker runs a named queue's jobs one at a time, in order while none
 * fails), and a task that POSTs the event's form body with undici and throws unless the answer
 * is 200. Driven over IPC by the bench:
 *
 * - `{ type: 'prepare', url, workload }` installs graphile-worker's schema in the database and
 *   queues the workload's deliveries (graphile_worker.add_jobs, 5,000 per call, event by event);
 * - `{ type: 'start', concurrency, pollInterval }` starts the worker (`run()`);
 * - `{ type: 'stop' }` stops it and answers with the counts of jobs that succeeded and failed.
 */
import { Logger, run, runMigrations } from 'graphile-worker';
import pg from 'pg';
import { deliveries, makePoster, type Workload } from './pg-harness.js';
import { serveRequests } from './util.js';

/** graphile-worker's console logger writes a line per job: keep errors only (serve is silent). */
const logger = new Logger(() => (level, message) => {
  if (level === 'error') process.stderr.write(`[graphile-worker] ${message}\n`);
});

let runner: Awaited<ReturnType<typeof run>> | undefined;
let poster: ReturnType<typeof makePoster> | undefined;
let succeeded = 0;
let failed = 0;
let firstError: string | null = null;

async function prepare(
  url: string,
  workload: Workload,
): Promise<{ jobs: number; seconds: number }> {
  const t0 = performance.now();
  await runMigrations({ connectionString: url, logger });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let jobs = 0;
  try {
    const chunk: { queue: string; payload: string }[] = [];
    const flush = async () => {
      if (chunk.length === 0) return;
      await client.query(
        `SELECT count(*) FROM graphile_worker.add_jobs(ARRAY(
           SELECT ROW('deliver', p, q, NULL, NULL, NULL, NULL, NULL)::graphile_worker.job_spec
           FROM unnest($1::text[], $2::json[]) WITH ORDINALITY AS t(q, p, n) ORDER BY n))`,
        [chunk.map((c) => c.queue), chunk.map((c) => c.payload)],
      );
      jobs += chunk.length;
      chunk.length = 0;
    };
    for (const d of deliveries(workload)) {
      chunk.push({ queue: `r${d.k}`, payload: JSON.stringify({ url: d.url, body: d.body }) });
      if (chunk.length >= 5000) await flush();
    }
    await flush();
  } finally {
    await client.end();
  }
  return { jobs, seconds: (performance.now() - t0) / 1000 };
}

serveRequests(async (message) => {
  switch (message.type) {
    case 'prepare':
      return prepare(String(message.url), message.workload as Workload);
    case 'start': {
      const concurrency = Number(message.concurrency);
      poster = makePoster(concurrency);
      const post = poster.post;
      runner = await run({
        connectionString: String(message.url),
        concurrency,
        pollInterval: Number(message.pollInterval),
        maxPoolSize: Number(message.maxPoolSize ?? 10),
        noHandleSignals: true,
        logger,
        taskList: {
          deliver: async (payload, helpers) => {
            const p = payload as { url: string; body: string };
            await post(p.url, p.body, String(helpers.job.id));
          },
        },
      });
      runner.events.on('job:success', () => {
        succeeded++;
      });
      runner.events.on('job:error', ({ error }) => {
        failed++;
        firstError ??= String(error);
      });
      return { ok: true };
    }
    case 'stop': {
      await runner?.stop();
      await poster?.close();
      runner = undefined;
      return { succeeded, failed, firstError };
    }
    default:
      throw new Error(`graphile-process: unknown message ${JSON.stringify(message)}`);
  }
});

process.send?.({ type: 'ready' });
