import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/admin/audit.js';
import { TestReceiver } from '../support/receiver.js';
import { startService, type TestService } from '../support/service.js';
import { waitUntil } from '../support/wait.js';
import { type AdminClient, signedIn } from './client.js';

let svc: TestService;
let receiver: TestReceiver;
let client: AdminClient;

beforeEach(async () => {
  svc = await startService({ sweepIntervalMs: 100 });
  receiver = await TestReceiver.start();
  client = await signedIn(svc);
});

afterEach(async () => {
  await svc.stop();
  await receiver.close();
});

async function addRecipient(body: Record<string, unknown> = {}): Promise<number> {
  const created = await svc.api('POST', '/api/v1/recipients', {
    name: 'tickets',
    url: receiver.url,
    retryIntervalSeconds: 60,
    ...body,
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

const send = (lsid: string) =>
  svc.api('POST', '/api/v1/events', { event: 'support_conference_end', lsid });

/** The rows (by data-seq) of one of the page's delivery tables. */
function rowsOf(page: string, kind: 'pending' | 'failed' | 'delivered'): string[] {
  const table = new RegExp(`<table data-deliveries="${kind}">([\\s\\S]*?)</table>`).exec(page)?.[1];
  return [...(table ?? '').matchAll(/<tr data-seq="\d+">([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
}

describe("a recipient's page", () => {
  it('shows the pending queue head first with attempts and errors, and the history', async () => {
    const id = await addRecipient();
    await send('delivered-1');
    await waitUntil(() => receiver.accepted.length === 1, 'the first delivery');
    receiver.mode = { kind: 'status', status: 503 };
    await send('head-2');
    await send('next-3');
    await waitUntil(async () => {
      const [head] = await svc.service.store.listDeliveries(id, { state: 'pending', limit: 1 });
      return head?.attempts === 1;
    }, 'a failed attempt of the head');
    const page = await client.get(`/admin/recipients/${id}`);
    expect(page.status).toBe(200);
    const pending = rowsOf(page.text, 'pending');
    expect(pending).toHaveLength(2);
    expect(pending[0]).toContain('head-2');
    expect(pending[0]).toContain('(head)');
    expect(pending[0]).toContain('HTTP 503');
    expect(pending[1]).toContain('next-3');
    expect(rowsOf(page.text, 'delivered')[0]).toContain('delivered-1');
    expect(page.text).toContain('No failed event.');
    expect(page.text).toMatch(/data-field="status" data-kind="retrying">Retrying/);
  });

  it('shows its error-alert settings as the form names them', async () => {
    const quiet = await addRecipient();
    expect((await client.get(`/admin/recipients/${quiet}`)).text).toMatch(
      /<dt>Email Contact<\/dt><dd data-field="alertContacts">no error alerts<\/dd>/,
    );
    const watched = await addRecipient({
      name: 'watched',
      alertContacts: ['ops@example.com', 'desk@example.com'],
      alertAfterSeconds: 300,
      resendAlertsSeconds: 3600,
    });
    expect((await client.get(`/admin/recipients/${watched}`)).text).toContain(
      'ops@example.com, desk@example.com: alert after 300 s of failing, again every 3600 s while it fails',
    );
    const once = await addRecipient({
      name: 'once',
      alertContacts: ['ops@example.com'],
      alertAfterSeconds: 60,
      resendAlertsSeconds: 0,
    });
    expect((await client.get(`/admin/recipients/${once}`)).text).toContain(
      'ops@example.com: alert after 60 s of failing, once',
    );
  });

  it('runs the actions, writes each to the audit log, and says why one cannot run', async () => {
    const id = await addRecipient();
    await client.get(`/admin/recipients/${id}`);

    const empty = await client.post(`/admin/recipients/${id}/set-aside`);
    expect(empty.status).toBe(409);
    expect(empty.text).toContain('the queue is empty: there is no head event to set aside');

    const test = await client.post(`/admin/recipients/${id}/test`);
    expect(test.location).toBe(`/admin/recipients/${id}?notice=test`);
    await waitUntil(
      () => receiver.accepted.some((b) => b.includes('lsid=outbound-test')),
      'the test event',
    );
    expect((await client.get(test.location!)).text).toContain('A test event was queued');

    expect((await client.post(`/admin/recipients/${id}/pause`)).status).toBe(303);
    expect((await svc.service.store.getRecipient(id))?.paused).toBe(true);
    await send('while-paused');
    const paused = await client.get(`/admin/recipients/${id}`);
    expect(paused.text).toContain('>Paused<');
    expect(rowsOf(paused.text, 'pending')[0]).toContain('while-paused');

    expect((await client.post(`/admin/recipients/${id}/set-aside`)).status).toBe(303);
    expect((await client.post(`/admin/recipients/${id}/resume`)).status).toBe(303);
    const replayed = await client.post(`/admin/recipients/${id}/replay`);
    expect(replayed.location).toBe(`/admin/recipients/${id}?notice=replay`);
    await waitUntil(
      () => receiver.accepted.some((b) => b.includes('lsid=while-paused')),
      'the replayed event',
    );
    expect((await client.post(`/admin/recipients/${id}/retry`)).location).toMatch(
      /notice=retry-empty$/,
    );

    const badRange = await client.post(`/admin/recipients/${id}/replay-range`, {
      from: 'yesterday',
      to: '',
    });
    expect(badRange.status).toBe(400);
    expect(badRange.text).toContain('From must be a time like 2026-11-24T09:30 (UTC)');
    const before = receiver.accepted.length;
    const range = await client.post(`/admin/recipients/${id}/replay-range`, {
      from: new Date(Date.now() - 3600_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString().slice(0, 16), // as datetime-local sends it
    });
    expect(range.location).toBe(`/admin/recipients/${id}?notice=replay-range`);
    await waitUntil(
      () => receiver.accepted.slice(before).some((b) => b.includes('lsid=while-paused')),
      'the replayed range',
    );

    const deleted = await client.post(`/admin/recipients/${id}/delete`);
    expect(deleted.location).toBe('/admin/recipients?notice=deleted');
    expect(await svc.service.store.getRecipient(id)).toBeUndefined();
    expect((await client.get(`/admin/recipients/${id}`)).status).toBe(404);

    // The recipient was added through the API (audited as api:test): the page's own entries.
    const audit = (await svc.service.store.admin.listAudit(20)).filter((e) => e.actor === 'admin');
    expect(audit.map((e) => e.action).reverse()).toEqual([
      'recipient.test',
      'recipient.pause',
      'recipient.set-aside',
      'recipient.resume',
      'recipient.replay',
      'recipient.retry',
      'recipient.replay-range',
      'recipient.delete',
    ]);
    expect(
      audit.every((e) => e.actor === 'admin' && e.target === `recipient ${id} (tickets)`),
    ).toBe(true);
    expect(audit.find((e) => e.action === 'recipient.replay')?.after).toEqual({ replayed: 1 });
  });

  it('uploads a CA certificate, refuses a file that is not one, and removes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbound-ca-'));
    try {
      await promisify(execFile)('openssl', [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'ca.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=Test Root',
      ]);
      const pem = readFileSync(join(dir, 'ca.pem'), 'utf8');
      const id = await addRecipient();
      await client.get(`/admin/recipients/${id}/edit`);
      const form = (file: string, extra: Record<string, string> = {}) => {
        const data = new FormData();
        data.append('csrf', client.csrf!);
        for (const [k, v] of Object.entries({
          enabled: 'on',
          tlsVerify: 'on',
          name: 'tickets',
          url: receiver.url,
          retryIntervalSeconds: '60',
          retryDurationSeconds: '0',
          timeoutSeconds: '10',
          ...extra,
        }))
          data.append(k, v);
        for (const e of ['support_conference_begin']) data.append('events', e);
        data.append(
          'caCertificate',
          new Blob([file], { type: 'application/x-pem-file' }),
          'ca.pem',
        );
        return data;
      };
      const bad = await client.request(
        'POST',
        `/admin/recipients/${id}/edit`,
        form('not a certificate'),
      );
      expect(bad.status).toBe(400);
      expect(bad.text).toMatch(
        /id="caCertificate-error" role="alert">CA certificate must be a PEM certificate/,
      );
      const good = await client.request('POST', `/admin/recipients/${id}/edit`, form(pem));
      expect(good.status).toBe(303);
      expect((await svc.service.store.getRecipient(id))?.caPem).toBe(pem.trim());
      const [entry] = await svc.service.store.admin.listAudit(1);
      expect((entry!.after as any).caCertificate).toMatch(/^sha256 [0-9A-F:]{95}$/);
      const edit = await client.get(`/admin/recipients/${id}/edit`);
      expect(edit.text).toContain('A CA certificate is in use.');
      const removed = await client.request(
        'POST',
        `/admin/recipients/${id}/edit`,
        form('', { removeCa: 'on' }),
      );
      expect(removed.status).toBe(303);
      expect((await svc.service.store.getRecipient(id))?.caPem).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the audit log', () => {
  it('also goes to the JSON log, masked', async () => {
    const lines: { fields: any; message: string }[] = [];
    await recordAudit(
      svc.service.store.admin,
      { info: (fields: object, message: string) => lines.push({ fields, message }) },
      {
        at: 1,
        actor: 'admin',
        action: 'recipient.update',
        target: 'recipient 1 (crm)',
        before: { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
        after: { secret: null },
      },
    );
    expect(lines).toEqual([
      {
        message: 'audit: admin recipient.update recipient 1 (crm)',
        fields: {
          audit: expect.objectContaining({
            actor: 'admin',
            action: 'recipient.update',
            before: { secret: 'whsec_…LaSw' },
            after: { secret: null },
          }),
        },
      },
    ]);
    const page = await client.get('/admin/audit');
    expect(page.text).toContain('whsec_…LaSw');
    expect(page.text).not.toContain('MfKQ9r8');
  });
});
