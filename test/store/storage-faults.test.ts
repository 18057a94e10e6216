/**
 * Write failures of the store reach the API as 503s naming the cause, flip readiness until a
 * write succeeds again, and never as a bare 500 (contract §6). A full disk is simulated with
 * SQLite's max_page_count on the service's own connection; PostgreSQL is a server of this
 * test's own, stopped and started again.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { sendError } from '../../src/http/error-handler.js';
import { loadSqliteDriver } from '../../src/sqlite/index.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { storageFaultOf } from '../../src/store/storage-health.js';
import {
  addRecipient,
  allDelivered,
  cleanup,
  FAST,
  onCleanup,
  receiver,
  service,
} from '../delivery/e2e.js';
import { startPostgres } from '../support/embedded-postgres.js';
import type { TestService } from '../support/service.js';
import { waitUntil } from '../support/wait.js';

const run = promisify(execFile);

const readyz = async (svc: TestService) => {
  const response = await fetch(`${svc.url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const event = (lsid: string) => ({ event: 'support_conference_begin', lsid });
/** Fifty events in one request: enough to need new pages soon. */
const batch = (prefix: string) => Array.from({ length: 50 }, (_, i) => event(`${prefix}-${i}`));

describe('storage faults on the acceptance path', () => {
  afterEach(cleanup);

  it('a full disk answers 503 naming it and flips readiness, until writes succeed again', async () => {
    const svc = await service();
    const store = svc.service.store as SqliteStore;
    expect((await svc.api('POST', '/api/v1/events', event('before'))).status).toBe(202);

    store.simulateFullDisk(true);
    // Small events may still fit in pages the file has: post until one needs a new page.
    let refused: { status: number; body: any } | undefined;
    for (let i = 0; i < 200 && refused === undefined; i++) {
      const answer = await svc.api('POST', '/api/v1/events', batch(`full-${i}`));
      if (answer.status !== 202) refused = answer;
    }
    expect(refused?.status).toBe(503);
    expect(refused?.body).toMatchObject({ error: 'storage_failing' });
    expect(refused?.body.message).toMatch(/^storage is failing: disk full \(SQLITE_FULL/);
    const notReady = await readyz(svc);
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ storage: 'failing' });
    expect(String(notReady.body.message)).toMatch(/disk full/);
    // Reads still answer; bookkeeping rewritten in place (the token's last use, the writer
    // lock's renewal) succeeds on such a disk, and must not pass for a recovery.
    expect((await svc.api('GET', '/api/v1/recipients')).status).toBe(200);
    expect(store.health.state).toBe('failing');
    expect((await readyz(svc)).status).toBe(503);

    store.simulateFullDisk(false);
    // Readiness probes with a write of its own: no request needs to come first.
    expect((await readyz(svc)).status).toBe(200);
    expect(store.health.state).toBe('ok');
    expect((await svc.api('POST', '/api/v1/events', event('after'))).status).toBe(202);
  });

  it('a store write failing for the storage (read-only) is a 503 naming it, never a bare 500', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbound-readonly-'));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'ro.db');
    const writable = loadSqliteDriver().open(path);
    writable.exec('CREATE TABLE t (x)');
    writable.close();
    // A real read-only connection: what a file on a read-only mount gives.
    const db = loadSqliteDriver().open(path, { readonly: true });
    onCleanup(() => {
      db.close();
    });
    let thrown: unknown;
    try {
      db.prepare('INSERT INTO t VALUES (1)').run();
    } catch (error) {
      thrown = error;
    }
    expect(storageFaultOf(thrown)).toMatch(/^the database is read-only \(SQLITE_READONLY/);

    const app = Fastify();
    onCleanup(() => app.close());
    app.setErrorHandler(sendError);
    app.post('/write', async () => {
      throw thrown;
    });
    const response = await app.inject({ method: 'POST', url: '/write' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      error: 'storage_failing',
      message: expect.stringMatching(/^storage is failing: the database is read-only/),
    });
  });

  it('a store on a file that became read-only answers with a StorageUnavailableError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbound-readonly-'));
    const path = join(dir, 'outbound.db');
    let immutable = false;
    onCleanup(async () => {
      if (immutable) await run('chattr', ['-i', path]);
      rmSync(dir, { recursive: true, force: true });
    });
    const first = new SqliteStore(path);
    await first.migrate();
    await first.close();
    // Root writes through chmod 0444: make the file immutable instead.
    if (process.getuid?.() === 0) {
      await run('chattr', ['+i', path]);
      immutable = true;
    } else {
      chmodSync(path, 0o444);
    }
    const store = new SqliteStore(path);
    try {
      await expect(store.createToken('t', 'hash', Date.now())).rejects.toMatchObject({
        code: 'OUTBOUND_STORAGE_FAILING',
        message: expect.stringMatching(/^storage is failing: the database is read-only/),
      });
      expect(store.health.state).toBe('failing');
      // Readiness probes with a write: still read-only, still failing.
      await expect(store.ping()).rejects.toMatchObject({ code: 'OUTBOUND_STORAGE_FAILING' });
    } finally {
      await store.close();
    }
  });

  it('the ack log deleted while serving is started again, and no 200 is lost', async () => {
    const svc = await service();
    const path = svc.databaseUrl.slice('sqlite:'.length);
    const ok = await receiver();
    const { id } = await addRecipient(svc, { name: 'ok', url: ok.url, ...FAST });
    expect((await svc.api('POST', '/api/v1/events', event('a'))).status).toBe(202);
    await allDelivered(svc, id, 1);
    expect(existsSync(`${path}-acks`)).toBe(true);
    rmSync(`${path}-acks`);
    // The writer lock's renewal (every 5 s) notices and starts a new log.
    await waitUntil(() => existsSync(`${path}-acks`), 'a new ack log', 8_000);
    expect((await readyz(svc)).status).toBe(200);
    for (const lsid of ['b', 'c']) {
      expect((await svc.api('POST', '/api/v1/events', event(lsid))).status).toBe(202);
    }
    await allDelivered(svc, id, 3);
  }, 20_000);
});

describe('PostgreSQL lost on the acceptance path', () => {
  afterEach(cleanup);

  it('answers 503 naming the cause and is not ready until the server is back', async () => {
    const server = await startPostgres();
    onCleanup(() => server.remove());
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE DATABASE outbound');
    await admin.end();
    const url = new URL(server.url);
    url.pathname = '/outbound';
    const svc = await service({ databaseUrl: url.toString() });
    expect((await svc.api('POST', '/api/v1/events', event('before'))).status).toBe(202);

    await server.stop();
    const refused = await svc.api('POST', '/api/v1/events', event('while-down'));
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: 'storage_failing' });
    expect(refused.body.message).toMatch(/^storage is failing: PostgreSQL/);
    expect((await readyz(svc)).status).toBe(503);

    await server.start();
    await waitUntil(async () => (await readyz(svc)).status === 200, 'ready again', 20_000);
    expect((await svc.api('POST', '/api/v1/events', event('after'))).status).toBe(202);
    expect(svc.service.store.health.state).toBe('ok');
  }, 60_000);
});
