import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { type Config, DEFAULTS } from '../../src/config/config.js';
import { hashToken, newToken } from '../../src/operations/tokens.js';
import { Service } from '../../src/service.js';

export interface TestService {
  service: Service;
  /** Base URL, e.g. http://127.0.0.1:43123 */
  url: string;
  token: string;
  dir: string;
  /** The store the service uses, for a second connection to it. */
  databaseUrl: string;
  /** Calls the API with the token; JSON in, parsed JSON (or text) out. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Stops the service and removes its data, unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** Runs `sql` on the test PostgreSQL server (test/global-setup.ts). */
async function onPostgres(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('postgresUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * SQLite in the data dir; with OUTBOUND_TEST_STORE=postgres, a database of the test PostgreSQL
 * server named after the data dir, so that a restarted service finds its predecessor's data.
 */
async function storeFor(dataDir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.OUTBOUND_TEST_STORE !== 'postgres') {
    return { url: `sqlite:${join(dataDir, 'outbound.db')}`, drop: async () => {} };
  }
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const name = `${inject('postgresPrefix')}svc_${hash}`;
  await onPostgres(`CREATE DATABASE ${name}`).catch((error: { code?: string }) => {
    if (error.code !== '42P04') throw error; // duplicate_database: a restart
  });
  const url = new URL(inject('postgresUrl'));
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onPostgres(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** A real service on 127.0.0.1 with its own SQLite file in a temp dir. */
export async function startService(
  overrides: Partial<Config> = {},
  dir?: string,
): Promise<TestService> {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'outbound-test-'));
  const database = await storeFor(dataDir);
  const config: Config = {
    ...DEFAULTS,
    port: 0,
    host: '127.0.0.1',
    databaseUrl: database.url,
    logLevel: 'silent',
    sweepIntervalMs: 200,
    shutdownTimeoutMs: 2000,
    ...overrides,
  };
  const service = new Service(config);
  const url = await service.start();
  const token = newToken();
  await service.store.createToken('test', hashToken(token), Date.now());
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as any };
  };
  return {
    service,
    url,
    token,
    dir: dataDir,
    databaseUrl: database.url,
    api,
    stop: async (options = {}) => {
      await service.stop();
      if (!options.keepData && dir === undefined) {
        rmSync(dataDir, { recursive: true, force: true });
        await database.drop();
      }
    },
  };
}
