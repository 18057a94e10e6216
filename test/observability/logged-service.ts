/**
 * A real service (as test/support/service.ts starts one) whose JSON log lines are kept, so
 * that a test reads what an operator would read on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, DEFAULTS } from '../../src/config/config.js';
import { hashToken, newToken } from '../../src/operations/tokens.js';
import { Service } from '../../src/service.js';

export type LogLine = Record<string, unknown> & { msg: string; level: number };

export interface LoggedService {
  service: Service;
  url: string;
  lines: LogLine[];
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startLogged(overrides: Partial<Config> = {}): Promise<LoggedService> {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-obs-'));
  const config: Config = {
    ...DEFAULTS,
    port: 0,
    host: '127.0.0.1',
    databaseUrl: `sqlite:${join(dir, 'outbound.db')}`,
    logLevel: 'info',
    sweepIntervalMs: 200,
    shutdownTimeoutMs: 2000,
    ...overrides,
  };
  const lines: LogLine[] = [];
  const service = new Service(config, {
    logStream: { write: (line) => lines.push(JSON.parse(line) as LogLine) },
  });
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
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  };
  return {
    service,
    url,
    lines,
    api,
    stop: async () => {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The lines whose message contains `text`. */
export function linesWith(lines: LogLine[], text: string): LogLine[] {
  return lines.filter((line) => line.msg.includes(text));
}
