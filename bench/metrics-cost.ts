/**
 * What the delivery metrics cost per delivery: our hand-written registry (src/metrics/) against
 * prom-client, doing what a lane does for each HTTP 200 (lane.ts): one labelled counter
 * increment and two labelled histogram observations (request duration, delivery latency).
 *
 *   node --import tsx bench/metrics-cost.ts [--rounds 7] [--n 1000000]
 *
 * Each variant runs in rounds, alternating, so that a noisy neighbour hits them alike; the
 * median round is reported in ns per delivery. 100 recipients, as label values, so that the
 * series maps are not trivially one entry.
 */
import client from 'prom-client';
import { DeliveryMetrics } from '../src/metrics/delivery-metrics.js';

const argValue = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const ROUNDS = argValue('rounds', 7);
const N = argValue('n', 1_000_000);
const RECIPIENTS = 100;
const BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600,
];

type Variant = { name: string; perDelivery: (i: number) => void; check: () => number };

/** Ours, as the lane calls it: label objects built once per lane (lane.ts metricLabels). */
function ours(): Variant {
  const metrics = new DeliveryMetrics();
  const lanes = Array.from({ length: RECIPIENTS }, (_, id) => ({
    labels: { recipient: id },
    delivered: { recipient: id, outcome: 'delivered' },
  }));
  return {
    name: 'ours (src/metrics/registry.ts)',
    perDelivery: (i) => {
      const lane = lanes[i % RECIPIENTS] as (typeof lanes)[number];
      metrics.requestDuration.observe(lane.labels, 0.003);
      metrics.attempts.inc(lane.delivered);
      metrics.deliveryLatency.observe(lane.labels, 0.012);
    },
    check: () => metrics.attempts.value(lanes[0]?.delivered),
  };
}

function promMetrics() {
  const registry = new client.Registry();
  return {
    registry,
    attempts: new client.Counter({
      name: 'outbound_attempts_total',
      help: 'x',
      labelNames: ['recipient', 'outcome'],
      registers: [registry],
    }),
    requestDuration: new client.Histogram({
      name: 'outbound_request_duration_seconds',
      help: 'x',
      labelNames: ['recipient'],
      buckets: BUCKETS,
      registers: [registry],
    }),
    deliveryLatency: new client.Histogram({
      name: 'outbound_delivery_latency_seconds',
      help: 'x',
      labelNames: ['recipient'],
      buckets: BUCKETS,
      registers: [registry],
    }),
  };
}

/** prom-client called with label objects (built once per lane, as ours). */
function promLabels(): Variant {
  const m = promMetrics();
  const lanes = Array.from({ length: RECIPIENTS }, (_, id) => ({
    labels: { recipient: id },
    delivered: { recipient: id, outcome: 'delivered' },
  }));
  return {
    name: 'prom-client, label objects',
    perDelivery: (i) => {
      const lane = lanes[i % RECIPIENTS] as (typeof lanes)[number];
      m.requestDuration.observe(lane.labels, 0.003);
      m.attempts.inc(lane.delivered);
      m.deliveryLatency.observe(lane.labels, 0.012);
    },
    check: () => RECIPIENTS,
  };
}

/** prom-client's fastest use: each lane keeps its bound children (`.labels(...)`). */
function promChildren(): Variant {
  const m = promMetrics();
  const lanes = Array.from({ length: RECIPIENTS }, (_, id) => ({
    request: m.requestDuration.labels({ recipient: id }),
    delivered: m.attempts.labels({ recipient: id, outcome: 'delivered' }),
    latency: m.deliveryLatency.labels({ recipient: id }),
  }));
  return {
    name: 'prom-client, bound children',
    perDelivery: (i) => {
      const lane = lanes[i % RECIPIENTS] as (typeof lanes)[number];
      lane.request.observe(0.003);
      lane.delivered.inc();
      lane.latency.observe(0.012);
    },
    check: () => RECIPIENTS,
  };
}

function round(variant: Variant): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) variant.perDelivery(i);
  return Number(process.hrtime.bigint() - start) / N;
}

const variants = [ours(), promLabels(), promChildren()];
for (const v of variants) for (let i = 0; i < 200_000; i++) v.perDelivery(i); // warm-up
const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
for (let r = 0; r < ROUNDS; r++) {
  // Alternate the order each round.
  const order = r % 2 === 0 ? variants : [...variants].reverse();
  for (const v of order) samples.get(v.name)?.push(round(v));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
console.log(
  `Node ${process.version}, ${N.toLocaleString('en')} deliveries × ${ROUNDS} rounds, ${RECIPIENTS} recipients`,
);
console.log('| registry | ns per delivery (median) | min | max |');
console.log('|---|---:|---:|---:|');
for (const v of variants) {
  const xs = samples.get(v.name) ?? [];
  console.log(
    `| ${v.name} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${Math.max(...xs).toFixed(0)} |`,
  );
  if (v.check() <= 0) throw new Error(`${v.name} counted nothing`);
}
