import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpSender, type HttpSenderOptions } from '../../src/delivery/http-sender.js';
import type { Recipient } from '../../src/types.js';
import { storedRecipient } from '../support/recipient.js';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

interface TestServer {
  url: string;
  port: number;
  received: Received[];
  connections: number;
  closedConnections: number;
}

const servers: (http.Server | net.Server)[] = [];
const senders: HttpSender[] = [];

afterEach(async () => {
  await Promise.all(senders.splice(0).map((s) => s.close()));
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          if (server instanceof http.Server) server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

function listen(server: http.Server | net.Server): Promise<number> {
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

async function serve(handler: Handler, tls?: { key: string; cert: string }): Promise<TestServer> {
  const state = { received: [] as Received[], connections: 0, closedConnections: 0 };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      state.received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
      });
      handler(req, res, body);
    });
  };
  const server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest);
  server.on(tls ? 'secureConnection' : 'connection', (socket: net.Socket) => {
    state.connections++;
    socket.on('close', () => state.closedConnections++);
  });
  const port = await listen(server);
  const scheme = tls ? 'https' : 'http';
  return Object.assign(state, { port, url: `${scheme}://127.0.0.1:${port}` });
}

function reply(status: number, body = '', headers: http.OutgoingHttpHeaders = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
}

function sender(options: HttpSenderOptions = {}): HttpSender {
  const s = new HttpSender(options);
  senders.push(s);
  return s;
}

