import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient, performStep } from './api-client.js';
import { prepareCustomFields, type SimulatedField } from './custom-fields.js';
import { sessionSteps } from './scenario.js';
import type { Step } from './steps.js';

export interface SimulationOptions {
  /** Base URL of a running service, e.g. http://127.0.0.1:8080 */
  url: string;
  /** An API token. */
  token: string;
  /** Sessions to run. */
  sessions: number;
  /** Sessions started per second; 0 = as fast as `concurrency` allows. */
  rate: number;
  /** Sessions in progress at once. */
  concurrency: number;
  /** Same seed, same sessions (call for call). */
  seed: string;
  /** Stops starting sessions; those in progress finish. */
  signal?: AbortSignal;
  /** Called as each session finishes (with or without an error). */
  onSession?: (outcome: SessionOutcome) => void;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
  /** Told what the run does besides sessions (custom fields defined, or skipped and why). */
  onNotice?: (line: string) => void;
}

export interface SessionOutcome {
  index: number;
  lsid: string | undefined;
  steps: Step[];
  /** Steps whose call succeeded; all of them unless `error`. */
  done: number;
  events: number;
  error?: string;
}

/** Counters while the simulation runs; `startedAt` in ms since the epoch. */
export interface SimulationProgress {
  total: number;
  started: number;
  done: number;
  apiCalls: number;
  /** Events the service emitted for the calls that succeeded (CONTRACT §5). */
  events: number;
  /** Failed calls; each stops its session, so also the sessions that failed. */
  errors: number;
  startedAt: number;
}

export interface SimulationResult extends SimulationProgress {
  /** The first few error messages. */
  firstErrors: string[];
  elapsedMs: number;
  /** The run was stopped before every session started. */
  interrupted: boolean;
}

const KEPT_ERRORS = 5;

/**
 * Drives simulated sessions through the sessions API: starts them at `rate` per second with
 * at most `concurrency` in progress, each one's steps in order. A session stops at its first
 * failed call (later steps depend on it); the others go on.
 */
export class Simulation {
  readonly progress: SimulationProgress;
  private readonly firstErrors: string[] = [];
  /** The custom fields sessions set attributes of (none until the run has checked). */
  private fields: SimulatedField[] = [];

  constructor(private readonly options: SimulationOptions) {
    this.progress = {
      total: options.sessions,
      started: 0,
      done: 0,
      apiCalls: 0,
      events: 0,
      errors: 0,
      startedAt: Date.now(),
    };
  }

  async run(): Promise<SimulationResult> {
    const { options, progress } = this;
    const api = new ApiClient(options.url, options.token, {
      connections: options.concurrency,
      timeoutMs: options.timeoutMs,
    });
    const running = new Set<Promise<void>>();
    try {
      const prepared = await prepareCustomFields(api);
      this.fields = prepared.fields;
      if (prepared.notice !== undefined) options.onNotice?.(prepared.notice);
      progress.startedAt = Date.now();
      for (let index = 0; index < options.sessions; index++) {
        if (options.rate > 0) {
          const due = progress.startedAt + (index * 1000) / options.rate;
          await pause(due - Date.now(), options.signal);
        }
        while (running.size >= options.concurrency) await Promise.race(running);
        if (options.signal?.aborted) break;
        progress.started++;
        const session: Promise<void> = this.runSession(api, index).finally(() =>
          running.delete(session),
        );
        running.add(session);
      }
      await Promise.all(running);
    } finally {
      await api.close();
    }
    return {
      ...progress,
      firstErrors: [...this.firstErrors],
      elapsedMs: Date.now() - progress.startedAt,
      interrupted: progress.started < progress.total,
    };
  }

  private async runSession(api: ApiClient, index: number): Promise<void> {
    const steps = sessionSteps(this.options.seed, index, this.fields);
    const live = { lsid: undefined as string | undefined, members: new Map<number, string>() };
    const outcome: SessionOutcome = { index, lsid: undefined, steps, done: 0, events: 0 };
    for (const step of steps) {
      this.progress.apiCalls++;
      try {
        await performStep(api, live, step);
      } catch (error) {
        const where = live.lsid === undefined ? '' : ` (lsid ${live.lsid})`;
        outcome.error = `session ${index}${where}: ${(error as Error).message}`;
        this.progress.errors++;
        if (this.firstErrors.length < KEPT_ERRORS) this.firstErrors.push(outcome.error);
        break;
      }
      outcome.done++;
      outcome.events += step.events;
      this.progress.events += step.events;
    }
    outcome.lsid = live.lsid;
    this.progress.done++;
    this.options.onSession?.(outcome);
  }
}

/** Waits `ms`, or less if `signal` fires; never throws. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0 || signal?.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
