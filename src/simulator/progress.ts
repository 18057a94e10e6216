import type { SimulationProgress, SimulationResult } from './runner.js';

interface Terminal {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * On a terminal, one bar line redrawn ten times a second; elsewhere (a log, CI) a plain line
 * every second, so that the output stays readable as a file.
 */
export class ProgressDisplay {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: Terminal,
    private readonly snapshot: () => SimulationProgress,
    private readonly clock: () => number = Date.now,
  ) {}

  start(): void {
    const tty = this.stream.isTTY === true;
    this.timer = setInterval(() => this.draw(), tty ? 100 : 1000);
    this.timer.unref();
  }

  /** Draws the final state (the bar at its last value) and stops. */
  stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.stream.isTTY)
      this.stream.write(`\r\x1b[K${progressBar(this.snapshot(), this.clock())}\n`);
  }

  private draw(): void {
    const progress = this.snapshot();
    if (this.stream.isTTY) this.stream.write(`\r\x1b[K${progressBar(progress, this.clock())}`);
    else this.stream.write(`simulate: ${progressLine(progress, this.clock())}\n`);
  }
}

/** `[██████░░░░░░]  12/20 sessions  143 events/s  ETA 3s` */
export function progressBar(progress: SimulationProgress, now: number): string {
  const width = 24;
  const filled =
    progress.total === 0 ? width : Math.floor((progress.done / progress.total) * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const errors = progress.errors > 0 ? `  ${progress.errors} errors` : '';
  return `[${bar}]  ${progress.done}/${progress.total} sessions  ${rate(progress, now)} events/s  ETA ${eta(progress, now)}${errors}`;
}

/** `12/20 sessions, 301 events, 143 events/s, ETA 3s` */
export function progressLine(progress: SimulationProgress, now: number): string {
  const errors = progress.errors > 0 ? `, ${progress.errors} errors` : '';
  return `${progress.done}/${progress.total} sessions, ${progress.events} events, ${rate(progress, now)} events/s, ETA ${eta(progress, now)}${errors}`;
}

export function formatSummary(
  result: SimulationResult,
  context: { url: string; seed: string },
): string {
  const seconds = result.elapsedMs / 1000;
  const lines = [
    `simulated ${result.done} sessions against ${context.url} (seed ${context.seed}; the same --seed repeats them)`,
    `  sessions   ${result.done} of ${result.total}${result.errors > 0 ? `, ${result.errors} stopped by an error` : ''}${result.interrupted ? ' (interrupted)' : ''}`,
    `  API calls  ${result.apiCalls}`,
    `  events     ${result.events}`,
    `  errors     ${result.errors}`,
    ...result.firstErrors.map((message) => `    - ${message}`),
    ...(result.errors > result.firstErrors.length
      ? [`    … and ${result.errors - result.firstErrors.length} more`]
      : []),
    `  elapsed    ${seconds.toFixed(2)} s`,
    `  events/s   ${seconds > 0 ? (result.events / seconds).toFixed(1) : '-'}`,
  ];
  return `${lines.join('\n')}\n`;
}

function rate(progress: SimulationProgress, now: number): string {
  const seconds = (now - progress.startedAt) / 1000;
  return seconds > 0 ? String(Math.round(progress.events / seconds)) : '-';
}

function eta(progress: SimulationProgress, now: number): string {
  if (progress.done === 0) return '--';
  const ms = ((now - progress.startedAt) * (progress.total - progress.done)) / progress.done;
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
