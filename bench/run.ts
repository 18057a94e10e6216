/**
 * `npm run bench [-- --quick] [-- --profile] [-- SCENARIO...]`
 *
 * Scenarios: ordered, ingest, latency, backlog, and on PostgreSQL pg-ingest, pg-one, pg-many,
 * pg-nodes, then hung and reports (default: all, in that order; `pg` = the four PostgreSQL ones). Writes
 * bench/results.json and bench/results.md (a run of some scenarios: results-NAMES.*), prints
 * progress on stderr and the table on stdout.
 * `--profile` writes a V8 CPU profile of every serve child to bench/profiles/ and prints
 * where its time went.
 */
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
import { BENCH_DIR, cleanupNow, installCleanup, log, round } from './util.js';

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
    `usage: npm run bench -- [--quick] [--profile] [--compiled] [${Object.keys(SCENARIOS).join('|')}]...\n`,
  );
  process.exit(2);
}

function parseArgs(argv: string[]) {
  let quick = false;
  let profile = false;
  let compiled = false;
  const selected: string[] = [];
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
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
  return { quick, profile, compiled, names };
}

async function main(): Promise<number> {
  installCleanup();
  const { quick, profile, compiled, names } = parseArgs(process.argv.slice(2));
  const env = environment(
    quick,
    names,
    compiled ? 'src/ compiled by tsc, plain node' : 'src/ through tsx (`node --import tsx`)',
  );
  log(
    `Outbound bench${quick ? ' --quick' : ''}: ${names.join(', ')} · Node ${env.node} · ${env.cpuCount} CPUs · data in ${env.tmpdir} (${env.tmpFilesystem})`,
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
    for (const name of names) {
      const cpuProfDir = profileRoot === undefined ? undefined : join(profileRoot, name);
      if (cpuProfDir !== undefined) mkdirSync(cpuProfDir, { recursive: true });
      const ctx: Context = {
        sizes: quick ? QUICK : FULL,
        quick,
        receiver,
        load,
        serveOptions: { cpuProfDir, compiledDir },
      };
      const scenario = SCENARIOS[name] as Scenario;
      const quiet = await monitor.waitForQuiet();
      const fsyncBefore = fsyncProbe();
      const since = performance.now();
      let result: ScenarioResult | undefined;
      try {
        result = await scenario(ctx);
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
        log(`${name} failed: ${message}`);
        failures.push({ scenario: name, error: (error as Error).message ?? String(error) });
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
  const written = writeResults(env, results, failures, profiles, base);
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
