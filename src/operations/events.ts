import { NotFoundError } from '../errors.js';
import type { EventName } from '../events/index.js';
import type { DeliveryCounts } from '../store/event-query-store.js';
import type { Delivery, Recipient, StoredEvent } from '../types.js';
import type { OperationsContext } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/*
 * The events accepted, as the API lists them (newest first, filtered, a cursor per page) and
 * shows one with its delivery to every recipient. The reads are the admin's Events page's
 * (AdminStore.searchEvents, eventDeliveries): one query each, shared, not copied.
 */

type Ctx = Pick<OperationsContext, 'store'>;

export interface EventFilters {
  lsid?: string;
  externalKey?: string;
  name?: EventName;
  /** Accepted at or after (ms). */
  since?: number;
  /** Accepted at or before (ms). */
  until?: number;
}

export interface EventPage {
  events: { event: StoredEvent; deliveries: DeliveryCounts }[];
  /** The cursor of the next (older) page; null on the last one. */
  next: string | null;
}

const LISTING = 'events';
const NONE: DeliveryCounts = { pending: 0, delivered: 0, failed: 0 };

/**
 * A page of the events the filters find, newest first, after `cursor` (the previous page's
 * `next`). Keyset on the event's id: events accepted while a caller pages are newer than the
 * first page, so they never appear in that walk, and none is skipped or repeated.
 */
export async function listEvents(
  ctx: Ctx,
  filters: EventFilters,
  limit: number,
  cursor?: string,
): Promise<EventPage> {
  const key = { ...filters };
  const afterId = cursor === undefined ? undefined : decodeCursor(cursor, LISTING, key, 1)[0];
  const found = await ctx.store.admin.searchEvents({
    limit: limit + 1,
    ...(filters.lsid === undefined ? {} : { lsid: filters.lsid }),
    ...(filters.externalKey === undefined ? {} : { externalKey: filters.externalKey }),
    ...(filters.name === undefined ? {} : { name: filters.name }),
    ...(filters.since === undefined ? {} : { from: filters.since }),
    ...(filters.until === undefined ? {} : { to: filters.until }),
    ...(afterId === undefined ? {} : { afterId }),
  });
  const page = found.slice(0, limit);
  const counts = await ctx.store.events.deliveryCounts(page.map((e) => e.id));
  const last = page.at(-1);
  return {
    events: page.map((event) => ({ event, deliveries: counts.get(event.id) ?? NONE })),
    next: found.length > limit && last !== undefined ? encodeCursor(LISTING, key, [last.id]) : null,
  };
}

export interface EventDetail {
  event: StoredEvent;
  /** One per recipient the event was queued for; `recipient` is undefined once deleted. */
  deliveries: { delivery: Delivery; recipient: Recipient | undefined }[];
}

/** The event with this public id (`evt_…`) and its delivery to every recipient; 404 if none. */
export async function eventWithDeliveries(ctx: Ctx, uid: string): Promise<EventDetail> {
  const event = await ctx.store.events.findByUid(uid);
  if (event === undefined) {
    throw new NotFoundError(`no event with id ${uid} (it may have been pruned)`);
  }
  const [deliveries, recipients] = await Promise.all([
    ctx.store.admin.eventDeliveries(event.id),
    ctx.store.listRecipients(),
  ]);
  const byId = new Map(recipients.map((r) => [r.id, r]));
  return {
    event,
    deliveries: deliveries.map((delivery) => ({
      delivery,
      recipient: byId.get(delivery.recipientId),
    })),
  };
}
