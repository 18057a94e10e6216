/**
 * The SQLite drivers the bench measures: each that loads on the Node running it (serve children
 * run on the same Node). On Node 20 that is better-sqlite3 only; on Node 24/26 node:sqlite, and
 * better-sqlite3 too when its addon is built for that Node — node_modules' own, or one named by
 * `--better-sqlite3-addon PATH` (env OUTBOUND_BETTER_SQLITE3_ADDON); see bench/README.md.
 */
import {
  loadSqliteDriver,
  type SqliteDriverName,
  useBetterSqlite3Addon,
} from '../src/sqlite/index.js';
import type { ScenarioResult } from './scenarios/types.js';
import { fmt } from './util.js';

export interface BenchDriver {
  name: SqliteDriverName;
  /** e.g. `node:sqlite (Node 24.21.0, SQLite 3.50.4)`. */
  description: string;
  /** What the serve child gets to use it. */
  env: Record<string, string>;
}

/** The SQLite scenarios: each runs once per driver. */
export const SQLITE_SCENARIOS = ['ordered', 'ingest', 'latency', 'backlog'];

export function benchDrivers(addon: string | undefined): {
  drivers: BenchDriver[];
  missing: string[];
} {
  useBetterSqlite3Addon(addon);
  const drivers: BenchDriver[] = [];
  const missing: string[] = [];
  for (const name of ['node', 'better-sqlite3'] as const) {
    try {
      const driver = loadSqliteDriver(name);
      const env: Record<string, string> = { OUTBOUND_SQLITE_DRIVER: name };
      if (name === 'better-sqlite3' && addon !== undefined) {
        env.OUTBOUND_BETTER_SQLITE3_ADDON = addon;
      }
      drivers.push({ name, description: driver.description, env });
    } catch (error) {
      missing.push(`${name}: ${(error as Error).message}`);
    }
  }
  return { drivers, missing };
}

/** A scenario's result marked with the driver it ran on (names, rows, notes). */
export function onDriver(result: ScenarioResult, driver: BenchDriver): ScenarioResult {
  const label = driver.name === 'node' ? 'node:sqlite' : 'better-sqlite3';
  return {
    ...result,
    name: `${result.name} [${label}]`,
    title: `${result.title} [${label}]`,
    rows: result.rows.map((row) => ({ ...row, scenario: `${row.scenario} [${label}]` })),
    details: { ...result.details, sqliteDriver: driver.description },
    notes: result.notes.map((note) => `[${label}] ${note}`),
  };
}

type Figures = Record<string, { value: number; unit: string; cpuUs?: number }>;

/** The figures compared side by side, with serve's CPU per operation where measured. */
function figuresOf(result: ScenarioResult): Figures {
  const d = result.details as Record<string, any>;
  const perOp = (share: number, rate: number) => (share * 1e6) / rate;
  const name = result.name.replace(/ \[.*$/, '');
  if (name === 'ordered' || name === 'backlog') {
    const o = d.outbound;
    return {
      [`${name}: deliveries/s`]: {
        value: o.deliveriesPerSecond,
        unit: '/s',
        cpuUs: perOp(o.serveCpuShareOfOneCore, o.deliveriesPerSecond),
      },
      ...(name === 'backlog'
        ? { 'backlog: events stored/s (setup)': { value: d.insert.eventsPerSecond, unit: '/s' } }
        : {}),
    };
  }
  if (name === 'ingest') {
    const { single, bulk } = d.outbound;
    return {
      'ingest single: events/s': {
        value: single.eventsPerSecond,
        unit: '/s',
        cpuUs: perOp(single.serverCpuShareOfOneCore, single.eventsPerSecond),
      },
      'ingest bulk: events/s': {
        value: bulk.eventsPerSecond,
        unit: '/s',
        cpuUs: perOp(bulk.serverCpuShareOfOneCore, bulk.eventsPerSecond),
      },
    };
  }
  if (name === 'latency') {
    return {
      'latency: accept → received p50': { value: d.acceptToReceivedMs.p50, unit: 'ms' },
      'latency: accept → 202 p50': { value: d.acceptTo202Ms.p50, unit: 'ms' },
    };
  }
  return {};
}

/**
 * The closing note: each SQLite figure per driver, side by side, with serve's CPU per
 * operation (µs), which drifts far less than wall-clock rates on a shared machine.
 */
export function driverComparison(results: ScenarioResult[], drivers: BenchDriver[]): string[] {
  if (drivers.length === 0) return [];
  const labels = drivers.map((d) => (d.name === 'node' ? 'node:sqlite' : 'better-sqlite3'));
  const table = new Map<string, (Figures[string] | undefined)[]>();
  results.forEach((result) => {
    const at = labels.findIndex((label) => result.name.endsWith(`[${label}]`));
    if (at < 0) return;
    for (const [key, figure] of Object.entries(figuresOf(result))) {
      const row = table.get(key) ?? labels.map(() => undefined);
      row[at] = figure;
      table.set(key, row);
    }
  });
  if (table.size === 0) return [];
  const cell = (f: Figures[string] | undefined) =>
    f === undefined
      ? '—'
      : `${f.unit === 'ms' ? f.value.toFixed(2) : fmt(f.value)} ${f.unit}${f.cpuUs === undefined ? '' : ` · ${Math.round(f.cpuUs)} µs CPU/op`}`;
  return [
    '## SQLite drivers side by side',
    '',
    `Same run, same machine, one after the other: ${drivers.map((d) => d.description).join('; ')}. CPU/op is serve's CPU time per event or delivery over the measured window.`,
    '',
    `| Figure | ${labels.join(' | ')} |`,
    `|---|${labels.map(() => '---:').join('|')}|`,
    ...[...table].map(([key, row]) => `| ${key} | ${row.map(cell).join(' | ')} |`),
    '',
  ];
}
