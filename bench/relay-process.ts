/**
 * The idle-latency baseline, in its own process: the least an outbound relay can do — a
 * node:http server that takes `POST /api/v1/events` (JSON), appends the body to a file and
 * fsyncs it (the durable commit), then POSTs the event as a form body to the recipient on a
 * keep-alive undici connection and answers 202. No auth, validation, database or queue: what
 * is left of the service's latency is the machine's (two loopback hops, one fsync, wake-ups).
 * argv: the recipient's URL, the folder for the file.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Client } from 'undici';
import { serveRequests } from './util.js';

const [recipientUrl, dir] = process.argv.slice(2) as [string, string];
const target = new URL(recipientUrl);
const client = new Client(target.origin, { keepAliveTimeout: 60_000 });
const fd = openSync(join(dir, 'relay.log'), 'a');

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    writeSync(fd, body);
    fsyncSync(fd);
    const event = JSON.parse(body.toString('utf8')) as Record<string, string>;
    const form = new URLSearchParams(event).toString();
    client
      .request({
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      })
      .then((answer) => answer.body.dump())
      .catch((error: unknown) => process.stderr.write(`relay: ${String(error)}\n`));
    response.writeHead(202, { 'content-type': 'application/json' }).end('{"ids":[0]}');
  });
});

serveRequests(async () => undefined);
process.on('exit', () => closeSync(fd));
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({
    type: 'ready',
    port: typeof address === 'object' && address ? address.port : 0,
  });
});
