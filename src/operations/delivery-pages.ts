import type { DeliveryQuery } from '../store/store.js';
import type { Delivery, DeliveryState } from '../types.js';
import type { OperationsContext } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/*
 * A recipient's deliveries a page at a time (GET /api/v1/recipients/{id}/deliveries). The
 * pending queue is listed from its head, in the order it will be sent; history (and a walk
 * begun with the older `before`) newest first. The cursor carries which of the two it walks,
 * so that a walk begun with `before` goes on with `cursor` alone.
 */

type Ctx = Pick<OperationsContext, 'store'>;

const LISTING = 'deliveries';
/** The keyset's second number: which way the walk goes. */
const NEWEST_FIRST = 0;
const FROM_HEAD = 1;

export interface DeliveryPageQuery {
  limit: number;
  state: DeliveryState | undefined;
  /** The older paging: seqs below this, newest first. */
  before: number | undefined;
  cursor: string | undefined;
}

export async function listDeliveryPage(
  ctx: Ctx,
  recipientId: number,
  query: DeliveryPageQuery,
): Promise<{ deliveries: Delivery[]; next: string | null }> {
  const filters = { recipient: recipientId, state: query.state };
  let direction =
    query.state === 'pending' && query.before === undefined ? FROM_HEAD : NEWEST_FIRST;
  const store: DeliveryQuery = { limit: query.limit + 1 };
  if (query.state !== undefined) store.state = query.state;
  if (query.before !== undefined) store.beforeSeq = query.before;
  if (query.cursor !== undefined) {
    const [seq, way] = decodeCursor(query.cursor, LISTING, filters, 2) as [number, number];
    direction = way === FROM_HEAD ? FROM_HEAD : NEWEST_FIRST;
    if (direction === FROM_HEAD) store.afterSeq = seq;
    else store.beforeSeq = seq;
  }
  const found = await ctx.store.listDeliveries(recipientId, store);
  const deliveries = found.slice(0, query.limit);
  const last = deliveries.at(-1);
  const next =
    found.length > query.limit && last !== undefined
      ? encodeCursor(LISTING, filters, [last.seq, direction])
      : null;
  return { deliveries, next };
}
