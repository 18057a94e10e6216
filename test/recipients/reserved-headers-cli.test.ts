/** The CLI refuses a reserved header as the API does (exit 2, the header named) and keeps a User-Agent. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOutbound } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'outbound-headers-cli-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function outbound(...args: string[]) {
  return runOutbound({ OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'o.db')}` }, ...args);
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
    // `add` echoes header values masked; `show` gives them in full.
    expect(JSON.parse(added.stdout).headers).toEqual({ 'user-agent': '•••' });
    const shown = await outbound('recipient', 'show', 'b');
    expect(JSON.parse(shown.stdout).headers).toEqual({ 'user-agent': 'Helpdesk/3' });
  }, 120_000);
});
