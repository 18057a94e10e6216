export { Dispatcher, type DispatcherOptions } from './dispatcher.js';
export { classifyError, DeliveryErrorCode } from './errors.js';
export { HttpSender, type HttpSenderOptions } from './http-sender.js';
export type { LaneState, LaneStatus } from './lane.js';
export { afterFailure, type RetryDecision } from './retry-policy.js';
export type { Sender, SendResult } from './sender.js';
