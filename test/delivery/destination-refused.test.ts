/**
 * The destination policy end to end: recipients whose URLs point where the policy refuses get
 * failed attempts coded DESTINATION_REFUSED (in the API and on the admin page), nothing reaches
 * a receiver, and saving such a URL answers with a warning. No packet leaves loopback: every
 * non-loopback URL here is refused before a connection is opened.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import { signedIn } from '../admin/client.js';
import type { TestService } from '../support/service.js';
import { waitUntil } from '../support/wait.js';
import { cleanup, FAST, makeEvent, postEvents, receiver, service } from './e2e.js';

afterEach(cleanup);

const LOOPBACK_DENIED = { destinationDeny: ['127.0.0.0/8', '::1/128'] } as Partial<Config>;

interface Attempt {
  errorCode: string | null;
  error: string | null;
}

/** Creates the recipient; returns its id and the answer's warnings. */
async function add(svc: TestService, name: string, url: string) {
  const res = await svc.api('POST', '/api/v1/recipients', { ...FAST, name, url });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id as number, warnings: res.body.warnings as string[] | undefined };
}

/** The recipient's first attempt, once it has one, as GET …/deliveries shows it. */
async function firstAttempt(svc: TestService, id: number): Promise<Attempt> {
  return waitUntil<Attempt | undefined>(async () => {
    const res = await svc.api('GET', `/api/v1/recipients/${id}/deliveries`);
    return res.body.deliveries?.[0]?.failedAttempts?.[0] as Attempt | undefined;
  }, `an attempt of recipient ${id}`) as Promise<Attempt>;
}

async function expectRefused(urls: string[], svc: TestService) {
  const ids = new Map<string, number>();
  for (const [i, url] of urls.entries()) {
    const { id, warnings } = await add(svc, `r${i}`, url);
    expect(warnings, `a warning for ${url}`).toEqual([
      expect.stringContaining('refused by the destination policy'),
    ]);
    ids.set(url, id);
  }
  await postEvents(svc, makeEvent('begin'));
  for (const [url, id] of ids) {
    const attempt = await firstAttempt(svc, id);
    expect(attempt.errorCode, `${url}: ${attempt.error}`).toBe('DESTINATION_REFUSED');
    expect(attempt.error).toMatch(/^destination refused by the outbound policy: /);
  }
}

describe('destination policy: loopback denied by the operator', () => {
  it('refuses every spelling of a loopback receiver, and nothing reaches it', async () => {
    const svc = await service(LOOPBACK_DENIED);
    const rcv = await receiver();
    const port = rcv.port;
    await expectRefused(
      [
        `http://127.0.0.1:${port}/hook`,
        `http://0x7f000001:${port}/hook`,
        `http://2130706433:${port}/hook`,
        `http://0177.0.0.1:${port}/hook`,
        `http://127.1:${port}/hook`,
        `http://[::ffff:127.0.0.1]:${port}/hook`,
        `http://[::ffff:7f00:1]:${port}/hook`,
        `http://[::1]:${port}/hook`,
        `http://localhost:${port}/hook`,
      ],
      svc,
    );
    expect(rcv.requests).toEqual([]);
  });

  it('shows the code on the admin recipient page', async () => {
    const svc = await service(LOOPBACK_DENIED);
    const rcv = await receiver();
    const { id } = await add(svc, 'on-prem', rcv.url);
    await postEvents(svc, makeEvent('begin'));
    await firstAttempt(svc, id);
    const client = await signedIn(svc);
    const page = await client.get(`/admin/recipients/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('DESTINATION_REFUSED');
    expect(rcv.requests).toEqual([]);
  });
});

describe('destination policy: the built-in refusals', () => {
  it('refuses link-local, metadata, unspecified and multicast destinations in any spelling', async () => {
    const svc = await service();
    const rcv = await receiver();
    await expectRefused(
      [
        // 0.0.0.0 and :: reach the local host on Linux: the receiver would get these.
        `http://0.0.0.0:${rcv.port}/hook`,
        `http://0:${rcv.port}/hook`,
        `http://[::]:${rcv.port}/hook`,
        'http://169.254.169.254/latest/meta-data/',
        'http://0xa9fea9fe/latest/meta-data/',
        'http://2852039166/latest/meta-data/',
        'http://[::ffff:169.254.169.254]/',
        'http://[::ffff:a9fe:a9fe]/',
        'http://[64:ff9b::169.254.169.254]/',
        'http://[fd00:ec2::254]/',
        'http://[fe80::1]/',
        'http://metadata.google.internal/computeMetadata/v1/',
        'http://METADATA.Google.Internal./computeMetadata/v1/',
        'http://224.0.0.1/',
        'http://[ff02::1]/',
      ],
      svc,
    );
    expect(rcv.requests).toEqual([]);
  });

  it('keeps loopback receivers working by default, without a warning', async () => {
    const svc = await service();
    const rcv = await receiver();
    const { warnings } = await add(svc, 'local', rcv.url);
    expect(warnings).toBeUndefined();
    await postEvents(svc, makeEvent('begin'));
    await waitUntil(() => rcv.accepted.length === 1, 'the delivery');
  });

  it('lets an operator allow a built-in refused range explicitly', async () => {
    // 0.0.0.0 reaches the local receiver: allowing 0.0.0.0/8 lifts that refusal only.
    const svc = await service({
      destinationAllow: ['0.0.0.0/8', '127.0.0.0/8'],
    } as Partial<Config>);
    const rcv = await receiver();
    const { warnings } = await add(svc, 'any', `http://0.0.0.0:${rcv.port}/hook`);
    expect(warnings).toBeUndefined();
    await postEvents(svc, makeEvent('begin'));
    await waitUntil(() => rcv.accepted.length === 1, 'the delivery');
  });
});

describe('destination policy: saving a refused URL', () => {
  it('warns on PATCH of the URL, and the admin form shows the warning after saving', async () => {
    const svc = await service(LOOPBACK_DENIED);
    const { id, warnings } = await add(svc, 'x', 'http://192.0.2.10/hook');
    expect(warnings).toBeUndefined();
    const patched = await svc.api('PATCH', `/api/v1/recipients/${id}`, {
      url: 'http://[::ffff:169.254.169.254]/',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.url).toBe('http://[::ffff:169.254.169.254]/');
    expect(patched.body.warnings).toEqual([expect.stringContaining('link-local')]);

    const client = await signedIn(svc);
    await client.get('/admin/recipients/new');
    const created = await client.post('/admin/recipients/new', {
      enabled: 'on',
      tlsVerify: 'on',
      name: 'metadata',
      url: 'http://metadata.google.internal/',
      events: 'support_conference_begin',
      retryIntervalSeconds: '10',
      retryDurationSeconds: '0',
      timeoutSeconds: '10',
    });
    expect(created.status, created.text).toBe(303);
    expect(created.location).toMatch(/\?notice=created&warning=destination$/);
    const page = await client.get(created.location!);
    expect(page.text).toContain('refused by the destination policy');
    expect(page.text).toContain('metadata.google.internal is a cloud metadata host name');
  });
});
