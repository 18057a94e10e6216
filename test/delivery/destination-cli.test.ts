import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliArgs } from '../support/cli.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outbound-cli-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function outbound(env: Record<string, string>, ...args: string[]) {
  const { stdout, stderr } = await run(process.execPath, cliArgs(...args), {
    cwd: ROOT,
    env: { ...process.env, OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'outbound.db')}`, ...env },
  });
  return { stdout, stderr };
}

describe('outbound recipient add/update with a refused destination', () => {
  it('saves the recipient and says on stderr that deliveries will be refused', async () => {
    const added = await outbound({}, 'recipient', 'add', 'meta', 'http://169.254.169.254/latest/');
    expect(added.stdout).toMatch(
      /^1\tmeta\tenabled\thttp:\/\/169\.254\.169\.254\/latest\/\tall\n$/,
    );
    expect(added.stderr).toBe(
      'outbound: warning: deliveries to this URL will be refused by the destination policy: 169.254.169.254 is a link-local address (cloud metadata lives there), refused by default (allow 169.254.0.0/16 or part of it to send there)\n',
    );

    const local = await outbound({}, 'recipient', 'update', 'meta', '--url', 'http://127.0.0.1:9/');
    expect(local.stderr).toBe('');

    const denied = await outbound(
      { OUTBOUND_DESTINATION_DENY: '127.0.0.0/8' },
      'recipient',
      'update',
      'meta',
      '--url',
      'http://0x7f000001:9/',
    );
    expect(denied.stderr).toMatch(
      /^outbound: warning: .*127\.0\.0\.1 is in the deny list \(127\.0\.0\.0\/8\)\n$/,
    );
  });
});
