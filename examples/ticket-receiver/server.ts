/**
 * A receiver that keeps one ticket per support session in SQLite.
 *
 *   OUTBOUND_SECRET=whsec_… node --import tsx examples/ticket-receiver/server.ts
 *
 * Environment: PORT (default 3000; 0 picks a free one), HOST (default 127.0.0.1),
 * OUTBOUND_SECRET (the recipient's signing secret), OUTBOUND_TOKEN (the URL's
 * outbound_event_token), TICKETS_DB (default ./tickets.db).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { createTicketReceiver } from './receiver.js';

const { OUTBOUND_SECRET: secret, OUTBOUND_TOKEN: token } = process.env;
if (!secret && !token) {
  console.warn(
    'warning: neither OUTBOUND_SECRET nor OUTBOUND_TOKEN is set: anyone may post events',
  );
}

const db = new Database(process.env.TICKETS_DB ?? 'tickets.db');
db.pragma('journal_mode = WAL');
const receiver = createTicketReceiver(db, { secret, token });

const server = createServer(receiver.toNodeListener());
server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  console.log(`ticket receiver listening on http://${address}:${port}/`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => db.close());
    server.closeIdleConnections();
  });
}
