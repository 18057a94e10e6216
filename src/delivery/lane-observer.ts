import type { LaneFence } from '../store/cluster-store.js';
import type { PendingDelivery, Recipient } from '../types.js';
import type { SendResult } from './sender.js';

/**
 * Told what each lane's attempts came to, once recorded (error alerts, the lifecycle log and
 * traces listen here). Called on the delivery path: an observer returns at once and does its
 * work later; a healthy recipient's success should cost it one map look-up at most.
 */
export interface LaneObserver {
  delivered(recipient: Recipient, delivery: PendingDelivery, now: number, result: SendResult): void;
  /** After the failure was recorded: `delivery.attempts` counts this attempt. */
  failed(recipient: Recipient, delivery: PendingDelivery, result: SendResult, now: number): void;
  /** The retry duration ran out: `delivery.attempts` does not count this last attempt yet. */
  setAside(recipient: Recipient, delivery: PendingDelivery, result: SendResult, now: number): void;
  /** An operator set the head aside (through the API or the admin interface). */
  setAsideByOperator?(recipient: Recipient, delivery: PendingDelivery, now: number): void;
  /**
   * With leased lanes: this node starts driving a lane (`fence.token` above 1: another node,
   * or an earlier run of this one, held it before), or stops driving it (`handed-over` to the
   * node that should drive it now, `lost` to a node that took it).
   */
  laneMoved?(move: LaneMove): void;
}

export type LaneMove =
  | { kind: 'taken'; recipient: Recipient; fence: LaneFence }
  | { kind: 'handed-over' | 'lost'; recipient: Recipient; node: number | null };

/** Several observers as one, each told in turn. */
export function observeAll(observers: readonly LaneObserver[]): LaneObserver | undefined {
  if (observers.length <= 1) return observers[0];
  return {
    delivered: (r, d, now, result) => {
      for (const o of observers) o.delivered(r, d, now, result);
    },
    failed: (r, d, result, now) => {
      for (const o of observers) o.failed(r, d, result, now);
    },
    setAside: (r, d, result, now) => {
      for (const o of observers) o.setAside(r, d, result, now);
    },
    setAsideByOperator: (r, d, now) => {
      for (const o of observers) o.setAsideByOperator?.(r, d, now);
    },
    laneMoved: (move) => {
      for (const o of observers) o.laneMoved?.(move);
    },
  };
}
