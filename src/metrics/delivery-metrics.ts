import { Counter, Histogram } from './registry.js';

const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600,
];

/** What the dispatcher counts as it delivers; rendered by /metrics. */
export class DeliveryMetrics {
  readonly attempts = new Counter(
    'outbound_attempts_total',
    'Delivery attempts by recipient and outcome (delivered, failed, or the error code).',
  );
  readonly setAside = new Counter(
    'outbound_set_aside_total',
    'Deliveries set aside as failed after the retry duration, by recipient.',
  );
  readonly deliveryLatency = new Histogram(
    'outbound_delivery_latency_seconds',
    'Time from acceptance of an event to its HTTP 200, by recipient.',
    LATENCY_BUCKETS,
  );
  readonly requestDuration = new Histogram(
    'outbound_request_duration_seconds',
    'Duration of one delivery request, by recipient.',
    LATENCY_BUCKETS,
  );

  all() {
    return [this.attempts, this.setAside, this.deliveryLatency, this.requestDuration];
  }
}
