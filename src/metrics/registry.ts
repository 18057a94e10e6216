/** A minimal Prometheus registry: counters and histograms with labels, text format 0.0.4. */

type Labels = Record<string, string | number>;

/** Keys of label objects used again and again (a lane's own labels): built once each. */
const keyCache = new WeakMap<Labels, string>();

function labelKey(labels: Labels): string {
  let key = keyCache.get(labels);
  if (key === undefined) {
    key = buildKey(labels);
    keyCache.set(labels, key);
  }
  return key;
}

function buildKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(String(labels[k]))}"`).join(',')}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function withLabel(key: string, extra: string): string {
  return key === '' ? `{${extra}}` : `${key.slice(0, -1)},${extra}}`;
}

export interface Metric {
  render(): string;
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  /** The count of one series so far (0 when never counted). */
  value(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, value] of this.values) lines.push(`${this.name}${key} ${value}`);
    return lines.join('\n');
  }
}

export class Histogram implements Metric {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let entry = this.series.get(key);
    if (entry === undefined) {
      entry = { counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    for (let i = 0; i < this.buckets.length; i++) {
      if (value <= (this.buckets[i] ?? Number.POSITIVE_INFINITY))
        entry.counts[i] = (entry.counts[i] ?? 0) + 1;
    }
    entry.sum += value;
    entry.count++;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [key, entry] of this.series) {
      this.buckets.forEach((bound, i) => {
        lines.push(`${this.name}_bucket${withLabel(key, `le="${bound}"`)} ${entry.counts[i]}`);
      });
      lines.push(`${this.name}_bucket${withLabel(key, 'le="+Inf"')} ${entry.count}`);
      lines.push(`${this.name}_sum${key} ${entry.sum}`);
      lines.push(`${this.name}_count${key} ${entry.count}`);
    }
    return lines.join('\n');
  }
}

/** A gauge whose samples are computed when scraped. */
export class Gauge implements Metric {
  private samples: [Labels, number][] = [];
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  set(samples: [Labels, number][]): void {
    this.samples = samples;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const [labels, value] of this.samples)
      lines.push(`${this.name}${labelKey(labels)} ${value}`);
    return lines.join('\n');
  }
}

export function renderMetrics(metrics: readonly Metric[]): string {
  return `${metrics.map((m) => m.render()).join('\n')}\n`;
}
