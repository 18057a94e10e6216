/**
 * A minimal Express receiver that prints each event as JSON.
 *
 *   OUTBOUND_SECRET=whsec_… node --import tsx examples/express-receiver/server.ts
 *
 * Environment: PORT (default 3000; 0 picks a free one), HOST (default 127.0.0.1),
 * OUTBOUND_SECRET, OUTBOUND_TOKEN. Point the recipient URL at http://HOST:PORT/outbound.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';

const app = createApp({ secret: process.env.OUTBOUND_SECRET, token: process.env.OUTBOUND_TOKEN });
const server = app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  console.log(`express receiver listening on http://${address}:${port}/outbound`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeIdleConnections();
  });
}
