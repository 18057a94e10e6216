import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken, newToken } from '../../src/api/index.js';
import { type Config, DEFAULTS } from '../../src/config/config.js';
import { Service } from '../../src/service.js';

export interface TestService {
  service: Service;
  /** Base URL, e.g. http://127.0.0.1:43123 */
  url: string;
  token: string;
  dir: string;
  /** Calls the API with the token; JSON in, parsed JSON (or text) out. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Stops the service and removes its data, unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** A real service on 127.0.0.1 with its own SQLite file in a temp dir. */
export async function startService(
  overrides: Partial<Config> = {},
  dir?: string,
): Promise<TestService> {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'outbound-test-'));
  const config: Config = {
    ...DEFAULTS,
    port: 0,
    host: '127.0.0.1',
    databaseUrl: `sqlite:${join(dataDir, 'outbound.db')}`,
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
    api,
    stop: async (options = {}) => {
      await service.stop();
      if (!options.keepData && dir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
