/**
 * Where the time goes in a V8 CPU profile (`node --cpu-prof`, written by `npm run bench --
 * --profile` for every serve child): self time by function and by module, and inclusive time
 * of the functions that matter. Standalone: `node --import tsx bench/profile-summary.ts FILE`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Not idle: what the process's one thread spent working. */
  busyMs: number;
  selfByFunction: { name: string; ms: number; share: number }[];
  selfByModule: { name: string; ms: number; share: number }[];
  inclusiveByFunction: { name: string; ms: number; share: number }[];
}

/** node_modules/<package>, src/<path>, node:<module>, or a V8 pseudo-frame. */
function moduleOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] as string;
  const src = /\/(src\/.+|bench\/.+)$/.exec(url);
  if (src) return src[1] as string;
  if (url.startsWith('node:')) return url;
  return url;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName === '' ? '(anonymous)' : functionName;
  if (url === '') return name;
  // Code transformed by tsx is on one line: its line numbers say nothing.
  const line = lineNumber > 0 ? `:${lineNumber + 1}` : '';
  return `${name} ${moduleOf(url, functionName)}${line}`;
}

/**
 * `window`: only samples taken between these two readings of the monotonic clock, in ms (V8
 * stamps samples with CLOCK_MONOTONIC in µs, the clock of `process.hrtime`).
 */
export function summarizeProfile(
  file: string,
  top = 25,
  window?: { label: string; fromMs: number; toMs: number },
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (window !== undefined && (at / 1000 < window.fromMs || at / 1000 > window.toMs)) continue;
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(profile.samples[i] as number);
    if (node === undefined) continue;
    total += delta;
    if (node.callFrame.functionName === '(idle)') {
      idle += delta;
      continue;
    }
    const name = label(node);
    self.set(name, (self.get(name) ?? 0) + delta);
    const mod = moduleOf(node.callFrame.url, node.callFrame.functionName);
    modules.set(mod, (modules.get(mod) ?? 0) + delta);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id) as ProfileNode;
      const key = label(n);
      if (seen.has(key) || key === '(root)') continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + delta);
    }
  }
  const busy = total - idle;
  const rank = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({
        name,
        ms: Math.round(ms),
        share: Math.round((ms / busy) * 1000) / 10,
      }));
  return {
    file: window === undefined ? file : `${file} [${window.label}]`,
    totalMs: Math.round(total),
    busyMs: Math.round(busy),
    selfByFunction: rank(self),
    selfByModule: rank(modules),
    inclusiveByFunction: rank(inclusive),
  };
}

export function formatSummary(s: ProfileSummary, top = 15): string {
  const lines = [
    `${s.file}: ${s.totalMs} ms profiled, ${s.busyMs} ms busy (${Math.round((s.busyMs / Math.max(1, s.totalMs)) * 100)}%)`,
    '  self time by module (% of busy):',
    ...s.selfByModule.slice(0, top).map((e) => `    ${e.share.toFixed(1).padStart(5)}%  ${e.name}`),
    '  self time by function:',
    ...s.selfByFunction
      .slice(0, top)
      .map((e) => `    ${e.share.toFixed(1).padStart(5)}%  ${e.name}`),
    '  inclusive time by function:',
    ...s.inclusiveByFunction
      .slice(0, top)
      .map((e) => `    ${e.share.toFixed(1).padStart(5)}%  ${e.name}`),
  ];
  return lines.join('\n');
}

/**
 * CLI: `node --import tsx bench/profile-summary.ts PROFILE [SCENARIO WINDOW]` — with a scenario
 * and window label (e.g. `ordered drain`, `ingest single`), only the measured part, as
 * recorded in bench/results.json by the same run.
 */
if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const [file, scenario, label] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: profile-summary.ts PROFILE.cpuprofile [SCENARIO WINDOW]\n');
    process.exit(2);
  }
  let window: { label: string; fromMs: number; toMs: number } | undefined;
  if (scenario !== undefined) {
    const results = JSON.parse(readFileSync(new URL('results.json', import.meta.url), 'utf8'));
    const windows = results.scenarios?.[scenario]?.measuredWindowsMonotonicMs ?? [];
    window = windows.find((w: { label: string }) => w.label === label);
    if (window === undefined) {
      process.stderr.write(`no window "${label}" for ${scenario} in bench/results.json\n`);
      process.exit(2);
    }
  }
  process.stdout.write(`${formatSummary(summarizeProfile(file, 60, window), 60)}\n`);
}
