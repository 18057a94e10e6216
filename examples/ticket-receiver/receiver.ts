import {
  createHandler,
  type OutboundEvent,
  type OutboundHandler,
  type SqliteDatabase,
  SqliteSeenStore,
} from '../../src/receiver/index.js';
import { Tickets } from './tickets.js';

export interface TicketReceiverOptions {
  /** The recipient's `whsec_…` secret in Outbound; recommended. */
  secret?: string;
  /** The `outbound_event_token` in the recipient URL, if you use one. */
  token?: string;
}

/**
 * Opens a ticket per support session: begin creates it, owner_changed assigns it, end closes
 * it. Tickets and the seen-store share one database file.
 */
export function createTicketReceiver(
  db: SqliteDatabase,
  options: TicketReceiverOptions = {},
): OutboundHandler {
  const tickets = new Tickets(db);
  // Runs after each event's own change, in the same transaction.
  const withKey = (event: OutboundEvent, change: () => void) =>
    tickets.transaction(() => {
      change();
      if (event.external_key !== undefined) tickets.setExternalKey(event.lsid, event.external_key);
    });

  return createHandler({
    ...options,
    seen: new SqliteSeenStore(db),
    on: {
      support_conference_begin: (e) => withKey(e, () => tickets.open(e.lsid, e.timestamp)),
      support_conference_owner_changed: (e) =>
        withKey(e, () => tickets.assign(e.lsid, e.timestamp, e.conference_id, e.conference_name)),
      support_conference_end: (e) => withKey(e, () => tickets.close(e.lsid, e.timestamp)),
      // Members and surveys do not change the ticket, but may bring the external key.
      default: (e) => withKey(e, () => {}),
    },
  });
}
