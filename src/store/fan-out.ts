import type { NewEvent } from '../types.js';

/** A row of ENABLED_RECIPIENTS, the same on both backends. */
export interface SubscriberRow {
  id: number;
  /** JSON: an array of event names, or "all". */
  events: string;
}

/** An enabled recipient's subscription, parsed. */
export interface Subscription {
  id: number;
  /** The stored `events` text this was parsed from. */
  source: string;
  events: ReadonlySet<string> | 'all';
}

/**
 * Parsed subscriptions, reused while a recipient's `events` text is unchanged. Keyed by the
 * text, not by updated_at: another process may delete a recipient and create one that reuses
 * its id within the same millisecond.
 */
export class Subscriptions {
  private readonly parsed = new Map<number, Subscription>();

  of(rows: readonly SubscriberRow[]): Subscription[] {
    return rows.map((row) => {
      const cached = this.parsed.get(row.id);
      if (cached !== undefined && cached.source === row.events) return cached;
      const events = JSON.parse(row.events) as string[] | 'all';
      const fresh: Subscription = {
        id: row.id,
        source: row.events,
        events: events === 'all' ? 'all' : new Set(events),
      };
      this.parsed.set(row.id, fresh);
      return fresh;
    });
  }

  /** The recipient is deleted. */
  forget(id: number): void {
    this.parsed.delete(id);
  }
}

/**
 * Which recipients each accepted event is queued for: the one it names (a test event), or
 * else every enabled recipient subscribed to its name. Remembers every recipient it queued
 * for, whose lanes are to be woken.
 */
export class FanOut {
  private readonly touched = new Set<number>();

  constructor(private readonly subscribers: readonly Subscription[]) {}

  /** The recipients `event` is queued for, in the order of the subscriptions. */
  recipientsOf(event: NewEvent): number[] {
    const chosen: number[] = [];
    for (const recipient of this.subscribers) {
      if (event.onlyRecipientId !== undefined) {
        if (recipient.id !== event.onlyRecipientId) continue;
      } else if (recipient.events !== 'all' && !recipient.events.has(event.name)) continue;
      chosen.push(recipient.id);
      this.touched.add(recipient.id);
    }
    return chosen;
  }

  /** Every recipient queued for so far, once each. */
  get recipientIds(): number[] {
    return [...this.touched];
  }
}
