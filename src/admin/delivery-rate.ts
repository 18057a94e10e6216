import type { DeliveryMetrics } from '../metrics/delivery-metrics.js';

interface Sample {
  at: number;
  delivered: Map<number, number>;
}

/**
 * Events delivered per minute, per recipient, from the dispatcher's own counter
 * (`outbound_attempts_total{outcome="delivered"}`) sampled whenever the table is computed:
 * no query over the deliveries. With PostgreSQL and several nodes it counts this node's
 * lanes only.
 */
export class DeliveryRate {
  private samples: Sample[] = [];

  constructor(
    private readonly metrics: DeliveryMetrics,
    private readonly windowMs = 60_000,
  ) {}

  /** Per recipient: delivered per minute over the last minute (or as much of it as was seen). */
  perMinute(recipientIds: number[], now: number): Map<number, number | null> {
    const delivered = new Map(
      recipientIds.map((id) => [
        id,
        this.metrics.attempts.value({ recipient: id, outcome: 'delivered' }),
      ]),
    );
    this.samples.push({ at: now, delivered });
    // Keep one sample at or before the window's start: the base the rate is measured from.
    while (this.samples.length > 2 && (this.samples[1] as Sample).at <= now - this.windowMs)
      this.samples.shift();
    const rates = new Map<number, number | null>();
    for (const [id, count] of delivered) {
      // The oldest sample that knew the recipient: one added a moment ago has a short base.
      const base = this.samples.find((sample) => sample.delivered.has(id)) as Sample;
      const elapsed = now - base.at;
      const before = base.delivered.get(id) as number;
      rates.set(id, elapsed < 1000 ? null : ((count - before) * 60_000) / elapsed);
    }
    return rates;
  }
}
