/**
 * The connector checks the address each connection goes to, with a resolver the test
 * controls: DNS rebinding, mixed answers, names refused before any query, TLS by host name.
 * Refused addresses are never connected to, so no packet leaves loopback.
 */
import { execFileSync } from 'node:child_process';
import type { LookupAddress } from 'node:dns';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResolveAll } from '../../src/delivery/destination-connector.js';
import { DestinationPolicy } from '../../src/delivery/destination-policy.js';
import { destinationWarnings } from '../../src/delivery/destination-warning.js';
import { HttpSender } from '../../src/delivery/http-sender.js';
import { storedRecipient } from '../support/recipient.js';

const delivery = { eventUid: 'evt_1', body: 'event=support_conference_begin' };
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A resolver that answers `answers` in turn (the last one again after that), and counts. */
function scriptedResolver(...answers: string[][]) {
  const asked: string[] = [];
  const resolve: ResolveAll = async (hostname) => {
    asked.push(hostname);
    const answer = answers[Math.min(asked.length, answers.length) - 1] ?? [];
    return answer.map(
      (address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }),
    );
  };
  return { resolve, asked };
}

/** A loopback receiver that closes every connection after its answer: each send connects anew. */
async function receiver(server: http.Server | https.Server = http.createServer()) {
  const received: string[] = [];
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.resume();
    req.on('end', () => {
      received.push(req.url ?? '');
      res.writeHead(200, { connection: 'close' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, received, server };
}

function sender(policy: DestinationPolicy, resolve: ResolveAll) {
  const s = new HttpSender({ destinations: { policy, resolve } });
  closers.push(() => s.close());
  return s;
}

describe('destination connector', () => {
  it('checks every new connection: a name that rebinds to a refused address is refused then', async () => {
    const rcv = await receiver();
    const dns = scriptedResolver(['127.0.0.1'], ['169.254.169.254'], ['127.0.0.1']);
    const s = sender(DestinationPolicy.DEFAULT, dns.resolve);
    const r = storedRecipient({ url: `http://rebind.test:${rcv.port}/hook` });

    expect(await s.send(r, delivery)).toMatchObject({ ok: true, status: 200 });
    const refused = await s.send(r, delivery);
    expect(refused).toMatchObject({ ok: false, status: null, errorCode: 'DESTINATION_REFUSED' });
    expect(refused.error).toBe(
      'destination refused by the outbound policy: rebind.test: 169.254.169.254 is a link-local address (cloud metadata lives there), refused by default (allow 169.254.0.0/16 or part of it to send there)',
    );
    expect(await s.send(r, delivery)).toMatchObject({ ok: true, status: 200 });
    expect(dns.asked).toEqual(['rebind.test', 'rebind.test', 'rebind.test']);
    expect(rcv.received).toEqual(['/hook', '/hook']);
  });

  it('connects only to the allowed addresses of a mixed answer', async () => {
    const rcv = await receiver();
    const dns = scriptedResolver(['169.254.169.254', 'fe80::1', '127.0.0.1']);
    const s = sender(DestinationPolicy.DEFAULT, dns.resolve);
    const result = await s.send(
      storedRecipient({ url: `http://mixed.test:${rcv.port}/` }),
      delivery,
    );
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(rcv.received).toEqual(['/']);
  });

  it('applies the operator deny list to resolved addresses', async () => {
    const rcv = await receiver();
    const dns = scriptedResolver(['127.0.0.1', '::1']);
    const policy = DestinationPolicy.of({ deny: ['127.0.0.0/8', '::1/128'] });
    const result = await sender(policy, dns.resolve).send(
      storedRecipient({ url: `http://on-prem.test:${rcv.port}/` }),
      delivery,
    );
    expect(result).toMatchObject({ ok: false, errorCode: 'DESTINATION_REFUSED' });
    expect(result.error).toMatch(/127\.0\.0\.1 is in the deny list \(127\.0\.0\.0\/8\)/);
    expect(rcv.received).toEqual([]);
  });

  it('refuses metadata names and refused literals before any DNS query', async () => {
    const dns = scriptedResolver(['127.0.0.1']);
    const s = sender(DestinationPolicy.DEFAULT, dns.resolve);
    for (const url of [
      'http://metadata.google.internal/computeMetadata/v1/',
      'https://metadata.goog./',
      'http://instance-data/latest/meta-data/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/',
      'http://[64:ff9b::a9fe:a9fe]/',
    ]) {
      const result = await s.send(storedRecipient({ url }), delivery);
      expect(result, url).toMatchObject({
        ok: false,
        status: null,
        errorCode: 'DESTINATION_REFUSED',
      });
    }
    expect(dns.asked).toEqual([]);
  });

  it('a name that resolves to nothing allowed, or not at all, fails without a connection', async () => {
    const none = scriptedResolver([]);
    const empty = await sender(DestinationPolicy.DEFAULT, none.resolve).send(
      storedRecipient({ url: 'http://nothing.test/' }),
      delivery,
    );
    expect(empty).toMatchObject({ ok: false, errorCode: 'DESTINATION_REFUSED' });

    const failing: ResolveAll = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND gone.test'), { code: 'ENOTFOUND' });
    };
    const gone = await sender(DestinationPolicy.DEFAULT, failing).send(
      storedRecipient({ url: 'http://gone.test/' }),
      delivery,
    );
    expect(gone).toMatchObject({ ok: false, errorCode: 'DNS' });
  });
});

describe('destination connector: TLS', () => {
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
        '/CN=receiver.test',
        '-addext',
        'subjectAltName=DNS:receiver.test',
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

  it('keeps the host name for SNI and the certificate check while connecting to the checked address', async () => {
    const server = https.createServer({ key, cert });
    const names: (string | false | null)[] = [];
    server.on('secureConnection', (socket: TLSSocket) => names.push(socket.servername));
    const rcv = await receiver(server);
    const dns = scriptedResolver(['127.0.0.1']);
    const s = sender(DestinationPolicy.DEFAULT, dns.resolve);
    const url = `https://receiver.test:${rcv.port}/hook`;
    expect(await s.send(storedRecipient({ url, caPem: cert }), delivery)).toMatchObject({
      ok: true,
      status: 200,
    });
    expect(names).toEqual(['receiver.test']);
    // A name the certificate does not hold fails the check, though the address is the same.
    const other = scriptedResolver(['127.0.0.1']);
    const wrong = await sender(DestinationPolicy.DEFAULT, other.resolve).send(
      storedRecipient({ url: `https://other.test:${rcv.port}/hook`, caPem: cert }),
      delivery,
    );
    expect(wrong).toMatchObject({ ok: false, errorCode: 'TLS' });
  });
});

describe('destination warning on save', () => {
  it('warns for refused literals, names and resolved addresses; never for DNS trouble', async () => {
    const policy = DestinationPolicy.of({ deny: ['10.0.0.0/8'] });
    const dns = scriptedResolver(['192.0.2.1', '10.1.2.3']);
    const warn = (url: string, resolve: ResolveAll = dns.resolve) =>
      destinationWarnings(policy, url, { resolve, timeoutMs: 200 });

    expect(await warn('http://[::ffff:a9fe:a9fe]/')).toEqual([expect.stringMatching(/link-local/)]);
    expect(await warn('http://metadata.google.internal/')).toEqual([
      expect.stringMatching(/cloud metadata host name/),
    ]);
    expect(await warn('http://10.9.9.9/')).toEqual([expect.stringMatching(/deny list/)]);
    expect(await warn('https://hooks.test/x')).toEqual([
      'deliveries to this URL will be refused by the destination policy: hooks.test resolves now to 10.1.2.3; 10.1.2.3 is in the deny list (10.0.0.0/8)',
    ]);
    expect(await warn('http://192.0.2.1/')).toEqual([]);
    expect(await warn('not a url')).toEqual([]);
    const down: ResolveAll = async () => {
      throw Object.assign(new Error('EAI_AGAIN'), { code: 'EAI_AGAIN' });
    };
    expect(await warn('https://hooks.test/x', down)).toEqual([]);
    const never: ResolveAll = () => new Promise(() => {});
    expect(await warn('https://hooks.test/x', never)).toEqual([]);
  });
});
