/**
 * `npm run bench [-- --quick] [-- --profile] [-- --node PATH] [-- --better-sqlite3-addon PATH] [-- SCENARIO...]`
 *
 * Scenarios: ordered, ingest, latency, backlog, and on PostgreSQL pg-ingest, pg-one, pg-many,
 * pg-nodes, then hung and reports (default: all, in that order; `pg` = the four PostgreSQL ones). Writes
 * bench/results.json and bench/results.md (a run of some scenarios: results-NAMES.*), prints
 * progress on stderr and the table on stdout.
 * `--profile` writes a V8 CPU profile of every serve child to bench/profiles/ and prints
 * where its time went.
 * The SQLite scenarios (ordered, ingest, latency, backlog) run once per SQLite driver that loads
 * on this Node (sqlite-drivers.ts), and the closing note puts their figures side by side.
 * `--node PATH` runs the whole bench under another Node (e.g. .node24/node_modules/.bin/node);
 * `--better-sqlite3-addon PATH` (or OUTBOUND_BETTER_SQLITE3_ADDON) gives better-sqlite3 an addon
 * built for that Node, so that both drivers run there (see bench/README.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  compileSources,
  ForeignCpuMonitor,
  fsyncProbe,
  LoadGenerator,
  Receiver,
} from './harness.js';
import { stopPostgres } from './postgres.js';
import { formatSummary, type ProfileSummary, summarizeProfile } from './profile-summary.js';
import { environment, markdownTable, writeResults } from './report.js';
import { backlog } from './scenarios/backlog.js';
import { hung } from './scenarios/hung.js';
import { ingest, pgIngest } from './scenarios/ingest.js';
import { latency } from './scenarios/latency.js';
import { ordered } from './scenarios/ordered.js';
import { pgMany, pgNodes, pgOne } from './scenarios/pg-drain.js';
import { reports } from './scenarios/reports.js';
import {
  type Context,
  FULL,
  QUICK,
  type Scenario,
  type ScenarioResult,
} from './scenarios/types.js';
import {
  type BenchDriver,
  benchDrivers,
  driverComparison,
  onDriver,
  SQLITE_SCENARIOS,
} from './sqlite-drivers.js';
import { BENCH_DIR, cleanupNow, installCleanup, log, ROOT_DIR, round } from './util.js';

const SCENARIOS: Record<string, Scenario> = {
  ordered,
  ingest,
  latency,
  backlog,
  'pg-ingest': pgIngest,
  'pg-one': pgOne,
  'pg-many': pgMany,
  'pg-nodes': pgNodes,
  hung,
  reports,
};
const ALIASES: Record<string, string> = {
  '1': 'ordered',
  '2': 'ingest',
  '3': 'latency',
  '4': 'backlog',
  '5': 'pg-ingest',
  '6': 'pg-one',
  '7': 'pg-many',
  '8': 'pg-nodes',
  '9': 'hung',
  '10': 'reports',
};

function usage(): never {
  process.stderr.write(
    `usage: npm run bench -- [--quick] [--profile] [--compiled] [--node PATH] [--better-sqlite3-addon PATH] [${Object.keys(SCENARIOS).join('|')}]...\n`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]) {
  let quick = false;
  let profile = false;
  let compiled = false;
  let node: string | undefined;
  let addon: string | undefined = process.env.OUTBOUND_BETTER_SQLITE3_ADDON || undefined;
  const selected: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--node' || arg === '--better-sqlite3-addon') {
      const value = argv[++i];
      if (value === undefined) usage();
      if (arg === '--node') node = value;
      else addon = value;
    } else if (arg === '--quick') quick = true;
    else if (arg === '--profile') profile = true;
    else if (arg === '--compiled') compiled = true;
    else if (arg === '--help' || arg === '-h') usage();
    else if (arg === 'pg') {
      for (const name of Object.keys(SCENARIOS).filter((n) => n.startsWith('pg-'))) {
        if (!selected.includes(name)) selected.push(name);
      }
    } else {
      const name = ALIASES[arg] ?? arg;
      if (!(name in SCENARIOS)) {
        process.stderr.write(`bench: unknown scenario or option "${arg}"\n`);
        usage();
      }
      if (!selected.includes(name)) selected.push(name);
    }
  }
  const names = Object.keys(SCENARIOS).filter((n) => selected.length === 0 || selected.includes(n));
  return { quick, profile, compiled, names, node, addon };
}

async function main(): Promise<number> {
  installCleanup();
  const { quick, profile, compiled, names, node, addon } = parseArgs(process.argv.slice(2));
  if (node !== undefined) {
    // The whole bench under that Node: its serve children run on it too.
    const args = process.argv.slice(2);
    const at = args.indexOf('--node');
    args.splice(at, 2);
    const addonArgs = addon === undefined ? [] : ['--better-sqlite3-addon', addon];
    if (args.includes('--better-sqlite3-addon')) addonArgs.length = 0;
    log(`bench: running under ${node}`);
    const run = spawnSync(node, ['--import', 'tsx', 'bench/run.ts', ...args, ...addonArgs], {
      cwd: ROOT_DIR,
      stdio: 'inherit',
    });
    return run.status ?? 1;
  }
  const { drivers, missing } = benchDrivers(addon);
  const env = environment(
    quick,
    names,
    compiled ? 'src/ compiled by tsc, plain node' : 'src/ through tsx (`node --import tsx`)',
  );
  env.sqliteDrivers = drivers.map((d) => d.description);
  env.sqliteDriversMissing = missing;
  log(
    `Outbound bench${quick ? ' --quick' : ''}: ${names.join(', ')} · Node ${env.node} · ${env.cpuCount} CPUs · data in ${env.tmpdir} (${env.tmpFilesystem})`,
  );
  log(
    `SQLite drivers: ${drivers.map((d) => d.description).join('; ') || 'none'}${missing.map((m) => ` · not ${m}`).join('')}`,
  );
  const profileRoot = profile
    ? join(BENCH_DIR, 'profiles', env.date.replace(/[:.]/g, '-'))
    : undefined;

  const monitor = new ForeignCpuMonitor();
  monitor.start();
  let compiledDir: string | undefined;
  if (compiled) {
    log('compiling src/ with tsc for --compiled');
    compiledDir = await compileSources();
  }
  const receiver = await Receiver.start();
  const load = await LoadGenerator.start();
  const results: ScenarioResult[] = [];
  const failures: { scenario: string; error: string }[] = [];
  const profiles: ProfileSummary[] = [];
  try {
    const runs = names.flatMap((name) =>
      SQLITE_SCENARIOS.includes(name) && drivers.length > 0
        ? drivers.map((driver) => ({ name, driver }))
        : [{ name, driver: undefined as BenchDriver | undefined }],
    );
    for (const { name, driver } of runs) {
      const tag = driver === undefined ? name : `${name}-${driver.name}`;
      const cpuProfDir = profileRoot === undefined ? undefined : join(profileRoot, tag);
      if (cpuProfDir !== undefined) mkdirSync(cpuProfDir, { recursive: true });
      const ctx: Context = {
        sizes: quick ? QUICK : FULL,
        quick,
        receiver,
        load,
        serveOptions: { cpuProfDir, compiledDir, env: driver?.env },
      };
      const scenario = SCENARIOS[name] as Scenario;
      const quiet = await monitor.waitForQuiet();
      const fsyncBefore = fsyncProbe();
      const since = performance.now();
      let result: ScenarioResult | undefined;
      try {
        if (driver !== undefined) log(`${name} on ${driver.description}`);
        const measured = await scenario(ctx);
        result = driver === undefined ? measured : onDriver(measured, driver);
        const foreign = monitor.meanSince(since);
        const fsyncAfter = fsyncProbe();
        result.details.fsyncMs = {
          before: { p50: round(fsyncBefore.p50, 3), p90: round(fsyncBefore.p90, 3) },
          after: { p50: round(fsyncAfter.p50, 3), p90: round(fsyncAfter.p90, 3) },
        };
        if (result.windows) result.details.measuredWindowsMonotonicMs = result.windows;
        result.details.otherProcessesCpuCores = {
          beforeStart: Math.round(quiet * 100) / 100,
          meanDuring: Math.round(foreign * 100) / 100,
        };
        result.notes.push(
          `${result.title}: other processes on the machine used ${foreign.toFixed(2)} cores on average during the scenario (${quiet.toFixed(2)} just before it)${foreign > 0.2 ? ' — **the figures were disturbed by other work on the machine**' : ''}; a 4 KiB write + fsync in the temp folder took ${fsyncBefore.p50.toFixed(2)} ms (p50) before it and ${fsyncAfter.p50.toFixed(2)} ms after.`,
        );
        results.push(result);
      } catch (error) {
        const message = (error as Error).stack ?? String(error);
        log(`${tag} failed: ${message}`);
        failures.push({ scenario: tag, error: (error as Error).message ?? String(error) });
      }
      if (cpuProfDir !== undefined) {
        for (const file of readdirSync(cpuProfDir).filter((f) => f.endsWith('.cpuprofile'))) {
          for (const window of [undefined, ...(result?.windows ?? [])]) {
            const summary = summarizeProfile(join(cpuProfDir, file), 25, window);
            if (summary.totalMs === 0) continue;
            profiles.push(summary);
            process.stderr.write(`\n[profile of serve, ${name}]\n${formatSummary(summary)}\n\n`);
          }
        }
      }
    }
  } finally {
    await load.stop();
    await receiver.stop();
    await stopPostgres().catch((error: unknown) => log(`postgres: stop failed: ${String(error)}`));
    monitor.stop();
  }

  // A full run's figures stay in results.*; a run of some scenarios goes to results-NAMES.*.
  const all = names.length === Object.keys(SCENARIOS).length;
  const base = all ? 'results' : `results-${names.join('-')}`;
  const written = writeResults(
    env,
    results,
    failures,
    profiles,
    base,
    driverComparison(results, drivers),
  );
  log(`wrote ${written.json} and ${written.md}`);
  process.stdout.write(`\n${markdownTable(results.flatMap((r) => r.rows))}\n`);
  for (const f of failures) process.stdout.write(`\n${f.scenario} did not complete: ${f.error}\n`);
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    cleanupNow();
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    cleanupNow();
    process.exitCode = 1;
  },
);
