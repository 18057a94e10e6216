import type { PendingDelivery, Recipient } from '../types.js';
import type { SendResult } from './sender.js';

/**
 * Told what each lane's attempts came to, once recorded (error alerts listen here). Called on
 * the delivery path: an observer returns at once and does its work later.
 */
export interface LaneObserver {
  delivered(recipient: Recipient, delivery: PendingDelivery, now: number): void;
  failed(recipient: Recipient, delivery: PendingDelivery, result: SendResult, now: number): void;
  setAside(recipient: Recipient, delivery: PendingDelivery, result: SendResult, now: number): void;
}
