import type { StoredEvent } from '../../types.js';
import { type EventRow, toEvent } from '../delivery-rows.js';
import {
  type DeliveryCountRow,
  type DeliveryCounts,
  type EventQueryStore,
  toDeliveryCounts,
} from '../event-query-store.js';
import type { SqliteConnection } from './database.js';
import { DELIVERY_COUNTS, FIND_EVENT_BY_UID } from './sql/event-queries.js';

/** The API's event reads on the store's one connection. */
export class SqliteEventQueries implements EventQueryStore {
  constructor(
    private readonly conn: SqliteConnection,
    /** Applies the 200s still in the ack log, so that states read are current. */
    private readonly foldAcks: () => void,
  ) {}

  async findByUid(uid: string): Promise<StoredEvent | undefined> {
    return this.conn.first(FIND_EVENT_BY_UID, [uid], (row: EventRow) => toEvent(row));
  }

  async deliveryCounts(eventIds: readonly number[]): Promise<Map<number, DeliveryCounts>> {
    if (eventIds.length === 0) return new Map();
    this.foldAcks();
    const rows = this.conn.statement(DELIVERY_COUNTS).all(JSON.stringify(eventIds));
    return toDeliveryCounts(rows as DeliveryCountRow[]);
  }
}
