import type { PendingDelivery, Recipient } from '../types.js';
import type { LaneMove, LaneObserver } from './lane-observer.js';
import type { SendResult } from './sender.js';

/** What the lifecycle log writes with: pino's (and so Fastify's) `info`/`warn`. */
export interface LifecycleLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/**
 * A recipient that starts failing again within this long of the last "failing" line is not
 * logged again at once: a flapping receiver (fail, succeed, fail…) gives one pair of lines per
 * period, and the next line says how many failing runs went unlogged (`unloggedRuns`).
 */
export const FLAP_QUIET_MS = 60_000;

interface Run {
  /** The recipient is failing now (no success since `since`). */
  failing: boolean;
  /** When the current (or last) failing run began. */
  since: number;
  /** Failed attempts in the current run. */
  attempts: number;
  /** The current run's start was logged (so its recovery is logged too). */
  logged: boolean;
  /** When a "failing" line was last written, and how many runs since went unlogged. */
  loggedAt: number;
  unlogged: number;
}

/**
 * The delivery log an operator reads: one line when a recipient starts failing, one when it
 * recovers (how long it failed, after how many attempts), one per event set aside, one when a
 * lane moves between nodes. Transitions only, never a line per attempt. Runs are kept per
 * process: after a restart, a recipient still failing is reported again at its first failure.
 */
export class LifecycleLog implements LaneObserver {
  /** Only recipients failing now or lately: a healthy one is not in the map. */
  private readonly runs = new Map<number, Run>();

  constructor(private readonly log: LifecycleLogger) {}

  delivered(recipient: Recipient, delivery: PendingDelivery, now: number): void {
    const run = this.runs.get(recipient.id);
    // The hot path: a recipient that has not failed lately is not in the map.
    if (run === undefined) return;
    if (run.failing) {
      run.failing = false;
      if (run.logged) {
        this.log.info(
          {
            ...who(recipient),
            eventId: delivery.eventUid,
            attempt: delivery.attempts + 1,
            failedForMs: Math.max(0, now - run.since),
            failedAttempts: run.attempts,
          },
          `recipient ${recipient.name} recovered after failing for ${seconds(now - run.since)} (${run.attempts} failed attempt${run.attempts === 1 ? '' : 's'})`,
        );
      }
    }
    // Forgotten once quiet, unless it holds a count of unlogged runs for the next line.
    if (now - run.loggedAt >= FLAP_QUIET_MS && run.unlogged === 0) this.runs.delete(recipient.id);
  }

  failed(recipient: Recipient, delivery: PendingDelivery, result: SendResult, now: number): void {
    this.failure(recipient, delivery, result, now, delivery.attempts);
  }

  setAside(recipient: Recipient, delivery: PendingDelivery, result: SendResult, now: number): void {
    const attempt = delivery.attempts + 1;
    this.failure(recipient, delivery, result, now, attempt);
    this.log.warn(
      {
        ...who(recipient),
        eventId: delivery.eventUid,
        event: delivery.eventName,
        attempt,
        ...outcome(result),
        firstFailedAt: iso(delivery.firstFailedAt ?? now),
        reason: 'retry duration ran out',
      },
      `event ${delivery.eventUid} set aside for recipient ${recipient.name} after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${result.error ?? `HTTP ${result.status}`}`,
    );
  }

  setAsideByOperator(recipient: Recipient, delivery: PendingDelivery): void {
    this.log.warn(
      {
        ...who(recipient),
        eventId: delivery.eventUid,
        event: delivery.eventName,
        attempts: delivery.attempts,
        reason: 'set aside by an operator',
      },
      `event ${delivery.eventUid} set aside for recipient ${recipient.name} by an operator`,
    );
  }

  laneMoved(move: LaneMove): void {
    const { recipient } = move;
    if (move.kind === 'taken') {
      // Token 1: nobody held the lane before (a new recipient, a new cluster): not a move.
      if (move.fence.token <= 1) return;
      this.log.info(
        { ...who(recipient), node: move.fence.node, token: move.fence.token, lane: 'taken' },
        `node ${move.fence.node} took over the lane of recipient ${recipient.name} from another node`,
      );
      return;
    }
    this.log.info(
      { ...who(recipient), node: move.node, lane: move.kind },
      move.kind === 'handed-over'
        ? `node ${move.node} handed the lane of recipient ${recipient.name} over to another node`
        : `node ${move.node} lost the lane of recipient ${recipient.name} to another node`,
    );
  }

  private failure(
    recipient: Recipient,
    delivery: PendingDelivery,
    result: SendResult,
    now: number,
    attempt: number,
  ): void {
    let run = this.runs.get(recipient.id);
    if (run === undefined) {
      run = {
        failing: false,
        since: now,
        attempts: 0,
        logged: false,
        loggedAt: -Infinity,
        unlogged: 0,
      };
      this.runs.set(recipient.id, run);
    }
    if (!run.failing) {
      run.failing = true;
      run.since = now;
      run.attempts = 0;
      run.logged = false;
    }
    run.attempts++;
    if (run.logged) return;
    if (now - run.loggedAt < FLAP_QUIET_MS) {
      // Flapping: this run is counted, and logged once it lasts past the quiet period.
      if (run.attempts === 1) run.unlogged++;
      return;
    }
    const unlogged = run.attempts === 1 ? run.unlogged : run.unlogged - 1;
    run.logged = true;
    run.loggedAt = now;
    run.unlogged = 0;
    this.log.warn(
      {
        ...who(recipient),
        eventId: delivery.eventUid,
        attempt,
        ...outcome(result),
        failingSince: iso(run.since),
        ...(unlogged > 0 ? { unloggedRuns: unlogged } : {}),
      },
      `recipient ${recipient.name} is failing: ${result.error ?? `HTTP ${result.status}`}`,
    );
  }
}

function who(recipient: Recipient) {
  return { recipientId: recipient.id, recipient: recipient.name };
}

function outcome(result: SendResult) {
  return { status: result.status, errorCode: result.errorCode, error: result.error };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(ms < 10_000 ? 2 : 0)} s`;
}
