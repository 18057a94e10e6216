/**
 * Scale-out on paper (issue #17, target 5): from one node's drain over many recipients, the
 * throughput of 1, 3 and 10 nodes on separate machines sharing one PostgreSQL primary. Three
 * nodes on the bench's two cores cannot show the gain (they share the cores with PostgreSQL
 * and the receiver), so the projection is derived from CPU per delivery, which the drain
 * measures on either side:
 *
 *   nodeCap      = NODE_CORES / nodeCpuPerDelivery                  (one node's ceiling)
 *   postgresCap(k) = (PRIMARY_CORES × HEADROOM − k × idlePostgresCpuPerNode) / pgCpuPerDelivery
 *   throughput(k)  = min(k × nodeCap, postgresCap(k))
 *
 * Assumptions (stated in the results note and bench/README.md): a node is one Node.js
 * process, so it has about one core however large its machine; PostgreSQL's CPU per delivery
 * stays what it was with one node, and its work spreads over the primary's cores (different
 * recipients touch different rows and index pages; a lane's acks commit with
 * synchronous_commit off, so no delivery waits for a WAL flush, and the WAL writer's flushes
 * are shared by everything committed meanwhile); HEADROOM keeps the rest of the primary for
 * ingest, autovacuum, checkpoints and the WAL writer; each node adds a fixed load of its own
 * (heartbeats, lease claims, sweeps), measured while it idles.
 */

/** The measured side of the projection: one node draining many recipients. */
export interface ScaleOutMeasure {
  /** Deliveries per second of the drain. */
  rate: number;
  /** Cores the node used during the drain. */
  nodeCpu: number;
  /** Cores the PostgreSQL server used during the drain (backends and background processes). */
  postgresCpu: number;
  /** Cores the PostgreSQL server used while the node was up with nothing to deliver. */
  idlePostgresCpu: number;
}

export interface ScaleOutAssumptions {
  /** Cores of the shared primary. */
  primaryCores: number;
  /** Share of the primary the drain may use; the rest is for ingest and upkeep. */
  headroom: number;
  /** Cores one node can use: one Node.js process, one event loop. */
  nodeCores: number;
  nodes: number[];
}

export const SCALE_OUT_ASSUMPTIONS: ScaleOutAssumptions = {
  primaryCores: 16,
  headroom: 0.7,
  nodeCores: 1,
  nodes: [1, 3, 10],
};

export interface ScaleOutPoint {
  nodes: number;
  /** Projected deliveries per second. */
  throughput: number;
  /** What caps it: the nodes' CPU or the primary's. */
  bound: 'nodes' | 'postgres';
  /** Share of the primary's cores the drain would use. */
  primaryCoresUsed: number;
}

export interface ScaleOutProjection {
  assumptions: ScaleOutAssumptions;
  /** CPU microseconds per delivery, node and PostgreSQL. */
  nodeCpuUsPerDelivery: number;
  postgresCpuUsPerDelivery: number;
  idlePostgresCpuPerNode: number;
  /** One node's ceiling, deliveries/s. */
  nodeCap: number;
  /** Nodes the primary can feed before it, not the nodes, is the limit. */
  nodesUntilPostgresBound: number;
  points: ScaleOutPoint[];
}

export function projectScaleOut(
  m: ScaleOutMeasure,
  a: ScaleOutAssumptions = SCALE_OUT_ASSUMPTIONS,
): ScaleOutProjection {
  const nodePerDelivery = m.nodeCpu / m.rate;
  const postgresPerDelivery = m.postgresCpu / m.rate;
  const idle = Number.isFinite(m.idlePostgresCpu) ? Math.max(0, m.idlePostgresCpu) : 0;
  const nodeCap = a.nodeCores / nodePerDelivery;
  const budget = a.primaryCores * a.headroom;
  const postgresCap = (k: number) => Math.max(0, budget - k * idle) / postgresPerDelivery;
  const points = a.nodes.map((k): ScaleOutPoint => {
    const byNodes = k * nodeCap;
    const byPostgres = postgresCap(k);
    const throughput = Math.min(byNodes, byPostgres);
    return {
      nodes: k,
      throughput,
      bound: byNodes <= byPostgres ? 'nodes' : 'postgres',
      primaryCoresUsed: throughput * postgresPerDelivery + k * idle,
    };
  });
  // k × nodeCap = (budget − k × idle) / pgPerDelivery, solved for k.
  const nodesUntilPostgresBound = budget / (nodeCap * postgresPerDelivery + idle);
  return {
    assumptions: a,
    nodeCpuUsPerDelivery: nodePerDelivery * 1e6,
    postgresCpuUsPerDelivery: postgresPerDelivery * 1e6,
    idlePostgresCpuPerNode: idle,
    nodeCap,
    nodesUntilPostgresBound,
    points,
  };
}

function perSecond(n: number): string {
  return `${Math.round(n).toLocaleString('en-US')}/s`;
}

/** The projection as a results note: figures, derivation, and where it stops holding. */
export function scaleOutNote(p: ScaleOutProjection, concurrency: number): string {
  const a = p.assumptions;
  const points = p.points
    .map(
      (x) =>
        `${x.nodes} node${x.nodes > 1 ? 's' : ''}: ${perSecond(x.throughput)} (${x.bound === 'nodes' ? "bound by the nodes' CPU" : "bound by the primary's CPU"}; ${x.primaryCoresUsed.toFixed(1)} of its ${a.primaryCores} cores)`,
    )
    .join('; ');
  return [
    `Scale-out on paper, from this drain: a delivery cost the node ${p.nodeCpuUsPerDelivery.toFixed(0)} µs of CPU and PostgreSQL ${p.postgresCpuUsPerDelivery.toFixed(0)} µs; an idle node costs PostgreSQL ${p.idlePostgresCpuPerNode.toFixed(3)} cores (heartbeats, sweeps).`,
    `Projected for nodes on separate machines sharing one ${a.primaryCores}-core primary: ${points}.`,
    `Derivation: throughput(k) = min(k × ${a.nodeCores} core / node CPU per delivery, (${a.primaryCores} cores × ${a.headroom} headroom − k × idle PostgreSQL CPU per node) / PostgreSQL CPU per delivery); one node's ceiling is ${perSecond(p.nodeCap)}, and the primary becomes the limit from about ${p.nodesUntilPostgresBound.toFixed(1)} nodes.`,
    `Assumed: a node is one Node.js process (~1 core, whatever its machine has); PostgreSQL's CPU per delivery stays as measured with one node and spreads over the primary's cores (each recipient's rows are its own; acks commit with synchronous_commit off, so no delivery waits for a WAL flush); ${Math.round((1 - a.headroom) * 100)}% of the primary is kept for ingest, autovacuum, checkpoints and the WAL writer; the recipients answer fast enough that CPU, not the ${concurrency} requests in flight per node, is the limit.`,
    `Where it stops holding: receivers slower than about ${((concurrency / p.nodeCap) * 1000).toFixed(0)} ms per request (then a node is bound by its ${concurrency} requests in flight, ${concurrency} / latency per second, not by CPU); fewer busy recipients than nodes × ${concurrency} (a lane sends one request at a time); each node opens up to 23 connections (pools of 10 + 10 + 2 and its LISTEN connection), so 10 nodes need max_connections ≥ 230 or a pooler; PostgreSQL's CPU per delivery grows with contention (lane leases, the lanes table, WAL insertion locks, NOTIFY to every node on each acceptance), as pg-nodes shows on this machine; and ingest on the same primary (synchronous commits, one WAL flush per group) takes from the headroom.`,
  ].join(' ');
}
