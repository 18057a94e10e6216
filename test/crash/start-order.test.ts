/**
 * `serve` listens before it delivers: a port in use stops the start before the writer lock is
 * taken or a lane runs, so a failed start never delivers nor keeps a second serve out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DEFAULTS } from '../../src/config/config.js';
import { Service } from '../../src/service.js';
import { freePort } from '../support/serve-process.js';

it('a port in use fails the start before delivery starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-start-order-'));
  const port = await freePort();
  const blocker = createServer();
  await new Promise<void>((ok) => blocker.listen(port, '127.0.0.1', () => ok()));
  const service = new Service({
    ...DEFAULTS,
    port,
    host: '127.0.0.1',
    databaseUrl: `sqlite:${join(dir, 'outbound.db')}`,
    logLevel: 'silent',
  });
  try {
    const failed = await service.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failed as { code?: string }).code).toBe('EADDRINUSE');
    // Nothing started: the lanes are not held (the writer lock was never taken).
    expect(service.dispatcher.ownership.holds(1)).toBe(false);
  } finally {
    await service.stop();
    await new Promise<void>((ok) => blocker.close(() => ok()));
    rmSync(dir, { recursive: true, force: true });
  }
});
