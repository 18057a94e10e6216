import type { LoadGenerator, Receiver, ServeOptions } from '../harness.js';

/** Sizes of one run: the full run, or `--quick`. */
export interface Sizes {
  /**
   * Ordered delivery: events queued for one recipient, and warm-up events before them. A fresh
   * `serve` spends its first thousands of deliveries compiling (V8's optimising tiers, on
   * background threads: 386 µs of CPU a delivery over a cold process's first 5,000, 120–160
   * once warm), so the warm-up is long enough to measure the steady state a running service
   * is in; likewise for the loop, ingest, and latency (sent back to back, without the gap).
   */
  orderedEvents: number;
  orderedWarmup: number;
  /** Sequential-loop baseline: requests measured, after a warm-up. */
  loopRequests: number;
  loopWarmup: number;
  /** Ingest: clients, warm-up and measured window. */
  ingestConnections: number;
  ingestWarmupMs: number;
  ingestDurationMs: number;
  bulkSize: number;
  /** Idle latency: events measured, after a warm-up (back to back); pause between two. */
  latencyEvents: number;
  latencyWarmup: number;
  latencyGapMs: number;
  /** Backlog: events queued while the recipient is down, per insert transaction. */
  backlogEvents: number;
  backlogBatch: number;
  /** PostgreSQL drains: events queued for one recipient (pg-one). */
  pgOneEvents: number;
  /** pg-many and pg-nodes: recipients, and events each of them gets. */
  pgManyRecipients: number;
  pgManyEvents: number;
  pgNodesEvents: number;
  /** pg-nodes: how long the receiver takes per request. */
  pgNodesDelayMs: number;
  /** pg-many: recipients of the pg-boss run (the 100). */
  pgBossRecipients: number;
  /** pg-boss is slow: its rate is measured over this window from its first delivery. */
  pgBossWindowMs: number;
}

export const FULL: Sizes = {
  orderedEvents: 20_000,
  orderedWarmup: 10_000,
  loopRequests: 20_000,
  loopWarmup: 5_000,
  ingestConnections: 64,
  ingestWarmupMs: 3_000,
  ingestDurationMs: 5_000,
  bulkSize: 100,
  latencyEvents: 1_000,
  latencyWarmup: 3_000,
  latencyGapMs: 10,
  backlogEvents: 1_000_000,
  backlogBatch: 1_000,
  pgOneEvents: 20_000,
  pgManyRecipients: 1_000,
  pgManyEvents: 20,
  pgNodesEvents: 30,
  pgNodesDelayMs: 5,
  pgBossRecipients: 100,
  pgBossWindowMs: 15_000,
};

export const QUICK: Sizes = {
  orderedEvents: 5_000,
  orderedWarmup: 5_000,
  loopRequests: 5_000,
  loopWarmup: 3_000,
  ingestConnections: 64,
  ingestWarmupMs: 2_000,
  ingestDurationMs: 2_000,
  bulkSize: 100,
  latencyEvents: 200,
  latencyWarmup: 2_000,
  latencyGapMs: 10,
  backlogEvents: 100_000,
  backlogBatch: 1_000,
  pgOneEvents: 4_000,
  pgManyRecipients: 1_000,
  pgManyEvents: 5,
  pgNodesEvents: 6,
  pgNodesDelayMs: 5,
  pgBossRecipients: 100,
  pgBossWindowMs: 5_000,
};

export interface Context {
  sizes: Sizes;
  quick: boolean;
  receiver: Receiver;
  load: LoadGenerator;
  /** How serve children run: CPU profile (`--profile`), compiled sources (`--compiled`). */
  serveOptions: ServeOptions;
}

/** One line of the results table. */
export interface Row {
  scenario: string;
  /** Unit of the two figures, e.g. "deliveries/s". */
  unit: string;
  outbound: number;
  baseline: number | null;
  baselineLabel: string | null;
  /** outbound / baseline, when both exist. */
  ratio: number | null;
  /** Human-readable target, e.g. "ratio ≥ 0.7". */
  target: string | null;
  pass: boolean | null;
  note?: string;
}

export interface ScenarioResult {
  name: string;
  title: string;
  rows: Row[];
  /** Every figure measured, for results.json. */
  details: Record<string, unknown>;
  /** Notes for results.md (conditions, checks). */
  notes: string[];
  /** The measured parts, on the monotonic clock (ms): what a CPU profile is summarized over. */
  windows?: { label: string; fromMs: number; toMs: number }[];
}

export type Scenario = (ctx: Context) => Promise<ScenarioResult>;
