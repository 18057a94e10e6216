import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AlertDecision,
  type AlertRule,
  type AlertState,
  afterFailure,
  afterSuccess,
  dueAlert,
  HEALTHY,
} from '../../src/alerts/index.js';

const RULE: AlertRule = {
  contacts: ['ops@example.com'],
  alertAfterMs: 60_000,
  resendEveryMs: 300_000,
};

describe('alert policy', () => {
  it('no mail when the failing event gets through before "send email alert after"', () => {
    let [state, decision] = afterFailure(HEALTHY, RULE, 0);
    expect(decision).toEqual({ kind: 'none' });
    [state, decision] = afterFailure(state, RULE, 59_999);
    expect(decision).toEqual({ kind: 'none' });
    [state, decision] = afterSuccess(state);
    expect(decision).toEqual({ kind: 'none' });
    expect(state).toEqual(HEALTHY);
  });

  it('alerts once the delay passed, resends while it lasts, and says when it recovered', () => {
    let [state] = afterFailure(HEALTHY, RULE, 1_000);
    let decision: AlertDecision;
    [state, decision] = afterFailure(state, RULE, 61_000);
    expect(decision).toEqual({ kind: 'failing', since: 1_000, repeat: false });
    [state, decision] = afterFailure(state, RULE, 200_000);
    expect(decision).toEqual({ kind: 'none' });
    // Between attempts (a long back-off) the timer finds the resend due.
    [state, decision] = dueAlert(state, RULE, 361_000);
    expect(decision).toEqual({ kind: 'failing', since: 1_000, repeat: true });
    [state, decision] = dueAlert(state, RULE, 400_000);
    expect(decision).toEqual({ kind: 'none' });
    [state, decision] = afterSuccess(state);
    expect(decision).toEqual({ kind: 'recovered', since: 1_000 });
    expect(state).toEqual(HEALTHY);
    // The next run starts afresh.
    [, decision] = afterFailure(state, RULE, 500_000);
    expect(decision).toEqual({ kind: 'none' });
  });

  it('"resend" 0 alerts once per run; "after" 0 alerts on the first failure', () => {
    const once = { ...RULE, resendEveryMs: 0 };
    let [state, decision] = afterFailure(HEALTHY, once, 0);
    [state, decision] = afterFailure(state, once, 60_000);
    expect(decision.kind).toBe('failing');
    [, decision] = dueAlert(state, once, 10_000_000);
    expect(decision).toEqual({ kind: 'none' });
    [, decision] = afterFailure(HEALTHY, { ...RULE, alertAfterMs: 0 }, 5);
    expect(decision).toEqual({ kind: 'failing', since: 5, repeat: false });
  });

  it('over any history: alerts only past the delay, never closer than the resend interval, and a recovery only after an alert', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('fail' as const), dt: fc.integer({ min: 0, max: 200_000 }) }),
      fc.record({ kind: fc.constant('ok' as const), dt: fc.integer({ min: 0, max: 200_000 }) }),
      fc.record({ kind: fc.constant('tick' as const), dt: fc.integer({ min: 0, max: 200_000 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let state: AlertState = HEALTHY;
        let now = 0;
        let lastAlert: number | null = null;
        let alertedThisRun = false;
        let runStart: number | null = null;
        for (const s of steps) {
          now += s.dt;
          let decision: AlertDecision;
          if (s.kind === 'fail') {
            runStart ??= now;
            [state, decision] = afterFailure(state, RULE, now);
          } else if (s.kind === 'ok') {
            [state, decision] = afterSuccess(state);
          } else [state, decision] = dueAlert(state, RULE, now);
          if (decision.kind === 'failing') {
            expect(now - (runStart as number)).toBeGreaterThanOrEqual(RULE.alertAfterMs);
            if (lastAlert !== null && alertedThisRun) {
              expect(now - lastAlert).toBeGreaterThanOrEqual(RULE.resendEveryMs);
            }
            lastAlert = now;
            alertedThisRun = true;
          }
          if (decision.kind === 'recovered') expect(alertedThisRun).toBe(true);
          if (s.kind === 'ok') {
            if (!alertedThisRun) expect(decision.kind).toBe('none');
            alertedThisRun = false;
            runStart = null;
          }
        }
      }),
    );
  });
});