let nextId = 1;
function recipient(url: string, over: Partial<Recipient> = {}): Recipient {
  return storedRecipient({ id: nextId++, name: `r${nextId}`, url, ...over });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  servers.splice(servers.indexOf(server), 1);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const BODY =
  'event=support_conference_member_added&version=1&timestamp=1700000003&lsid=42&type=customer&display_name=Jos%C3%A9+M%C3%BCller';
const delivery = { eventUid: 'evt_01HX', body: BODY };
const NOW = 1_700_000_123_000;

describe('HttpSender: requests', () => {
  it('POSTs the body byte-exact with our headers to the URL exactly as configured', async () => {
    const server = await serve(reply(200, 'OK'));
    const url = `${server.url}/hook?outbound_event_token=a%2Bb&appliance_id=x`;
    const r = recipient(url, {
      headers: { 'X-Api-Key': 'k1', 'Content-Type': 'text/plain', 'Webhook-Id': 'forged' },
    });
    const result = await sender({ clock: () => NOW }).send(r, delivery);

    expect(result).toMatchObject({
      ok: true,
      status: 200,
      errorCode: null,
      error: null,
      snippet: 'OK',
      at: NOW,
      retryAfterMs: null,
    });
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(server.received).toHaveLength(1);
    const got = server.received[0] as Received;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/hook?outbound_event_token=a%2Bb&appliance_id=x');
    expect(got.body.equals(Buffer.from(BODY))).toBe(true);
    expect(got.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(got.headers['content-length']).toBe(String(Buffer.byteLength(BODY)));
    expect(got.headers['user-agent']).toBe('Outbound/0.1');
    expect(got.headers['webhook-id']).toBe('evt_01HX');
    expect(got.headers['webhook-timestamp']).toBe('1700000123');
    expect(got.headers['webhook-signature']).toBeUndefined();
    expect(got.headers['x-api-key']).toBe('k1');
  });

  it('sends a path without a query, and "/" for a bare origin', async () => {
    const server = await serve(reply(200));
    const s = sender();
    await s.send(recipient(`${server.url}/a/b%20c`), delivery);
    await s.send(recipient(server.url), delivery);
    await s.send(recipient(`${server.url}?q=1#fragment`), delivery);
    expect(server.received.map((r) => r.url)).toEqual(['/a/b%20c', '/', '/?q=1']);
  });

  it('takes the user agent from the options, or from the recipient headers', async () => {
    const server = await serve(reply(200));
    await sender({ userAgent: 'Acme/2' }).send(recipient(server.url), delivery);
    await sender().send(recipient(server.url, { headers: { 'User-Agent': 'Mine/1' } }), delivery);
    expect(server.received.map((r) => r.headers['user-agent'])).toEqual(['Acme/2', 'Mine/1']);
  });

  it('signs with the Standard Webhooks scheme when the recipient has a secret', async () => {
    const server = await serve(reply(200));
    const key = randomBytes(24);
    const r = recipient(server.url, { secret: `whsec_${key.toString('base64')}` });
    const result = await sender({ clock: () => NOW }).send(r, delivery);
    expect(result.ok).toBe(true);
    const headers = (server.received[0] as Received).headers;
    const expected = createHmac('sha256', key)
      .update(`${delivery.eventUid}.1700000123.${BODY}`)
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
  });

  it('sends credentials from the URL as Basic authorization', async () => {
    const server = await serve(reply(200));
    const url = server.url.replace('//', '//user:p%40ss@');
    await sender().send(recipient(`${url}/x`), delivery);
    const got = server.received[0] as Received;
    expect(got.url).toBe('/x');
    expect(got.headers.authorization).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
  });
});

describe('HttpSender: answers', () => {
  it.each([201, 204, 500])('treats %i as a failure, with status and snippet', async (status) => {
    const body = status === 204 ? '' : `answer ${status}`;
    const server = await serve(reply(status, body));
    const result = await sender().send(recipient(server.url), delivery);
    expect(result).toMatchObject({
      ok: false,
      status,
      errorCode: 'HTTP_STATUS',
      snippet: body,
      retryAfterMs: null,
    });
    expect(result.error).toContain(String(status));
  });

  it('does not follow a redirect', async () => {
    const target = await serve(reply(200));
    const server = await serve(reply(302, 'moved', { location: `${target.url}/elsewhere` }));
    const result = await sender().send(recipient(server.url), delivery);
    expect(result).toMatchObject({ ok: false, status: 302, errorCode: 'HTTP_STATUS' });
    expect(result.snippet).toBe('moved');
    expect(server.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
    expect(target.connections).toBe(0);
  });

  it('keeps at most maxSnippetBytes of a large body, cut on a character boundary', async () => {
    const big = 'é'.repeat(200_000); // 400 000 bytes, two per character
    const server = await serve(reply(500, big));
    const result = await sender({ maxSnippetBytes: 1023 }).send(recipient(server.url), delivery);
    expect(result.status).toBe(500);
    const snippet = result.snippet as string;
    expect(Buffer.byteLength(snippet)).toBeLessThanOrEqual(1023);
    expect(snippet).toBe('é'.repeat(511));
  });

  it('stops reading at maxResponseBytes: an endless 200 counts as received', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, 'a');
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {}
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const result = await sender({ maxResponseBytes: 100_000 }).send(
      recipient(server.url, { timeoutMs: 10_000 }),
      delivery,
    );
    expect(result).toMatchObject({ ok: true, status: 200, errorCode: null });
    expect(result.snippet).toBe('a'.repeat(1024));
    expect(result.latencyMs).toBeLessThan(5000);
  });

  it('reads Retry-After on 429 (seconds) and 503 (HTTP-date), not on other statuses', async () => {
    const date = new Date(NOW + 30_000).toUTCString();
    const s429 = await serve(reply(429, '', { 'retry-after': '7' }));
    const s503 = await serve(reply(503, '', { 'retry-after': date }));
    const s500 = await serve(reply(500, '', { 'retry-after': '7' }));
    const s = sender({ clock: () => NOW });
    const results = await Promise.all(
      [s429, s503, s500].map((server) => s.send(recipient(server.url), delivery)),
    );
    expect(results.map((r) => [r.status, r.retryAfterMs])).toEqual([
      [429, 7000],
      [503, 30_000],
      [500, null],
    ]);
  });
});

describe('HttpSender: failures', () => {
  it('times out a server that never answers', async () => {
    const server = await serve(() => {});
    const result = await sender().send(recipient(server.url, { timeoutMs: 300 }), delivery);
    expect(result).toMatchObject({ ok: false, status: null, errorCode: 'TIMEOUT', snippet: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(290);
    expect(result.latencyMs).toBeLessThan(3000);
  });

  it('times out a body that starts but never finishes', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('0123456789');
    });
    const result = await sender().send(recipient(server.url, { timeoutMs: 300 }), delivery);
    expect(result).toMatchObject({ ok: false, status: 200, errorCode: 'TIMEOUT' });
    expect(result.snippet).toBe('0123456789');
  });

  it('reports a body cut off by a closed connection as BODY_INCOMPLETE', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('0123456789', () => setTimeout(() => res.socket?.destroy(), 20));
    });
    const result = await sender().send(recipient(server.url), delivery);
    expect(result).toMatchObject({ ok: false, status: 200, errorCode: 'BODY_INCOMPLETE' });
  });

  it('reports a socket closed before any answer as CONNECTION_RESET', async () => {
    const server = await serve((req) => req.socket.destroy());
    const result = await sender().send(recipient(server.url), delivery);
    expect(result).toMatchObject({ ok: false, status: null, errorCode: 'CONNECTION_RESET' });
  });

  it('reports a TCP reset (RST) as CONNECTION_RESET', async () => {
    const server = net.createServer((socket) => {
      socket.once('data', () => socket.resetAndDestroy());
    });
    const port = await listen(server);
    const result = await sender().send(recipient(`http://127.0.0.1:${port}/`), delivery);
    expect(result).toMatchObject({ ok: false, status: null, errorCode: 'CONNECTION_RESET' });
  });

  it('reports a closed port as CONNECTION_REFUSED', async () => {
    const port = await freePort();
    const result = await sender().send(recipient(`http://127.0.0.1:${port}/`), delivery);
    expect(result).toMatchObject({ ok: false, status: null, errorCode: 'CONNECTION_REFUSED' });
    expect(result.error).toBeTruthy();
  });

  it('reports an answer that is not HTTP as PROTOCOL', async () => {
    const server = net.createServer((socket) => {
      socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    });
    const port = await listen(server);
    const result = await sender().send(recipient(`http://127.0.0.1:${port}/`), delivery);
    expect(result).toMatchObject({ ok: false, status: null, errorCode: 'PROTOCOL' });
  });

  it.each(['not a url', 'ftp://127.0.0.1/x', 'http://'])(
    'reports %j as INVALID_URL',
    async (url) => {
      const result = await sender().send(recipient(url), delivery);
      expect(result).toMatchObject({ ok: false, status: null, errorCode: 'INVALID_URL' });
    },
  );

  it('close() aborts a request in flight', async () => {
    const server = await serve(() => {});
    const s = sender();
    const pending = s.send(recipient(server.url, { timeoutMs: 10_000 }), delivery);
    await waitFor(() => server.received.length === 1);
    await s.close();
    const result = await pending;
    expect(result).toMatchObject({ ok: false, status: null, errorCode: 'OTHER' });
    expect(result.latencyMs).toBeLessThan(5000);
  });

  it('fails without a request once closed', async () => {
    const server = await serve(reply(200));
    const s = sender();
    await s.close();
    const result = await s.send(recipient(server.url), delivery);
    expect(result).toMatchObject({ ok: false, errorCode: 'OTHER' });
    expect(server.received).toHaveLength(0);
  });
});

