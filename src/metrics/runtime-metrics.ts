import client from 'prom-client';

/*
 * The process's own health on /metrics, beside ours: resident memory, heap (and each heap
 * space), event-loop lag, GC durations, open handles and file descriptors, CPU — prom-client's
 * default metrics (`process_*`, `nodejs_*`), the maintained set dashboards expect.
 *
 * Our delivery metrics stay on the hand-written registry (registry.ts): per delivery, a lane
 * increments a labelled counter and observes two labelled histograms, and that costs about
 * 0.5 µs there against 3–5 µs with prom-client, label objects or bound children alike
 * (bench/metrics-cost.ts, Node 20). Ten times the cost on the hot path for the same text.
 */

let shared: client.Registry | undefined;

/**
 * The one registry of runtime metrics in this process, collecting from the first call on.
 * Shared: prom-client's collectors (GC observer, event-loop monitor) cannot be stopped, so
 * several services in one process (the tests) use one set.
 */
export function runtimeMetrics(): client.Registry {
  if (shared === undefined) {
    shared = new client.Registry();
    client.collectDefaultMetrics({ register: shared });
  }
  return shared;
}

/**
 * The runtime metrics in the text format, without prom-client's blank separator lines and
 * without samples it writes as `Nan` (not a number the format knows: the event-loop lag
 * between two scrapes less than its 10 ms resolution apart has no measurement).
 */
export async function renderRuntimeMetrics(): Promise<string> {
  const text = await runtimeMetrics().metrics();
  const lines = text.split('\n').filter((line) => line !== '' && !/ Nan$/i.test(line));
  return `${lines.join('\n')}\n`;
}
