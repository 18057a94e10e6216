/**
 * Load generators (run in the load child process, see load-process.ts):
 * - `sequentialLoop`: the physical limit of one ordered lane — one keep-alive connection,
 *   the next POST only after the previous answer;
 * - `concurrentLoad`: N keep-alive connections, each posting as fast as it is answered.
 */
import { Client, Pool } from 'undici';
import { newEventUid } from '../src/ids.js';
import { formBody } from './events.js';
import { monoMs, summary } from './util.js';

export interface LoopResult {
  requests: number;
  seconds: number;
  perSecond: number;
  non200: number;
  /** CPU time of the load process over the measured part, as a share of one core. */
  loadCpu: number;
}

/** `warmup` then `n` sequential POSTs of the bench's form body to `url`. */
export async function sequentialLoop(url: string, n: number, warmup: number): Promise<LoopResult> {
  const target = new URL(url);
  const client = new Client(target.origin, { keepAliveTimeout: 60_000, pipelining: 1 });
  const path = `${target.pathname}${target.search}`;
  const bodies = Array.from({ length: warmup + n }, (_, i) => formBody(i));
  let non200 = 0;
  const post = async (i: number) => {
    const response = await client.request({
      path,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'Outbound-bench/0.1',
        'webhook-id': newEventUid(),
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      },
      body: bodies[i] as string,
    });
    await response.body.dump();
    if (response.statusCode !== 200) non200++;
  };
  try {
    for (let i = 0; i < warmup; i++) await post(i);
    const cpu0 = process.cpuUsage();
    const t0 = monoMs();
    for (let i = warmup; i < warmup + n; i++) await post(i);
    const seconds = (monoMs() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return {
      requests: n,
      seconds,
      perSecond: n / seconds,
      non200,
      loadCpu: (cpu.user + cpu.system) / 1e6 / seconds,
    };
  } finally {
    await client.close();
  }
}

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  /** Request bodies, used in turn. */
  bodies: string[];
  eventsPerRequest: number;
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** The status that counts as success. */
  expectStatus: number;
}

export interface LoadResult {
  requests: number;
  events: number;
  seconds: number;
  requestsPerSecond: number;
  eventsPerSecond: number;
  /** Answers other than `expectStatus` in the measured window, by status (or error code). */
  failures: Record<string, number>;
  firstFailure: string | null;
  /** Request latency in the measured window, ms. */
  latencyMs: ReturnType<typeof summary>;
  loadCpu: number;
}

/**
 * `connections` loops, each with its own keep-alive connection of one pool, posting for
 * `warmupMs` + `durationMs`; only the answers that arrive within the last `durationMs` count.
 */
export async function concurrentLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const path = `${target.pathname}${target.search}`;
  const pool = new Pool(target.origin, {
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
  });
  let measuring = false;
  let stop = false;
  let ok = 0;
  const failures: Record<string, number> = {};
  let firstFailure: string | null = null;
  const latencies: number[] = [];
  let next = 0;

  const worker = async () => {
    while (!stop) {
      const body = options.bodies[next++ % options.bodies.length] as string;
      const t0 = monoMs();
      let status: string;
      let text = '';
      try {
        const response = await pool.request({
          path,
          method: 'POST',
          headers: options.headers,
          body,
        });
        status = String(response.statusCode);
        if (response.statusCode === options.expectStatus) await response.body.dump();
        else text = await response.body.text();
      } catch (error) {
        status = (error as { code?: string }).code ?? 'error';
        text = String(error);
      }
      if (!measuring) continue;
      if (status === String(options.expectStatus)) {
        ok++;
        latencies.push(monoMs() - t0);
      } else {
        failures[status] = (failures[status] ?? 0) + 1;
        firstFailure ??= `${status} ${text.slice(0, 300)}`;
      }
    }
  };

  const workers = Array.from({ length: options.connections }, worker);
  await new Promise((resolve) => setTimeout(resolve, options.warmupMs));
  measuring = true;
  const cpu0 = process.cpuUsage();
  const t0 = monoMs();
  await new Promise((resolve) => setTimeout(resolve, options.durationMs));
  measuring = false;
  const seconds = (monoMs() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  stop = true;
  await Promise.all(workers);
  await pool.close();
  return {
    requests: ok,
    events: ok * options.eventsPerRequest,
    seconds,
    requestsPerSecond: ok / seconds,
    eventsPerSecond: (ok * options.eventsPerRequest) / seconds,
    failures,
    firstFailure,
    latencyMs: summary(latencies),
    loadCpu: (cpu.user + cpu.system) / 1e6 / seconds,
  };
}
