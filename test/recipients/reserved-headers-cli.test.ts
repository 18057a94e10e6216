/** The CLI refuses a reserved header as the API does (exit 2, the header named) and keeps a User-Agent. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cliArgs } from '../support/cli.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'outbound-headers-cli-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function outbound(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, cliArgs(...args), {
      cwd: ROOT,
      env: { ...process.env, OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'o.db')}` },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('outbound recipient add --header', () => {
  it('refuses a header the sender would drop, and keeps a User-Agent', async () => {
    const refused = await outbound('recipient', 'add', 'a', 'http://x', '--header', 'TE: trailers');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^outbound: headers\.TE: /);
    const added = await outbound(
      'recipient',
      'add',
      'b',
      'http://x',
      '--header',
      'User-Agent: Helpdesk/3',
      '--json',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout).headers).toEqual({ 'user-agent': 'Helpdesk/3' });
  }, 120_000);
});
