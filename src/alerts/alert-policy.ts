/**
 * When a recipient's error alerts go out, as the appliance words it: "send email alert after"
 * a delay (no mail if the failing event gets through before it), "resend email alerts" every
 * so often while the failure lasts, one more mail when it recovers. Pure: the Alerter keeps
 * the state and sends the mails.
 */

export interface AlertRule {
  /** Where alerts go; none: the state is kept, nothing is sent. */
  contacts: string[];
  /** How long a recipient fails before the first alert. */
  alertAfterMs: number;
  /** Between two alerts while it keeps failing; 0 = alert once. */
  resendEveryMs: number;
}

export interface AlertState {
  /** When the current run of failures began; null while the recipient is healthy. */
  failingSince: number | null;
  /** When the last alert of this run went out; null before the first. */
  lastAlertAt: number | null;
}

export type AlertDecision =
  | { kind: 'none' }
  | { kind: 'failing'; since: number; repeat: boolean }
  | { kind: 'recovered'; since: number };

export const HEALTHY: AlertState = { failingSince: null, lastAlertAt: null };

const NONE: AlertDecision = { kind: 'none' };

/** Whether an alert is due now; used on every failure and on a timer between them. */
export function dueAlert(
  state: AlertState,
  rule: AlertRule,
  now: number,
): [AlertState, AlertDecision] {
  const since = state.failingSince;
  if (since === null || now - since < rule.alertAfterMs) return [state, NONE];
  if (state.lastAlertAt === null) {
    return [
      { ...state, lastAlertAt: now },
      { kind: 'failing', since, repeat: false },
    ];
  }
  if (rule.resendEveryMs > 0 && now - state.lastAlertAt >= rule.resendEveryMs) {
    return [
      { ...state, lastAlertAt: now },
      { kind: 'failing', since, repeat: true },
    ];
  }
  return [state, NONE];
}

/** A failed attempt: the run of failures starts (or goes on); maybe an alert is due. */
export function afterFailure(
  state: AlertState,
  rule: AlertRule,
  now: number,
): [AlertState, AlertDecision] {
  const failing = state.failingSince === null ? { ...state, failingSince: now } : state;
  return dueAlert(failing, rule, now);
}

/** A 200: the run ends; a recovery mail only if an alert went out for it. */
export function afterSuccess(state: AlertState): [AlertState, AlertDecision] {
  if (state.failingSince === null) return [state, NONE];
  const decision: AlertDecision =
    state.lastAlertAt === null ? NONE : { kind: 'recovered', since: state.failingSince };
  return [HEALTHY, decision];
}
