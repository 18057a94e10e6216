import type { EventDetail } from '../operations/events.js';
import type { DeliveryCounts } from '../store/event-query-store.js';
import type { StoredEvent } from '../types.js';

/* An event's JSON shapes in GET /api/v1/events and GET /api/v1/events/{id}. */

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An event in the list: what it is, when it was accepted, how its deliveries stand. */
export function eventSummaryJson(event: StoredEvent, deliveries: DeliveryCounts) {
  return {
    id: event.uid,
    type: event.name,
    lsid: event.lsid,
    external_key: event.externalKey,
    created_at: iso(event.acceptedAt),
    // Every delivery of the event carries its id as the webhook-id header.
    webhook_id: event.uid,
    deliveries: {
      ...deliveries,
      total: deliveries.pending + deliveries.delivered + deliveries.failed,
    },
  };
}

/** One event with its body (schema 1, as sent) and its delivery to every recipient. */
export function eventDetailJson({ event, deliveries }: EventDetail) {
  const counts: DeliveryCounts = { pending: 0, delivered: 0, failed: 0 };
  for (const { delivery } of deliveries) counts[delivery.state]++;
  return {
    ...eventSummaryJson(event, counts),
    timestamp: event.timestamp,
    body: event.body,
    custom_fields: event.customFields ?? null,
    recipients: deliveries.map(({ delivery: d, recipient }) => ({
      recipient_id: d.recipientId,
      // Null once the recipient was deleted (its deliveries went with it, so rarely seen).
      recipient_name: recipient?.name ?? null,
      state: d.state,
      attempts: d.attempts,
      last_status: d.lastStatus,
      last_error: d.lastError,
      last_attempt_at: iso(d.lastAttemptAt),
      next_attempt_at: d.state === 'pending' ? iso(d.nextAttemptAt) : null,
      delivered_at: iso(d.deliveredAt),
      failed_at: iso(d.failedAt),
    })),
  };
}