describe('HttpSender: connections', () => {
  it('reuses one keep-alive connection for sequential sends', async () => {
    const server = await serve(reply(200, 'OK'));
    const s = sender();
    const r = recipient(server.url);
    for (let i = 0; i < 5; i++) expect((await s.send(r, delivery)).ok).toBe(true);
    expect(server.received).toHaveLength(5);
    expect(server.connections).toBe(1);
  });

  it('keeps the connection when only headers or the secret change', async () => {
    const server = await serve(reply(200));
    const s = sender();
    const r = recipient(server.url);
    await s.send(r, delivery);
    await s.send({ ...r, headers: { 'x-n': '2' }, secret: 'whsec_c2VjcmV0' }, delivery);
    await s.send({ ...r, headers: { 'x-n': '3' } }, delivery);
    expect(server.received.map((x) => x.headers['x-n'])).toEqual([undefined, '2', '3']);
    expect(server.received.map((x) => x.headers['webhook-signature'] !== undefined)).toEqual([
      false,
      true,
      false,
    ]);
    expect(server.connections).toBe(1);
  });

  it('rebuilds the pool when the URL or time-out change, closing the old one', async () => {
    const a = await serve(reply(200));
    const b = await serve(reply(200));
    const s = sender();
    const r = recipient(a.url);
    await s.send(r, delivery);
    await s.send({ ...r, url: b.url }, delivery);
    await s.send({ ...r, url: b.url, timeoutMs: 1234 }, delivery);
    await waitFor(() => a.closedConnections === 1 && b.closedConnections === 1);
    expect([a.received.length, b.received.length]).toEqual([1, 2]);
    expect(b.connections).toBe(2);
  });

  it('forget() closes the recipient connection; the next send opens a new one', async () => {
    const server = await serve(reply(200));
    const s = sender();
    const r = recipient(server.url);
    await s.send(r, delivery);
    await s.forget(r.id);
    await waitFor(() => server.closedConnections === 1);
    expect((await s.send(r, delivery)).ok).toBe(true);
    expect(server.connections).toBe(2);
  });
});

describe('HttpSender: TLS', () => {
  let dir: string;
  let key: string;
  let cert: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outbound-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-days',
        '2',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects a self-signed certificate when verifying without its CA', async () => {
    const server = await serve(reply(200), { key, cert });
    const result = await sender().send(recipient(server.url), delivery);
    expect(result).toMatchObject({ ok: false, status: null, errorCode: 'TLS' });
    expect(server.received).toHaveLength(0);
  });

  it('trusts the certificate given as caPem', async () => {
    const server = await serve(reply(200, 'secure'), { key, cert });
    const result = await sender().send(recipient(server.url, { caPem: cert }), delivery);
    expect(result).toMatchObject({ ok: true, status: 200, snippet: 'secure' });
  });

  it('accepts any certificate with tlsVerify=false', async () => {
    const server = await serve(reply(200), { key, cert });
    const result = await sender().send(recipient(server.url, { tlsVerify: false }), delivery);
    expect(result).toMatchObject({ ok: true, status: 200 });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
