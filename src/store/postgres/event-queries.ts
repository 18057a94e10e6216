import type { StoredEvent } from '../../types.js';
import { type EventRow, toEvent } from '../delivery-rows.js';
import {
  type DeliveryCountRow,
  type DeliveryCounts,
  type EventQueryStore,
  toDeliveryCounts,
} from '../event-query-store.js';
import type { PostgresConnection } from './database.js';
import { DELIVERY_COUNTS, FIND_EVENT_BY_UID } from './sql/event-queries.js';

/** The API's event reads in the shared database. */
export class PostgresEventQueries implements EventQueryStore {
  constructor(private readonly conn: PostgresConnection) {}

  async findByUid(uid: string): Promise<StoredEvent | undefined> {
    return this.conn.first(FIND_EVENT_BY_UID, [uid], (row: EventRow) => toEvent(row));
  }

  async deliveryCounts(eventIds: readonly number[]): Promise<Map<number, DeliveryCounts>> {
    if (eventIds.length === 0) return new Map();
    return toDeliveryCounts(await this.conn.rows<DeliveryCountRow>(DELIVERY_COUNTS, [eventIds]));
  }
}
