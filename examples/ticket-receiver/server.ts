/**
 * A receiver that keeps one ticket per support session in SQLite.
 *
 *   OUTBOUND_SECRET=whsec_… node --import tsx examples/ticket-receiver/server.ts
 *
 * Environment: PORT (default 3000; 0 picks a free one), HOST (default 127.0.0.1),
 * OUTBOUND_SECRET (the recipient's signing secret), OUTBOUND_TOKEN (the URL's
 * outbound_event_token), TICKETS_DB (default ./tickets.db).
 *
 * The database is opened with Node's built-in node:sqlite (Node ≥ 24.15: nothing to compile),
 * or better-sqlite3 on older Node (npm install better-sqlite3).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SqliteDatabase } from '../../src/receiver/index.js';
import { createTicketReceiver } from './receiver.js';

const { OUTBOUND_SECRET: secret, OUTBOUND_TOKEN: token } = process.env;
if (!secret && !token) {
  console.warn(
    'warning: neither OUTBOUND_SECRET nor OUTBOUND_TOKEN is set: anyone may post events',
  );
}

type Database = SqliteDatabase & { close(): void };
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const path = process.env.TICKETS_DB ?? 'tickets.db';
// A specifier in a variable: @types/node 20 does not declare node:sqlite.
const nodeSqlite = 'node:sqlite';
const db: Database =
  major >= 25 || (major === 24 && minor >= 15)
    ? new (
        (await import(nodeSqlite)) as { DatabaseSync: new (path: string) => Database }
      ).DatabaseSync(path)
    : new (await import('better-sqlite3')).default(path);
db.exec('PRAGMA journal_mode = WAL');
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
