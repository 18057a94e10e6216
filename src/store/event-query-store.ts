import type { DeliveryState, StoredEvent } from '../types.js';

/**
 * What the API's event listing reads besides the event search and an event's deliveries
 * (AdminStore.searchEvents, AdminStore.eventDeliveries, shared with the admin pages): an event
 * by its public id, and how many deliveries of each state a page of events has.
 */

/** Deliveries of one event per state; states it has none of are 0. */
export type DeliveryCounts = Record<DeliveryState, number>;

export interface EventQueryStore {
  /** The event with this public id (`evt_…`, the webhook-id), undefined when none. */
  findByUid(uid: string): Promise<StoredEvent | undefined>;
  /** Per event id given: its deliveries counted by state (an event with none is absent). */
  deliveryCounts(eventIds: readonly number[]): Promise<Map<number, DeliveryCounts>>;
}

/** A row of the count query, as both backends read it. */
export interface DeliveryCountRow {
  event_id: number | string;
  state: DeliveryState;
  n: number | string;
}

export function toDeliveryCounts(rows: readonly DeliveryCountRow[]): Map<number, DeliveryCounts> {
  const out = new Map<number, DeliveryCounts>();
  for (const row of rows) {
    const id = Number(row.event_id);
    const counts = out.get(id) ?? { pending: 0, delivered: 0, failed: 0 };
    counts[row.state] = Number(row.n);
    out.set(id, counts);
  }
  return out;
}
