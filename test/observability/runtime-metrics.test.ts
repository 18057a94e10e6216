/**
 * /metrics carries the runtime's health beside ours (memory, heap, event-loop lag, GC, open
 * handles) and stays valid Prometheus text: one HELP and one TYPE per name, every sample of a
 * declared family, no family twice — also with two services in one process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startService, type TestService } from '../support/service.js';

const services: TestService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
});

interface Family {
  help: number;
  type: string | undefined;
  types: number;
  samples: number;
}

/** The text format 0.0.4, read strictly enough to catch a duplicate or an orphan sample. */
function parse(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string) => {
    let f = families.get(name);
    if (f === undefined) {
      f = { help: 0, type: undefined, types: 0, samples: 0 };
      families.set(name, f);
    }
    return f;
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta !== null) {
      const f = family(meta[2] as string);
      if (meta[1] === 'HELP') f.help++;
      else {
        f.types++;
        f.type = meta[3];
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    expect(sample, `not a sample line: ${line}`).not.toBeNull();
    const name = sample?.[1] as string;
    expect(Number.isNaN(Number(sample?.[3])), line).toBe(false);
    const owner = [name, name.replace(/_(bucket|sum|count|total|created)$/, '')].find((n) =>
      families.has(n),
    );
    expect(owner, `sample ${name} before or without its # TYPE`).toBeDefined();
    family(owner as string).samples++;
  }
  return families;
}

describe('/metrics with runtime metrics', () => {
  it('adds memory, heap, event-loop lag, GC and handles, in valid text with no name twice', async () => {
    const a = await startService();
    services.push(a);
    const b = await startService();
    services.push(b);
    // Some garbage, so that a GC has been seen.
    let keep = 0;
    for (let i = 0; i < 200_000; i++) keep += JSON.stringify({ i, s: 'x'.repeat(20) }).length;
    expect(keep).toBeGreaterThan(0);

    for (const svc of [a, b]) {
      const response = await fetch(`${svc.url}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      const families = parse(text);
      for (const [name, f] of families) {
        expect(f.help, `# HELP ${name}`).toBe(1);
        expect(f.types, `# TYPE ${name}`).toBe(1);
      }
      for (const [name, type] of [
        ['process_resident_memory_bytes', 'gauge'],
        ['nodejs_heap_size_used_bytes', 'gauge'],
        ['nodejs_heap_size_total_bytes', 'gauge'],
        ['nodejs_eventloop_lag_p99_seconds', 'gauge'],
        ['nodejs_gc_duration_seconds', 'histogram'],
        ['nodejs_active_handles_total', 'gauge'],
        ['process_open_fds', 'gauge'],
        ['process_cpu_seconds_total', 'counter'],
        // Ours, still there.
        ['outbound_attempts_total', 'counter'],
        ['outbound_queue_depth', 'gauge'],
      ]) {
        expect(families.get(name as string)?.type, name).toBe(type);
      }
      expect(families.get('process_resident_memory_bytes')?.samples).toBe(1);
      const rss = /^process_resident_memory_bytes (\d+)$/m.exec(text);
      expect(Number(rss?.[1])).toBeGreaterThan(10 * 1024 * 1024);
      expect(families.get('nodejs_gc_duration_seconds')?.samples).toBeGreaterThan(0);
    }
  });
});
